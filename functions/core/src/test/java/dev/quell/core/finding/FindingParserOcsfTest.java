package dev.quell.core.finding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.finding.AffectedResource.AccessKey;
import dev.quell.core.finding.AffectedResource.Instance;
import dev.quell.core.finding.AffectedResource.NetworkInterface;
import dev.quell.core.finding.AffectedResource.Other;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingParserOcsfTest {

    private static final String V2_EVENT = "ocsf/findings-imported-v2-guardduty.json";
    private static final String SECURITY_LAKE = "ocsf/securitylake-detection-accesskey.json";

    @Test
    void securityHubV2GuardDutyFinding() {
        ParsedEvent event = Fixtures.parse(V2_EVENT);
        Finding finding = event.findings().get(0);

        assertThat(event.detailType()).isEqualTo("Findings Imported V2");
        assertThat(finding.source()).isEqualTo(Finding.Source.OCSF);
        assertThat(finding.id()).as("the GuardDuty id, so it dedupes with GuardDuty's copy")
                .isEqualTo("6f7a8b9c0d1e4f2a3b4c5d6e7f8a9b0c");
        assertThat(finding.type()).isEqualTo("CryptoCurrency:Runtime/BitcoinTool.B!DNS");
        assertThat(finding.severity()).isEqualTo(new Severity(7.0, "HIGH"));
        assertThat(finding.accountId()).isEqualTo("111122223333");
        assertThat(finding.region()).as("from the resource").isEqualTo("us-west-2");
        assertThat(finding.count()).isEqualTo(6);
        assertThat(finding.workflowStatus()).isEqualTo("IN_PROGRESS");
        assertThat(finding.archived()).isFalse();
        assertThat(finding.sample()).isFalse();
    }

    @Test
    void securityHubV2TimesPreferDtFields() {
        Finding finding = Fixtures.single(V2_EVENT);

        assertThat(finding.createdAt()).isEqualTo(Instant.parse("2025-03-18T10:40:00Z"));
        assertThat(finding.firstSeen()).isEqualTo(Instant.parse("2025-03-18T10:30:12Z"));
        assertThat(finding.lastSeen()).as("epoch milliseconds without a _dt field")
                .isEqualTo(Instant.ofEpochMilli(1742294220000L));
        assertThat(finding.updatedAt()).isEqualTo(Instant.ofEpochMilli(1742294460000L));
    }

    @Test
    void securityHubV2Reference() {
        Finding finding = Fixtures.single(V2_EVENT);

        assertThat(finding.securityHub()).isEqualTo(new Finding.SecurityHubRef(
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "arn:aws:securityhub:us-west-2::productv2/aws/guardduty", "GuardDuty", "AWS"));
    }

    @Test
    void snakeCaseInstanceData() {
        Finding finding = Fixtures.single(V2_EVENT);

        assertThat(finding.resources()).containsExactly(new Instance("AWS::EC2::Instance", "i-0f0e0d0c0b0a09080",
                "arn:aws:iam::111122223333:instance-profile/batch-workers",
                List.of(new NetworkInterface("eni-0a9b8c7d6e5f4a3b2", "vpc-0e9f8a7b6c5d4e3f2",
                        "subnet-0c9d8e7f6a5b4c3d2", List.of("sg-0f9e8d7c6b5a4f3e2"))),
                Map.of("Name", "batch-07")));
    }

    @Test
    void evidenceEndpoints() {
        Indicators indicators = Fixtures.single(V2_EVENT).indicators();

        assertThat(indicators.remoteIps()).containsExactly("198.51.100.61");
        assertThat(indicators.domains()).containsExactly("pool.mining.example.net");
        assertThat(indicators.ports()).containsExactly(51544, 3333);
    }

    @Test
    void securityLakeDetectionFinding() {
        Finding finding = Fixtures.single(SECURITY_LAKE);

        assertThat(finding.id()).isEqualTo("1e2f3a4b5c6d4e7f8a9b0c1d2e3f4a5b");
        assertThat(finding.type()).as("recovered from the ASFF-style type")
                .isEqualTo("Stealth:IAMUser/CloudTrailLoggingDisabled");
        assertThat(finding.severity()).as("unmapped Severity.Product lies in the MEDIUM band")
                .isEqualTo(new Severity(5.0, "MEDIUM"));
        assertThat(finding.region()).isEqualTo("eu-west-1");
        assertThat(finding.createdAt()).as("_dt as epoch milliseconds").isEqualTo(Instant.ofEpochMilli(1717999000000L));
        assertThat(finding.archived()).isTrue();
        assertThat(finding.sample()).as("flattened ProductFields marker").isTrue();
        assertThat(finding.resourceRole()).isEqualTo("TARGET");
        assertThat(finding.indicators().remoteIps()).containsExactly("203.0.113.150");
    }

    @Test
    void securityLakeAccessKeyFromDataString() {
        Finding finding = Fixtures.single(SECURITY_LAKE);

        assertThat(finding.resources()).containsExactly(new AccessKey("AwsIamAccessKey", "ASIAEXAMPLESESSION03",
                "AROAEXAMPLEROLE00003:mallory", "Admin", "AssumedRole"));
        assertThat(finding.securityHub().id()).as("Security Lake keeps the ASFF Id as the finding uid")
                .isEqualTo(finding.arn());
    }

    @Test
    void vulnerabilityFindingSeverityFromName() {
        Finding finding = Fixtures.single("ocsf/securitylake-vulnerability-severity-name.json");

        assertThat(finding.id()).isEqualTo("arn:aws:inspector2:ap-northeast-1:111122223333:finding/"
                + "0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d");
        assertThat(finding.type()).isEqualTo("Software and Configuration Checks/Vulnerabilities/CVE");
        assertThat(finding.severity()).as("severity_id 99 (Other) falls back to the name")
                .isEqualTo(new Severity(7.0, "HIGH"));
        assertThat(finding.createdAt()).isEqualTo(Instant.parse("2024-04-21T15:59:04Z"));
        assertThat(finding.resources()).containsExactly(new Other("AwsEcrContainerImage",
                "arn:aws:ecr:ap-northeast-1:111122223333:repository/api/sha256:0123456789abcdef"));
    }

    @Test
    void regionFallsBackToEnvelope() {
        String event = "{\"detail-type\": \"Findings Imported V2\", \"source\": \"aws.securityhub\","
                + " \"region\": \"ca-central-1\", \"detail\": {\"findings\": [" + ocsfFinding("2003", "") + "]}}";

        assertThat(FindingParser.parse(event).findings().get(0).region()).isEqualTo("ca-central-1");
    }

    @Test
    void fatalSeverityIsCritical() {
        String finding = ocsfFinding("2004", ", \"cloud\": {\"account\": {\"uid\": \"111122223333\"},"
                + " \"region\": \"us-east-1\"}").replace("\"severity_id\": 2", "\"severity_id\": 6");

        assertThat(FindingParser.parse(finding).findings().get(0).severity()).isEqualTo(new Severity(9.0, "CRITICAL"));
    }

    static String ocsfFinding(String classUid, String extraFields) {
        String cloud = extraFields.contains("\"cloud\"") ? ""
                : ", \"cloud\": {\"account\": {\"uid\": \"111122223333\"}}";
        return "{\"class_uid\": " + classUid + ", \"severity_id\": 2, \"finding_info\": {\"uid\": \"quell-test-1\","
                + " \"types\": [\"Posture Management\"], \"title\": \"test\"}" + cloud + extraFields + "}";
    }
}
