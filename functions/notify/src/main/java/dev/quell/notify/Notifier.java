package dev.quell.notify;

import dev.quell.core.finding.Finding;
import dev.quell.core.log.Log;
import dev.quell.core.policy.NotifyOptions;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.notify.securityhub.FindingChange;
import dev.quell.notify.securityhub.FindingIdentifier;
import dev.quell.notify.securityhub.SecurityHubUpdater;
import dev.quell.notify.slack.Delivery;
import dev.quell.notify.slack.SlackMessage;
import dev.quell.notify.slack.SlackSender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reports one response result in Slack and on the Security Hub finding, each at most once per response.
 *
 * <p>Per response and channel the ledger keeps a state. Slack's is written as {@code sending} before the request
 * and replaced by the outcome after it, so a retry never posts twice: a run that died between the two leaves
 * {@code sending}, and the retry logs that the outcome is unknown instead of posting again. The cost is that such a
 * message may be lost; a repeated alert was judged worse, because Slack cannot take one back. One repeat remains
 * possible: an HTTP 5xx from Slack counts as not posted, so if Slack posted the message and still failed, the retry
 * posts it again. Security Hub's update sets the same values when repeated, so its state is written only after the
 * call.
 *
 * <p>Delivery failures never fail a containment, which has finished before this runs. A failure that a retry can
 * fix (rate limit, server error, no connection, the record held by another run) is recorded as {@code retry: ...}
 * and raised as {@link NotifyRetryException} once both channels were tried, so Lambda retries the event. Any other
 * failure is recorded and logged, and the event counts as handled.
 */
public final class Notifier {

    static final String SENDING = "sending";
    static final String RETRY_PREFIX = "retry: ";

    private static final Log LOG = Log.of(Notifier.class);

    private final Optional<SlackSender> slack;
    private final SecurityHubUpdater securityHub;
    private final DeliveryLedger ledger;
    private final NotifyOptions options;

    /**
     * @param slack the Slack sender, or empty when no Slack secret is configured
     */
    public Notifier(Optional<SlackSender> slack, SecurityHubUpdater securityHub, DeliveryLedger ledger,
            NotifyOptions options) {
        this.slack = slack;
        this.securityHub = securityHub;
        this.ledger = ledger;
        this.options = options;
    }

    /**
     * Delivers the result to Slack and Security Hub, skipping what an earlier run already delivered.
     *
     * @param owner who runs the delivery, kept in the ledger (the Lambda request id)
     * @throws NotifyRetryException when a delivery failed in a way a retry can fix, after recording the rest
     */
    public NotifyReport notify(ResponseResult result, String owner) {
        Finding finding = result.finding();
        String key = DeliveryLedger.responseKey(result);
        Map<String, String> record = ledger.lock(finding.dedupKey(), owner, finding.updatedAt());
        String slackState;
        String hubState;
        try {
            slackState = deliverToSlack(result, key, record);
            hubState = updateSecurityHub(result, key, record);
        } finally {
            ledger.unlock(finding.dedupKey());
        }
        NotifyReport report = new NotifyReport(key, slackState, hubState);
        LOG.info("result reported", finding.id(), Map.of("response", key, "slack", slackState,
                "securityHub", hubState));
        if (report.retryable()) {
            throw new NotifyRetryException("delivery of response " + key + " for finding " + finding.id()
                    + " failed in a way a retry may fix: Slack " + slackState + "; Security Hub " + hubState);
        }
        return report;
    }

    private String deliverToSlack(ResponseResult result, String key, Map<String, String> record) {
        String name = "slack:" + key;
        String earlier = record.get(name);
        if (slack.isEmpty()) {
            return "not configured";
        }
        if (earlier != null && !earlier.startsWith(RETRY_PREFIX)) {
            logEarlierSlackState(result, key, earlier);
            return earlier;
        }
        SlackSender sender = slack.get();
        String findingKey = result.finding().dedupKey();
        String threadTs = threadOf(sender, record);
        ledger.put(findingKey, name, SENDING);
        Delivery delivery = sender.deliver(SlackMessage.render(result, options.accountAliases()),
                () -> SlackMessage.fallback(result, options.accountAliases(), null), threadTs, changed(result),
                result.finding().id());
        String state = stateOf(delivery);
        ledger.put(findingKey, name, state);
        if (delivery.delivered() && threadTs == null && sender.threads() && delivery.ts() != null) {
            ledger.put(findingKey, DeliveryLedger.THREAD_TS, delivery.ts());
            ledger.put(findingKey, DeliveryLedger.THREAD_CHANNEL, sender.channel().orElseThrow());
        }
        logSlack(result, key, delivery);
        return state;
    }

    private String updateSecurityHub(ResponseResult result, String key, Map<String, String> record) {
        String name = "securityhub:" + key;
        String earlier = record.get(name);
        if (earlier != null && !earlier.startsWith(RETRY_PREFIX)) {
            return earlier;
        }

        String findingKey = result.finding().dedupKey();
        String skip = FindingChange.reasonToSkip(result);
        Optional<FindingIdentifier> target = FindingIdentifier.of(result.finding());
        if (skip == null && target.isEmpty()) {
            skip = "the finding carries no Security Hub identifiers and no GuardDuty finding ARN";
        }
        if (skip != null) {
            String state = "skipped: " + skip;
            ledger.put(findingKey, name, state);
            return state;
        }

        FindingChange change = FindingChange.of(result, options.resolveWhenVerified());
        SecurityHubUpdater.UpdateReport report = securityHub.update(target.get().region(), List.of(target.get()),
                change, result.finding().id());
        String state = report.complete() ? "updated: " + change.status()
                : (report.retryable() ? RETRY_PREFIX : "failed: ") + report.failed().values().iterator().next();
        ledger.put(findingKey, name, state);

        if (!report.complete()) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("response", key);
            fields.put("errorCode", report.failed().values().iterator().next());
            fields.put("retryable", report.retryable());
            LOG.warn("Security Hub did not update the finding", result.finding().id(), fields);
        }
        return state;
    }

    /** Returns the thread to reply under: the finding's first message, when it went to the same channel. */
    private static String threadOf(SlackSender sender, Map<String, String> record) {
        if (!sender.threads()) {
            return null;
        }
        String channel = record.get(DeliveryLedger.THREAD_CHANNEL);
        return channel != null && channel.equals(sender.channel().orElse(null))
                ? record.get(DeliveryLedger.THREAD_TS) : null;
    }

    /** Returns whether the response changed something, which a threaded reply also shows in the channel. */
    private static boolean changed(ResponseResult result) {
        return result.outcome() == Outcome.CONTAINED || result.outcome() == Outcome.PARTIAL
                || result.outcome() == Outcome.FAILED;
    }

    private static String stateOf(Delivery delivery) {
        return switch (delivery.status()) {
            case SENT -> "sent";
            case SENT_FALLBACK -> "sent fallback: " + delivery.detail();
            case REJECTED -> "rejected: " + delivery.detail();
            case RETRYABLE -> RETRY_PREFIX + delivery.detail();
            case UNKNOWN -> "unknown: " + delivery.detail();
        };
    }

    private static void logEarlierSlackState(ResponseResult result, String key, String earlier) {
        if (SENDING.equals(earlier)) {
            LOG.warn("an earlier run started posting this response to Slack and recorded no outcome; not posting"
                    + " again, so the message may be missing", result.finding().id(), Map.of("response", key));
        }
    }

    private static void logSlack(ResponseResult result, String key, Delivery delivery) {
        if (delivery.status() == Delivery.Status.SENT) {
            return;
        }
        Map<String, Object> fields = Map.of("response", key, "status", delivery.status(), "detail",
                delivery.detail());
        if (delivery.status() == Delivery.Status.SENT_FALLBACK || delivery.status() == Delivery.Status.RETRYABLE) {
            LOG.warn("Slack did not take the full message", result.finding().id(), fields);
        } else {
            LOG.error("Slack delivery failed", result.finding().id(), fields, null);
        }
    }

    /**
     * The states one run recorded for a response.
     *
     * @param responseKey the response's key in the ledger: action and start time
     * @param slack the Slack state, for example {@code sent} or {@code rejected: HTTP 400 invalid_blocks}
     * @param securityHub the Security Hub state, for example {@code updated: NOTIFIED}
     */
    public record NotifyReport(String responseKey, String slack, String securityHub) {

        public boolean retryable() {
            return slack.startsWith(RETRY_PREFIX) || securityHub.startsWith(RETRY_PREFIX);
        }
    }
}
