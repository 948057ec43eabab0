package dev.quell.notify.slack;

/**
 * The outcome of one attempt to post a message to Slack.
 *
 * @param channel the channel id Slack posted to, when a bot token posted; else {@code null}
 * @param ts the message's timestamp id, which later replies thread under, when a bot token posted; else
 *     {@code null}
 * @param detail Slack's response or what failed, with secrets redacted
 */
public record Delivery(Status status, String channel, String ts, String detail) {

    /** Whether the message reached Slack. */
    public enum Status {
        /** Slack accepted the full message. */
        SENT,
        /** Slack rejected the full message and accepted the short fallback. */
        SENT_FALLBACK,
        /** Slack rejected the message, and the fallback too when one was sent: retrying cannot help. */
        REJECTED,
        /** Slack did not take the message (rate limit, server error, no connection): a later retry may. */
        RETRYABLE,
        /** The request may or may not have reached Slack (a timeout after sending): sending again may repeat it. */
        UNKNOWN
    }

    static Delivery sent(String channel, String ts) {
        return new Delivery(Status.SENT, channel, ts, "sent");
    }

    static Delivery of(Status status, String detail) {
        return new Delivery(status, null, null, detail);
    }

    public boolean delivered() {
        return status == Status.SENT || status == Status.SENT_FALLBACK;
    }
}
