package dev.quell.isolate;

import dev.quell.core.decision.Decision;
import dev.quell.core.decision.InstanceDecider;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.json.Json;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the results of responses that change nothing: plans, which list the steps, and ignores, which do not. */
final class Plans {

    private static final String ACTION = InstanceDecider.ACTION;

    private Plans() {
    }

    /** Returns the result of a decision made from the finding alone, before any API call. */
    static ResponseResult withoutState(Finding finding, Decision decision, Instant started, Instant finished) {
        return withState(finding, decision, null, started, finished);
    }

    /** Returns the result of a decision made with the instance's live state, or {@code null} when it is unknown. */
    static ResponseResult withState(Finding finding, Decision decision, PreState pre, Instant started,
            Instant finished) {
        String instanceId = pre != null ? pre.instanceId()
                : finding.resource(AffectedResource.Instance.class).map(AffectedResource.Instance::instanceId)
                        .orElse(null);
        boolean plan = decision.outcome() == Decision.Outcome.PLAN;
        return new ResponseResult(finding, ACTION, instanceId, decision,
                plan ? Outcome.PLANNED : Outcome.IGNORED, plan ? steps(pre) : List.of(),
                pre == null ? null : Json.mapper().valueToTree(pre), null, started, finished);
    }

    private static List<StepResult> steps(PreState pre) {
        List<StepResult> steps = new ArrayList<>();
        for (IsolationStep step : IsolationStep.values()) {
            if (step.contract().mutating()) {
                steps.add(StepResult.planned(step.stepName(), detail(step, pre)));
            }
        }
        return steps;
    }

    private static String detail(IsolationStep step, PreState pre) {
        if (pre == null) {
            return step.contract().description();
        }
        return switch (step) {
            case DETACH_AUTO_SCALING -> pre.autoScaling() == null ? "no Auto Scaling group: nothing to detach"
                    : "would detach from " + pre.autoScaling().groupName();
            case DEREGISTER_TARGETS -> pre.targetGroups().isEmpty() ? "no target group: nothing to deregister"
                    : "would deregister from " + pre.targetGroups().size() + " target group(s)";
            case SWAP_SECURITY_GROUPS -> "would move " + pre.interfaceGroups().keySet()
                    + " to the all-allow group, then to the isolation group";
            case REVOKE_INSTANCE_CREDENTIALS -> pre.profile() == null ? "no instance profile: nothing to revoke"
                    : "would deny credentials issued to " + pre.instanceId() + " on role(s) "
                    + pre.profile().roleNames() + " and disassociate " + pre.profile().profileArn();
            case SNAPSHOT_VOLUMES -> "would snapshot " + pre.volumeIds();
            default -> step.contract().description();
        };
    }
}
