package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.policy.Policy;
import dev.quell.notify.NotifyHandler;
import dev.quell.notify.securityhub.FindingChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The synthesized event patterns, matched with Event Ruler against the events under {@code events/}. The stack
 * runs in aggregation mode with every function, so every kind of rule exists.
 */
class EventPatternTest {

    private static final String COMPROMISED = "GuardDuty-isolate-compromised-instance";
    private static final String ATTACKING = "GuardDuty-isolate-attacking-instance";
    private static final String LINKED_REGION_COMPROMISED = "SecurityHub-isolate-compromised-instance";
    private static final String LEAKED_KEY = "GuardDuty-quarantine-leaked-key";
    private static final String LINKED_REGION_LEAKED_KEY = "SecurityHub-quarantine-leaked-key";
    private static final String EXFILTRATED = "GuardDuty-revoke-exfiltrated-instance-credentials";

    private static RuleMatcher matcher;
    private static RuleMatcher thresholdMatcher;

    @BeforeAll
    static void compileRules() throws Exception {
        DeploySettings settings = TestStacks.settings(Map.of(DeploySettings.SECURITY_HUB_AGGREGATION, true));
        matcher = new RuleMatcher(TestStacks.synthesize(settings, Functions.all()).responder());
    }

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("guardduty-backdoor-dns-instance.json", RuleMatcher.of(COMPROMISED)),
                Arguments.of("guardduty-bitcointool-critical.json", RuleMatcher.of(COMPROMISED)),
                Arguments.of("guardduty-sshbruteforce-outbound.json", RuleMatcher.of(ATTACKING)),
                Arguments.of("guardduty-sshbruteforce-inbound.json", RuleMatcher.none()),
                Arguments.of("guardduty-backdoor-archived.json", RuleMatcher.none()),
                Arguments.of("guardduty-portprobe-low.json", RuleMatcher.none()),
                Arguments.of("guardduty-credential-exfiltration-accesskey.json", RuleMatcher.of(EXFILTRATED)),
                // One rule serves both playbooks of these types, so each credential function receives it once.
                Arguments.of("guardduty-toripcaller-accesskey.json", RuleMatcher.of(LEAKED_KEY)),
                // Sample findings are routed, and the function ignores them with a reason.
                Arguments.of("guardduty-sample-trojan-instance.json", RuleMatcher.of(COMPROMISED)),
                Arguments.of("securityhub-imported-backdoor-linked-region.json",
                        RuleMatcher.of(LINKED_REGION_COMPROMISED)),
                Arguments.of("securityhub-imported-backdoor-home-region.json", RuleMatcher.none()),
                Arguments.of("securityhub-imported-backdoor-suppressed.json", RuleMatcher.none()),
                Arguments.of("securityhub-imported-backdoor-archived.json", RuleMatcher.none()),
                Arguments.of("securityhub-imported-backdoor-low.json", RuleMatcher.none()),
                // Quell's own update of a finding it responded to must not start the response again.
                Arguments.of("securityhub-imported-backdoor-notified-by-quell.json", RuleMatcher.none()),
                Arguments.of("securityhub-imported-toripcaller-accesskey-linked-region.json",
                        RuleMatcher.of(LINKED_REGION_LEAKED_KEY)),
                Arguments.of("securityhub-custom-action-isolate.json", RuleMatcher.of("CustomAction-QuellIsolate")),
                Arguments.of("securityhub-custom-action-quarantine-key.json",
                        RuleMatcher.of("CustomAction-QuellQuarantineKey")),
                Arguments.of("securityhub-custom-action-revoke-sessions.json",
                        RuleMatcher.of("CustomAction-QuellRevokeSessions")),
                Arguments.of("securityhub-custom-action-release.json", RuleMatcher.of("CustomAction-QuellRelease")),
                Arguments.of("securityhub-custom-action-unrelated.json", RuleMatcher.none()),
                Arguments.of("securityhub-insight-results.json", RuleMatcher.none()),
                Arguments.of("scheduled-event.json", RuleMatcher.none()),
                Arguments.of("quell-response-completed.json", RuleMatcher.of("QuellResults")),
                Arguments.of("quell-response-planned.json", RuleMatcher.of("QuellResults")),
                // The notify function reports results only, so alerts reach no function.
                Arguments.of("quell-alert-rate-budget.json", RuleMatcher.none()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void eventReachesExpectedRules(String file, Set<String> expected) throws Exception {
        JsonNode event = TestStacks.readJson(TestStacks.resource("events/" + file));

        assertThat(matcher.match(event)).isEqualTo(expected);
        assertThat(matcher.matchOnOtherBus(event)).isEmpty();
    }

    @Test
    void everyEventFileIsListed() throws IOException {
        Set<String> listed = new TreeSet<>();
        events().forEach(arguments -> listed.add((String) arguments.get()[0]));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(TestStacks.resource("events"))) {
            files.forEach(file -> present.add(file.getFileName().toString()));
        }

        assertThat(present).isEqualTo(listed);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NOTIFIED", "RESOLVED", "SUPPRESSED"})
    void updatedWorkflowStartsNoResponse(String status) throws Exception {
        JsonNode event = withWorkflowStatus("securityhub-imported-backdoor-notified-by-quell.json", status);

        assertThat(matcher.match(event)).isEmpty();
    }

    @Test
    void newWorkflowStartsResponse() throws Exception {
        JsonNode event = withWorkflowStatus("securityhub-imported-backdoor-notified-by-quell.json", "NEW");

        assertThat(matcher.match(event)).containsExactly(LINKED_REGION_COMPROMISED);
    }

    @Test
    void importedRulesMatchOnlyNewWorkflow() {
        for (var playbook : Policy.defaults().playbooks()) {
            Object workflow = ((Map<?, ?>) FindingPatterns.securityHubImported(playbook, TestStacks.REGION)
                    .getDetail().get("findings")).get("Workflow");

            assertThat(workflow).as(playbook.name())
                    .isEqualTo(Map.of("Status", List.of(FindingChange.RESPONDER_RULE_WORKFLOW_STATUS)));
        }
    }

    @Test
    void notifyRuleMatchesNotifyDetailTypes() {
        assertThat(FindingPatterns.quellResults().getDetailType())
                .containsExactlyInAnyOrderElementsOf(NotifyHandler.DETAIL_TYPES);
        assertThat(FindingPatterns.QUELL_DETAIL_TYPES).containsAll(NotifyHandler.DETAIL_TYPES);
    }

    @ParameterizedTest(name = "severity {0}")
    @ValueSource(doubles = {7.0, 8.9, 9.0, 9.5, 10.0})
    void severityAtThresholdReaches(double severity) throws Exception {
        assertThat(thresholdMatcher().match(withSeverity(severity))).containsExactly(COMPROMISED);
    }

    @ParameterizedTest(name = "severity {0}")
    @ValueSource(doubles = {0.0, 2.0, 5.0, 6.9})
    void severityBelowThresholdDoesNot(double severity) throws Exception {
        assertThat(thresholdMatcher().match(withSeverity(severity))).isEmpty();
    }

    @Test
    void severityIsMatchedAsNumber() {
        assertThat(FindingPatterns.guardDuty(Policy.defaults().playbooks().get(0)).getDetail().get("severity"))
                .isEqualTo(List.of(Map.of("numeric", List.of(">=", 5.0))));
    }

    @Test
    void severityLabelsFollowGuardDutyBands() {
        assertThat(FindingPatterns.severityLabelsFrom(0)).containsExactly(
                "INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL");
        assertThat(FindingPatterns.severityLabelsFrom(5)).containsExactly("MEDIUM", "HIGH", "CRITICAL");
        assertThat(FindingPatterns.severityLabelsFrom(7)).containsExactly("HIGH", "CRITICAL");
        assertThat(FindingPatterns.severityLabelsFrom(9.5)).containsExactly("CRITICAL");
    }

    @Test
    void asffTypeMatcherReplacesSlash() {
        assertThat(FindingPatterns.asffTypeMatcher("Backdoor:EC2/"))
                .isEqualTo(Map.of("wildcard", "*/Backdoor:EC2-*"));
    }

    /** Returns rules built from the default policy with the compromised-instance threshold raised to 7. */
    private static RuleMatcher thresholdMatcher() throws Exception {
        if (thresholdMatcher == null) {
            String json = ResponderFunction.compactJson(Policy.defaults())
                    .replace("\"minimumSeverity\":5.0", "\"minimumSeverity\":7.0");
            Policy policy = Policy.parse(json, "threshold 7");
            assertThat(policy.playbooks().get(0).minimumSeverity()).isEqualTo(7.0);
            DeploySettings settings = TestStacks.withPolicy(DeploySettings.defaults(), policy);
            thresholdMatcher = new RuleMatcher(TestStacks.synthesize(settings, Functions.all()).responder());
        }
        return thresholdMatcher;
    }

    /** Returns an imported event with the given workflow status, as Security Hub publishes after an update. */
    private static JsonNode withWorkflowStatus(String file, String status) {
        ObjectNode event = (ObjectNode) TestStacks.readJson(TestStacks.resource("events/" + file));
        ObjectNode finding = (ObjectNode) event.at("/detail/findings/0");
        ((ObjectNode) finding.get("Workflow")).put("Status", status);
        return event;
    }

    private static JsonNode withSeverity(double severity) {
        ObjectNode event = (ObjectNode) TestStacks.readJson(
                TestStacks.resource("events/guardduty-backdoor-dns-instance.json"));
        ((ObjectNode) event.get("detail")).put("severity", severity);
        return event;
    }
}
