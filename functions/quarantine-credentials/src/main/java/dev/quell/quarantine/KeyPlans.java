package dev.quell.quarantine;

import dev.quell.core.decision.Decision;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.json.Json;
import dev.quell.core.policy.CredentialOptions;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.iam.StepPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the results of quarantine responses that change nothing: plans, which list the steps, and ignores. */
final class KeyPlans {

    private KeyPlans() {
    }

    /** Returns the result of a decision made with the user's live state, or {@code null} when it is unknown. */
    static ResponseResult of(Finding finding, Decision decision, KeyPreState pre, CredentialOptions options,
            Instant started, Instant finished) {
        String keyId = pre != null ? pre.accessKeyId()
                : finding.resource(AffectedResource.AccessKey.class).map(AffectedResource.AccessKey::accessKeyId)
                        .orElse(null);
        boolean plan = decision.outcome() == Decision.Outcome.PLAN;
        return new ResponseResult(finding, KeyQuarantineResponder.ACTION, keyId, decision,
                plan ? Outcome.PLANNED : Outcome.IGNORED, plan ? steps(pre, options) : List.of(),
                pre == null ? null : Json.mapper().valueToTree(pre), null, started, finished);
    }

    private static List<StepResult> steps(KeyPreState pre, CredentialOptions options) {
        List<StepResult> steps = new ArrayList<>();
        for (KeyQuarantineStep step : KeyQuarantineStep.values()) {
            if (step.phase() == StepPhase.RESPONSE && step.contract().mutating()) {
                steps.add(StepResult.planned(step.stepName(), detail(step, pre, options)));
            }
        }
        return steps;
    }

    private static String detail(KeyQuarantineStep step, KeyPreState pre, CredentialOptions options) {
        if (pre == null) {
            return step.contract().description();
        }
        return switch (step) {
            case DEACTIVATE_KEY -> "would deactivate access key " + pre.accessKeyId() + " of IAM user "
                    + pre.userName() + " (now " + pre.keyStatus() + "), leaving " + (pre.keyStatuses().size() - 1)
                    + " other key(s) as they are";
            case ATTACH_QUARANTINE_POLICY -> "would attach " + pre.quarantinePolicyArn();
            case DENY_OLDER_SESSIONS -> "would deny IAM user " + pre.userName() + "'s temporary credentials issued"
                    + " before the response time, in inline policy " + KeyQuarantiner.SESSION_DENY_POLICY;
            case REMOVE_CONSOLE_LOGIN -> !options.removeConsoleLogin()
                    ? "would keep the console password: turned off by policy (credentials.removeConsoleLogin)"
                    : pre.loginProfile() ? "would delete IAM user " + pre.userName() + "'s console password"
                    : "IAM user " + pre.userName() + " has no console password";
            default -> step.contract().description();
        };
    }
}
