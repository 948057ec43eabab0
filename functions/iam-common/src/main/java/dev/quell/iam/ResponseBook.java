package dev.quell.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.decision.Decision;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.finding.Finding;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.Claim;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.LedgerRecord;
import dev.quell.core.log.Log;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.TransientFailureException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The ledger and result bookkeeping every credential response shares: the results of repeats and concurrent runs,
 * recording the pre-state and steps, and completing and publishing the result.
 */
public final class ResponseBook {

    private static final Log LOG = Log.of(ResponseBook.class);

    private final String action;
    private final Ledger ledger;
    private final ResultPublisher publisher;
    private final Clock clock;

    public ResponseBook(String action, Ledger ledger, ResultPublisher publisher, Clock clock) {
        this.action = action;
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Returns the result for a finding an earlier run already contained. The result is published again only when
     * the finding was updated since, so a plain re-delivery sends no second notification.
     */
    public ResponseResult alreadyHandled(Finding finding, Decision decision, Claim claim, Instant started) {
        LedgerRecord earlier = claim.record();
        Decision handled = new Decision(decision.outcome(), "already handled: an earlier delivery of this finding"
                + " ran " + action + " (ledger status " + earlier.status() + ")", decision.playbook());
        ResponseResult result = new ResponseResult(finding, action, earlier.resourceId(), handled,
                Outcome.ALREADY_HANDLED, List.of(), preStateOf(earlier.preStateJson()), null, started,
                clock.instant());
        boolean newer = finding.updatedAt() != null && (earlier.findingUpdatedAt() == null
                || finding.updatedAt().isAfter(earlier.findingUpdatedAt()));
        if (newer) {
            publisher.publish(result);
        }
        return logged(result);
    }

    /** Returns the result for a finding another run is working on now. */
    public ResponseResult heldElsewhere(Finding finding, Decision decision, Claim claim, Instant started) {
        Decision heldDecision = new Decision(decision.outcome(), "another run holds the claim on this finding until "
                + claim.record().leaseUntil() + ", and that run finishes the work", decision.playbook());
        return logged(new ResponseResult(finding, action, null, heldDecision, Outcome.ALREADY_HANDLED, List.of(), null,
                null, started, clock.instant()));
    }

    /** Publishes a result that changed nothing (a plan or an ignore) and returns it. */
    public ResponseResult finish(ResponseResult result) {
        if (result.outcome() == Outcome.PLANNED || result.outcome() == Outcome.IGNORED) {
            publisher.publish(result);
        }
        return logged(result);
    }

    /** Deletes this run's new claim after a decision not to act, so a later delivery decides afresh. */
    public void abandonIfOwned(Claim claim, Finding finding, String owner) {
        if (claim != null && claim.kind() == Claim.Kind.NEW) {
            ledger.abandon(finding.dedupKey(), action, owner);
        }
    }

    /**
     * Deletes this run's new claim when reading the resource failed before any change, so a Lambda retry claims the
     * finding afresh instead of waiting out the lease. A failure to read or delete the claim is logged and does not
     * hide the original error, which the caller raises.
     */
    public void abandonAfterError(CompletableFuture<Claim> claim, Finding finding, String owner,
            RuntimeException error) {
        try {
            abandonIfOwned(claim.join(), finding, owner);
        } catch (RuntimeException e) {
            error.addSuppressed(e);
            LOG.error("could not drop the claim after a failed read", finding.id(), Map.of("action", action), e);
        }
    }

    /** Records the state before the first change, which release restores. */
    public void recordPreState(Finding finding, Object preState, String resourceId) {
        ledger.recordPreState(finding.dedupKey(), action, write(preState), resourceId);
    }

    /** Records one finished step, so a resumed run skips it. */
    public void recordStep(Finding finding, StepResult step) {
        ledger.recordStep(finding.dedupKey(), action, step.name(), write(step));
    }

    /** Returns the results of the steps an earlier run of this claim finished, by step name. */
    public static Map<String, StepResult> doneSteps(Claim claim) {
        Map<String, StepResult> done = new HashMap<>();
        claim.record().stepsJson().forEach((name, json) -> done.put(name, read(json, StepResult.class)));
        return done;
    }

    /**
     * Completes the claim with the result and publishes it. When a step failed on an error a retry may not meet,
     * the lease is released and the run raises instead, so the Lambda retry resumes from the ledger.
     *
     * @throws TransientFailureException when a step failed on throttling, a 5xx or no response
     */
    public ResponseResult complete(ResponseResult result) {
        if (result.steps().stream().anyMatch(Steps::isTransient)) {
            ledger.releaseLease(result.finding().dedupKey(), action);
            throw new TransientFailureException(action + " on " + result.resourceId() + " for finding "
                    + result.finding().id() + " stopped on a transient AWS error, and a retry resumes from the"
                    + " ledger", result);
        }
        ledger.complete(result.finding().dedupKey(), action, write(result));
        publisher.publish(result);
        return logged(result);
    }

    /**
     * Returns the outcome of a run: failed when the step that contains the threat failed, partial when another
     * step failed or verification found a mismatch, else contained.
     */
    public static Outcome outcomeOf(List<StepResult> steps, String containingStep, String verification) {
        boolean containmentFailed = steps.stream().anyMatch(step -> step.failed()
                && step.name().equals(containingStep));
        if (containmentFailed) {
            return Outcome.FAILED;
        }
        boolean anyFailed = steps.stream().anyMatch(StepResult::failed);
        return anyFailed || !Verification.VERIFIED.equals(verification) ? Outcome.PARTIAL : Outcome.CONTAINED;
    }

    /** Logs the result's outcome and reason, and returns it. */
    public ResponseResult logged(ResponseResult result) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("action", result.action());
        fields.put("outcome", result.outcome());
        fields.put("reason", result.decision().reason());
        fields.put("findingType", result.finding().type());
        if (result.resourceId() != null) {
            fields.put("resourceId", result.resourceId());
        }
        LOG.info("response finished", result.finding().id(), fields);
        return result;
    }

    /** Reads a value the ledger stored as JSON. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the ledger holds a " + type.getSimpleName() + " that is not valid JSON",
                    e);
        }
    }

    /** Writes a value as JSON for the ledger. */
    public static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static JsonNode preStateOf(String json) {
        return json == null ? null : read(json, JsonNode.class);
    }
}
