package dev.quell.core.decision;

/**
 * Which credential response a finding gets, and why.
 *
 * @param response the response, or {@link Response#ESCALATE} when Quell changes nothing
 * @param action the credential action that owns the finding: the one that responds, or for an escalation the
 *     one whose result carries it ({@code quarantine-access-key} for user-like principals, a role action for roles)
 * @param principal the principal the finding names, or {@code null} when it names none
 * @param instanceId the instance whose credentials were taken, for {@link Response#REVOKE_INSTANCE_CREDENTIALS}
 * @param reason a sentence describing what the finding's principal did, or why Quell escalates
 */
public record CredentialRoute(Response response, String action, IamPrincipal principal, String instanceId,
        String reason) {

    /** The responses to a credential finding. */
    public enum Response {
        /** Deactivate the IAM user's long-term access key and quarantine the user. */
        QUARANTINE_KEY,
        /** Deny every session of the role issued before now. */
        REVOKE_ROLE_SESSIONS,
        /** Deny the role's credentials issued to one instance, leaving the role's other users working. */
        REVOKE_INSTANCE_CREDENTIALS,
        /** Change nothing, and leave the finding to a person, for the reason given. */
        ESCALATE
    }

    public boolean escalates() {
        return response == Response.ESCALATE;
    }
}
