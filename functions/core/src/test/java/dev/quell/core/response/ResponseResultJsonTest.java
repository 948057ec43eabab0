package dev.quell.core.response;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.decision.Decision;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.finding.Severity;
import dev.quell.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseResultJsonTest {

    @Test
    void result_readsBackWithEveryResourceKind() throws Exception {
        List<AffectedResource> resources = List.of(
                new AffectedResource.Instance("Instance", "i-1", null, List.of(
                        new AffectedResource.NetworkInterface("eni-1", "vpc-1", "subnet-1", List.of("sg-1"))),
                        Map.of("Name", "web")),
                new AffectedResource.AccessKey("AccessKey", "AKIAEXAMPLE", "AIDA1", "alice", "IAMUser"),
                new AffectedResource.Role("AwsIamRole", "app", "arn:aws:iam::123456789012:role/app"),
                new AffectedResource.User("AwsIamUser", "bob", null),
                new AffectedResource.Bucket("S3Bucket", "logs", null),
                new AffectedResource.Other("AwsEksCluster", "arn:aws:eks:eu-west-1:123456789012:cluster/x"));
        Finding finding = new Finding("f-1", Finding.Source.GUARDDUTY, "Backdoor:EC2/X", "title", "description",
                Severity.of(8), "123456789012", "eu-west-1", "aws", Instant.parse("2026-12-01T10:00:00Z"), null, null,
                null, 2, false, false, "NEW", null, null, "OUTBOUND", "ACTOR", resources,
                new Indicators(List.of("192.0.2.1"), List.of("bad.example"), List.of(443)));
        ResponseResult result = new ResponseResult(finding, "isolate-instance", "i-1",
                Decision.act("playbook p matched", "p"), Outcome.CONTAINED,
                List.of(StepResult.failed("snapshot-volumes", "throttled", "RequestLimitExceeded", 10)),
                Json.mapper().createObjectNode().put("instanceId", "i-1"), "verified",
                Instant.parse("2026-12-01T10:05:00Z"), Instant.parse("2026-12-01T10:05:03Z"));

        String json = Json.mapper().writeValueAsString(result);
        ResponseResult read = Json.mapper().readValue(json, ResponseResult.class);

        assertThat(read).isEqualTo(result);
        assertThat(json).contains("\"kind\":\"Instance\"", "\"kind\":\"AccessKey\"", "\"kind\":\"Other\"");
    }

    @Test
    void resourceWithoutKind_readsAsOther() throws Exception {
        AffectedResource resource = Json.mapper().readValue("{\"rawType\":\"Instance\",\"instanceId\":\"i-1\"}",
                AffectedResource.class);

        assertThat(resource).isEqualTo(new AffectedResource.Other("Instance", null));
    }
}
