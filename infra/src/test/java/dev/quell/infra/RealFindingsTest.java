package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Published GuardDuty and Security Hub events, matched against the synthesized rules. The directory comes from the
 * system property {@code quell.findings.dir} or the environment variable {@code QUELL_FINDINGS_DIR}; without
 * either the test is skipped. Every file whose JSON has a {@code detail-type} is an EventBridge envelope and must
 * be listed in {@link #EXPECTED}, with the rules it must reach or none.
 */
class RealFindingsTest {

    private static final String COMPROMISED = "GuardDuty-isolate-compromised-instance";

    /** Envelope file name, the rules it reaches in an aggregation-mode stack, and why. */
    private record Expectation(Set<String> rules, String reason) {
    }

    private static final Map<String, Expectation> EXPECTED = Map.ofEntries(
            Map.entry("eb_sample_backdoor_ec2_CandCActivity.B_DNS_instance_minimal.json", new Expectation(
                    RuleMatcher.of(COMPROMISED),
                    "an EC2 backdoor at severity 5; sample findings are routed and then ignored by the function")),
            Map.entry("eb_sample_unauthorizedaccess_iamuser_toripcaller_accesskey.json", new Expectation(
                    RuleMatcher.of("GuardDuty-quarantine-leaked-key"),
                    "an IAM user key used from Tor at severity 5, for both credential functions on one rule")),
            Map.entry("eb_custom_action_asff_cis_1.6_two_findings.json", new Expectation(
                    RuleMatcher.none(), "a custom action that is not one of Quell's")),
            Map.entry("eb_custom_action_asff_cis_cloudtrail_AwsCloudTrailTrail.json", new Expectation(
                    RuleMatcher.none(), "a custom action that is not one of Quell's")),
            Map.entry("eb_custom_action_asff_custom_provider_Other_resource_lambda_cross_account.json",
                    new Expectation(RuleMatcher.none(), "a custom action that is not one of Quell's")),
            Map.entry("eb_custom_action_asff_fsbp_EC2.2_AwsEc2SecurityGroup.json", new Expectation(
                    RuleMatcher.none(), "a custom action that is not one of Quell's")),
            Map.entry("eb_custom_action_asff_fsbp_RDS.6_AwsRdsDbInstance.json", new Expectation(
                    RuleMatcher.none(), "a custom action that is not one of Quell's")),
            Map.entry("eb_custom_action_asff_guardduty_iamuser_consolelogin_AwsIamAccessKey.json", new Expectation(
                    RuleMatcher.none(), "a custom action that is not one of Quell's")),
            Map.entry("eb_findings_imported_v2_ocsf_guardduty_runtime_trimmed_test_scenario.json", new Expectation(
                    RuleMatcher.none(), "Findings Imported V2 (OCSF) events are not routed")),
            Map.entry("eb_findings_imported_v2_ocsf_inspector_low_trimmed_test_scenario.json", new Expectation(
                    RuleMatcher.none(), "Findings Imported V2 (OCSF) events are not routed")),
            Map.entry("eb_imported_asff_cis1.2_1.4_AwsAccount.json", new Expectation(
                    RuleMatcher.none(), "a Security Hub control finding, not a GuardDuty threat")),
            Map.entry("eb_imported_asff_fsbp_EC2.7_AwsAccount.json", new Expectation(
                    RuleMatcher.none(), "a Security Hub control finding, not a GuardDuty threat")),
            Map.entry("eb_insight_results_ResourceAwsIamAccessKeyUserName.json", new Expectation(
                    RuleMatcher.none(), "Insight Results carry no finding")),
            Map.entry("eb_securityhub_insight_results_docs_template.json", new Expectation(
                    RuleMatcher.none(), "Insight Results carry no finding")));

    private static Path directory;
    private static RuleMatcher matcher;

    @BeforeAll
    static void compileRules() throws Exception {
        String configured = System.getProperty("quell.findings.dir", "");
        if (configured.isBlank()) {
            configured = System.getenv().getOrDefault("QUELL_FINDINGS_DIR", "");
        }
        assumeTrue(!configured.isBlank(), "set quell.findings.dir or QUELL_FINDINGS_DIR to match published events");
        directory = Path.of(configured);
        DeploySettings settings = TestStacks.settings(Map.of(DeploySettings.SECURITY_HUB_AGGREGATION, true));
        matcher = new RuleMatcher(TestStacks.synthesize(settings, Functions.all()).responder());
    }

    @Test
    void envelopesReachListedRules() throws Exception {
        Map<String, JsonNode> envelopes = envelopes();
        assertThat(envelopes).as("EventBridge envelopes under " + directory).isNotEmpty();
        assertThat(envelopes.keySet()).as("envelope files without an expectation")
                .isSubsetOf(EXPECTED.keySet());
        assertThat(EXPECTED.keySet()).as("expectations without a file").isSubsetOf(envelopes.keySet());

        for (Map.Entry<String, JsonNode> envelope : envelopes.entrySet()) {
            Expectation expected = EXPECTED.get(envelope.getKey());
            assertThat(matcher.match(envelope.getValue()))
                    .as(envelope.getKey() + ": " + expected.reason())
                    .isEqualTo(expected.rules());
        }
    }

    /** Returns every JSON file under the directory whose top-level object has a {@code detail-type}. */
    private static Map<String, JsonNode> envelopes() throws IOException {
        Map<String, JsonNode> envelopes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).toList()) {
                JsonNode json = TestStacks.readJson(file);
                if (json.isObject() && json.has("detail-type")) {
                    envelopes.put(file.getFileName().toString(), json);
                }
            }
        }
        return envelopes;
    }
}
