package dev.quell.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.aws.AwsClients;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.log.Log;
import dev.quell.core.policy.NotifyOptions;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.notify.StubServer.Response;
import dev.quell.notify.securityhub.SecurityHubClients;
import dev.quell.notify.securityhub.SecurityHubUpdater;
import dev.quell.notify.slack.SlackCredentials;
import dev.quell.notify.slack.SlackSender;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class NotifyHandlerTest {

    private static final String TOKEN = "xoxb-9999-SECRETTOKEN";
    private static final String HOOK_PATH = "/services/T1/B1/SECRETHOOK";
    private static final String POSTED = "{\"ok\":true,\"channel\":\"C0SEC\",\"ts\":\"1700000000.000100\"}";

    private final AwsClients clients = new AwsClients(SeededAccount.credentials(),
            Optional.of(MotoServer.shared().endpoint()), SeededAccount.ACCOUNT, null);
    private final Ledger ledger = new Ledger(clients.client(DynamoDbClient::builder, SeededAccount.ACCOUNT,
            Region.EU_WEST_1), "notify-" + UUID.randomUUID(), Clock.systemUTC());
    private final List<Duration> waits = new ArrayList<>();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private StubServer slack;
    private StubServer hub;
    private SecurityHubClients hubClients;

    @BeforeEach
    void start() {
        ledger.createTableIfMissing();
        hub = StubServer.start(Response.json(200, "{\"ProcessedFindings\":[],\"UnprocessedFindings\":[]}"));
        hubClients = new SecurityHubClients(SeededAccount.credentials(), Optional.of(hub.uri("")));
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        Log.redirect(System.out);
        hubClients.close();
        hub.close();
        if (slack != null) {
            slack.close();
        }
    }

    @Test
    void sameEventTwice_sendsOnce() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"));
        NotifyHandler handler = new NotifyHandler(notifier(webhook()));
        byte[] event = event(Results.contained(Results.instanceFinding()));

        JsonNode first = run(handler, event);
        JsonNode second = run(handler, event);

        assertThat(slack.requests()).hasSize(1);
        assertThat(hub.requests()).hasSize(1);
        assertThat(first.path("slack").asText()).isEqualTo("sent");
        assertThat(first.path("securityHub").asText()).isEqualTo("updated: NOTIFIED");
        assertThat(second.path("slack").asText()).isEqualTo("sent");
        assertThat(second.path("securityHub").asText()).isEqualTo("updated: NOTIFIED");
        assertThat(hub.requests().get(0).method()).isEqualTo("PATCH");
    }

    @Test
    void laterResults_threadUnderFirstMessage() throws Exception {
        slack = StubServer.start(Response.json(200, POSTED));
        NotifyHandler handler = new NotifyHandler(notifier(bot()));
        Finding finding = Results.instanceFinding();

        run(handler, event(Results.withOutcome(finding, Outcome.PLANNED)));
        run(handler, event(later(Results.contained(finding), 60)));

        assertThat(slack.requests()).hasSize(2);
        JsonNode first = Json.mapper().readTree(slack.requests().get(0).body());
        JsonNode second = Json.mapper().readTree(slack.requests().get(1).body());
        assertThat(first.has("thread_ts")).isFalse();
        assertThat(second.path("thread_ts").asText()).isEqualTo("1700000000.000100");
        assertThat(second.path("reply_broadcast").asBoolean()).isTrue();
        assertThat(second.path("channel").asText()).isEqualTo("#security");
    }

    @Test
    void slackOutage_isRetriedWithoutRepeats() throws Exception {
        slack = StubServer.start(Response.of(200, "ok")).then(Response.of(503, "unavailable"));
        NotifyHandler handler = new NotifyHandler(notifier(webhook()));
        byte[] event = event(Results.contained(Results.instanceFinding()));

        assertThatThrownBy(() -> run(handler, event)).isInstanceOf(NotifyRetryException.class)
                .hasMessageContaining("Slack retry: Slack returned HTTP 503");
        JsonNode retried = run(handler, event);
        run(handler, event);

        assertThat(slack.requests()).hasSize(2);
        assertThat(hub.requests()).hasSize(1);
        assertThat(retried.path("slack").asText()).isEqualTo("sent");
    }

    @Test
    void rejectedMessage_sendsFallbackOnce() throws Exception {
        slack = StubServer.start(Response.of(200, "ok")).then(Response.of(400, "invalid_blocks"));
        NotifyHandler handler = new NotifyHandler(notifier(webhook()));
        byte[] event = event(Results.contained(Results.instanceFinding()));

        JsonNode first = run(handler, event);
        run(handler, event);

        assertThat(slack.requests()).hasSize(2);
        assertThat(Json.mapper().readTree(slack.requests().get(1).body()).has("blocks")).isFalse();
        assertThat(first.path("slack").asText()).startsWith("sent fallback: full message rejected (HTTP 400");
    }

    @Test
    void fallbackRejected_isRecordedNotRetried() throws Exception {
        slack = StubServer.start(Response.of(403, "action_prohibited"));
        NotifyHandler handler = new NotifyHandler(notifier(webhook()));
        byte[] event = event(Results.contained(Results.instanceFinding()));

        JsonNode first = run(handler, event);
        run(handler, event);

        assertThat(first.path("slack").asText()).startsWith("rejected: ");
        assertThat(slack.requests()).hasSize(2);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("Slack delivery failed");
    }

    @Test
    void unfinishedSend_isNotRepeated() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"));
        ResponseResult result = Results.contained(Results.instanceFinding());
        String key = DeliveryLedger.responseKey(result);
        ledger.claim(result.finding().dedupKey(), DeliveryLedger.ACTION, "earlier", Duration.ZERO, null);
        ledger.putAttribute(result.finding().dedupKey(), DeliveryLedger.ACTION, "slack:" + key, "sending");

        JsonNode output = run(new NotifyHandler(notifier(webhook())), event(result));

        assertThat(slack.requests()).isEmpty();
        assertThat(output.path("slack").asText()).isEqualTo("sending");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("recorded no outcome; not posting again");
    }

    @Test
    void heldRecord_raisesRetryAfterWaiting() {
        slack = StubServer.start(Response.of(200, "ok"));
        ResponseResult result = Results.contained(Results.instanceFinding());
        ledger.claim(result.finding().dedupKey(), DeliveryLedger.ACTION, "other-run", Duration.ofMinutes(5), null);

        assertThatThrownBy(() -> run(new NotifyHandler(notifier(webhook())), event(result)))
                .isInstanceOf(NotifyRetryException.class)
                .hasMessageContaining("another notify run holds finding");
        assertThat(slack.requests()).isEmpty();
        assertThat(waits).isNotEmpty();
    }

    @Test
    void securityHubThrottling_isRetriedWithoutSlackRepeat() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"));
        hub.answerAlways(new Response(429, Map.of("x-amzn-ErrorType", "LimitExceededException"),
                "{\"Message\":\"Rate exceeded\"}"));
        NotifyHandler handler = new NotifyHandler(notifier(webhook()));
        byte[] event = event(Results.contained(Results.instanceFinding()));

        assertThatThrownBy(() -> run(handler, event)).isInstanceOf(NotifyRetryException.class)
                .hasMessageContaining("Security Hub retry: LimitExceededException");
        int throttledCalls = hub.requests().size();
        hub.answerAlways(Response.json(200, "{\"ProcessedFindings\":[],\"UnprocessedFindings\":[]}"));
        JsonNode retried = run(handler, event);

        assertThat(slack.requests()).hasSize(1);
        assertThat(hub.requests()).hasSize(throttledCalls + 1);
        assertThat(retried.path("securityHub").asText()).isEqualTo("updated: NOTIFIED");
    }

    @Test
    void suppressedFinding_isLeftAlone() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"));
        Finding suppressed = Results.finding(Results.FINDING_ID, Finding.Source.GUARDDUTY, "Backdoor:EC2/X", "t",
                "d", List.of(), Indicators.NONE, false, "SUPPRESSED");

        JsonNode output = run(new NotifyHandler(notifier(webhook())), event(Results.contained(suppressed)));

        assertThat(hub.requests()).isEmpty();
        assertThat(output.path("securityHub").asText()).contains("SUPPRESSED");
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void verifiedContainment_resolvesWhenPolicySays() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"));
        Notifier notifier = new Notifier(Optional.of(webhook()), new SecurityHubUpdater(hubClients, waits::add),
                deliveries(), new NotifyOptions(true, Map.of()));

        run(new NotifyHandler(notifier), event(Results.contained(Results.instanceFinding())));

        JsonNode body = Json.mapper().readTree(hub.requests().get(0).body());
        assertThat(body.path("Workflow").path("Status").asText()).isEqualTo("RESOLVED");
    }

    @Test
    void foreignEvent_isRejectedWithoutRetry() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"));
        NotifyHandler handler = new NotifyHandler(notifier(webhook()));
        ObjectNode foreign = (ObjectNode) Json.mapper().readTree(event(Results.contained(Results.instanceFinding())));
        foreign.put("source", "aws.guardduty");
        ObjectNode noFinding = Json.mapper().createObjectNode().put("id", "evt-3").put("source", "quell")
                .put("detail-type", "Response Completed");
        noFinding.putObject("detail").put("action", "isolate-instance");

        for (byte[] input : List.of(Json.mapper().writeValueAsBytes(foreign), "not json".getBytes(),
                Json.mapper().writeValueAsBytes(noFinding))) {
            assertThat(run(handler, input).path("status").asText()).isEqualTo("rejected");
        }
        assertThat(slack.requests()).isEmpty();
        assertThat(hub.requests()).isEmpty();
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("event rejected", "evt-3");
    }

    @Test
    void secrets_neverReachLogs() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"))
                .then(Response.of(400, "invalid_blocks"), Response.of(200, "ok"), Response.of(500, "oops"));
        NotifyHandler webhookHandler = new NotifyHandler(notifier(webhook()));
        NotifyHandler botHandler = new NotifyHandler(notifier(bot()));
        byte[] event = event(Results.contained(Results.instanceFinding()));

        run(webhookHandler, event);
        assertThatThrownBy(() -> run(botHandler, event(later(Results.contained(Results.instanceFinding()), 5))))
                .isInstanceOf(NotifyRetryException.class);

        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).isNotEmpty().doesNotContain(TOKEN).doesNotContain("SECRETHOOK");
        assertThat(webhook().toString()).doesNotContain("SECRETHOOK");
        assertThat(bot().toString()).doesNotContain(TOKEN);
    }

    private Notifier notifier(SlackSender sender) {
        return new Notifier(Optional.of(sender), new SecurityHubUpdater(hubClients, waits::add), deliveries(),
                NotifyOptions.DEFAULT);
    }

    private DeliveryLedger deliveries() {
        return new DeliveryLedger(ledger, Duration.ofSeconds(30), Duration.ofSeconds(1), waits::add);
    }

    private SlackSender webhook() {
        return new SlackSender(SlackCredentials.Webhook.of(slack.uri(HOOK_PATH).toString(), "test"), null,
                SlackSender.defaultClient(), SlackSender.RetryOptions.DEFAULT, waits::add);
    }

    private SlackSender bot() {
        return new SlackSender(SlackCredentials.BotToken.of(TOKEN, "#security", "test"), slack.uri("/api/"),
                SlackSender.defaultClient(), SlackSender.RetryOptions.DEFAULT, waits::add);
    }

    private static ResponseResult later(ResponseResult result, long seconds) {
        return new ResponseResult(result.finding(), result.action(), result.resourceId(), result.decision(),
                result.outcome(), result.steps(), result.preState(), result.verification(),
                result.startedAt().plusSeconds(seconds), result.finishedAt().plusSeconds(seconds));
    }

    static byte[] event(ResponseResult result) throws Exception {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", result.detailType());
        event.put("source", "quell");
        event.put("account", Results.ACCOUNT);
        event.put("time", "2026-12-01T10:05:05Z");
        event.put("region", Results.REGION);
        event.putArray("resources");
        event.set("detail", Json.mapper().valueToTree(result));
        return Json.mapper().writeValueAsBytes(event);
    }

    static JsonNode run(NotifyHandler handler, byte[] event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output, null);
        return Json.mapper().readTree(output.toByteArray());
    }
}
