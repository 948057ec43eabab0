package dev.quell.core.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import dev.quell.core.finding.AffectedResource.Instance;
import dev.quell.core.finding.FindingRejectedException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the parser over a directory of real findings collected from public sources, given by the system property
 * {@code quell.findings.dir} or the environment variable {@code QUELL_FINDINGS_DIR}. Each {@code .json} file below
 * it must parse into complete findings or be rejected for the reason {@link #EXPECTED} lists for it, and a file
 * missing from that table fails, so new files get a reviewed expectation.
 *
 * <p>Without either setting the tests are skipped. A setting that names a missing directory, or one without
 * {@code .json} files, fails.
 */
class RealFindingsConformanceTest {

    private static final String PROPERTY = "quell.findings.dir";
    private static final String ENVIRONMENT_VARIABLE = "QUELL_FINDINGS_DIR";

    /** The expected outcome of one file: parse, or reject for a reason. */
    private record Expected(Reason reason) {
        static final Expected PARSE = new Expected(null);

        static Expected rejected(Reason reason) {
            return new Expected(reason);
        }
    }

    private static final Map<String, Expected> EXPECTED = Map.ofEntries(
            // GuardDuty: camelCase, PascalCase CLI output and EventBridge events.
            Map.entry("cli_getfindings_recon_iamuser_userpermissions_accesskey_PascalCase_count5.json", Expected.PARSE),
            Map.entry("cli_getfindings_sample_portprobe_2ports_instance_PascalCase_type_edited.json", Expected.PARSE),
            Map.entry("cli_getfindings_sample_trojan_ec2_droppoint_DNS_instance_PascalCase.json", Expected.PARSE),
            // The hand-written test event's finding has no accountId, and the envelope account must not stand in.
            Map.entry("eb_partial_envelope_sample_sshbruteforce_instance_region_detail_only.json",
                    Expected.rejected(Reason.MISSING_FIELD)),
            Map.entry("eb_sample_backdoor_ec2_CandCActivity.B_DNS_instance_minimal.json", Expected.PARSE),
            Map.entry("eb_sample_unauthorizedaccess_iamuser_toripcaller_accesskey.json", Expected.PARSE),
            Map.entry("raw_attacksequence_iam_compromisedcredentials_panther_normalized.json", Expected.PARSE),
            Map.entry("raw_canary_ec2_stateless_integtest_instance_launchTime_epoch.json", Expected.PARSE),
            Map.entry("raw_runtime_privilegeescalation_dockersocketaccessed_container_elastic_handedited.json",
                    Expected.PARSE),
            Map.entry("raw_sample_attacksequence_s3_compromiseddata_panther_normalized.json", Expected.PARSE),
            Map.entry("raw_sample_backdoor_ec2_CandCActivity.B_DNS_instance_full_elastic2022.json", Expected.PARSE),
            Map.entry("raw_sample_backdoor_ec2_CandCActivity.B_instance_elastic2022.json", Expected.PARSE),
            Map.entry("raw_sample_backdoor_ec2_dos_unusualprotocol_instance_protocol_string15_elastic2022.json",
                    Expected.PARSE),
            Map.entry("raw_sample_behavior_ec2_networkportunusual_instance_additionalInfo_strings_elastic2022.json",
                    Expected.PARSE),
            Map.entry(
                    "raw_sample_behavior_ec2_trafficvolumeunusual_instance_additionalInfo_unusual_number"
                            + "_elastic2022.json",
                    Expected.PARSE),
            Map.entry("raw_sample_credentialaccess_iamuser_anomalousbehavior_accesskey_elastic2022.json",
                    Expected.PARSE),
            Map.entry("raw_sample_credentialaccess_rds_anomalousbehavior_successfullogin_rdsdbinstance_elastic.json",
                    Expected.PARSE),
            Map.entry("raw_sample_cryptocurrency_ec2_bitcointool_b_DNS_instance_elastic2022.json", Expected.PARSE),
            Map.entry("raw_sample_cryptocurrency_ec2_bitcointool_b_instance_elastic2022.json", Expected.PARSE),
            Map.entry("raw_sample_discovery_s3_maliciousipcaller_custom_s3bucket.json", Expected.PARSE),
            Map.entry("raw_sample_execution_container_suspiciousfile_container.json", Expected.PARSE),
            Map.entry("raw_sample_execution_ecs_maliciousfile_ecscluster.json", Expected.PARSE),
            Map.entry("raw_sample_exfiltration_iamuser_anomalousbehavior_accesskey.json", Expected.PARSE),
            Map.entry("raw_sample_impact_ec2_winrmbruteforce_instance_resourceRole_ACTOR_elastic2022.json",
                    Expected.PARSE),
            Map.entry("raw_sample_pentest_iamuser_kalilinux_accesskey_elastic2022.json", Expected.PARSE),
            Map.entry("raw_sample_pentest_s3_parrotlinux_s3bucket_archived.json", Expected.PARSE),
            Map.entry("raw_sample_policy_iamuser_rootcredentialusage_accesskey_userType_Root_elastic2022.json",
                    Expected.PARSE),
            Map.entry("raw_sample_policy_kubernetes_admintodefaultsa_ekscluster.json", Expected.PARSE),
            Map.entry("raw_sample_policy_kubernetes_admintodefaultsa_ekscluster_namespace_variant.json",
                    Expected.PARSE),
            Map.entry("raw_sample_recon_ec2_portprobeunprotectedport_instance.json", Expected.PARSE),
            Map.entry("raw_sample_recon_iamuser_maliciousipcaller_custom_accesskey_archived.json", Expected.PARSE),
            Map.entry("raw_sample_trojan_ec2_dnsdataexfiltration_instance_protocol_string0_elastic2022.json",
                    Expected.PARSE),
            Map.entry("raw_sample_unauthorizedaccess_ec2_sshbruteforce_instance_INBOUND_elastic2022.json",
                    Expected.PARSE),
            Map.entry("raw_sample_unauthorizedaccess_ec2_torclient_instance_elastic2022.json", Expected.PARSE),
            Map.entry("raw_sample_unauthorizedaccess_ec2_torrelay_instance.json", Expected.PARSE),
            Map.entry(
                    "raw_sample_unauthorizedaccess_iamuser_instancecredentialexfiltration_outsideaws_accesskey"
                            + "_elastic2022.json",
                    Expected.PARSE),
            Map.entry("raw_sample_unauthorizedaccess_iamuser_maliciousipcaller_accesskey.json", Expected.PARSE),

            // Security Hub: ASFF in every wrapper, OCSF from Security Hub v2, and Insight Results.
            Map.entry("api_getfindings_custom_AwsEc2Instance_placebo.json", Expected.PARSE),
            Map.entry("api_getfindings_guardduty_5findings_AwsIamAccessKey_placebo.json", Expected.PARSE),
            Map.entry("api_getfindings_inspector_ecr_20findings_large_placebo.json", Expected.PARSE),
            Map.entry("asff_control_cis1.2_rule2.7_FAILED.json", Expected.PARSE),
            Map.entry("asff_control_cis1.4_3.7_FAILED.json", Expected.PARSE),
            Map.entry("asff_control_consolidated_security-control_CloudTrail.2_FAILED.json", Expected.PARSE),
            Map.entry("asff_control_controltower_CloudTrail.2_AwsAccount_FAILED.json", Expected.PARSE),
            Map.entry("asff_control_fsbp_CloudTrail.2_FAILED.json", Expected.PARSE),
            Map.entry("asff_control_fsbp_EC2.8_AwsEc2Instance.json", Expected.PARSE),
            Map.entry("asff_control_fsbp_IAM.3_AwsIamUser.json", Expected.PARSE),
            Map.entry("asff_control_fsbp_IAM.8_AwsIamUser_no_Details.json", Expected.PARSE),
            Map.entry("asff_control_fsbp_Lambda.1_AwsLambdaFunction.json", Expected.PARSE),
            Map.entry("asff_control_fsbp_S3.2_AwsS3Bucket.json", Expected.PARSE),
            Map.entry("asff_control_nist80053_CloudTrail.2_FAILED.json", Expected.PARSE),
            Map.entry("asff_control_pci_PCI.IAM.7_AwsIamUser.json", Expected.PARSE),
            Map.entry("asff_control_pcidss_PCI.CloudTrail.1_FAILED.json", Expected.PARSE),
            Map.entry("asff_guardduty_unauthorizedaccess_ec2_sshbruteforce_AwsEc2Instance_docs.json", Expected.PARSE),
            Map.entry("asff_inspector_classic_network_reachability_AwsEc2Instance_docs.json", Expected.PARSE),
            Map.entry("cli_getfindings_asff_cis1.2_1.13_CRITICAL_NOTIFIED.json", Expected.PARSE),
            Map.entry("cli_getfindings_asff_pci_PCI.Lambda.2_PASSED_RecordState_ARCHIVED.json", Expected.PARSE),
            Map.entry("eb_custom_action_asff_cis_1.6_two_findings.json", Expected.PARSE),
            Map.entry("eb_custom_action_asff_cis_cloudtrail_AwsCloudTrailTrail.json", Expected.PARSE),
            Map.entry("eb_custom_action_asff_custom_provider_Other_resource_lambda_cross_account.json", Expected.PARSE),
            Map.entry("eb_custom_action_asff_fsbp_EC2.2_AwsEc2SecurityGroup.json", Expected.PARSE),
            Map.entry("eb_custom_action_asff_fsbp_RDS.6_AwsRdsDbInstance.json", Expected.PARSE),
            Map.entry("eb_custom_action_asff_guardduty_iamuser_consolelogin_AwsIamAccessKey.json", Expected.PARSE),
            Map.entry("eb_findings_imported_v2_ocsf_guardduty_runtime_trimmed_test_scenario.json", Expected.PARSE),
            Map.entry("eb_findings_imported_v2_ocsf_inspector_low_trimmed_test_scenario.json", Expected.PARSE),
            Map.entry("eb_imported_asff_cis1.2_1.4_AwsAccount.json", Expected.PARSE),
            Map.entry("eb_imported_asff_fsbp_EC2.7_AwsAccount.json", Expected.PARSE),
            Map.entry("eb_insight_results_ResourceAwsIamAccessKeyUserName.json",
                    Expected.rejected(Reason.NOT_A_FINDING_EVENT)),
            Map.entry("eb_securityhub_insight_results_docs_template.json",
                    Expected.rejected(Reason.NOT_A_FINDING_EVENT)),
            Map.entry("ocsf_v2_compliance_finding_securityhub_cspm_cis_Config.1_AwsAccount.json", Expected.PARSE),
            Map.entry("ocsf_v2_detection_finding_guardduty_runtime_containermountshostdirectory_container.json",
                    Expected.PARSE),
            Map.entry("ocsf_v2_detection_finding_guardduty_runtime_newbinaryexecuted_ec2.json", Expected.PARSE),

            // Other: finding history (changes, not findings) and OCSF 1.1 from Security Lake.
            Map.entry("cli_securityhub_get_finding_history_S3.17_updated_fields.json",
                    Expected.rejected(Reason.UNRECOGNISED_SHAPE)),
            Map.entry("ocsf1.1_securitylake_compliance_finding_2003_securityhub_PCI.Config.1.json", Expected.PARSE),
            Map.entry("ocsf1.1_securitylake_detection_finding_2004_guardduty_policy_iamuser_rootcredentialusage"
                    + "_epoch_dt.json", Expected.PARSE),
            Map.entry("ocsf1.1_securitylake_detection_finding_2004_guardduty_stealth_cloudtrailloggingdisabled.json",
                    Expected.PARSE),
            Map.entry("ocsf1.1_securitylake_vulnerability_finding_2002_inspector_CVE-2023-1255.json", Expected.PARSE));

    @TestFactory
    Stream<DynamicTest> everyFileParsesOrIsRejectedAsExpected() {
        List<Path> files = jsonFiles(findingsDirectory());
        assertThat(files).as("JSON files below %s", findingsDirectory()).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(),
                () -> checkFile(file)));
    }

    @Test
    void pascalCaseSampleMarkerInsideValueString() {
        Finding finding = parseSingle(
                "guardduty/cli_getfindings_sample_trojan_ec2_droppoint_DNS_instance_PascalCase.json");

        assertThat(finding.sample()).isTrue();
        assertThat(finding.source()).isEqualTo(Finding.Source.GUARDDUTY);
        assertThat(finding.type()).isEqualTo("Trojan:EC2/DropPoint!DNS");
        assertThat(finding.indicators().domains()).containsExactly("GeneratedFindingDomainName");
        Instance instance = finding.resource(Instance.class).orElseThrow();
        assertThat(instance.instanceId()).isEqualTo("i-99999999");
        assertThat(instance.tags()).hasSize(9);
    }

    @Test
    void epochLaunchTimeFindingKeepsInstanceAndNetwork() {
        Finding finding = parseSingle("guardduty/raw_canary_ec2_stateless_integtest_instance_launchTime_epoch.json");

        Instance instance = finding.resource(Instance.class).orElseThrow();
        assertThat(instance.instanceId()).isEqualTo("i-05746eb48123455e0");
        assertThat(instance.networkInterfaces()).singleElement()
                .satisfies(eni -> assertThat(eni.securityGroupIds()).containsExactly("sg-9918a123"));
        assertThat(instance.tags()).containsEntry("Name", "ssh-22-open");
        assertThat(finding.connectionDirection()).isEqualTo("OUTBOUND");
        assertThat(finding.indicators().ports()).containsExactly(22, 2000);
        assertThat(finding.sample()).isFalse();
    }

    @Test
    void asffGuardDutyWithOddArns() {
        Finding finding = parseSingle(
                "securityhub/asff_guardduty_unauthorizedaccess_ec2_sshbruteforce_AwsEc2Instance_docs.json");

        assertThat(finding.source()).isEqualTo(Finding.Source.GUARDDUTY_VIA_SECURITY_HUB);
        assertThat(finding.id()).isEqualTo("46ba0ac2845071e23ccdeb2ae03bfdea");
        assertThat(finding.type()).isEqualTo("UnauthorizedAccess:EC2/SSHBruteForce");
        assertThat(finding.region()).isEqualTo("us-east-1");
        assertThat(finding.partition()).isEqualTo("aws");
        assertThat(finding.count()).isEqualTo(74);
        assertThat(finding.severity()).isEqualTo(new Severity(4.0, "MEDIUM"));
        assertThat(finding.connectionDirection()).isEqualTo("INBOUND");
        assertThat(finding.resourceRole()).isEqualTo("TARGET");
        assertThat(finding.indicators().remoteIps()).containsExactly("199.241.229.197");
        assertThat(finding.indicators().ports()).containsExactlyInAnyOrder(46717, 22);
        assertThat(finding.resource(Instance.class).map(Instance::instanceId)).hasValue("i-0c10c2c7863d1a356");
    }

    @Test
    void inspectorOriginalSeverityString() {
        Finding finding = parseSingle(
                "securityhub/asff_inspector_classic_network_reachability_AwsEc2Instance_docs.json");

        assertThat(finding.severity()).isEqualTo(new Severity(6.0, "MEDIUM"));
        assertThat(finding.source()).isEqualTo(Finding.Source.SECURITY_HUB);
    }

    @Test
    void customActionWithTwoFindings() {
        ParsedEvent event = parseFile("securityhub/eb_custom_action_asff_cis_1.6_two_findings.json");

        assertThat(event.detailType()).isEqualTo("Security Hub Findings - Custom Action");
        assertThat(event.customActionName()).isNotBlank();
        assertThat(event.findings()).hasSize(2);
        assertThat(event.findings()).extracting(Finding::id).doesNotHaveDuplicates();
    }

    @Test
    void envelopeAccountIsNotFindingAccount() {
        ParsedEvent event = parseFile("guardduty/eb_sample_backdoor_ec2_CandCActivity.B_DNS_instance_minimal.json");

        assertThat(event.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.accountId()).isEqualTo("883606788610"));
    }

    @Test
    void panthersSpaceSeparatedTimestamps() {
        Finding finding = parseSingle(
                "guardduty/raw_attacksequence_iam_compromisedcredentials_panther_normalized.json");

        assertThat(finding.createdAt()).hasToString("2025-02-25T20:40:06.721Z");
        assertThat(finding.firstSeen()).hasToString("2025-02-25T20:40:06Z");
    }

    @Test
    void securityLakeEpochTimesAndMaskedKey() {
        Finding finding = parseSingle(
                "other/ocsf1.1_securitylake_detection_finding_2004_guardduty_policy_iamuser_rootcredentialusage"
                        + "_epoch_dt.json");

        assertThat(finding.id()).isEqualTo("9711517f14c54eb79ad3e3b0cee89e3c");
        assertThat(finding.type()).isEqualTo("Policy:IAMUser/RootCredentialUsage");
        assertThat(finding.createdAt()).hasToString("2023-04-11T13:07:08.211Z");
        assertThat(finding.resource(AffectedResource.AccessKey.class)).hasValueSatisfying(key -> {
            assertThat(key.accessKeyId()).isNull();
            assertThat(key.principalType()).isEqualTo("Root");
        });
    }

    private static void checkFile(Path file) {
        String name = file.getFileName().toString();
        Expected expected = EXPECTED.get(name);
        if (expected == null) {
            fail("%s has no entry in RealFindingsConformanceTest.EXPECTED; add PARSE or the rejection reason", name);
        }
        if (expected.reason() == null) {
            checkParses(file);
        } else {
            FindingRejectedException rejection = catchThrowableOfType(FindingRejectedException.class,
                    () -> FindingParser.parse(read(file)));
            assertThat(rejection).as("rejection of %s", name).isNotNull();
            assertThat(rejection.reason()).as("reason for %s: %s", name, rejection.getMessage())
                    .isEqualTo(expected.reason());
        }
    }

    private static void checkParses(Path file) {
        ParsedEvent event = FindingParser.parse(read(file));
        for (Finding finding : event.findings()) {
            assertThat(finding.id()).as("id").isNotBlank();
            assertThat(finding.type()).as("type of %s", finding.id()).isNotBlank();
            assertThat(finding.accountId()).as("account of %s", finding.id()).isNotBlank();
            assertThat(finding.region()).as("region of %s", finding.id()).isNotBlank();
            assertThat(finding.severity()).as("severity of %s", finding.id()).isNotNull();
        }
    }

    private static Finding parseSingle(String relativePath) {
        ParsedEvent event = parseFile(relativePath);
        assertThat(event.findings()).hasSize(1);
        return event.findings().get(0);
    }

    private static ParsedEvent parseFile(String relativePath) {
        Path file = findingsDirectory().resolve(relativePath);
        assertThat(file).as("file this test checks").isRegularFile();
        return FindingParser.parse(read(file));
    }

    private static Path findingsDirectory() {
        String configured = Optional.ofNullable(System.getProperty(PROPERTY)).filter(value -> !value.isBlank())
                .orElse(System.getenv(ENVIRONMENT_VARIABLE));
        Assumptions.assumeTrue(configured != null && !configured.isBlank(), "set -D" + PROPERTY + " or "
                + ENVIRONMENT_VARIABLE + " to a directory of real findings to run these tests");
        Path directory = Path.of(configured);
        assertThat(directory).as("findings directory from %s or %s", PROPERTY, ENVIRONMENT_VARIABLE).isDirectory();
        return directory;
    }

    private static List<Path> jsonFiles(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).filter(path -> path.toString().endsWith(".json")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
