package dev.quell.core.finding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.finding.AffectedResource.AccessKey;
import dev.quell.core.finding.AffectedResource.Bucket;
import dev.quell.core.finding.AffectedResource.Instance;
import dev.quell.core.finding.AffectedResource.NetworkInterface;
import dev.quell.core.finding.AffectedResource.Other;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingParserGuardDutyTest {

    @Test
    void eventBridgeFindingEnvelopeFacts() {
        ParsedEvent event = Fixtures.parse("guardduty/eventbridge-ssh-bruteforce-sample.json");

        assertThat(event.eventId()).isEqualTo("6f1c9a52-3e0d-4b7a-9a61-0c2d8e4f7b13");
        assertThat(event.detailType()).isEqualTo("GuardDuty Finding");
        assertThat(event.customActionName()).isNull();
        assertThat(event.findings()).hasSize(1);
    }

    @Test
    void eventBridgeFindingFields() {
        Finding finding = Fixtures.single("guardduty/eventbridge-ssh-bruteforce-sample.json");

        assertThat(finding.id()).isEqualTo("a4c6f1e2b3d94f5e8a7b6c5d4e3f2a1b");
        assertThat(finding.source()).isEqualTo(Finding.Source.GUARDDUTY);
        assertThat(finding.type()).isEqualTo("UnauthorizedAccess:EC2/SSHBruteForce");
        assertThat(finding.severity()).isEqualTo(new Severity(2.0, "LOW"));
        assertThat(finding.accountId()).as("finding account, not the envelope's").isEqualTo("111122223333");
        assertThat(finding.region()).isEqualTo("us-east-1");
        assertThat(finding.partition()).isEqualTo("aws");
        assertThat(finding.arn()).endsWith("/finding/a4c6f1e2b3d94f5e8a7b6c5d4e3f2a1b");
        assertThat(finding.title()).startsWith("198.51.100.23 is performing SSH brute force");
        assertThat(finding.createdAt()).isEqualTo(Instant.parse("2024-05-14T09:01:18.412Z"));
        assertThat(finding.updatedAt()).isEqualTo(Instant.parse("2024-05-14T09:12:03.977Z"));
        assertThat(finding.firstSeen()).isEqualTo(Instant.parse("2024-05-14T08:55:02Z"));
        assertThat(finding.lastSeen()).isEqualTo(Instant.parse("2024-05-14T09:10:37Z"));
        assertThat(finding.count()).isEqualTo(3);
        assertThat(finding.archived()).isFalse();
        assertThat(finding.sample()).isTrue();
        assertThat(finding.workflowStatus()).isNull();
        assertThat(finding.securityHub()).isNull();
        assertThat(finding.connectionDirection()).isEqualTo("INBOUND");
        assertThat(finding.resourceRole()).isEqualTo("TARGET");
    }

    @Test
    void instanceResourceWithNetworkAndTags() {
        Finding finding = Fixtures.single("guardduty/eventbridge-ssh-bruteforce-sample.json");

        assertThat(finding.resources()).singleElement().isEqualTo(new Instance("Instance", "i-0a1b2c3d4e5f60718",
                "arn:aws:iam::111122223333:instance-profile/quell-web-tier",
                List.of(new NetworkInterface("eni-0f1e2d3c4b5a69788", "vpc-0123abcd4567ef890",
                        "subnet-0aa11bb22cc33dd44", List.of("sg-0a1a2a3a4a5a6a7a8", "sg-0b1b2b3b4b5b6b7b8"))),
                Map.of("Name", "web-01", "team", "payments")));
    }

    @Test
    void networkConnectionIndicators() {
        Indicators indicators = Fixtures.single("guardduty/eventbridge-ssh-bruteforce-sample.json").indicators();

        assertThat(indicators.remoteIps()).containsExactly("198.51.100.23");
        assertThat(indicators.ports()).containsExactly(41822, 22);
        assertThat(indicators.domains()).isEmpty();
    }

    @Test
    void partialEnvelopeUsesEnvelopeRegion() {
        ParsedEvent event = Fixtures.parse("guardduty/partial-envelope-dns-no-region.json");
        Finding finding = event.findings().get(0);

        assertThat(event.detailType()).isNull();
        assertThat(event.eventId()).isNull();
        assertThat(finding.region()).isEqualTo("eu-west-1");
        assertThat(finding.arn()).isNull();
        assertThat(finding.type()).isEqualTo("Backdoor:EC2/C&CActivity.B!DNS");
        assertThat(finding.indicators().domains()).containsExactly("c2.example.net");
        assertThat(finding.sample()).isFalse();
    }

    @Test
    void severityAndCountAsStrings() {
        Finding finding = Fixtures.single("guardduty/partial-envelope-dns-no-region.json");

        assertThat(finding.severity()).isEqualTo(new Severity(8.0, "HIGH"));
        assertThat(finding.count()).isEqualTo(2);
    }

    @Test
    void accessKeyFindingIgnoresSampleInstanceDetails() {
        Finding finding = Fixtures.single("guardduty/bare-accesskey-archived.json");

        assertThat(finding.resources()).containsExactly(
                new AccessKey("AccessKey", "AKIAEXAMPLEKEY000001", "AIDAEXAMPLEUSER00001", "build-bot", "IAMUser"));
    }

    @Test
    void archivedSampleStringAndIpv6() {
        Finding finding = Fixtures.single("guardduty/bare-accesskey-archived.json");

        assertThat(finding.archived()).isTrue();
        assertThat(finding.sample()).as("additionalInfo.sample is the string \"true\"").isTrue();
        assertThat(finding.severity()).isEqualTo(new Severity(5.0, "MEDIUM"));
        assertThat(finding.indicators().remoteIps()).containsExactly("2001:db8:85a3::8a2e:370:7334");
        assertThat(finding.connectionDirection()).isNull();
    }

    @Test
    void credentialExfiltrationKeepsKeyAndInstance() {
        Finding finding = Fixtures.single("guardduty/bare-credential-exfiltration.json");

        assertThat(finding.resources()).hasSize(2);
        assertThat(finding.resource(AccessKey.class)).hasValueSatisfying(key -> {
            assertThat(key.accessKeyId()).isEqualTo("ASIAEXAMPLESESSION01");
            assertThat(key.principalType()).isEqualTo("AssumedRole");
        });
        assertThat(finding.resource(Instance.class).map(Instance::instanceId)).hasValue("i-0a1b2c3d4e5f60718");
        assertThat(finding.sample()).as("additionalInfo.value is \"{}\"").isFalse();
    }

    @Test
    void bucketFindingListsBucketsThenKey() {
        Finding finding = Fixtures.single("guardduty/bare-s3-two-buckets.json");

        assertThat(finding.resources()).containsExactly(
                new Bucket("S3Bucket", "quell-invoices-eu", "arn:aws:s3:::quell-invoices-eu"),
                new Bucket("S3Bucket", "quell-exports-eu", "arn:aws:s3:::quell-exports-eu"),
                new AccessKey("AccessKey", "ASIAEXAMPLESESSION02", "AROAEXAMPLEROLE00002:alice", "DataEngineer",
                        "AssumedRole"));
        assertThat(finding.indicators().remoteIps()).containsExactly("192.0.2.44");
        assertThat(finding.indicators().domains()).containsExactly("client.example.org");
    }

    @Test
    void containerFindingKeepsContainerAndInstance() {
        Finding finding = Fixtures.single("guardduty/bare-runtime-container.json");

        assertThat(finding.resources()).hasSize(2);
        assertThat(finding.resources().get(0)).isEqualTo(new Other("Container", "3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c"));
        Instance instance = finding.resource(Instance.class).orElseThrow();
        assertThat(instance.instanceId()).isEqualTo("i-0b0b0b0b0b0b0b0b0");
        assertThat(instance.networkInterfaces()).singleElement()
                .satisfies(eni -> assertThat(eni.securityGroupIds()).containsExactly("sg-0f0f0f0f0f0f0f0f0"));
        assertThat(instance.tags()).containsEntry("Name", "build-runner").containsEntry("empty-value", "");
        assertThat(finding.count()).isEqualTo(12);
        assertThat(finding.resourceRole()).isNull();
        assertThat(finding.indicators()).isEqualTo(Indicators.NONE);
    }

    @Test
    void eksFindingWithSpaceSeparatedTimes() {
        Finding finding = Fixtures.single("guardduty/bare-eks-space-separated-times.json");

        assertThat(finding.resources()).containsExactly(
                new Other("EKSCluster", "arn:aws:eks:us-east-2:111122223333:cluster/payments-prod"));
        assertThat(finding.createdAt()).isEqualTo(Instant.parse("2024-08-30T11:05:44.310Z"));
        assertThat(finding.firstSeen()).isEqualTo(Instant.parse("2024-08-30T11:02:07Z"));
        assertThat(finding.indicators().remoteIps()).containsExactly("198.51.100.200");
        assertThat(finding.sample()).isFalse();
    }

    @Test
    void portProbeReadsStringPortsAndDropsJunk() {
        Finding finding = Fixtures.single("guardduty/bare-portprobe-string-ports.json");

        assertThat(finding.indicators().ports()).containsExactly(3389, 22);
        assertThat(finding.indicators().remoteIps()).containsExactly("203.0.113.5", "203.0.113.6");
        assertThat(finding.count()).isEqualTo(17);
        assertThat(finding.archived()).as("archived is the string \"false\"").isFalse();
        assertThat(finding.partition()).as("default partition").isEqualTo("aws");
    }

    @Test
    void pascalCaseCliOutput() {
        ParsedEvent event = Fixtures.parse("guardduty/cli-getfindings-pascalcase-sample.json");
        Finding finding = event.findings().get(0);

        assertThat(event.detailType()).isNull();
        assertThat(finding.id()).isEqualTo("4d5e6f7a8b9c4d0e1f2a3b4c5d6e7f8a");
        assertThat(finding.type()).isEqualTo("Trojan:EC2/DropPoint!DNS");
        assertThat(finding.accountId()).isEqualTo("111122223333");
        assertThat(finding.region()).isEqualTo("eu-west-2");
        assertThat(finding.severity()).isEqualTo(new Severity(8.0, "HIGH"));
        assertThat(finding.firstSeen()).isEqualTo(Instant.parse("2024-10-11T13:58:00Z"));
        assertThat(finding.resourceRole()).isEqualTo("TARGET");
        assertThat(finding.indicators().domains()).containsExactly("drop.example.com");
    }

    @Test
    void pascalCaseSampleOnlyInsideValueString() {
        Finding finding = Fixtures.single("guardduty/cli-getfindings-pascalcase-sample.json");

        assertThat(finding.sample()).isTrue();
    }

    @Test
    void pascalCaseInstanceDetails() {
        Instance instance = Fixtures.single("guardduty/cli-getfindings-pascalcase-sample.json")
                .resource(Instance.class).orElseThrow();

        assertThat(instance.instanceId()).isEqualTo("i-0e1e2e3e4e5e6e7e8");
        assertThat(instance.instanceProfileArn()).isEqualTo("arn:aws:iam::111122223333:instance-profile/reporting");
        assertThat(instance.networkInterfaces()).containsExactly(new NetworkInterface("eni-0a2a4a6a8aacaeaf0",
                "vpc-0d2d4d6d8dadcdedf", "subnet-0b2b4b6b8babbbdbf", List.of("sg-0c2c4c6c8cacccece")));
        assertThat(instance.tags()).isEqualTo(Map.of("Name", "reporting-01", "env", "prod"));
    }

    @Test
    void otherResourceTypesKeepTheirIdentifier() {
        assertThat(resourcesOf("{\"resourceType\": \"RDSDBInstance\", \"rdsDbInstanceDetails\": "
                + "{\"dbInstanceIdentifier\": \"orders-1\"}}"))
                .containsExactly(new Other("RDSDBInstance", "orders-1"));
        assertThat(resourcesOf("{\"resourceType\": \"Lambda\", \"lambdaDetails\": {\"functionArn\": "
                + "\"arn:aws:lambda:us-east-1:111122223333:function:resize\"}}"))
                .containsExactly(new Other("Lambda", "arn:aws:lambda:us-east-1:111122223333:function:resize"));
        assertThat(resourcesOf("{\"resourceType\": \"AttackSequence\"}"))
                .containsExactly(new Other("AttackSequence", null));
        assertThat(resourcesOf("{\"resourceType\": \"ECSCluster\", \"ecsClusterDetails\": {\"name\": \"jobs\"}}"))
                .containsExactly(new Other("ECSCluster", "jobs"));
    }

    @Test
    void instanceWithoutIdBecomesOther() {
        assertThat(resourcesOf("{\"resourceType\": \"Instance\", \"instanceDetails\": {\"instanceType\": \"t3\"}}"))
                .containsExactly(new Other("Instance", null));
    }

    @Test
    void missingResourceGivesNoResources() {
        assertThat(Fixtures.single("guardduty/bare-portprobe-string-ports.json").resources()).hasSize(1);
        assertThat(FindingParser.parse(minimalFinding("")).findings().get(0).resources()).isEmpty();
    }

    private static List<AffectedResource> resourcesOf(String resource) {
        return FindingParser.parse(minimalFinding(", \"resource\": " + resource)).findings().get(0).resources();
    }

    private static String minimalFinding(String extraFields) {
        return "{\"schemaVersion\": \"2.0\", \"id\": \"f00d\", \"type\": \"Recon:EC2/Portscan\","
                + " \"accountId\": \"111122223333\", \"region\": \"us-east-1\", \"severity\": 5" + extraFields + "}";
    }
}
