package dev.quell.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {

    @Test
    void defaults_areDryRun() {
        assertThat(Policy.defaults().mode()).isEqualTo(Mode.DRY_RUN);
    }

    @Test
    void defaults_haveIsolationPlaybooks() {
        assertThat(Policy.defaults().playbooks()).extracting(Playbook::name)
                .contains("isolate-compromised-instance", "isolate-attacking-instance");
    }

    @Test
    void typePattern_matchesWildcard() {
        Playbook playbook = Policy.defaults().playbooks().get(0);

        assertThat(playbook.matchesType("Backdoor:EC2/C&CActivity.B!DNS")).isTrue();
        assertThat(playbook.matchesType("Backdoor:Lambda/C&CActivity.B")).isFalse();
        assertThat(playbook.typePrefixes()).contains("Backdoor:EC2/");
    }

    @Test
    void dryRun_overridesEnforcingPlaybook() {
        Policy policy = Policy.parse("""
                {"mode":"enforce","playbooks":[{"name":"p1","action":"isolate-instance","resourceType":"Instance",
                "mode":"enforce","findingTypes":["Backdoor:EC2/*"]}]}""", "test");

        Policy planned = policy.withMode(Mode.DRY_RUN);

        assertThat(planned.modeOf(planned.playbooks().get(0))).isEqualTo(Mode.DRY_RUN);
    }

    @Test
    void enforce_keepsDryRunPlaybook() {
        Policy policy = Policy.parse("""
                {"playbooks":[{"name":"p1","action":"isolate-instance","resourceType":"Instance",
                "mode":"dry-run","findingTypes":["Backdoor:EC2/*"]}]}""", "test");

        Policy enforced = policy.withMode(Mode.ENFORCE);

        assertThat(enforced.modeOf(enforced.playbooks().get(0))).isEqualTo(Mode.DRY_RUN);
    }

    @Test
    void unknownMode_isRejectedWithValue() {
        assertThatThrownBy(() -> Policy.parse("{\"mode\":\"enforcing\"}", "test"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("enforcing");
    }

    @Test
    void unknownAction_isRejectedNamingPlaybook() {
        assertThatThrownBy(() -> Policy.parse("""
                {"playbooks":[{"name":"p1","action":"reboot","resourceType":"Instance","findingTypes":["x"]}]}""",
                "test"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("p1")
                .hasMessageContaining("action");
    }

    @Test
    void unknownField_isRejectedNamingIt() {
        assertThatThrownBy(() -> Policy.parse("{\"mode\":\"enforce\",\"protectedPrincipal\":[\"Admin*\"]}",
                "test"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("unknown field protectedPrincipal")
                .hasMessageContaining("protectedPrincipals");
    }

    @Test
    void unknownFieldInFile_isRejected(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.json"), "{\"rateBugdet\":{\"perAccountPerHour\":5}}");

        assertThatThrownBy(() -> Policy.load(file))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("policy file " + file)
                .hasMessageContaining("unknown field rateBugdet");
    }

    @Test
    void unknownPlaybookField_isRejectedWithPath() {
        assertThatThrownBy(() -> Policy.parse("""
                {"playbooks":[{"name":"p","action":"isolate-instance","resourceType":"Instance",
                  "findingTypes":["Backdoor:EC2/*"],"minimumSeverty":5}]}""", "test"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("unknown field playbooks.[0].minimumSeverty");
    }

    @Test
    void severityOutOfRange_isRejected() {
        assertThatThrownBy(() -> Policy.parse("""
                {"playbooks":[{"name":"p1","action":"isolate-instance","resourceType":"Instance",
                "minimumSeverity":11,"findingTypes":["x"]}]}""", "test"))
                .hasMessageContaining("minimumSeverity");
    }

    @Test
    void badExemptAccount_isRejected() {
        assertThatThrownBy(() -> Policy.parse("{\"exemptions\":{\"accounts\":[\"12345\"]}}", "test"))
                .hasMessageContaining("12345");
    }

    @Test
    void missingFile_saysNotFound(@TempDir Path dir) {
        assertThatThrownBy(() -> Policy.load(dir.resolve("absent.json")))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void malformedFile_saysNotValidJson(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.json"), "{\"mode\": ");

        assertThatThrownBy(() -> Policy.load(file))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("policy.json");
    }
}
