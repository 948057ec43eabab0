package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Policy;
import dev.quell.core.policy.PolicyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading and validating the CDK context keys. */
class DeploySettingsTest {

    @TempDir
    Path directory;

    @Test
    void defaultsAreDryRunOnDemand() {
        DeploySettings settings = DeploySettings.defaults();

        assertThat(settings.policy()).isEqualTo(Policy.defaults());
        assertThat(settings.policy().mode()).isEqualTo(Mode.DRY_RUN);
        assertThat(settings.policySource()).isEqualTo("bundled default policy");
        assertThat(settings.startupMode()).isEqualTo(StartupMode.ON_DEMAND);
        assertThat(settings.securityHubAggregation()).isFalse();
        assertThat(settings.securityHubCustomActions()).isTrue();
        assertThat(settings.organizationId()).isEmpty();
        assertThat(settings.slackSecretArn()).isEmpty();
        assertThat(settings.memberRoleName()).isEqualTo("quell-responder");
        assertThat(settings.reservedConcurrency()).isEqualTo(10);
        assertThat(settings.alarmEmail()).isEmpty();
    }

    @Test
    void policyFileIsLoaded() throws IOException {
        Path file = directory.resolve("policy.json");
        Files.writeString(file, """
                {"mode": "enforce", "playbooks": [{"name": "crypto", "action": "isolate-instance",
                  "resourceType": "Instance", "minimumSeverity": 7, "findingTypes": ["CryptoCurrency:EC2/*"]}]}
                """);

        DeploySettings settings = TestStacks.settings(Map.of(DeploySettings.POLICY, file.toString()));

        assertThat(settings.policy().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(settings.policy().playbooks()).hasSize(1);
        assertThat(settings.policySource()).isEqualTo(file.toString());
    }

    @Test
    void missingPolicyFileNamesPath() {
        Path missing = directory.resolve("absent.json");

        assertThatThrownBy(() -> TestStacks.settings(Map.of(DeploySettings.POLICY, missing.toString())))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policy file " + missing + " not found");
    }

    @Test
    void invalidPolicyNamesPlaybook() throws IOException {
        Path file = directory.resolve("bad.json");
        Files.writeString(file, """
                {"playbooks": [{"name": "p", "action": "delete-everything", "resourceType": "Instance",
                  "findingTypes": ["Backdoor:EC2/*"]}]}
                """);

        assertThatThrownBy(() -> TestStacks.settings(Map.of(DeploySettings.POLICY, file.toString())))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("playbook \"p\"")
                .hasMessageContaining("action must be one of");
    }

    @Test
    void cdkJsonTypesAreAccepted() {
        DeploySettings settings = TestStacks.settings(Map.of(
                DeploySettings.RESERVED_CONCURRENCY, 25.0,
                DeploySettings.SECURITY_HUB_AGGREGATION, Boolean.TRUE,
                DeploySettings.SECURITY_HUB_CUSTOM_ACTIONS, "FALSE"));

        assertThat(settings.reservedConcurrency()).isEqualTo(25);
        assertThat(settings.securityHubAggregation()).isTrue();
        assertThat(settings.securityHubCustomActions()).isFalse();
    }

    @Test
    void validValuesAreKept() {
        String secret = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:quell/slack-AbCdEf";
        DeploySettings settings = TestStacks.settings(Map.of(
                DeploySettings.ORGANIZATION_ID, "o-a1b2c3d4e5",
                DeploySettings.SLACK_SECRET_ARN, secret,
                DeploySettings.MEMBER_ROLE_NAME, "security-quell",
                DeploySettings.ALARM_EMAIL, "soc@example.com"));

        assertThat(settings.organizationId()).contains("o-a1b2c3d4e5");
        assertThat(settings.slackSecretArn()).contains(secret);
        assertThat(settings.memberRoleName()).isEqualTo("security-quell");
        assertThat(settings.alarmEmail()).contains("soc@example.com");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "securityHubAggregation | yes          | expected true or false",
        "organizationId         | 123456789012 | expected an organization id",
        "slackSecretArn         | quell/slack  | expected a complete Secrets Manager secret ARN",
        "memberRoleName         | bad role     | expected an IAM role name",
        "reservedConcurrency    | 0            | expected a whole number of at least 1",
        "reservedConcurrency    | ten          | expected a whole number of at least 1",
        "alarmEmail             | nobody       | expected an email address"})
    void invalidValueNamesKey(String key, String value, String expected) {
        assertThatThrownBy(() -> TestStacks.settings(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context key " + key + " is \"" + value + "\"; ")
                .hasMessageContaining(expected);
    }
}
