package dev.quell.revoke;

import dev.quell.core.decision.Decision;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.json.Json;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import java.time.Instant;
import java.util.List;

/** Builds the results of role responses that change nothing: plans, which list the deny step, and ignores. */
final class RolePlans {

    private RolePlans() {
    }

    /** Returns the result of a decision made with the role's live state, or {@code null} when it is unknown. */
    static ResponseResult of(Finding finding, DenyKind kind, Decision decision, RolePreState pre, Instant started,
            Instant finished) {
        String role = pre != null ? pre.roleName()
                : finding.resource(AffectedResource.AccessKey.class).map(AffectedResource.AccessKey::userName)
                        .orElse(null);
        boolean plan = decision.outcome() == Decision.Outcome.PLAN;
        List<StepResult> steps = plan ? List.of(StepResult.planned(kind.step().stepName(), detail(kind, pre)))
                : List.of();
        return new ResponseResult(finding, kind.action(), role, decision, plan ? Outcome.PLANNED : Outcome.IGNORED,
                steps, pre == null ? null : Json.mapper().valueToTree(pre), null, started, finished);
    }

    private static String detail(DenyKind kind, RolePreState pre) {
        if (pre == null) {
            return kind.step().contract().description();
        }
        String radius = pre.blastRadius() == null ? "" : ". The role is used by " + pre.blastRadius().describe();
        return "would deny " + kind.describe(pre) + ", in inline policy " + pre.denyPolicyName() + radius;
    }
}
