package dev.quell.revoke;

import dev.quell.core.decision.BlastRadius;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The role as it was before the deny: everything release needs to restore it, and what else used the role.
 *
 * @param account the account the role lives in, which release needs to reach IAM
 * @param region the finding's region, which picks IAM's partition for release
 * @param inlinePolicyNames the role's inline policy names
 * @param attachedPolicyArns the managed policies attached to the role
 * @param denyPolicyName the name of the inline policy the deny goes into
 * @param earlierDenyDocument the role's inline policy of that name before this response, left by an earlier
 *     response, or {@code null} when the role had none
 * @param instanceId the instance whose credentials are denied, or {@code null} for a role-wide deny
 * @param blastRadius what else used the role when it was read, or {@code null} before it was counted
 * @param cutoff the response time: a role-wide deny covers sessions issued before it, or {@code null} until the
 *     response acts
 */
public record RolePreState(
        String account,
        String region,
        String partition,
        String roleName,
        String roleArn,
        Map<String, String> tags,
        List<String> inlinePolicyNames,
        List<String> attachedPolicyArns,
        String denyPolicyName,
        String earlierDenyDocument,
        String instanceId,
        BlastRadius blastRadius,
        Instant cutoff) {

    public RolePreState {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        inlinePolicyNames = inlinePolicyNames == null ? List.of() : List.copyOf(inlinePolicyNames);
        attachedPolicyArns = attachedPolicyArns == null ? List.of() : List.copyOf(attachedPolicyArns);
    }

    /** Returns this state with the role's use counted. */
    public RolePreState withBlastRadius(BlastRadius radius) {
        return new RolePreState(account, region, partition, roleName, roleArn, tags, inlinePolicyNames,
                attachedPolicyArns, denyPolicyName, earlierDenyDocument, instanceId, radius, cutoff);
    }

    /** Returns this state with the response time set. */
    public RolePreState withCutoff(Instant time) {
        return new RolePreState(account, region, partition, roleName, roleArn, tags, inlinePolicyNames,
                attachedPolicyArns, denyPolicyName, earlierDenyDocument, instanceId, blastRadius, time);
    }
}
