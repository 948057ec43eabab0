package dev.quell.iam;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyVersion;

/**
 * Writes Quell's deny policies onto an IAM user or role, checks them, and removes them again.
 *
 * <p>A deny goes in as an inline policy under a fixed name, so a repeat replaces it instead of adding a second.
 * IAM caps the total size of a principal's inline policies (10,240 characters for a role and 2,048 for a user, not
 * counting white space), and rejects a put past the cap with {@code LimitExceeded}. The deny then goes in as a
 * customer managed policy under the path {@code /quell/}, named after the inline policy and the principal, and is
 * attached to the principal.
 */
public final class DenyPolicyWriter {

    /** The path of the customer managed policies Quell creates, which an IAM grant can scope to. */
    public static final String MANAGED_PATH = "/quell/";

    /** IAM keeps at most five versions of a managed policy. */
    private static final int MAX_POLICY_VERSIONS = 5;

    private final IamClient iam;
    private final PrincipalPolicies policies;
    private final String partition;
    private final String account;

    public DenyPolicyWriter(IamClient iam, String partition, String account) {
        this.iam = iam;
        this.policies = new PrincipalPolicies(iam);
        this.partition = partition;
        this.account = account;
    }

    /** The kind of policy a deny was written as. */
    public enum Mechanism {
        /** An inline policy on the principal. */
        INLINE,
        /** A customer managed policy attached to the principal, because the inline quota was full. */
        MANAGED
    }

    /**
     * A deny as written.
     *
     * @param policyName the inline policy name, or for {@link Mechanism#MANAGED} the managed policy's name
     * @param policyArn the managed policy's ARN, or {@code null} for an inline policy
     */
    public record Applied(Mechanism mechanism, String policyName, String policyArn) {

        /** Returns where the deny is, in words for a step's detail. */
        public String describe() {
            return mechanism == Mechanism.INLINE ? "inline policy " + policyName
                    : "customer managed policy " + policyArn + ", because the inline policy size quota was full";
        }
    }

    /**
     * Writes the document as the principal's inline policy, or as an attached customer managed policy when the
     * inline policy size quota is full.
     *
     * @throws IamException when IAM rejects both, with IAM's error code
     */
    public Applied put(IamTarget target, String policyName, String document) {
        try {
            putInline(target, policyName, document);
            return new Applied(Mechanism.INLINE, policyName, null);
        } catch (IamException e) {
            if (!IamErrors.isLimitExceeded(e)) {
                throw e;
            }
        }
        String arn = managedArn(target, policyName);
        writeManaged(managedName(target, policyName), arn, document);
        attach(target, arn);
        return new Applied(Mechanism.MANAGED, managedName(target, policyName), arn);
    }

    /**
     * Returns what differs between the deny and what IAM now has, or empty when the principal carries the document
     * as the inline policy, or as the managed policy the quota fallback writes.
     */
    public Optional<String> mismatch(IamTarget target, String policyName, String document) {
        Optional<String> inline = policies.inlineDocument(target, policyName);
        if (inline.isPresent() && PolicyDocuments.same(inline.get(), document)) {
            return Optional.empty();
        }
        String arn = managedArn(target, policyName);
        if (policies.attachedArns(target).contains(arn)) {
            Optional<String> managed = policies.managedDocument(arn);
            return managed.isPresent() && PolicyDocuments.same(managed.get(), document) ? Optional.empty()
                    : Optional.of("managed policy " + arn + " on " + target + " differs from the deny Quell wrote");
        }
        return Optional.of(inline.isPresent()
                ? "inline policy " + policyName + " on " + target + " differs from the deny Quell wrote"
                : "neither inline policy " + policyName + " nor managed policy " + arn + " is on " + target);
    }

    /**
     * Removes the deny this response wrote, in both places it may be, and restores the inline policy of the same name
     * that the principal had before, if any. A part that is already gone is skipped without an error. A deny that
     * differs from both the written and the earlier document belongs to another response on the same principal, so
     * it stays in force and the detail names it.
     *
     * <p>NOTE: the earlier document is restored even when the response that wrote it was released since, which
     * leaves that response's deny in force again. Release the responses on one principal newest first to avoid this.
     *
     * @param writtenDocument the deny this response wrote
     * @param earlierDocument the inline policy's document before this response, or {@code null} when there was none
     * @return what was removed, restored or left, in words for a step's detail
     */
    public String remove(IamTarget target, String policyName, String writtenDocument, String earlierDocument) {
        List<String> done = new ArrayList<>();
        Optional<String> inline = policies.inlineDocument(target, policyName);
        boolean inlineReplaced = inline.isPresent() && !PolicyDocuments.same(inline.get(), writtenDocument)
                && !PolicyDocuments.same(inline.get(), earlierDocument);
        if (inlineReplaced) {
            done.add("left inline policy " + policyName + ", which holds another response's deny");
        } else if (earlierDocument != null) {
            putInline(target, policyName, earlierDocument);
            done.add("restored the earlier inline policy " + policyName);
        } else if (inline.isPresent() && deleteInline(target, policyName)) {
            done.add("deleted inline policy " + policyName);
        }
        String arn = managedArn(target, policyName);
        Optional<String> managed = policies.managedDocument(arn);
        if (managed.isPresent() && !PolicyDocuments.same(managed.get(), writtenDocument)) {
            done.add("left " + arn + ", which holds another response's deny");
        } else {
            if (detach(target, arn)) {
                done.add("detached " + arn);
            }
            if (deleteManaged(arn)) {
                done.add("deleted " + arn);
            }
        }
        return done.isEmpty() ? "no Quell deny was left on " + target : String.join(", ", done) + " on " + target;
    }

    /** Returns the ARN the deny has when written as a managed policy. */
    public String managedArn(IamTarget target, String policyName) {
        return "arn:" + partition + ":iam::" + account + ":policy" + MANAGED_PATH + managedName(target, policyName);
    }

    /**
     * Returns the managed policy's name: the inline name, the principal kind and the principal name. IAM limits
     * policy names to 128 characters and user and role names to 64, so this fits for Quell's inline names.
     */
    static String managedName(IamTarget target, String policyName) {
        return policyName + (target.kind() == IamTarget.Kind.USER ? "-user-" : "-role-") + target.name();
    }

    private void putInline(IamTarget target, String policyName, String document) {
        if (target.kind() == IamTarget.Kind.USER) {
            iam.putUserPolicy(request -> request.userName(target.name()).policyName(policyName)
                    .policyDocument(document));
        } else {
            iam.putRolePolicy(request -> request.roleName(target.name()).policyName(policyName)
                    .policyDocument(document));
        }
    }

    private boolean deleteInline(IamTarget target, String policyName) {
        try {
            if (target.kind() == IamTarget.Kind.USER) {
                iam.deleteUserPolicy(request -> request.userName(target.name()).policyName(policyName));
            } else {
                iam.deleteRolePolicy(request -> request.roleName(target.name()).policyName(policyName));
            }
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    /** Creates the managed policy, or makes the document its default version when it exists already. */
    private void writeManaged(String name, String arn, String document) {
        try {
            iam.createPolicy(request -> request.policyName(name).path(MANAGED_PATH).policyDocument(document)
                    .description("Quell deny, written because the inline policy size quota was full"));
        } catch (EntityAlreadyExistsException e) {
            deleteOldestVersionIfFull(arn);
            iam.createPolicyVersion(request -> request.policyArn(arn).policyDocument(document).setAsDefault(true));
        }
    }

    private void deleteOldestVersionIfFull(String arn) {
        List<PolicyVersion> versions = new ArrayList<>();
        iam.listPolicyVersionsPaginator(request -> request.policyArn(arn)).versions().forEach(versions::add);
        if (versions.size() < MAX_POLICY_VERSIONS) {
            return;
        }
        versions.stream()
                .filter(version -> !Boolean.TRUE.equals(version.isDefaultVersion()))
                .min(Comparator.comparing(PolicyVersion::createDate))
                .ifPresent(oldest -> iam.deletePolicyVersion(request -> request.policyArn(arn)
                        .versionId(oldest.versionId())));
    }

    private void attach(IamTarget target, String arn) {
        if (target.kind() == IamTarget.Kind.USER) {
            iam.attachUserPolicy(request -> request.userName(target.name()).policyArn(arn));
        } else {
            iam.attachRolePolicy(request -> request.roleName(target.name()).policyArn(arn));
        }
    }

    private boolean detach(IamTarget target, String arn) {
        try {
            if (target.kind() == IamTarget.Kind.USER) {
                iam.detachUserPolicy(request -> request.userName(target.name()).policyArn(arn));
            } else {
                iam.detachRolePolicy(request -> request.roleName(target.name()).policyArn(arn));
            }
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    /** Deletes the managed policy and its non-default versions, which IAM requires first. */
    private boolean deleteManaged(String arn) {
        try {
            List<PolicyVersion> versions = new ArrayList<>();
            iam.listPolicyVersionsPaginator(request -> request.policyArn(arn)).versions().forEach(versions::add);
            for (PolicyVersion version : versions) {
                if (!Boolean.TRUE.equals(version.isDefaultVersion())) {
                    iam.deletePolicyVersion(request -> request.policyArn(arn).versionId(version.versionId()));
                }
            }
            iam.deletePolicy(request -> request.policyArn(arn));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }
}
