package dev.quell.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.decision.Decision.Outcome;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.finding.Severity;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class InstanceDeciderTest {

    private static final Policy ENFORCE = Policy.defaults().withMode(Mode.ENFORCE);
    private static final ResourceState RUNNING = new ResourceState(true,
            "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc", "running", Map.of("Name", "app"));

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "Backdoor:EC2/C&CActivity.B!DNS,        -,        ACT",
        "Backdoor:EC2/C&CActivity.B,            OUTBOUND, ACT",
        "Backdoor:EC2/DenialOfService.Tcp,      OUTBOUND, ACT",
        "CryptoCurrency:EC2/BitcoinTool.B!DNS,  -,        ACT",
        "CryptoCurrency:EC2/BitcoinTool.B,      OUTBOUND, ACT",
        "Trojan:EC2/DNSDataExfiltration,        -,        ACT",
        "Trojan:EC2/DropPoint!DNS,              -,        ACT",
        "Execution:EC2/MaliciousFile,           -,        ACT",
        "Impact:EC2/BitcoinDomainRequest.Reputation, -,   ACT",
        "UnauthorizedAccess:EC2/TorClient,      OUTBOUND, ACT",
        "UnauthorizedAccess:EC2/SSHBruteForce,  OUTBOUND, ACT",
        "UnauthorizedAccess:EC2/SSHBruteForce,  INBOUND,  IGNORE",
        "UnauthorizedAccess:EC2/RDPBruteForce,  INBOUND,  IGNORE",
        "UnauthorizedAccess:EC2/RDPBruteForce,  -,        IGNORE",
        "Impact:EC2/WinRMBruteForce,            OUTBOUND, ACT",
        "Recon:EC2/Portscan,                    OUTBOUND, ACT",
        "Recon:EC2/PortProbeUnprotectedPort,    INBOUND,  IGNORE",
        "UnauthorizedAccess:EC2/TorRelay,       INBOUND,  IGNORE",
        "Behavior:EC2/NetworkPortUnusual,       OUTBOUND, IGNORE",
        "Policy:IAMUser/RootCredentialUsage,    -,        IGNORE",
    })
    void findingType_decidesByPolicyTable(String type, String direction, Outcome expected) {
        Decision decision = InstanceDecider.decide(finding(type, direction, 8, false, false), ENFORCE, RUNNING);

        assertThat(decision.outcome()).as(decision.reason()).isEqualTo(expected);
    }

    @Test
    void inboundBruteForce_reasonSaysTarget() {
        Decision decision = InstanceDecider.decide(
                finding("UnauthorizedAccess:EC2/SSHBruteForce", "INBOUND", 2, false, false), ENFORCE, RUNNING);

        assertThat(decision.reason()).contains("target of inbound brute-force attempts").contains("OUTBOUND");
    }

    @Test
    void sample_isPlanOnlyEvenInEnforce() {
        Decision decision = InstanceDecider.decide(finding("Backdoor:EC2/C&CActivity.B", null, 8, true, false),
                ENFORCE, RUNNING);

        assertThat(decision.outcome()).isEqualTo(Outcome.PLAN);
        assertThat(decision.reason()).startsWith("sample finding");
    }

    @Test
    void archived_isIgnoredBeforeAnythingElse() {
        Decision decision = InstanceDecider.decide(finding("Backdoor:EC2/C&CActivity.B", null, 8, true, true),
                ENFORCE, RUNNING);

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).startsWith("archived finding");
    }

    @Test
    void dryRunMode_plans() {
        Decision decision = InstanceDecider.decide(finding("Backdoor:EC2/C&CActivity.B", null, 8, false, false),
                Policy.defaults(), RUNNING);

        assertThat(decision.outcome()).isEqualTo(Outcome.PLAN);
        assertThat(decision.reason()).startsWith("dry run");
    }

    @Test
    void exemptTag_ignoresWhateverTheCase() {
        ResourceState exempt = new ResourceState(true, RUNNING.arn(), "running", Map.of("quell:exempt", "TRUE"));

        Decision decision = InstanceDecider.decide(finding("Backdoor:EC2/C&CActivity.B", null, 8, false, false),
                ENFORCE, exempt);

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("quell:exempt=TRUE");
    }

    @Test
    void exemptTagWithOtherValue_stillActs() {
        ResourceState notExempt = new ResourceState(true, RUNNING.arn(), "running", Map.of("quell:exempt", "no"));

        Decision decision = InstanceDecider.decide(finding("Backdoor:EC2/C&CActivity.B", null, 8, false, false),
                ENFORCE, notExempt);

        assertThat(decision.outcome()).isEqualTo(Outcome.ACT);
    }

    @Test
    void goneInstance_isIgnored() {
        Decision decision = InstanceDecider.decide(finding("Backdoor:EC2/C&CActivity.B", null, 8, false, false),
                ENFORCE, ResourceState.missing("i-0abc"));

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("no longer exists");
    }

    @Test
    void lowSeverity_isIgnoredWithMinimum() {
        Decision decision = InstanceDecider.decide(finding("Backdoor:EC2/C&CActivity.B", null, 2, false, false),
                ENFORCE, RUNNING);

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("below").contains("5.0");
    }

    @Test
    void noInstance_isIgnoredNamingTypes() {
        Finding keyFinding = new Finding("f1", Finding.Source.GUARDDUTY, "UnauthorizedAccess:IAMUser/TorIPCaller",
                null, null, Severity.of(5), "111122223333", "eu-west-1", "aws", null, null, null, null, 1, false,
                false, null, null, null, null, null,
                List.of(new AffectedResource.AccessKey("AccessKey", "AKIAEXAMPLE", null, "alice", "IAMUser")),
                Indicators.NONE);

        Decision decision = InstanceDecider.decide(keyFinding, ENFORCE, RUNNING);

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("AccessKey");
    }

    @Test
    void exemptAccount_isIgnored() {
        Policy policy = Policy.parse("""
                {"mode":"enforce","playbooks":[{"name":"p","action":"isolate-instance","resourceType":"Instance",
                "minimumSeverity":1,"findingTypes":["Backdoor:EC2/*"]}],
                "exemptions":{"accounts":["111122223333"]}}""", "test");

        Decision decision = InstanceDecider.decide(finding("Backdoor:EC2/C&CActivity.B", null, 8, false, false),
                policy, RUNNING);

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("111122223333");
    }

    private static Finding finding(String type, String direction, double severity, boolean sample,
            boolean archived) {
        var instance = new AffectedResource.Instance("Instance", "i-0abc", null, List.of(), Map.of());
        return new Finding("f1", Finding.Source.GUARDDUTY, type, "title", "description", Severity.of(severity),
                "111122223333", "eu-west-1", "aws", Instant.EPOCH, Instant.EPOCH, null, null, 1, archived, sample,
                null, null, null, direction, "TARGET", List.of(instance), Indicators.NONE);
    }
}
