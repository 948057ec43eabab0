package dev.quell.notify;

/**
 * Raised when a delivery failed in a way a Lambda retry of the same event can fix: Slack rate-limited or
 * unreachable, Security Hub throttled, or another run holding the finding's notify record. Everything already
 * delivered is recorded in the ledger first, so the retry sends nothing twice.
 */
public final class NotifyRetryException extends RuntimeException {

    public NotifyRetryException(String message) {
        super(message);
    }
}
