package dev.quell.core.ledger;

import java.util.Optional;

/**
 * The result of claiming a finding and action in the ledger.
 *
 * @param kind whether this run owns the work, and from where it starts
 * @param record the ledger record as it stands after the claim attempt
 */
public record Claim(Kind kind, LedgerRecord record) {

    /** Whether this run may change resources, and from where. */
    public enum Kind {
        /** No earlier run: start from the beginning. */
        NEW,
        /** An earlier run stopped half-way and its lease ran out: resume from its recorded pre-state. */
        RESUME,
        /** An earlier run finished: change nothing. */
        COMPLETED,
        /** Another run holds a live lease on the work: change nothing now. */
        HELD_ELSEWHERE
    }

    public boolean owned() {
        return kind == Kind.NEW || kind == Kind.RESUME;
    }

    public Optional<LedgerRecord> existing() {
        return Optional.ofNullable(record);
    }
}
