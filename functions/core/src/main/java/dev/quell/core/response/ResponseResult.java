package dev.quell.core.response;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.decision.Decision;
import dev.quell.core.finding.Finding;
import java.time.Instant;
import java.util.List;

/**
 * The full account of one response: the finding, the decision, each step, and the state before the change. This
 * is the detail of the {@code Response Completed} and {@code Response Planned} events.
 *
 * @param action the action, for example {@code isolate-instance}
 * @param resourceId the resource acted on, for example the instance id
 * @param preState the resource's state before Quell changed it, as recorded in the ledger, or {@code null}
 * @param verification the post-state check: {@code verified}, a description of the mismatch, or {@code null}
 */
public record ResponseResult(
        Finding finding,
        String action,
        String resourceId,
        Decision decision,
        Outcome outcome,
        List<StepResult> steps,
        JsonNode preState,
        String verification,
        Instant startedAt,
        Instant finishedAt) {

    public ResponseResult {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** Returns whether any step failed. */
    public boolean anyStepFailed() {
        return steps.stream().anyMatch(StepResult::failed);
    }

    /** Returns the detail-type under which the result is published. */
    public String detailType() {
        return outcome == Outcome.PLANNED ? "Response Planned" : "Response Completed";
    }
}
