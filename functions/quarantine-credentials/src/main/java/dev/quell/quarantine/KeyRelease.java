package dev.quell.quarantine;

import dev.quell.core.response.StepResult;
import dev.quell.iam.DenyPolicyWriter;
import dev.quell.iam.IamTarget;
import dev.quell.iam.Steps;
import java.util.List;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Undoes a quarantine from its recorded pre-state: reactivates the key only when it was active before, detaches the
 * quarantine policy only when the quarantine attached it, and removes the session deny. Every step is safe to run
 * again.
 */
final class KeyRelease {

    private final IamClient iam;
    private final DenyPolicyWriter writer;

    KeyRelease(IamClient iam, DenyPolicyWriter writer) {
        this.iam = iam;
        this.writer = writer;
    }

    List<StepResult> release(KeyPreState pre) {
        return List.of(
                Steps.run(KeyQuarantineStep.REACTIVATE_KEY.contract(), () -> reactivate(pre)),
                Steps.run(KeyQuarantineStep.DETACH_QUARANTINE_POLICY.contract(), () -> detach(pre)),
                Steps.run(KeyQuarantineStep.REMOVE_SESSION_DENY.contract(), () -> writer.remove(
                        IamTarget.user(pre.userName()), KeyQuarantiner.SESSION_DENY_POLICY,
                        KeyQuarantiner.sessionDeny(pre), pre.earlierSessionDeny())));
    }

    private String reactivate(KeyPreState pre) {
        if (!StatusType.ACTIVE.toString().equals(pre.keyStatus())) {
            throw new Steps.Skip("access key " + pre.accessKeyId() + " was " + pre.keyStatus()
                    + " before the quarantine, so it stays inactive");
        }
        var keys = new UserReader(iam, Runnable::run).keyStatuses(pre.userName());
        if (!keys.containsKey(pre.accessKeyId())) {
            throw new Steps.Skip("access key " + pre.accessKeyId() + " no longer exists on IAM user "
                    + pre.userName());
        }
        iam.updateAccessKey(request -> request.userName(pre.userName()).accessKeyId(pre.accessKeyId())
                .status(StatusType.ACTIVE));
        return "reactivated access key " + pre.accessKeyId() + " of IAM user " + pre.userName();
    }

    private String detach(KeyPreState pre) {
        String arn = pre.quarantinePolicyArn();
        if (pre.attachedPolicyArns().contains(arn)) {
            throw new Steps.Skip(arn + " was attached before the quarantine, so it stays");
        }
        try {
            iam.detachUserPolicy(request -> request.userName(pre.userName()).policyArn(arn));
            return "detached " + arn + " from IAM user " + pre.userName();
        } catch (NoSuchEntityException e) {
            return arn + " was already detached from IAM user " + pre.userName();
        }
    }
}
