package dev.quell.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quell.core.aws.AwsClients;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

class SlackSecretsTest {

    private final SecretsManagerClient secrets = new AwsClients(SeededAccount.credentials(),
            Optional.of(MotoServer.shared().endpoint()), SeededAccount.ACCOUNT, null)
            .client(SecretsManagerClient::builder, SeededAccount.ACCOUNT, Region.EU_WEST_1);

    @Test
    void webhookSecret_isLoaded() {
        String name = create("{\"webhookUrl\":\"https://hooks.slack.com/services/T/B/XXXXSECRETXXXX\"}");

        SlackCredentials credentials = SlackSecrets.load(secrets, name);

        assertThat(credentials).isInstanceOf(SlackCredentials.Webhook.class);
        assertThat(credentials.toString()).doesNotContain("XXXXSECRETXXXX");
    }

    @Test
    void botSecret_isLoaded() {
        String name = create("{\"botToken\":\"xoxb-XXXXSECRETXXXX\",\"channel\":\"C0123\"}");

        assertThat(SlackSecrets.load(secrets, name)).isEqualTo(
                new SlackCredentials.BotToken("xoxb-XXXXSECRETXXXX", "C0123"));
    }

    @Test
    void missingSecret_isNamed() {
        assertThatThrownBy(() -> SlackSecrets.load(secrets, "quell/no-such-secret"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quell/no-such-secret not found");
    }

    @Test
    void invalidSecret_isNotQuoted() {
        String name = create("{\"webhookUrl\":\"http://hooks.slack.com/XXXXSECRETXXXX\"}");

        assertThatThrownBy(() -> SlackSecrets.load(secrets, name))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(name)
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("XXXXSECRETXXXX"));
    }

    @Test
    void binarySecret_isRejected() {
        String name = "quell/slack-" + UUID.randomUUID();
        secrets.createSecret(request -> request.name(name).secretBinary(SdkBytes.fromUtf8String("{}")));

        assertThatThrownBy(() -> SlackSecrets.load(secrets, name))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("binary");
    }

    private String create(String json) {
        String name = "quell/slack-" + UUID.randomUUID();
        secrets.createSecret(request -> request.name(name).secretString(json));
        return name;
    }
}
