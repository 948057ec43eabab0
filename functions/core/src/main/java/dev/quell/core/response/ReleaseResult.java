package dev.quell.core.response;

import java.time.Instant;
import java.util.List;

/**
 * The account of one release: undoing a containment from the state the ledger recorded before it.
 *
 * @param findingKey the finding's deduplication key, as the ledger keys the containment
 * @param action the containment action released, for example {@code quarantine-access-key}
 * @param resourceId the resource restored, for example the access key id or the role name
 * @param steps each release step, in order
 * @param message what the release did, or what is left for a person to do, in a sentence
 * @param actor who released, as given by the caller, kept in the ledger
 * @param reason why the release was asked for, as given by the caller, kept in the ledger
 */
public record ReleaseResult(
        String findingKey,
        String action,
        String resourceId,
        Status status,
        List<StepResult> steps,
        String message,
        String actor,
        String reason,
        Instant releasedAt) {

    public ReleaseResult {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** The end state of a release. */
    public enum Status {
        /** Every release step is done, and the ledger record is marked released. */
        RELEASED,
        /** An earlier release finished, so this one changed nothing. */
        ALREADY_RELEASED,
        /** A release step failed; the ledger record keeps its status, so running the release again retries. */
        FAILED
    }
}
