package dev.quell.core.decision;

import java.util.List;

/**
 * The facts about an IAM user or role that a credential decision needs, as IAM returned them just now.
 *
 * @param resource whether the principal exists, its ARN (which carries its path) and its tags
 * @param accessKeyIds the user's access key ids, or {@code null} for a role
 * @param blastRadius what else uses the role, or {@code null} when the action does not depend on it
 */
public record PrincipalState(ResourceState resource, List<String> accessKeyIds, BlastRadius blastRadius) {

    public PrincipalState {
        accessKeyIds = accessKeyIds == null ? null : List.copyOf(accessKeyIds);
    }

    /** Returns the state of a principal IAM reports as missing. */
    public static PrincipalState missing(String arn) {
        return new PrincipalState(ResourceState.missing(arn), null, null);
    }
}
