package dev.quell.iam;

import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.LedgerRecord;
import dev.quell.core.log.Log;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.StepResult;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The ledger bookkeeping of a release: finding the containment to undo, and marking it released once every release
 * step is done. A release that finds the record already released changes nothing, so running it twice is safe.
 */
public final class ReleaseBook {

    private static final Log LOG = Log.of(ReleaseBook.class);

    private final String action;
    private final Ledger ledger;
    private final Clock clock;

    public ReleaseBook(String action, Ledger ledger, Clock clock) {
        this.action = action;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Returns the ledger record of the containment to release, which may already be released.
     *
     * @throws ReleaseRejectedException when the ledger has no containment of this action for the finding, when the
     *     containment is still in progress, or when it recorded no pre-state because it changed nothing
     */
    public LedgerRecord containment(String findingKey) {
        LedgerRecord record = ledger.find(findingKey, action).orElseThrow(() -> new ReleaseRejectedException(
                "no " + action + " containment for finding " + findingKey + " in ledger table " + ledger.table()
                        + ". Check the finding id, and that this action contained the finding"));
        if (LedgerRecord.IN_PROGRESS.equals(record.status())) {
            throw new ReleaseRejectedException(action + " on finding " + findingKey + " is still in progress (lease"
                    + " until " + record.leaseUntil() + "). Wait for it to finish, then release again");
        }
        if (record.preStateJson() == null && !LedgerRecord.RELEASED.equals(record.status())) {
            throw new ReleaseRejectedException(action + " on finding " + findingKey + " recorded no pre-state, so"
                    + " it changed nothing and there is nothing to release");
        }
        return record;
    }

    /** Returns whether the record is released already. */
    public static boolean released(LedgerRecord record) {
        return LedgerRecord.RELEASED.equals(record.status());
    }

    /** Returns the result of a release that found the containment already released, having changed nothing. */
    public ReleaseResult alreadyReleased(LedgerRecord record, String actor, String reason) {
        return logged(new ReleaseResult(record.findingKey(), action, record.resourceId(),
                ReleaseResult.Status.ALREADY_RELEASED, List.of(), "finding " + record.findingKey() + " was already"
                + " released from " + action + ", so nothing changed", actor, reason, clock.instant()));
    }

    /**
     * Marks the containment released when every step is done or skipped, and returns the result. When a step failed
     * the record keeps its status, so the release can run again.
     */
    public ReleaseResult finish(LedgerRecord record, List<StepResult> steps, String message, String actor,
            String reason) {
        boolean failed = steps.stream().anyMatch(StepResult::failed);
        ReleaseResult result = new ReleaseResult(record.findingKey(), action, record.resourceId(),
                failed ? ReleaseResult.Status.FAILED : ReleaseResult.Status.RELEASED, steps,
                failed ? "a release step failed, so the ledger record stays " + record.status() + " and the release"
                        + " can run again. " + message : message, actor, reason, clock.instant());
        if (!failed) {
            ledger.markStatus(record.findingKey(), action, LedgerRecord.RELEASED, ResponseBook.write(result));
        }
        return logged(result);
    }

    private ReleaseResult logged(ReleaseResult result) {
        LOG.info("release finished", result.findingKey(), Map.of("action", action, "status", result.status(),
                "resourceId", String.valueOf(result.resourceId()), "actor", String.valueOf(result.actor()),
                "reason", String.valueOf(result.reason())));
        return result;
    }
}
