package dev.quell.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.aws.AwsClients;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.log.Log;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.Outcome;
import dev.quell.notify.StubServer.Response;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The handler as Lambda builds it: settings from the environment, the Slack secret from Secrets Manager. */
class NotifyEnvironmentTest {

    private static final String TOKEN = "xoxb-env-SECRETTOKEN";

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private StubServer slack;

    @AfterEach
    void stop() {
        Log.redirect(System.out);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (slack != null) {
            slack.close();
        }
    }

    @Test
    void fromEnvironment_usesSlackSecret() throws Exception {
        slack = StubServer.start(Response.json(200, "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.0\"}"));
        String endpoint = MotoServer.shared().endpoint().toString();
        String secretName = "quell/slack-" + UUID.randomUUID();
        secrets().createSecret(request -> request.name(secretName)
                .secretString("{\"botToken\":\"" + TOKEN + "\",\"channel\":\"#alerts\"}"));
        // The default credentials chain reads these system properties first; moto accepts any keys.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        Map<String, String> env = Map.of(
                "AWS_REGION", "eu-west-1",
                "QUELL_ENDPOINT_URL", endpoint,
                "QUELL_HOME_ACCOUNT", SeededAccount.ACCOUNT,
                "QUELL_LEDGER_TABLE", "notify-env-" + UUID.randomUUID(),
                "QUELL_SLACK_SECRET", secretName,
                "QUELL_SLACK_API_URL", slack.uri("/api/").toString());
        createLedgerTable(env.get("QUELL_LEDGER_TABLE"));
        NotifyHandler handler = new NotifyHandler(NotifyHandler.fromEnvironment(env));
        Finding finding = Results.finding("env-finding-1", Finding.Source.OCSF, "Backdoor:EC2/X", "title", "d",
                List.of(), Indicators.NONE, false, null);

        JsonNode output = NotifyHandlerTest.run(handler, NotifyHandlerTest.event(
                Results.withOutcome(finding, Outcome.PLANNED)));

        assertThat(output.path("slack").asText()).isEqualTo("sent");
        assertThat(output.path("securityHub").asText()).startsWith("skipped: ");
        assertThat(slack.requests()).hasSize(1);
        assertThat(slack.requests().get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(Json.mapper().readTree(slack.requests().get(0).body()).path("channel").asText())
                .isEqualTo("#alerts");
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("notify function started", "BotToken[token=[redacted], channel=#alerts]");
        assertThat(logged).doesNotContain(TOKEN);
    }

    @Test
    void policyWithoutNotifyOptions_usesDefaults() {
        assertThat(Policy.defaults().notifications().resolveWhenVerified()).isFalse();
        assertThat(Policy.defaults().notifications().accountAliases()).isEmpty();
    }

    @Test
    void policyNotifyOptions_areRead() {
        Policy policy = Policy.parse("{\"notify\": {\"resolveWhenVerified\": true, \"accountAliases\":"
                + " {\"123456789012\": \"payments-prod\"}}}", "in the test");

        assertThat(policy.notifications().resolveWhenVerified()).isTrue();
        assertThat(policy.notifications().accountAliases()).containsExactly(Map.entry("123456789012",
                "payments-prod"));
    }

    @Test
    void invalidAccountAlias_isRejected() {
        assertThatThrownBy(() -> Policy.parse(
                "{\"notify\": {\"accountAliases\": {\"prod\": \"payments\"}}}", "in the test"))
                .hasMessageContaining("notify.accountAliases has the key \"prod\"");
    }

    private static SecretsManagerClient secrets() {
        return clients().client(SecretsManagerClient::builder, SeededAccount.ACCOUNT, Region.EU_WEST_1);
    }

    private static void createLedgerTable(String table) {
        new Ledger(clients().client(DynamoDbClient::builder, SeededAccount.ACCOUNT, Region.EU_WEST_1), table,
                Clock.systemUTC()).createTableIfMissing();
    }

    private static AwsClients clients() {
        return new AwsClients(SeededAccount.credentials(), Optional.of(MotoServer.shared().endpoint()),
                SeededAccount.ACCOUNT, null);
    }
}
