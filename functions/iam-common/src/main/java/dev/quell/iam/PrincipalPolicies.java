package dev.quell.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/** Reads the policies on an IAM user or role: inline policy names and documents, and attached policy ARNs. */
public final class PrincipalPolicies {

    private final IamClient iam;

    public PrincipalPolicies(IamClient iam) {
        this.iam = iam;
    }

    /** Returns the names of the target's inline policies. */
    public List<String> inlineNames(IamTarget target) {
        List<String> names = new ArrayList<>();
        if (target.kind() == IamTarget.Kind.USER) {
            iam.listUserPoliciesPaginator(request -> request.userName(target.name())).policyNames()
                    .forEach(names::add);
        } else {
            iam.listRolePoliciesPaginator(request -> request.roleName(target.name())).policyNames()
                    .forEach(names::add);
        }
        return names;
    }

    /** Returns the ARNs of the managed policies attached to the target. */
    public List<String> attachedArns(IamTarget target) {
        List<String> arns = new ArrayList<>();
        if (target.kind() == IamTarget.Kind.USER) {
            iam.listAttachedUserPoliciesPaginator(request -> request.userName(target.name())).attachedPolicies()
                    .forEach(policy -> arns.add(policy.policyArn()));
        } else {
            iam.listAttachedRolePoliciesPaginator(request -> request.roleName(target.name())).attachedPolicies()
                    .forEach(policy -> arns.add(policy.policyArn()));
        }
        return arns;
    }

    /** Returns one inline policy's document as JSON text, or empty when the target has no policy of that name. */
    public Optional<String> inlineDocument(IamTarget target, String policyName) {
        try {
            String document = target.kind() == IamTarget.Kind.USER
                    ? iam.getUserPolicy(request -> request.userName(target.name()).policyName(policyName))
                            .policyDocument()
                    : iam.getRolePolicy(request -> request.roleName(target.name()).policyName(policyName))
                            .policyDocument();
            return Optional.of(PolicyDocuments.decode(document));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /** Returns the document of a managed policy's default version, or empty when the policy does not exist. */
    public Optional<String> managedDocument(String policyArn) {
        try {
            String version = iam.getPolicy(request -> request.policyArn(policyArn)).policy().defaultVersionId();
            return Optional.of(PolicyDocuments.decode(iam.getPolicyVersion(request -> request.policyArn(policyArn)
                    .versionId(version)).policyVersion().document()));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }
}
