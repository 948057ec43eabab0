package dev.quell.notify.slack;

import static dev.quell.notify.slack.SlackChecks.assertWithinLimits;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.json.Json;
import dev.quell.notify.Results;
import dev.quell.notify.StubServer;
import dev.quell.notify.StubServer.Response;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackSenderTest {

    private static final String TOKEN = "xoxb-test-token-0000";

    private final List<Duration> waits = new ArrayList<>();
    private StubServer slack;

    @AfterEach
    void stop() {
        if (slack != null) {
            slack.close();
        }
    }

    @Test
    void webhook_postsBlockKitJson() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"));

        Delivery delivery = webhook().send(message(), null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.SENT);
        assertThat(slack.requests()).hasSize(1);
        StubServer.Request request = slack.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/services/T000/B000/secret");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Authorization")).isNull();
        JsonNode body = Json.mapper().readTree(request.body());
        assertWithinLimits(body);
        assertThat(body.has("channel")).isFalse();
    }

    @Test
    void rateLimit_honoursRetryAfter() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"))
                .then(new Response(429, Map.of("Retry-After", "2"), "rate_limited"),
                        new Response(429, Map.of("Retry-After", "1"), "rate_limited"));

        Delivery delivery = webhook().send(message(), null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.SENT);
        assertThat(slack.requests()).hasSize(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(slack.requests()).extracting(StubServer.Request::body).containsOnly(slack.requests().get(0).body());
    }

    @Test
    void rateLimit_stopsAfterMaxRetries() {
        slack = StubServer.start(new Response(429, Map.of("Retry-After", "1"), "rate_limited"));

        Delivery delivery = webhook().send(message(), null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.RETRYABLE);
        assertThat(slack.requests()).hasSize(4);
        assertThat(waits).hasSize(3);
    }

    @Test
    void rateLimit_stopsWhenWaitExceedsBudget() {
        slack = StubServer.start(new Response(429, Map.of("Retry-After", "300"), "rate_limited"));

        Delivery delivery = webhook().send(message(), null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.RETRYABLE);
        assertThat(delivery.detail()).contains("Retry-After 300 s");
        assertThat(slack.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void badRequest_sendsOneFallback() throws Exception {
        slack = StubServer.start(Response.of(200, "ok")).then(Response.of(400, "invalid_blocks"));

        Delivery delivery = webhook().deliver(message(), this::fallback, null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.SENT_FALLBACK);
        assertThat(delivery.detail()).contains("HTTP 400 invalid_blocks");
        assertThat(slack.requests()).hasSize(2);
        JsonNode fallback = Json.mapper().readTree(slack.requests().get(1).body());
        assertThat(fallback.has("blocks")).isFalse();
        assertThat(fallback.path("text").asText()).contains("quell release " + Results.FINDING_ID);
    }

    @Test
    void rejectedFallback_givesUp() {
        slack = StubServer.start(Response.of(404, "no_service"));

        Delivery delivery = webhook().deliver(message(), this::fallback, null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.REJECTED);
        assertThat(slack.requests()).hasSize(2);
    }

    @Test
    void serverError_isRetryableWithoutFallback() {
        slack = StubServer.start(Response.of(503, "unavailable"));

        Delivery delivery = webhook().deliver(message(), this::fallback, null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.RETRYABLE);
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void refusedConnection_isRetryable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SlackSender sender = new SlackSender(SlackCredentials.Webhook.of("http://127.0.0.1:" + port + "/hook", "test"),
                null, SlackSender.defaultClient(), SlackSender.RetryOptions.DEFAULT, waits::add);

        Delivery delivery = sender.send(message(), null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.RETRYABLE);
        assertThat(delivery.detail()).doesNotContain("/hook");
    }

    @Test
    void botToken_postsToChannelInThread() throws Exception {
        slack = StubServer.start(Response.json(200, "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1712.0002\"}"));

        Delivery delivery = bot().send(message(), "1712.0001", true, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.SENT);
        assertThat(delivery.ts()).isEqualTo("1712.0002");
        assertThat(delivery.channel()).isEqualTo("C024BE91L");
        StubServer.Request request = slack.requests().get(0);
        assertThat(request.path()).isEqualTo("/api/chat.postMessage");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        JsonNode body = Json.mapper().readTree(request.body());
        assertThat(body.path("channel").asText()).isEqualTo("#security");
        assertThat(body.path("thread_ts").asText()).isEqualTo("1712.0001");
        assertThat(body.path("reply_broadcast").asBoolean()).isTrue();
        assertThat(body.toString()).doesNotContain(TOKEN);
    }

    @Test
    void botApiError_sendsFallback() {
        slack = StubServer.start(Response.json(200, "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"2.0\"}"))
                .then(Response.json(200, "{\"ok\":false,\"error\":\"invalid_blocks\"}"));

        Delivery delivery = bot().deliver(message(), this::fallback, null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.SENT_FALLBACK);
        assertThat(delivery.ts()).isEqualTo("2.0");
        assertThat(delivery.detail()).contains("invalid_blocks");
    }

    @Test
    void botRateLimitedError_isRetried() {
        slack = StubServer.start(Response.json(200, "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"3.0\"}"))
                .then(new Response(429, Map.of("Retry-After", "1", "Content-Type", "application/json"),
                        "{\"ok\":false,\"error\":\"ratelimited\"}"));

        Delivery delivery = bot().send(message(), null, false, "f-1");

        assertThat(delivery.status()).isEqualTo(Delivery.Status.SENT);
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void report_rendersAndPostsResult() throws Exception {
        slack = StubServer.start(Response.of(200, "ok"));

        Delivery delivery = webhook().report(Results.contained(Results.instanceFinding()), Map.of());

        assertThat(delivery.status()).isEqualTo(Delivery.Status.SENT);
        assertThat(slack.requests()).hasSize(1);
        assertWithinLimits(Json.mapper().readTree(slack.requests().get(0).body()));
    }

    @Test
    void toString_redactsSecrets() {
        slack = StubServer.start(Response.of(200, "ok"));

        assertThat(webhook().toString()).doesNotContain("secret", "/services/").contains("[redacted]");
        assertThat(bot().toString()).doesNotContain(TOKEN).contains("[redacted]", "#security");
    }

    private SlackSender webhook() {
        URI url = slack.uri("/services/T000/B000/secret");
        return new SlackSender(SlackCredentials.Webhook.of(url.toString(), "test"), null, SlackSender.defaultClient(),
                SlackSender.RetryOptions.DEFAULT, waits::add);
    }

    private SlackSender bot() {
        return new SlackSender(SlackCredentials.BotToken.of(TOKEN, "#security", "test"), slack.uri("/api"),
                SlackSender.defaultClient(), SlackSender.RetryOptions.DEFAULT, waits::add);
    }

    private static SlackMessage message() {
        return SlackMessage.render(Results.contained(Results.instanceFinding()));
    }

    private SlackMessage fallback() {
        return SlackMessage.fallback(Results.contained(Results.instanceFinding()), Map.of(), null);
    }
}
