package dev.quell.core.response;

/**
 * Raised when a release cannot run: the ledger has no containment for the finding and action, the containment is
 * still in progress, or the resource it changed no longer exists. The message names the cause and the next step.
 */
public final class ReleaseRejectedException extends RuntimeException {

    public ReleaseRejectedException(String message) {
        super(message);
    }
}
