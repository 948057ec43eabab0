package dev.quell.core.decision;

import dev.quell.core.finding.AffectedResource;
import java.util.Locale;

/**
 * The IAM principal behind a credential finding, classified from the finding's GuardDuty {@code accessKeyDetails}
 * or its ASFF {@code AwsIamAccessKey}, {@code AwsIamRole} or {@code AwsIamUser} resource.
 *
 * @param kind what sort of principal it is
 * @param name the user or role name, or {@code null} when the finding names none
 * @param accessKeyId the access key the finding names, or {@code null}
 * @param principalId the unique id, for an assumed role {@code AROA...:session-name}, or {@code null}
 * @param arn the principal's ARN when the finding carries one (ASFF role and user resources), else {@code null}
 * @param rawType the principal type as the finding wrote it, kept for reasons
 */
public record IamPrincipal(Kind kind, String name, String accessKeyId, String principalId, String arn,
        String rawType) {

    /** The sorts of principal a credential finding can name. */
    public enum Kind {
        /** The account's root user. */
        ROOT,
        /** An IAM user. */
        IAM_USER,
        /** A session of an IAM role, including IAM Identity Center and instance profile sessions. */
        ASSUMED_ROLE,
        /** An IAM role named without a session, as an ASFF {@code AwsIamRole} resource names one. */
        ROLE,
        /** A federated user from {@code sts:GetFederationToken}. */
        FEDERATED_USER,
        /** Anything else: an AWS service, another account, or a type Quell does not know. */
        OTHER
    }

    /** The class of an access key, from its id's prefix. */
    public enum KeyKind {
        /** {@code AKIA}: a user's long-term access key, which {@code UpdateAccessKey} can deactivate. */
        LONG_TERM,
        /** {@code ASIA}: temporary credentials from STS, which no IAM call can deactivate. */
        TEMPORARY,
        /** No key, or a prefix that is neither. */
        UNKNOWN
    }

    /** Classifies the principal of an access key resource in a finding from the given account. */
    public static IamPrincipal of(AffectedResource.AccessKey key, String accountId) {
        return new IamPrincipal(kindOf(key, accountId), blankToNull(key.userName()), blankToNull(key.accessKeyId()),
                blankToNull(key.principalId()), null, key.principalType());
    }

    /** Returns the principal of an ASFF role resource. */
    public static IamPrincipal of(AffectedResource.Role role) {
        return new IamPrincipal(Kind.ROLE, blankToNull(role.roleName()), null, null, blankToNull(role.arn()),
                role.rawType());
    }

    /** Returns the principal of an ASFF user resource. */
    public static IamPrincipal of(AffectedResource.User user) {
        return new IamPrincipal(Kind.IAM_USER, blankToNull(user.userName()), null, null, blankToNull(user.arn()),
                user.rawType());
    }

    /** Returns how the access key's prefix classifies it. */
    public KeyKind keyKind() {
        if (accessKeyId == null) {
            return KeyKind.UNKNOWN;
        }
        if (accessKeyId.startsWith("AKIA")) {
            return KeyKind.LONG_TERM;
        }
        if (accessKeyId.startsWith("ASIA")) {
            return KeyKind.TEMPORARY;
        }
        return KeyKind.UNKNOWN;
    }

    /** Returns the role session name, the part of an assumed role's principal id after the colon, or {@code null}. */
    public String sessionName() {
        if (principalId == null) {
            return null;
        }
        int colon = principalId.indexOf(':');
        return colon < 0 || colon == principalId.length() - 1 ? null : principalId.substring(colon + 1);
    }

    /** Returns the path part of the ARN ({@code /aws-service-role/ssm.amazonaws.com/}), or {@code null}. */
    public String pathFromArn() {
        return pathOf(arn);
    }

    /**
     * Returns the path of a user or role ARN, from the slash after the resource type up to and including the last
     * slash ({@code /} for a role at the root path), or {@code null} when the ARN is missing or has no slash.
     */
    public static String pathOf(String arn) {
        if (arn == null) {
            return null;
        }
        int first = arn.indexOf('/');
        return first < 0 ? null : arn.substring(first, arn.lastIndexOf('/') + 1);
    }

    /** Returns a short description for reasons, such as {@code role app-server} or {@code user alice}. */
    public String describe() {
        String displayName = name == null ? "(name not in the finding)" : name;
        return switch (kind) {
            case ROOT -> "the root user";
            case IAM_USER -> "IAM user " + displayName;
            case ASSUMED_ROLE, ROLE -> "role " + displayName;
            case FEDERATED_USER -> "federated user " + displayName;
            case OTHER -> "principal " + displayName + " of type " + (rawType == null ? "unknown" : rawType);
        };
    }

    private static Kind kindOf(AffectedResource.AccessKey key, String accountId) {
        String type = key.principalType() == null ? "" : key.principalType().trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "root":
                return Kind.ROOT;
            case "iamuser":
                return Kind.IAM_USER;
            case "assumedrole":
            case "role":
                return Kind.ASSUMED_ROLE;
            case "federateduser":
                return Kind.FEDERATED_USER;
            case "":
                return inferKind(key, accountId);
            default:
                return Kind.OTHER;
        }
    }

    /**
     * Infers the kind from the principal id when the finding gives no type: the root user's principal id is the
     * account id, and IAM's unique id prefixes are {@code AIDA} for users and {@code AROA} for roles.
     */
    private static Kind inferKind(AffectedResource.AccessKey key, String accountId) {
        String id = key.principalId() == null ? "" : key.principalId();
        if (!id.isEmpty() && id.equals(accountId) || "root".equalsIgnoreCase(key.userName())) {
            return Kind.ROOT;
        }
        if (id.startsWith("AIDA")) {
            return Kind.IAM_USER;
        }
        if (id.startsWith("AROA")) {
            return Kind.ASSUMED_ROLE;
        }
        return Kind.OTHER;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
