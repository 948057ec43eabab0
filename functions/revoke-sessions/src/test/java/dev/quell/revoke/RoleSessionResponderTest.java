package dev.quell.revoke;

import static dev.quell.iam.LocalCredentials.MALICIOUS_CALLER;
import static dev.quell.iam.LocalCredentials.accessKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.decision.BlastRadius;
import dev.quell.core.finding.Finding;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.LedgerRecord;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import dev.quell.iam.IamTarget;
import dev.quell.iam.LocalCredentials;
import dev.quell.iam.PrincipalPolicies;
import dev.quell.iam.RecordingClients;
import dev.quell.iam.SeededIam;
import dev.quell.iam.StepPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class RoleSessionResponderTest {

    private static final String DENY = "quell-revoke-older-sessions";
    private static final String SESSION_KEY = "ASIAIOSFODNN7EXAMPLE";

    private final LocalCredentials local = new LocalCredentials();
    private final SeededIam seeded = local.seeded;
    private final PrincipalPolicies policies = new PrincipalPolicies(seeded.iam());
    private final RoleUsers users = new RoleUsers(seeded);

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void assumedRole_deniesOlderSessions() throws Exception {
        SeededIam.Role role = seeded.role(SeededIam.unique("deployer"), "codebuild.amazonaws.com");
        local.clock.set(Instant.parse("2026-12-01T10:20:30.400Z"));

        ResponseResult result = responder(enforce()).respond(sessionFinding(role.name()), "test");

        assertThat(result.outcome()).as(result.steps().toString()).isEqualTo(Outcome.CONTAINED);
        assertThat(result.verification()).isEqualTo("verified");
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).containsExactly(DENY);
        JsonNode statement = statementOf(role.name(), DENY);
        assertThat(statement.get("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.get("Action").asText()).isEqualTo("*");
        assertThat(statement.at("/Condition/DateLessThan/aws:TokenIssueTime").asText())
                .isEqualTo("2026-12-01T10:20:30Z");
        assertThat(local.clients.calls()).doesNotContain("Iam:UpdateAccessKey");
    }

    @Test
    void twoFindings_leaveExactlyOneDeny() throws Exception {
        SeededIam.Role role = seeded.role(SeededIam.unique("worker"), "ecs-tasks.amazonaws.com");
        responder(enforce()).respond(sessionFinding(role.name()), "first");
        local.clock.set(Instant.parse("2026-12-01T11:00:00Z"));

        ResponseResult second = responder(enforce()).respond(sessionFinding(role.name()), "second");

        assertThat(second.outcome()).isEqualTo(Outcome.CONTAINED);
        assertThat(denyPoliciesWithTokenIssueTime(role.name())).containsExactly(DENY);
        assertThat(policies.attachedArns(IamTarget.role(role.name()))).isEmpty();
        assertThat(statementOf(role.name(), DENY).at("/Condition/DateLessThan/aws:TokenIssueTime").asText())
                .isEqualTo("2026-12-01T11:00:00Z");
        assertThat(local.clients.calls()).doesNotContain("Iam:UpdateAccessKey");
    }

    @Test
    void repeatSameFinding_makesNoMutatingCall() throws Exception {
        SeededIam.Role role = seeded.role(SeededIam.unique("repeat"), "ecs-tasks.amazonaws.com");
        Finding finding = sessionFinding(role.name());
        responder(enforce()).respond(finding, "first");
        local.clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        local.clients.clear();

        ResponseResult second = responder(enforce()).respond(finding, "second");

        assertThat(second.outcome()).isEqualTo(Outcome.ALREADY_HANDLED);
        assertThat(second.steps()).isEmpty();
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
        assertThat(local.clients.mutatingCalls(RecordingClients.EC2)).isEmpty();
        assertThat(local.clients.mutatingCalls(RecordingClients.LAMBDA)).isEmpty();
        assertThat(statementOf(role.name(), DENY).at("/Condition/DateLessThan/aws:TokenIssueTime").asText())
                .isEqualTo("2026-12-01T10:00:00Z");
    }

    @Test
    void blastRadius_countsInstancesAndFunctions() {
        SeededIam.Role role = seeded.role(SeededIam.unique("shared"), "ec2.amazonaws.com");
        List<String> instances = users.instancesWithProfile(role.name(), 3);
        users.stop(instances.get(2));
        String function = users.function(role.arn(), "us-east-1");

        ResponseResult result = responder(enforce()).respond(sessionFinding(role.name()), "test");

        BlastRadius radius = radiusOf(result);
        assertThat(radius.instanceProfiles()).isEqualTo(1);
        assertThat(radius.runningInstances()).isEqualTo(2);
        assertThat(radius.functions()).isEqualTo(1);
        assertThat(radius.complete()).isTrue();
        assertThat(radius.examples()).contains(function).anyMatch(arn -> arn.endsWith("instance/" + instances.get(0)))
                .noneMatch(arn -> arn.endsWith("instance/" + instances.get(2)));
        assertThat(result.outcome()).isEqualTo(Outcome.CONTAINED);
        assertThat(result.steps().get(0).detail()).contains("used by 3 resource(s)");
    }

    @Test
    void blastRadiusOverMax_onlyPlans() {
        SeededIam.Role role = seeded.role(SeededIam.unique("busy"), "ec2.amazonaws.com");
        users.instancesWithProfile(role.name(), 2);
        users.function(role.arn(), LocalCredentials.REGION);

        ResponseResult result = responder(LocalCredentials.policy("enforce", null, 2, false))
                .respond(sessionFinding(role.name()), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(result.decision().reason()).contains("used by 3 resource(s)", "maxRoleBlastRadius (2)",
                "does not set mode enforce");
        assertThat(result.steps()).extracting(StepResult::status).containsExactly(StepStatus.PLANNED);
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).isEmpty();
    }

    @Test
    void blastRadiusOverMax_actsWhenPlaybookEnforces() {
        SeededIam.Role role = seeded.role(SeededIam.unique("busy"), "ec2.amazonaws.com");
        users.instancesWithProfile(role.name(), 2);
        users.function(role.arn(), LocalCredentials.REGION);

        ResponseResult result = responder(LocalCredentials.policy("dry-run", "enforce", 2, false))
                .respond(sessionFinding(role.name()), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.CONTAINED);
        assertThat(radiusOf(result).total()).isEqualTo(3);
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).containsExactly(DENY);
    }

    @Test
    void fullInlineQuota_fallsBackToManagedPolicy() {
        SeededIam.Role role = seeded.role(SeededIam.unique("crowded"), "ec2.amazonaws.com");
        seeded.fillInlineQuota(IamTarget.role(role.name()), 100);
        Finding finding = sessionFinding(role.name());
        RoleSessionResponder responder = responder(enforce());

        ResponseResult result = responder.respond(finding, "test");

        assertThat(result.outcome()).as(result.steps().toString()).isEqualTo(Outcome.CONTAINED);
        assertThat(result.verification()).isEqualTo("verified");
        assertThat(result.steps().get(0).detail()).contains("customer managed policy", "quota was full");
        String managed = "arn:aws:iam::" + LocalCredentials.ACCOUNT + ":policy/quell/" + DENY + "-role-"
                + role.name();
        assertThat(policies.attachedArns(IamTarget.role(role.name()))).containsExactly(managed);
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).doesNotContain(DENY);

        ReleaseResult release = responder.release(finding.dedupKey(), "tester", "false positive");

        assertThat(release.status()).isEqualTo(ReleaseResult.Status.RELEASED);
        assertThat(policies.attachedArns(IamTarget.role(role.name()))).isEmpty();
        assertThat(policies.managedDocument(managed)).isEmpty();
    }

    @Test
    void release_restoresPreState() {
        SeededIam.Role role = seeded.role(SeededIam.unique("restore"), "ec2.amazonaws.com");
        String own = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"*\"}]}";
        seeded.iam().putRolePolicy(r -> r.roleName(role.name()).policyName("own").policyDocument(own));
        Finding finding = sessionFinding(role.name());
        RoleSessionResponder responder = responder(enforce());
        responder.respond(finding, "test");

        ReleaseResult release = responder.release(finding.dedupKey(), "tester", "false positive");

        assertThat(release.status()).as(release.steps().toString()).isEqualTo(ReleaseResult.Status.RELEASED);
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).containsExactly("own");
        assertThat(local.ledger.find(finding.dedupKey(), RoleSessionResponder.ACTION).orElseThrow().status())
                .isEqualTo(LedgerRecord.RELEASED);
        assertThat(responder.release(finding.dedupKey(), "tester", "again").status())
                .isEqualTo(ReleaseResult.Status.ALREADY_RELEASED);
    }

    @Test
    void release_restoresEarlierDeny() {
        SeededIam.Role role = seeded.role(SeededIam.unique("earlier"), "ec2.amazonaws.com");
        responder(enforce()).respond(sessionFinding(role.name()), "first");
        local.clock.set(Instant.parse("2026-12-01T13:00:00Z"));
        Finding second = sessionFinding(role.name());
        RoleSessionResponder responder = responder(enforce());
        responder.respond(second, "second");

        responder.release(second.dedupKey(), "tester", "second finding was a false positive");

        assertThat(policies.inlineDocument(IamTarget.role(role.name()), DENY)).get().asString()
                .contains("2026-12-01T10:00:00Z");
    }

    @Test
    void releaseOlderFinding_keepsNewerDeny() {
        SeededIam.Role role = seeded.role(SeededIam.unique("overlap"), "ec2.amazonaws.com");
        Finding older = sessionFinding(role.name());
        RoleSessionResponder responder = responder(enforce());
        responder.respond(older, "first");
        local.clock.set(Instant.parse("2026-12-01T14:00:00Z"));
        responder.respond(sessionFinding(role.name()), "second");

        ReleaseResult release = responder.release(older.dedupKey(), "tester", "first finding was a false positive");

        assertThat(release.status()).isEqualTo(ReleaseResult.Status.RELEASED);
        assertThat(release.steps().get(0).detail()).contains("holds another response's deny");
        assertThat(policies.inlineDocument(IamTarget.role(role.name()), DENY)).get().asString()
                .contains("2026-12-01T14:00:00Z");
    }

    @Test
    void release_goneRoleIsRejected() {
        SeededIam.Role role = seeded.role(SeededIam.unique("gone"), "ec2.amazonaws.com");
        Finding finding = sessionFinding(role.name());
        RoleSessionResponder responder = responder(enforce());
        responder.respond(finding, "test");
        seeded.iam().deleteRolePolicy(r -> r.roleName(role.name()).policyName(DENY));
        seeded.iam().deleteRole(r -> r.roleName(role.name()));

        assertThatThrownBy(() -> responder.release(finding.dedupKey(), "tester", "cleanup"))
                .isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("role " + role.name() + " no longer exists");
    }

    @Test
    void failedCount_dropsClaimForRetry() {
        SeededIam.Role role = seeded.role(SeededIam.unique("throttled"), "ec2.amazonaws.com");
        Finding finding = sessionFinding(role.name());
        local.clients.failOn("Iam:ListInstanceProfilesForRole", "Throttling");

        assertThatThrownBy(() -> responder(enforce()).respond(finding, "first"))
                .isInstanceOf(AwsServiceException.class);
        assertThat(local.ledger.find(finding.dedupKey(), RoleSessionResponder.ACTION)).isEmpty();
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
        local.clients.clearFailures();

        ResponseResult retry = responder(enforce()).respond(finding, "retry");

        assertThat(retry.outcome()).isEqualTo(Outcome.CONTAINED);
    }

    @Test
    void serviceLinkedRole_escalatesWithoutChange() {
        SeededIam.Role role = seeded.serviceLinkedRole("autoscaling.amazonaws.com", SeededIam.unique("q"));

        ResponseResult result = responder(enforce()).respond(sessionFinding(role.name()), "test");

        assertThat(role.arn()).contains(":role/aws-service-role/");
        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).startsWith("escalate: ").contains("service-linked role");
        assertThat(local.clients.calls(RecordingClients.IAM)).isEmpty();
    }

    @Test
    void serviceLinkedPath_escalatesAfterRead() {
        SeededIam.Role role = seeded.role(SeededIam.unique("custom"), "/aws-service-role/example.amazonaws.com/",
                "example.amazonaws.com");

        ResponseResult result = responder(enforce()).respond(sessionFinding(role.name()), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("service-linked role");
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
    }

    @Test
    void identityCenterRole_escalatesWithoutChange() {
        SeededIam.Role role = seeded.role(SeededIam.unique("AWSReservedSSO_AdministratorAccess"),
                "/aws-reserved/sso.amazonaws.com/eu-west-1/", "sso.amazonaws.com");

        ResponseResult result = responder(enforce()).respond(sessionFinding(role.name()), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).startsWith("escalate: ").contains("IAM Identity Center");
        assertThat(local.clients.calls(RecordingClients.IAM)).isEmpty();
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).isEmpty();
    }

    @Test
    void protectedRole_escalatesWithoutChange() {
        SeededIam.Role role = seeded.role(SeededIam.unique("quell-responder"), "lambda.amazonaws.com");

        ResponseResult result = responder(enforce()).respond(sessionFinding(role.name()), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("protectedPrincipals pattern \"quell-*\"");
        assertThat(local.clients.calls(RecordingClients.IAM)).isEmpty();
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).isEmpty();
    }

    @Test
    void rootFinding_leftToKeyActionUnpublished() {
        Finding root = local.finding(MALICIOUS_CALLER, accessKey("Root", SESSION_KEY, LocalCredentials.ACCOUNT,
                "Root"));

        ResponseResult result = responder(enforce()).respond(root, "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("quarantine-access-key action responds");
        assertThat(local.clients.calls()).isEmpty();
    }

    @Test
    void dryRun_plansWithBlastRadius() {
        SeededIam.Role role = seeded.role(SeededIam.unique("planned"), "ec2.amazonaws.com");
        users.instancesWithProfile(role.name(), 1);

        ResponseResult result = responder(LocalCredentials.policy("dry-run", null, 5, false))
                .respond(sessionFinding(role.name()), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(result.decision().reason()).startsWith("dry run");
        assertThat(result.steps()).singleElement().satisfies(step -> {
            assertThat(step.name()).isEqualTo("deny-older-sessions");
            assertThat(step.detail()).contains("would deny every session of role " + role.name(),
                    "used by 1 resource(s)");
        });
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
    }

    @Test
    void sampleFinding_isOnlyPlanned() {
        SeededIam.Role role = seeded.role(SeededIam.unique("sample"), "ec2.amazonaws.com");
        Finding sample = local.finding(SeededIam.unique("sample"), MALICIOUS_CALLER, false, true,
                accessKey("AssumedRole", SESSION_KEY, "AROAEXAMPLE:s1", role.name()));

        ResponseResult result = responder(enforce()).respond(sample, "test");

        assertThat(result.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(result.decision().reason()).startsWith("sample finding");
        assertThat(local.clients.calls(RecordingClients.IAM)).isEmpty();
    }

    @Test
    void contracts_neverUpdateAccessKey() {
        assertThat(RoleSessionStep.iamActions()).doesNotContain("iam:UpdateAccessKey");
        assertThat(RoleSessionStep.iamActions()).contains("iam:PutRolePolicy", "iam:CreatePolicy",
                "iam:AttachRolePolicy", "lambda:ListFunctions", "ec2:DescribeIamInstanceProfileAssociations",
                "ec2:DescribeRegions", "iam:ListInstanceProfilesForRole");
        assertThat(RoleSessionStep.iamActions(StepPhase.RESPONSE)).doesNotContain("iam:DeleteRolePolicy",
                "iam:DetachRolePolicy", "iam:DeletePolicy");
        assertThat(RoleSessionStep.iamActions(StepPhase.RELEASE)).contains("iam:DeleteRolePolicy");
    }

    private RoleSessionResponder responder(Policy policy) {
        return new RoleSessionResponder(local.clients, local.ledger, local.publisher, policy, local.executor,
                Duration.ofSeconds(30), local.clock);
    }

    private static Policy enforce() {
        return LocalCredentials.policy("enforce", null, 5, false);
    }

    private Finding sessionFinding(String role) {
        return local.finding(MALICIOUS_CALLER, accessKey("AssumedRole", SESSION_KEY, "AROAEXAMPLE:session-1",
                role));
    }

    private JsonNode statementOf(String role, String policy) throws Exception {
        String document = policies.inlineDocument(IamTarget.role(role), policy).orElseThrow();
        return Json.mapper().readTree(document).get("Statement").get(0);
    }

    private List<String> denyPoliciesWithTokenIssueTime(String role) throws Exception {
        List<String> names = new ArrayList<>();
        for (String name : policies.inlineNames(IamTarget.role(role))) {
            JsonNode statement = statementOf(role, name);
            if ("Deny".equals(statement.get("Effect").asText())
                    && !statement.at("/Condition/DateLessThan/aws:TokenIssueTime").isMissingNode()) {
                names.add(name);
            }
        }
        return names;
    }

    private static BlastRadius radiusOf(ResponseResult result) {
        return Json.mapper().convertValue(result.preState().get("blastRadius"), BlastRadius.class);
    }
}
