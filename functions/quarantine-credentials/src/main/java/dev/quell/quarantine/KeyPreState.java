package dev.quell.quarantine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The user and access key as they were before the quarantine: everything release needs to restore them.
 *
 * @param account the account the user lives in, which release needs to reach IAM
 * @param region the finding's region, which picks IAM's partition for release
 * @param keyStatus the finding's key's status, {@code Active} or {@code Inactive}
 * @param keyStatuses the status of each of the user's access keys, by key id, including the finding's key
 * @param attachedPolicyArns the managed policies attached to the user
 * @param inlinePolicyNames the user's inline policy names
 * @param earlierSessionDeny the user's inline policy named {@code quell-deny-sessions-before} before this response,
 *     left by an earlier quarantine, or {@code null} when the user had none
 * @param loginProfile whether the user had a console password
 * @param cutoff the response time: the session deny covers temporary credentials issued before it, or {@code null}
 *     until the response acts
 */
public record KeyPreState(
        String account,
        String region,
        String partition,
        String userName,
        String userArn,
        Map<String, String> tags,
        String accessKeyId,
        String keyStatus,
        Map<String, String> keyStatuses,
        List<String> attachedPolicyArns,
        List<String> inlinePolicyNames,
        String earlierSessionDeny,
        boolean loginProfile,
        Instant cutoff) {

    public KeyPreState {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        keyStatuses = keyStatuses == null ? Map.of() : Map.copyOf(keyStatuses);
        attachedPolicyArns = attachedPolicyArns == null ? List.of() : List.copyOf(attachedPolicyArns);
        inlinePolicyNames = inlinePolicyNames == null ? List.of() : List.copyOf(inlinePolicyNames);
    }

    /** Returns this state with the response time set. */
    public KeyPreState withCutoff(Instant time) {
        return new KeyPreState(account, region, partition, userName, userArn, tags, accessKeyId, keyStatus,
                keyStatuses, attachedPolicyArns, inlinePolicyNames, earlierSessionDeny, loginProfile, time);
    }

    /** Returns the ARN of the AWS managed quarantine policy in the user's partition. */
    public String quarantinePolicyArn() {
        return "arn:" + partition + ":iam::aws:policy/" + KeyQuarantiner.QUARANTINE_POLICY;
    }
}
