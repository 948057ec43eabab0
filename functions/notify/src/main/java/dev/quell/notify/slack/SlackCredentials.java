package dev.quell.notify.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The credentials Quell posts to Slack with: an incoming webhook, or a bot token with a channel. Both are secrets, so
 * {@code toString} leaves them out and error messages never quote them.
 */
public sealed interface SlackCredentials {

    /** Returns the text with every secret value replaced by {@code [redacted]}, for logs and errors. */
    String redact(String text);

    /**
     * Reads credentials from a secret's JSON: {@code {"webhookUrl": "https://hooks.slack.com/..."}} or
     * {@code {"botToken": "xoxb-...", "channel": "C0123456789"}}.
     *
     * @param origin where the JSON came from, for example the secret's name, for error messages
     * @throws IllegalArgumentException naming the origin and the missing or invalid field, never its value
     */
    static SlackCredentials parse(String json, String origin) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            // The parser's message can quote the input, so it is not passed on.
            throw new IllegalArgumentException("Slack secret " + origin + " is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Slack secret " + origin + " must be a JSON object with webhookUrl,"
                    + " or with botToken and channel");
        }
        String webhookUrl = text(root, "webhookUrl");
        String botToken = text(root, "botToken");
        if (webhookUrl != null && botToken != null) {
            throw new IllegalArgumentException("Slack secret " + origin + " has both webhookUrl and botToken;"
                    + " keep one");
        }
        if (webhookUrl != null) {
            return Webhook.of(webhookUrl, origin);
        }
        if (botToken != null) {
            return BotToken.of(botToken, text(root, "channel"), origin);
        }
        throw new IllegalArgumentException("Slack secret " + origin + " has neither webhookUrl nor botToken");
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText().strip();
    }

    /** An incoming webhook URL, which posts to the one channel it was created for. */
    record Webhook(URI url) implements SlackCredentials {

        private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

        /**
         * Returns the webhook for a URL, which must be HTTPS, or plain HTTP on a loopback address for local tests.
         *
         * @throws IllegalArgumentException naming the origin when the URL is invalid
         */
        public static Webhook of(String url, String origin) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("Slack secret " + origin + ": webhookUrl is not a valid URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            boolean allowed = scheme.equals("https") && !host.isEmpty()
                    || scheme.equals("http") && LOOPBACK.contains(host);
            if (!allowed) {
                throw new IllegalArgumentException("Slack secret " + origin + ": webhookUrl must be an https URL");
            }
            return new Webhook(uri);
        }

        @Override
        public String redact(String text) {
            return text == null ? null : text.replace(url.toString(), "[redacted]");
        }

        @Override
        public String toString() {
            return "Webhook[url=[redacted]]";
        }
    }

    /** A bot token and the channel id or name that {@code chat.postMessage} posts to. */
    record BotToken(String token, String channel) implements SlackCredentials {

        /**
         * Returns the bot credentials.
         *
         * @throws IllegalArgumentException naming the origin when the token or channel is missing or invalid
         */
        public static BotToken of(String token, String channel, String origin) {
            if (token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("Slack secret " + origin + ": botToken contains whitespace");
            }
            if (channel == null) {
                throw new IllegalArgumentException("Slack secret " + origin + ": channel is missing; a bot token"
                        + " needs the channel to post to");
            }
            return new BotToken(token, channel);
        }

        @Override
        public String redact(String text) {
            return text == null ? null : text.replace(token, "[redacted]");
        }

        @Override
        public String toString() {
            return "BotToken[token=[redacted], channel=" + channel + "]";
        }
    }
}
