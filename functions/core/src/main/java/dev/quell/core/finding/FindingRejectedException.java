package dev.quell.core.finding;

/**
 * Raised when an input is not something Quell can act on: malformed JSON, an event that is not a finding, or a
 * finding without the fields every response needs. The reason says which, and the message names the value.
 */
public final class FindingRejectedException extends RuntimeException {

    private final Reason reason;

    public FindingRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FindingRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Why an input was rejected. */
    public enum Reason {
        /** The input is not valid JSON, or is empty. */
        MALFORMED_JSON,
        /** The JSON is valid but its shape is none that Quell reads (an array, a string, {@code {}}). */
        UNRECOGNISED_SHAPE,
        /** An EventBridge event whose source or detail-type carries no findings (Insight Results, schedules). */
        NOT_A_FINDING_EVENT,
        /** An EventBridge finding event whose {@code detail} is missing, not an object, or holds no findings. */
        INVALID_DETAIL,
        /** A finding that lacks a field every response needs (id, type, account, region or severity). */
        MISSING_FIELD,
        /** A field holds a value of the wrong type or out of range. */
        INVALID_FIELD,
        /** A finding format Quell recognises but does not act on, such as an OCSF class other than 2002–2004. */
        UNSUPPORTED_FORMAT
    }
}
