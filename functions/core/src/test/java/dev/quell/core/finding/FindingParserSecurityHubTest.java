package dev.quell.core.finding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.finding.AffectedResource.AccessKey;
import dev.quell.core.finding.AffectedResource.Bucket;
import dev.quell.core.finding.AffectedResource.Instance;
import dev.quell.core.finding.AffectedResource.NetworkInterface;
import dev.quell.core.finding.AffectedResource.Other;
import dev.quell.core.finding.AffectedResource.Role;
import dev.quell.core.finding.AffectedResource.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingParserSecurityHubTest {

    private static final String IMPORTED = "securityhub/imported-guardduty-ssh-bruteforce.json";
    private static final String CUSTOM_ACTION = "securityhub/custom-action-two-findings.json";

    @Test
    void importedGuardDutyFinding() {
        ParsedEvent event = Fixtures.parse(IMPORTED);
        Finding finding = event.findings().get(0);

        assertThat(event.detailType()).isEqualTo("Security Hub Findings - Imported");
        assertThat(event.customActionName()).isNull();
        assertThat(finding.source()).isEqualTo(Finding.Source.GUARDDUTY_VIA_SECURITY_HUB);
        assertThat(finding.id()).isEqualTo("a4c6f1e2b3d94f5e8a7b6c5d4e3f2a1b");
        assertThat(finding.type()).isEqualTo("UnauthorizedAccess:EC2/SSHBruteForce");
        assertThat(finding.accountId()).as("AwsAccountId, not the envelope's account").isEqualTo("111122223333");
        assertThat(finding.region()).as("from the resource").isEqualTo("us-east-1");
        assertThat(finding.severity()).isEqualTo(new Severity(2.0, "LOW"));
        assertThat(finding.count()).isEqualTo(3);
        assertThat(finding.sample()).isTrue();
        assertThat(finding.workflowStatus()).isEqualTo("NEW");
        assertThat(finding.resourceRole()).isEqualTo("TARGET");
        assertThat(finding.connectionDirection()).isEqualTo("INBOUND");
    }

    @Test
    void securityHubReferenceKeepsAsffIds() {
        Finding finding = Fixtures.single(IMPORTED);

        assertThat(finding.securityHub()).isEqualTo(new Finding.SecurityHubRef(
                "arn:aws:guardduty:us-east-1:111122223333:detector/5ec2d1a0b9f84e7d6c5b4a3f2e1d0c9b/finding/"
                        + "a4c6f1e2b3d94f5e8a7b6c5d4e3f2a1b",
                "arn:aws:securityhub:us-east-1::product/aws/guardduty", "GuardDuty", "Amazon"));
        assertThat(finding.arn()).isEqualTo(finding.securityHub().id());
    }

    @Test
    void bothCopiesShareDedupKey() {
        Finding direct = Fixtures.single("guardduty/eventbridge-ssh-bruteforce-sample.json");
        Finding imported = Fixtures.single(IMPORTED);

        assertThat(imported.dedupKey()).isEqualTo(direct.dedupKey());
        assertThat(imported.type()).isEqualTo(direct.type());
        assertThat(imported.accountId()).isEqualTo(direct.accountId());
        assertThat(imported.severity()).isEqualTo(direct.severity());
        assertThat(imported.source()).isNotEqualTo(direct.source());
    }

    @Test
    void networkIndicatorsFromRemoteSideOnly() {
        Indicators indicators = Fixtures.single(IMPORTED).indicators();

        assertThat(indicators.remoteIps()).as("inbound: source only, never the local 10.0.1.25")
                .containsExactly("198.51.100.23");
        assertThat(indicators.ports()).containsExactly(41822, 22);
    }

    @Test
    void ec2InstanceFromArnAndDetails() {
        Finding finding = Fixtures.single(IMPORTED);

        assertThat(finding.resources()).containsExactly(new Instance("AwsEc2Instance", "i-0a1b2c3d4e5f60718",
                "arn:aws:iam::111122223333:instance-profile/quell-web-tier",
                List.of(new NetworkInterface("eni-0f1e2d3c4b5a69788", "vpc-0123abcd4567ef890",
                        "subnet-0aa11bb22cc33dd44", List.of())),
                Map.of("Name", "web-01", "team", "payments")));
    }

    @Test
    void customActionWithTwoFindings() {
        ParsedEvent event = Fixtures.parse(CUSTOM_ACTION);

        assertThat(event.detailType()).isEqualTo("Security Hub Findings - Custom Action");
        assertThat(event.customActionName()).isEqualTo("QuellIsolate");
        assertThat(event.eventId()).isEqualTo("d2a4c6e8-1b3d-4f5a-8c7e-9a0b1c2d3e4f");
        assertThat(event.findings()).extracting(Finding::source)
                .containsExactly(Finding.Source.GUARDDUTY_VIA_SECURITY_HUB, Finding.Source.SECURITY_HUB);
    }

    @Test
    void customActionGuardDutyFinding() {
        Finding finding = Fixtures.parse(CUSTOM_ACTION).findings().get(0);

        assertThat(finding.id()).isEqualTo("b1c2d3e4f5a64b7c8d9e0f1a2b3c4d5e");
        assertThat(finding.type()).isEqualTo("Backdoor:EC2/C&CActivity.B");
        assertThat(finding.region()).isEqualTo("us-east-1");
        assertThat(finding.severity()).as("Product 8 lies in the HIGH band").isEqualTo(new Severity(8.0, "HIGH"));
        assertThat(finding.count()).isEqualTo(5);
        assertThat(finding.workflowStatus()).isEqualTo("NOTIFIED");
        assertThat(finding.connectionDirection()).isEqualTo("OUTBOUND");
        assertThat(finding.indicators().remoteIps()).containsExactly("203.0.113.99");
        assertThat(finding.indicators().ports()).containsExactly(443);
        assertThat(finding.sample()).as("additionalInfo is the empty string").isFalse();
        assertThat(finding.resource(Instance.class).map(Instance::instanceId)).hasValue("i-0a1b2c3d4e5f60718");
    }

    @Test
    void customActionInspectorFinding() {
        Finding finding = Fixtures.parse(CUSTOM_ACTION).findings().get(1);

        assertThat(finding.id()).isEqualTo("inspector/us-east-1/111122223333/6e5d4c3b2a19f8e7d6c5b4a3f2e1d0c9b8a7f6e5");
        assertThat(finding.type()).startsWith("Software and Configuration Checks/AWS Security Best Practices/");
        assertThat(finding.severity()).as("Original \"6.0\" lies in the MEDIUM band")
                .isEqualTo(new Severity(6.0, "MEDIUM"));
        assertThat(finding.arn()).as("the ASFF Id is not an ARN").isNull();
        assertThat(finding.region()).isEqualTo("us-east-1");
        assertThat(finding.resource(Instance.class).orElseThrow().networkInterfaces()).containsExactly(
                new NetworkInterface(null, "vpc-0123abcd4567ef890", "subnet-0aa11bb22cc33dd44", List.of()));
    }

    @Test
    void boto3WrappedGuardDutyFindingFrom2019() {
        ParsedEvent event = Fixtures.parse("securityhub/getfindings-boto3-guardduty-2019-style.json");
        Finding finding = event.findings().get(0);

        assertThat(event.eventId()).isNull();
        assertThat(finding.id()).isEqualTo("3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f");
        assertThat(finding.type()).isEqualTo("Recon:IAMUser/UserPermissions");
        assertThat(finding.severity()).isEqualTo(new Severity(5.0, "MEDIUM"));
        assertThat(finding.region()).isEqualTo("us-east-1");
        assertThat(finding.count()).isEqualTo(4);
        assertThat(finding.sample()).as("sample inside the additionalInfo JSON string").isTrue();
        assertThat(finding.resourceRole()).isEqualTo("TARGET");
        assertThat(finding.firstSeen()).isEqualTo(Instant.parse("2019-06-24T16:22:59Z"));
        assertThat(finding.indicators().remoteIps()).containsExactly("192.0.2.150");
        assertThat(finding.resources()).containsExactly(
                new AccessKey("AwsIamAccessKey", "AKIAEXAMPLEKEY000002", null, "ci-deployer", null));
    }

    @Test
    void archivedControlFinding() {
        Finding finding = Fixtures.single("securityhub/control-finding-archived.json");

        assertThat(finding.source()).isEqualTo(Finding.Source.SECURITY_HUB);
        assertThat(finding.id()).isEqualTo(
                "arn:aws:securityhub:eu-west-1:111122223333:security-control/IAM.1/finding/"
                        + "8f7e6d5c-4b3a-4291-8a7b-6c5d4e3f2a1b");
        assertThat(finding.type()).isEqualTo("Software and Configuration Checks/Industry and Regulatory Standards");
        assertThat(finding.archived()).isTrue();
        assertThat(finding.workflowStatus()).isEqualTo("RESOLVED");
        assertThat(finding.sample()).isFalse();
        assertThat(finding.severity()).as("from FindingProviderFields").isEqualTo(new Severity(7.0, "HIGH"));
        assertThat(finding.securityHub().productName()).isEqualTo("Security Hub");
    }

    @Test
    void controlFindingResourceKinds() {
        Finding finding = Fixtures.single("securityhub/control-finding-archived.json");

        assertThat(finding.resources()).containsExactly(
                new User("AwsIamUser", "legacy-admin", "arn:aws:iam::111122223333:user/ops/legacy-admin"),
                new Role("AwsIamRole", "etl-runner", "arn:aws:iam::111122223333:role/service-role/etl-runner"),
                new Bucket("AwsS3Bucket", "quell-audit-logs", "arn:aws:s3:::quell-audit-logs"),
                new Other("AwsKmsKey", "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"));
    }

    @Test
    void typeFallsBackToGeneratorId() {
        String finding = "{\"SchemaVersion\": \"2018-10-08\", \"Id\": \"custom-1\", \"ProductArn\":"
                + " \"arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default\","
                + " \"GeneratorId\": \"quell-self-check\", \"AwsAccountId\": \"111122223333\","
                + " \"Region\": \"us-east-1\", \"Severity\": {\"Label\": \"LOW\"}}";

        Finding parsed = FindingParser.parse(finding).findings().get(0);

        assertThat(parsed.type()).isEqualTo("quell-self-check");
        assertThat(parsed.severity()).isEqualTo(new Severity(1.0, "LOW"));
        assertThat(parsed.resources()).isEmpty();
    }

    @Test
    void regionFallsBackToEnvelope() {
        String event = "{\"detail-type\": \"Security Hub Findings - Imported\", \"source\": \"aws.securityhub\","
                + " \"region\": \"sa-east-1\", \"detail\": {\"findings\": [{\"Id\": \"custom-2\","
                + " \"ProductArn\": \"custom-product\", \"AwsAccountId\": \"111122223333\", \"Types\": [\"Effects\"],"
                + " \"Severity\": {\"Normalized\": 75}}]}}";

        Finding finding = FindingParser.parse(event).findings().get(0);

        assertThat(finding.region()).isEqualTo("sa-east-1");
        assertThat(finding.severity()).isEqualTo(new Severity(7.5, "HIGH"));
    }

    @Test
    void networkWithoutDirectionAddsBothSides() {
        String finding = "{\"Id\": \"custom-3\", \"ProductArn\": \"custom-product\", \"AwsAccountId\":"
                + " \"111122223333\", \"Region\": \"us-east-1\", \"Types\": [\"TTPs\"], \"Severity\":"
                + " {\"Label\": \"MEDIUM\"}, \"Network\": {\"SourceIpV4\": \"192.0.2.1\", \"DestinationIpV4\":"
                + " \"198.51.100.2\", \"DestinationDomain\": \"bad.example\", \"DestinationPort\": \"8443\"}}";

        Indicators indicators = FindingParser.parse(finding).findings().get(0).indicators();

        assertThat(indicators.remoteIps()).containsExactly("192.0.2.1", "198.51.100.2");
        assertThat(indicators.domains()).containsExactly("bad.example");
        assertThat(indicators.ports()).containsExactly(8443);
    }
}
