package dev.quell.notify.slack;

import static dev.quell.notify.slack.SlackChecks.assertMentionsNobody;
import static dev.quell.notify.slack.SlackChecks.assertWithinLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.decision.Decision;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.finding.Severity;
import dev.quell.core.json.Json;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.notify.Results;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SlackMessageTest {

    @Test
    void containedIsolation_showsFactsStepsAndRelease() throws Exception {
        JsonNode payload = payload(SlackMessage.render(Results.contained(Results.instanceFinding()),
                Map.of(Results.ACCOUNT, "payments-prod")));
        String all = String.join("\n", SlackChecks.texts(payload));

        assertWithinLimits(payload);
        assertThat(payload.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("HIGH: Command and Control server domain name queried by EC2 instance i-0abc1234def567890.");
        assertThat(all).contains("`123456789012` payments-prod", "`eu-west-1`",
                "`Backdoor:EC2/C&amp;CActivity.B!DNS`",
                "`8.0` HIGH", "*Occurrences*\n`3`", "2026-12-01 08:59:00 UTC", "2026-12-01 09:58:00 UTC",
                "EC2 instance `i-0abc1234def567890` Name: web-1");
        assertThat(all).contains("`198.51.100.7`, `203.0.113.9`", "`c2.example.com`", "`53`, `443`");
        assertThat(all).contains("*protect-instance*: done", "*detach-auto-scaling*: skipped — no Auto Scaling group",
                "*snapshot-volumes*: failed with `RequestLimitExceeded` — CreateSnapshot was throttled");
        assertThat(all).contains("*State before the change*", "interfaceGroups: eni-1=[sg-111, sg-222]",
                "volumeIds: vol-1, vol-2").doesNotContain("autoScaling", "targetGroups");
        assertThat(all).contains("The instance is still running", "stay usable until IAM applies the deny",
                "The failed steps above did not take effect");
        assertThat(all).contains("```quell release " + Results.FINDING_ID + "```");
    }

    @Test
    void links_pointAtConsoleOfRegion() throws Exception {
        String all = String.join("\n", SlackChecks.texts(payload(SlackMessage.render(
                Results.contained(Results.instanceFinding())))));

        String console = "<https://console.aws.amazon.com/";
        assertThat(all).contains(console + "guardduty/home?region=eu-west-1#/findings?macros=current"
                + "&amp;fId=" + Results.FINDING_ID + "|GuardDuty finding>");
        assertThat(all).contains(console + "securityhub/home?region=eu-west-1#/findings?search=Id%3D");
        assertThat(all).contains(console + "ec2/home?region=eu-west-1#InstanceDetails:instanceId="
                + "i-0abc1234def567890|EC2 instance i-0abc1234def567890>");
    }

    @Test
    void links_followPartition() throws Exception {
        for (var partition : List.of(List.of("aws-cn", "cn-north-1", "https://console.amazonaws.cn/"),
                List.of("aws-us-gov", "us-gov-west-1", "https://console.amazonaws-us-gov.com/"))) {
            Finding base = Results.instanceFinding();
            Finding finding = new Finding(base.id(), base.source(), base.type(), base.title(), base.description(),
                    base.severity(), base.accountId(), partition.get(1), partition.get(0), null, null, null, null, 1,
                    false, false, null, null, null, null, null, base.resources(), base.indicators());
            String all = String.join("\n", SlackChecks.texts(payload(SlackMessage.render(
                    Results.contained(finding)))));

            assertThat(all).as(partition.get(0)).contains("<" + partition.get(2) + "ec2/home?region="
                    + partition.get(1) + "#InstanceDetails");
            assertThat(all).as(partition.get(0)).doesNotContain("console.aws.amazon.com");
        }
    }

    @Test
    void dryRun_isMarked() throws Exception {
        JsonNode payload = payload(SlackMessage.render(Results.withOutcome(Results.instanceFinding(),
                Outcome.PLANNED)));
        String all = String.join("\n", SlackChecks.texts(payload));

        assertWithinLimits(payload);
        assertThat(payload.path("blocks").get(0).path("text").path("text").asText()).startsWith("[DRY RUN] HIGH: ");
        assertThat(payload.path("text").asText()).startsWith("[DRY RUN]");
        assertThat(all).contains("*DRY RUN:* Quell changed nothing", "*swap-security-groups*: planned",
                "*Current state*").doesNotContain("quell release", "Not covered");
    }

    @Test
    void sample_isMarked() throws Exception {
        Finding sample = Results.finding("sample-1", Finding.Source.GUARDDUTY, "Backdoor:EC2/C&CActivity.B",
                "Sample", "Sample finding", List.of(), Indicators.NONE, true, null);
        JsonNode payload = payload(SlackMessage.render(Results.withOutcome(sample, Outcome.PLANNED)));

        assertThat(payload.path("blocks").get(0).path("text").path("text").asText())
                .startsWith("[DRY RUN] [SAMPLE] HIGH: ");
        assertThat(String.join("\n", SlackChecks.texts(payload))).contains("*SAMPLE:* AWS generated this finding");
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void everyOutcome_rendersWithinLimits(Outcome outcome) throws Exception {
        JsonNode payload = payload(SlackMessage.render(Results.withOutcome(Results.instanceFinding(), outcome)));

        assertWithinLimits(payload);
        assertMentionsNobody(payload);
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void bareFinding_showsNoPlaceholders(Outcome outcome) throws Exception {
        ResponseResult result = new ResponseResult(Results.bareFinding(), null, null, null, outcome,
                List.of(new StepResult(null, null, null, null, 0)), null, null, null, null);
        JsonNode payload = payload(SlackMessage.render(result));

        assertWithinLimits(payload);
        assertThat(payload.path("blocks").get(0).path("text").path("text").asText())
                .endsWith("UNKNOWN SEVERITY: Untitled finding");
        assertThat(SlackText.render(result)).doesNotContain("null", "undefined", "NaN");
    }

    @Test
    void nullOutcome_showsNoPlaceholders() throws Exception {
        ResponseResult result = new ResponseResult(Results.bareFinding(), "isolate-instance", null, null, null, null,
                null, null, null, null);

        assertWithinLimits(payload(SlackMessage.render(result)));
    }

    @Test
    void placeholderStrings_areLeftOut() throws Exception {
        var instance = new AffectedResource.Instance("Instance", "i-1", null, List.of(), Map.of("Name", "null"));
        Finding finding = Results.finding("f-1", Finding.Source.GUARDDUTY, "Recon:EC2/Portscan", "undefined", "NaN",
                List.of(instance), Indicators.NONE, false, null);

        JsonNode payload = payload(SlackMessage.render(Results.withOutcome(finding, Outcome.IGNORED)));

        assertWithinLimits(payload);
        assertThat(payload.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("HIGH: Recon:EC2/Portscan");
    }

    @Test
    void everyResourceKind_isDescribed() throws Exception {
        List<AffectedResource> resources = List.of(
                new AffectedResource.Instance("Instance", "i-0123", null, null, Map.of("Name", "db")),
                new AffectedResource.AccessKey("AccessKey", "AKIAIOSFODNN7EXAMPLE", "AIDAEXAMPLE", "alice", "IAMUser"),
                new AffectedResource.AccessKey("AccessKey", "ASIAEXAMPLEROLEKEY12", "AROAEXAMPLE:session",
                        "deploy-role", "AssumedRole"),
                new AffectedResource.Role("AwsIamRole", "app_role", "arn:aws:iam::123456789012:role/app_role"),
                new AffectedResource.User("AwsIamUser", "bob", null),
                new AffectedResource.Bucket("S3Bucket", "logs-bucket", null),
                new AffectedResource.Other("AwsEksCluster", "arn:aws:eks:eu-west-1:123456789012:cluster/prod"));
        Finding finding = Results.finding("f-2", Finding.Source.GUARDDUTY_VIA_SECURITY_HUB,
                "UnauthorizedAccess:IAMUser/MaliciousIPCaller", "Key used from a known bad IP", "desc", resources,
                Indicators.NONE, false, null);

        JsonNode payload = payload(SlackMessage.render(Results.withOutcome(finding, Outcome.CONTAINED)));
        String all = String.join("\n", SlackChecks.texts(payload));

        assertWithinLimits(payload);
        assertThat(all).contains("EC2 instance `i-0123` Name: db", "access key `…MPLE` user alice, IAMUser",
                "access key `…EY12` user deploy-role, AssumedRole", "IAM role `app_role`", "IAM user `bob`",
                "S3 bucket `logs-bucket`", "AwsEksCluster `arn:aws:eks:eu-west-1:123456789012:cluster/prod`");
        assertThat(all).doesNotContain("AKIAIOSFODNN7EXAMPLE", "ASIAEXAMPLEROLEKEY12");
        assertThat(all).contains("|IAM user alice>", "|IAM role deploy-role>", "|IAM role app_role>",
                "|IAM user bob>", "iam/home#/users/details/alice");
    }

    @Test
    void accessKeyInStepDetail_isMasked() throws Exception {
        ResponseResult result = new ResponseResult(Results.instanceFinding(), "quarantine-access-key",
                "AKIAIOSFODNN7EXAMPLE", Decision.act("playbook matched", "keys"), Outcome.CONTAINED,
                List.of(StepResult.done("deactivate-key", "deactivated AKIAIOSFODNN7EXAMPLE for alice", 10)), null,
                "verified", Results.STARTED, Results.STARTED);

        SlackMessage message = SlackMessage.render(result);

        assertThat(message.toJson()).doesNotContain("AKIAIOSFODNN7EXAMPLE").contains("…MPLE");
        assertThat(SlackText.render(result)).doesNotContain("AKIAIOSFODNN7EXAMPLE").contains("…MPLE");
    }

    @Test
    void hostileFinding_staysWithinLimitsAndMentionsNobody() throws Exception {
        String description = "<!channel> please look <http://evil.example|http://aws.amazon.com> @here *bold* "
                + "x".repeat(3500);
        String title = "<!here> <@U12345> " + "T".repeat(200);
        List<String> ips = IntStream.range(0, 60).mapToObj(i -> "192.0.2." + i).toList();
        List<String> duplicated = new ArrayList<>(ips);
        duplicated.addAll(ips);
        var instance = new AffectedResource.Instance("Instance", "i-0abc", null, List.of(),
                Map.of("Name", "<!channel> `code` _x_ ~y~", "owner", "<@U999|boss> & co"));
        Finding finding = Results.finding("f-3", Finding.Source.GUARDDUTY, "Backdoor:EC2/C&CActivity.B", title,
                description, List.of(instance), new Indicators(duplicated, List.of("<!everyone>.example"),
                        List.of(22)), false, null);

        SlackMessage message = SlackMessage.render(Results.contained(finding));
        JsonNode payload = payload(message);
        String all = String.join("\n", SlackChecks.texts(payload));

        assertWithinLimits(payload);
        assertMentionsNobody(payload);
        assertThat(payload.path("blocks").get(0).path("text").path("text").asText()).hasSizeLessThanOrEqualTo(150)
                .contains("(truncated, ");
        assertThat(all).contains("&lt;!channel&gt; please look &lt;http://evil.example|http://aws.amazon.com&gt;")
                .contains("… (truncated, ").contains("more characters)");
        assertThat(all).contains("*Remote IPs (60)*");
        for (String ip : ips) {
            assertThat(all).contains("`" + ip + "`");
        }
        assertThat(all).contains("Name: &lt;!channel&gt; ˋcodeˋ ˍxˍ ∼y∼");
        assertThat(payload.path("unfurl_links").asBoolean(true)).isFalse();
        assertThat(payload.path("unfurl_media").asBoolean(true)).isFalse();
    }

    @Test
    void manyIndicatorsAndSteps_areCutVisibly() throws Exception {
        List<String> domains = IntStream.range(0, 2000).mapToObj(i -> "host-" + i + ".bad.example").toList();
        List<StepResult> steps = IntStream.range(0, 300).mapToObj(i -> StepResult.done("step-" + i,
                "detail ".repeat(20), 1)).toList();
        Finding finding = Results.finding("f-4", Finding.Source.SECURITY_HUB, "TTPs/Discovery", "Many", "Many",
                List.of(), new Indicators(List.of(), domains, List.of()), false, null);
        ResponseResult result = new ResponseResult(finding, "isolate-instance", "i-1", Decision.act("r", "p"),
                Outcome.CONTAINED, steps, null, null, Results.STARTED, Results.STARTED);

        JsonNode payload = payload(SlackMessage.render(result));
        String all = String.join("\n", SlackChecks.texts(payload));

        assertWithinLimits(payload);
        assertThat(all).contains("*Domains (2000)*").containsPattern("… \\(truncated, [0-9,]+ more\\)");
        assertThat(all).contains("`host-0.bad.example`");
    }

    @Test
    void fallback_isTextOnly() throws Exception {
        SlackMessage fallback = SlackMessage.fallback(Results.contained(Results.instanceFinding()), Map.of(),
                "invalid_blocks");
        JsonNode payload = payload(fallback);

        assertThat(payload.has("blocks")).isFalse();
        assertThat(fallback.blocks()).isEmpty();
        assertThat(payload.path("text").asText()).contains("Contained", "quell release " + Results.FINDING_ID,
                "invalid_blocks").hasSizeLessThanOrEqualTo(3000);
    }

    @Test
    void resultWithoutFinding_isRejected() {
        ResponseResult result = new ResponseResult(null, "isolate-instance", null, null, Outcome.IGNORED, null, null,
                null, null, null);

        assertThatThrownBy(() -> SlackMessage.render(result)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no finding");
    }

    @Test
    void severityScore_isShownWithOneDecimal() throws Exception {
        Finding base = Results.instanceFinding();
        Finding finding = new Finding(base.id(), base.source(), base.type(), base.title(), base.description(),
                new Severity(5.35, null), base.accountId(), base.region(), base.partition(), null, null, null,
                Instant.parse("2026-12-01T10:00:00Z"), 1, false, false, null, null, null, null, null, List.of(),
                null);

        String all = String.join("\n", SlackChecks.texts(payload(SlackMessage.render(
                Results.withOutcome(finding, Outcome.IGNORED)))));

        assertThat(all).contains("`5.4` MEDIUM").doesNotContain("First seen");
    }

    private static JsonNode payload(SlackMessage message) throws Exception {
        return Json.mapper().readTree(message.toJson());
    }
}
