package dev.quell.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackCredentialsTest {

    private static final String WEBHOOK = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX";
    private static final String TOKEN = "xoxb-1111-2222-SECRETTOKEN";

    @Test
    void webhook_isParsed() {
        SlackCredentials credentials = SlackCredentials.parse("{\"webhookUrl\":\"" + WEBHOOK + "\"}", "quell/slack");

        assertThat(credentials).isInstanceOf(SlackCredentials.Webhook.class);
        assertThat(((SlackCredentials.Webhook) credentials).url().toString()).isEqualTo(WEBHOOK);
    }

    @Test
    void botToken_isParsed() {
        SlackCredentials credentials = SlackCredentials.parse("{\"botToken\":\"" + TOKEN
                + "\",\"channel\":\"C0123\"}", "quell/slack");

        assertThat(credentials).isEqualTo(new SlackCredentials.BotToken(TOKEN, "C0123"));
    }

    @Test
    void toString_redactsWebhookUrl() {
        SlackCredentials credentials = SlackCredentials.parse("{\"webhookUrl\":\"" + WEBHOOK + "\"}", "quell/slack");

        assertThat(credentials.toString()).doesNotContain("XXXXSECRETXXXX").doesNotContain("hooks.slack.com")
                .isEqualTo("Webhook[url=[redacted]]");
    }

    @Test
    void toString_redactsBotToken() {
        SlackCredentials credentials = SlackCredentials.BotToken.of(TOKEN, "C0123", "quell/slack");

        assertThat(credentials.toString()).doesNotContain(TOKEN).isEqualTo("BotToken[token=[redacted], channel=C0123]");
    }

    @Test
    void redact_removesSecretFromText() {
        SlackCredentials credentials = SlackCredentials.BotToken.of(TOKEN, "C0123", "quell/slack");

        assertThat(credentials.redact("failed with Bearer " + TOKEN)).isEqualTo("failed with Bearer [redacted]");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"webhookUrl\": \"http://hooks.slack.com/services/XXXXSECRETXXXX\"}",
        "{\"webhookUrl\": \"ftp://XXXXSECRETXXXX\"}",
        "{\"webhookUrl\": \"not a url XXXXSECRETXXXX\"}",
        "{\"botToken\": \"xoxb-XXXXSECRETXXXX\"}",
        "{\"botToken\": \"xoxb XXXXSECRETXXXX\", \"channel\": \"C1\"}",
        "{\"webhookUrl\": \"https://x/XXXXSECRETXXXX\", \"botToken\": \"xoxb-XXXXSECRETXXXX\", \"channel\": \"C1\"}",
        "{}",
        "[\"XXXXSECRETXXXX\"]",
        "{\"webhookUrl\": \"https://x/XXXXSECRETXXXX\"",
    })
    void invalidSecret_isRejectedWithoutQuotingIt(String json) {
        assertThatThrownBy(() -> SlackCredentials.parse(json, "quell/slack"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Slack secret quell/slack")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("XXXXSECRETXXXX"))
                .hasNoCause();
    }
}
