package dev.quell.quarantine;

import dev.quell.core.policy.CredentialOptions;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import dev.quell.iam.DenyPolicyWriter;
import dev.quell.iam.IamTarget;
import dev.quell.iam.PolicyDocuments;
import dev.quell.iam.PrincipalPolicies;
import dev.quell.iam.Steps;
import dev.quell.iam.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Runs the quarantine steps on one user's access key, the key first: deactivate the key, attach the AWS quarantine
 * policy, deny the user's older sessions, and remove the console password when the policy turns that on. A step
 * that fails does not stop the others.
 */
final class KeyQuarantiner {

    /** The AWS managed policy AWS itself attaches to a user whose access key it found exposed. */
    static final String QUARANTINE_POLICY = KeyQuarantineStep.QUARANTINE_POLICY;

    /** The inline policy that denies the user's temporary credentials issued before the response. */
    static final String SESSION_DENY_POLICY = "quell-deny-sessions-before";

    private static final String SESSION_DENY_SID = "QuellDenySessionsBefore";

    private final IamClient iam;
    private final DenyPolicyWriter writer;
    private final CredentialOptions options;

    KeyQuarantiner(IamClient iam, DenyPolicyWriter writer, CredentialOptions options) {
        this.iam = iam;
        this.writer = writer;
        this.options = options;
    }

    /** Returns the session deny's document for a pre-state, the same on every run of one response. */
    static String sessionDeny(KeyPreState pre) {
        return PolicyDocuments.denySessionsIssuedBefore(SESSION_DENY_SID, pre.cutoff());
    }

    /**
     * Runs every step an earlier run of this response did not finish.
     *
     * @param done the results of steps an earlier run finished, by step name; they are not run again
     * @param onStep called with each new result as soon as it is known, to record it in the ledger
     */
    List<StepResult> quarantine(KeyPreState pre, Map<String, StepResult> done, Consumer<StepResult> onStep) {
        List<StepResult> results = new ArrayList<>();
        run(KeyQuarantineStep.DEACTIVATE_KEY, () -> deactivate(pre), done, onStep, results);
        run(KeyQuarantineStep.ATTACH_QUARANTINE_POLICY, () -> attachQuarantinePolicy(pre), done, onStep, results);
        run(KeyQuarantineStep.DENY_OLDER_SESSIONS, () -> denyOlderSessions(pre), done, onStep, results);
        run(KeyQuarantineStep.REMOVE_CONSOLE_LOGIN, () -> removeConsoleLogin(pre), done, onStep, results);
        return results;
    }

    /** Returns {@code verified}, or each way the user's state differs from a full quarantine. */
    String verify(KeyPreState pre, List<StepResult> steps) {
        List<String> mismatches = new ArrayList<>();
        var statuses = new UserReader(iam, Runnable::run).keyStatuses(pre.userName());
        String status = statuses.get(pre.accessKeyId());
        if (!StatusType.INACTIVE.toString().equals(status)) {
            mismatches.add("access key " + pre.accessKeyId() + " is " + (status == null ? "gone" : status));
        }
        pre.keyStatuses().forEach((keyId, before) -> {
            if (!keyId.equals(pre.accessKeyId()) && !before.equals(statuses.get(keyId))) {
                mismatches.add("access key " + keyId + " changed from " + before + " to " + statuses.get(keyId));
            }
        });
        IamTarget user = IamTarget.user(pre.userName());
        if (!new PrincipalPolicies(iam).attachedArns(user).contains(pre.quarantinePolicyArn())) {
            mismatches.add(QUARANTINE_POLICY + " is not attached to " + user);
        }
        writer.mismatch(user, SESSION_DENY_POLICY, sessionDeny(pre)).ifPresent(mismatches::add);
        boolean loginRemoved = steps.stream().anyMatch(step -> step.status() == StepStatus.DONE
                && step.name().equals(KeyQuarantineStep.REMOVE_CONSOLE_LOGIN.stepName()));
        if (loginRemoved && new UserReader(iam, Runnable::run).hasLoginProfile(pre.userName())) {
            mismatches.add(user + " still has a console password");
        }
        return Verification.of(mismatches);
    }

    private String deactivate(KeyPreState pre) {
        iam.updateAccessKey(request -> request.userName(pre.userName()).accessKeyId(pre.accessKeyId())
                .status(StatusType.INACTIVE));
        return "deactivated access key " + pre.accessKeyId() + " of IAM user " + pre.userName() + " (was "
                + pre.keyStatus() + "), leaving " + (pre.keyStatuses().size() - 1) + " other key(s) as they were";
    }

    // NOTE: only the aws partition is known to have AWSCompromisedKeyQuarantineV3. Where the policy does not exist,
    // the attach fails with NoSuchEntity and the response is PARTIAL, with the key still deactivated.
    private String attachQuarantinePolicy(KeyPreState pre) {
        iam.attachUserPolicy(request -> request.userName(pre.userName()).policyArn(pre.quarantinePolicyArn()));
        return "attached " + pre.quarantinePolicyArn()
                + (pre.attachedPolicyArns().contains(pre.quarantinePolicyArn()) ? " (it was attached already)" : "");
    }

    private String denyOlderSessions(KeyPreState pre) {
        DenyPolicyWriter.Applied applied = writer.put(IamTarget.user(pre.userName()), SESSION_DENY_POLICY,
                sessionDeny(pre));
        return "denied IAM user " + pre.userName() + "'s temporary credentials issued before " + pre.cutoff()
                + " in " + applied.describe();
    }

    private String removeConsoleLogin(KeyPreState pre) {
        if (!options.removeConsoleLogin()) {
            throw new Steps.Skip("turned off by policy (credentials.removeConsoleLogin)");
        }
        if (!pre.loginProfile()) {
            throw new Steps.Skip("IAM user " + pre.userName() + " has no console password");
        }
        try {
            iam.deleteLoginProfile(request -> request.userName(pre.userName()));
            return "deleted IAM user " + pre.userName() + "'s console password";
        } catch (NoSuchEntityException e) {
            return "IAM user " + pre.userName() + "'s console password was already deleted";
        }
    }

    private static void run(KeyQuarantineStep step, Callable<String> body, Map<String, StepResult> done,
            Consumer<StepResult> onStep, List<StepResult> results) {
        StepResult earlier = done.get(step.stepName());
        if (earlier != null && earlier.status() == StepStatus.DONE) {
            results.add(earlier);
            return;
        }
        StepResult result = Steps.run(step.contract(), body);
        onStep.accept(result);
        results.add(result);
    }
}
