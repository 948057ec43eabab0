package dev.quell.notify;

import dev.quell.core.ledger.Claim;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.response.ResponseResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The notify function's record of what it delivered for a finding, kept in the Quell ledger under the finding's
 * key and the action {@value #ACTION}: the Slack thread of the finding, and one state per response and channel.
 *
 * <p>The record doubles as a lock. {@link #lock} claims it with a lease, so only one notify run works on a finding
 * at a time and two deliveries of the same event cannot both send. The record stays {@code IN_PROGRESS} for good;
 * {@link #unlock} only ends the lease.
 */
public final class DeliveryLedger {

    /** The ledger action (sort key) of the notify record. */
    public static final String ACTION = "notify";

    /** The attribute that keeps the {@code ts} of the finding's first Slack message. */
    static final String THREAD_TS = "slack:threadTs";
    /** The attribute that keeps the channel the first message went to; replies thread only in that channel. */
    static final String THREAD_CHANNEL = "slack:threadChannel";

    private static final Duration POLL = Duration.ofMillis(500);

    private final Ledger ledger;
    private final Duration lease;
    private final Duration maxWait;
    private final Sleeper sleeper;

    /**
     * @param lease how long a run holds the record; at least the notify function's timeout
     * @param maxWait how long to wait for another run's lease before giving up with a retryable error
     */
    public DeliveryLedger(Ledger ledger, Duration lease, Duration maxWait, Sleeper sleeper) {
        this.ledger = ledger;
        this.lease = lease;
        this.maxWait = maxWait;
        this.sleeper = sleeper;
    }

    /** Returns the key that identifies a response: its action and start time. */
    public static String responseKey(ResponseResult result) {
        String action = result.action() == null ? "response" : result.action();
        Instant started = result.startedAt() != null ? result.startedAt() : result.finishedAt();
        return action + "@" + (started == null ? "unknown-time" : started.toString());
    }

    /**
     * Claims the finding's notify record and returns its attributes.
     *
     * @throws NotifyRetryException when another run still holds the record after the maximum wait
     */
    public Map<String, String> lock(String findingKey, String owner, Instant findingUpdatedAt) {
        Duration waited = Duration.ZERO;
        while (true) {
            Claim claim = ledger.claim(findingKey, ACTION, owner, lease, findingUpdatedAt);
            if (claim.owned()) {
                return new HashMap<>(claim.record().attributes());
            }
            if (waited.compareTo(maxWait) >= 0) {
                throw new NotifyRetryException("another notify run holds finding " + findingKey + " until "
                        + claim.record().leaseUntil() + "; a retry delivers this result");
            }
            try {
                sleeper.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotifyRetryException("interrupted while waiting for the notify record of finding "
                        + findingKey);
            }
            waited = waited.plus(POLL);
        }
    }

    /** Records one attribute on the finding's notify record. */
    public void put(String findingKey, String name, String value) {
        ledger.putAttribute(findingKey, ACTION, name, value);
    }

    /** Ends this run's lease, so the next run for the finding claims the record at once. */
    public void unlock(String findingKey) {
        ledger.releaseLease(findingKey, ACTION);
    }
}
