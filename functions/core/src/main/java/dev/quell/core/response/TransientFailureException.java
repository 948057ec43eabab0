package dev.quell.core.response;

/**
 * Raised when a response stopped on an error that survived the SDK's retries but may pass (throttling, a 5xx,
 * no answer). The Lambda handler lets it propagate so Lambda retries the event; the retry resumes from the ledger.
 */
public final class TransientFailureException extends RuntimeException {

    private final transient ResponseResult partial;

    public TransientFailureException(String message, ResponseResult partial) {
        super(message);
        this.partial = partial;
    }

    /** The result so far, with the failed steps and their error codes. */
    public ResponseResult partial() {
        return partial;
    }
}
