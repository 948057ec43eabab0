package dev.quell.core.response;

/** Undoes a containment from the pre-state the ledger recorded for it. */
public interface Releaser {

    /** The containment action this releases, for example {@code isolate-instance}. */
    String action();

    /**
     * Restores the resource the action changed for a finding, and records the release in the ledger.
     *
     * @param findingKey the finding's deduplication key (its id)
     * @param actor who asked for the release, kept in the ledger
     * @param reason why, kept in the ledger
     * @throws ReleaseRejectedException when there is nothing to release, the work is still in progress, or the
     *     resource changed since so that restoring it would be wrong
     */
    ReleaseResult release(String findingKey, String actor, String reason);
}
