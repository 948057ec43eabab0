package dev.quell.notify.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.json.Json;
import dev.quell.core.log.Log;
import dev.quell.core.response.ResponseResult;
import dev.quell.notify.Sleeper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Posts messages to Slack through an incoming webhook or {@code chat.postMessage}, with the JDK's HTTP client.
 *
 * <p>On HTTP 429 it waits as long as the {@code Retry-After} header requests and tries again, at most
 * {@link RetryOptions#maxRetries} times and {@link RetryOptions#maxTotalWait} in all. A server error or a refused
 * connection ends the attempt as {@link Delivery.Status#RETRYABLE}, for the caller to retry later. Any other
 * rejection ends it as {@link Delivery.Status#REJECTED}, after which {@link #deliver} sends the short fallback once.
 */
public final class SlackSender {

    /** The Slack Web API base that {@code chat.postMessage} is resolved against by default. */
    public static final URI DEFAULT_API_URL = URI.create("https://slack.com/api/");

    private static final Log LOG = Log.of(SlackSender.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final int DETAIL_LIMIT = 200;

    private final SlackCredentials credentials;
    private final URI endpoint;
    private final HttpClient http;
    private final RetryOptions retry;
    private final Sleeper sleeper;

    /**
     * @param apiBaseUrl the Web API base that {@code chat.postMessage} is resolved against; ignored for a webhook
     */
    public SlackSender(SlackCredentials credentials, URI apiBaseUrl, HttpClient http, RetryOptions retry,
            Sleeper sleeper) {
        this.credentials = credentials;
        this.endpoint = credentials instanceof SlackCredentials.Webhook webhook ? webhook.url()
                : withTrailingSlash(apiBaseUrl).resolve("chat.postMessage");
        this.http = http;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    /** Returns a sender with the default HTTP client, retry options and Web API base. */
    public static SlackSender of(SlackCredentials credentials, URI apiBaseUrl) {
        return new SlackSender(credentials, apiBaseUrl == null ? DEFAULT_API_URL : apiBaseUrl, defaultClient(),
                RetryOptions.DEFAULT, Sleeper.THREAD);
    }

    /**
     * Returns a sender that posts to an incoming webhook, for {@code quell respond --slack-webhook URL}.
     *
     * @throws IllegalArgumentException when the URL is not https (or http on a loopback address)
     */
    public static SlackSender forWebhook(String webhookUrl) {
        return of(SlackCredentials.Webhook.of(webhookUrl, "given on the command line"), null);
    }

    /** Returns an HTTP client that connects within 3 seconds and never follows redirects. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Returns whether replies can thread under an earlier message, which needs a bot token. */
    public boolean threads() {
        return credentials instanceof SlackCredentials.BotToken;
    }

    /** Returns the channel a bot token posts to, or empty for a webhook. */
    public Optional<String> channel() {
        return credentials instanceof SlackCredentials.BotToken bot ? Optional.of(bot.channel()) : Optional.empty();
    }

    /**
     * Renders the result and posts it as a new message, with the fallback when Slack rejects it. This is the one
     * call {@code quell respond --slack-webhook URL} needs; it keeps no ledger state, so each call posts again.
     */
    public Delivery report(ResponseResult result, Map<String, String> accountAliases) {
        String findingId = result.finding() == null ? null : result.finding().id();
        return deliver(SlackMessage.render(result, accountAliases),
                () -> SlackMessage.fallback(result, accountAliases, null), null, false, findingId);
    }

    /**
     * Posts the message, and once more as the fallback when Slack rejects it.
     *
     * @param fallback the short message to send after a rejection
     * @param threadTs the {@code ts} of the message to reply under, or {@code null}; used only with a bot token
     * @param broadcast whether a threaded reply also appears in the channel
     * @param correlationId the finding id, for the logs
     */
    public Delivery deliver(SlackMessage message, Supplier<SlackMessage> fallback, String threadTs,
            boolean broadcast, String correlationId) {
        Delivery first = send(message, threadTs, broadcast, correlationId);
        if (first.status() != Delivery.Status.REJECTED) {
            return first;
        }
        LOG.warn("Slack rejected the message; sending the short fallback", correlationId,
                Map.of("slackAnswer", first.detail()));
        Delivery second = send(fallback.get(), threadTs, broadcast, correlationId);
        if (second.delivered()) {
            return new Delivery(Delivery.Status.SENT_FALLBACK, second.channel(), second.ts(),
                    "full message rejected (" + first.detail() + "); fallback sent");
        }
        return new Delivery(second.status(), null, null, "full message rejected (" + first.detail()
                + "); fallback " + second.detail());
    }

    /** Posts one message, waiting out rate limits within the retry options. */
    public Delivery send(SlackMessage message, String threadTs, boolean broadcast, String correlationId) {
        String body = body(message, threadTs, broadcast);
        Duration waited = Duration.ZERO;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request(body), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpConnectTimeoutException | ConnectException e) {
                return Delivery.of(Delivery.Status.RETRYABLE, "could not connect to Slack: " + describe(e));
            } catch (IOException e) {
                return Delivery.of(Delivery.Status.UNKNOWN, "no answer from Slack after sending: " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Delivery.of(Delivery.Status.UNKNOWN, "interrupted while waiting for Slack");
            }
            Optional<Duration> rateLimited = rateLimit(response);
            if (rateLimited.isEmpty()) {
                return interpret(response);
            }
            Duration wait = rateLimited.get();
            if (attempt >= retry.maxRetries() || waited.plus(wait).compareTo(retry.maxTotalWait()) > 0) {
                return Delivery.of(Delivery.Status.RETRYABLE, "rate limited by Slack after " + (attempt + 1)
                        + " attempt(s); Retry-After " + wait.toSeconds() + " s");
            }
            LOG.warn("Slack rate limit; retrying", correlationId, Map.of("retryAfterSeconds", wait.toSeconds(),
                    "attempt", attempt + 1));
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Delivery.of(Delivery.Status.RETRYABLE, "interrupted while waiting out a Slack rate limit");
            }
            waited = waited.plus(wait);
        }
    }

    private HttpRequest request(String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (credentials instanceof SlackCredentials.BotToken bot) {
            builder.header("Authorization", "Bearer " + bot.token());
        }
        return builder.build();
    }

    private String body(SlackMessage message, String threadTs, boolean broadcast) {
        ObjectNode payload = message.payload();
        if (credentials instanceof SlackCredentials.BotToken bot) {
            payload.put("channel", bot.channel());
            if (threadTs != null) {
                payload.put("thread_ts", threadTs);
                payload.put("reply_broadcast", broadcast);
            }
        }
        try {
            return Json.mapper().writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a Slack message as JSON", e);
        }
    }

    /** Returns how long Slack requested to wait, when its response is a rate limit. */
    private static Optional<Duration> rateLimit(HttpResponse<String> response) {
        boolean limited = response.statusCode() == 429 || "ratelimited".equals(apiError(response).orElse(null));
        if (!limited) {
            return Optional.empty();
        }
        return Optional.of(response.headers().firstValue("Retry-After").map(SlackSender::seconds)
                .orElse(DEFAULT_RETRY_AFTER));
    }

    private static Duration seconds(String header) {
        try {
            long value = Long.parseLong(header.trim());
            return value < 0 ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(value);
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private Delivery interpret(HttpResponse<String> response) {
        int status = response.statusCode();
        String answer = excerpt(response.body());
        if (status >= 500) {
            return Delivery.of(Delivery.Status.RETRYABLE, "Slack returned HTTP " + status + " " + answer);
        }
        if (status >= 300) {
            return Delivery.of(Delivery.Status.REJECTED, "HTTP " + status + " " + answer);
        }
        if (!threads()) {
            return Delivery.sent(null, null);
        }
        Optional<JsonNode> json = parse(response.body());
        if (json.isEmpty()) {
            return Delivery.sent(null, null);
        }
        if (!json.get().path("ok").asBoolean(false)) {
            return Delivery.of(Delivery.Status.REJECTED, json.get().path("error").asText("error not given"));
        }
        return Delivery.sent(textOrNull(json.get(), "channel"), textOrNull(json.get(), "ts"));
    }

    private static Optional<String> apiError(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json")) {
            return Optional.empty();
        }
        return parse(response.body()).map(json -> json.path("error").asText(null));
    }

    private static Optional<JsonNode> parse(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body == null ? "" : body);
            return node == null || !node.isObject() ? Optional.empty() : Optional.of(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String textOrNull(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private String excerpt(String body) {
        String text = body == null ? "" : body.strip();
        return credentials.redact(text.length() > DETAIL_LIMIT ? text.substring(0, DETAIL_LIMIT) + "…" : text);
    }

    private String describe(Exception e) {
        return credentials.redact(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }

    private static URI withTrailingSlash(URI base) {
        String text = base.toString();
        return text.endsWith("/") ? base : URI.create(text + "/");
    }

    @Override
    public String toString() {
        return "SlackSender[" + credentials + "]";
    }

    /**
     * How long to keep retrying a rate-limited message.
     *
     * @param maxRetries the maximum number of retries after the first attempt
     * @param maxTotalWait the maximum time spent waiting in all; a {@code Retry-After} that would pass it ends the
     *     attempt as retryable instead of waiting
     */
    public record RetryOptions(int maxRetries, Duration maxTotalWait) {

        /** Three retries and at most 20 seconds of waiting in all. */
        public static final RetryOptions DEFAULT = new RetryOptions(3, Duration.ofSeconds(20));
    }
}
