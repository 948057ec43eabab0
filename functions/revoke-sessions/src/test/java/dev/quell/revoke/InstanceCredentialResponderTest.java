package dev.quell.revoke;

import static dev.quell.iam.LocalCredentials.MALICIOUS_CALLER;
import static dev.quell.iam.LocalCredentials.OUTSIDE_AWS;
import static dev.quell.iam.LocalCredentials.accessKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.finding.Finding;
import dev.quell.core.json.Json;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.ResponseResult;
import dev.quell.iam.IamTarget;
import dev.quell.iam.LocalCredentials;
import dev.quell.iam.PrincipalPolicies;
import dev.quell.iam.RecordingClients;
import dev.quell.iam.SeededIam;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InstanceCredentialResponderTest {

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
    void sharedRole_getsInstanceScopedDenyOnly() throws Exception {
        SeededIam.Role role = seeded.role(SeededIam.unique("web"), "ec2.amazonaws.com");
        List<String> instances = users.instancesWithProfile(role.name(), 2);
        String stolen = instances.get(0);

        ResponseResult result = instanceResponder(enforce()).respond(exfiltration(role.name(), stolen), "test");

        assertThat(result.outcome()).as(result.steps().toString()).isEqualTo(Outcome.CONTAINED);
        assertThat(result.verification()).isEqualTo("verified");
        assertThat(policies.inlineNames(IamTarget.role(role.name())))
                .containsExactly("quell-revoke-instance-" + stolen);
        JsonNode statement = statementOf(role.name(), "quell-revoke-instance-" + stolen);
        assertThat(statement.get("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.at("/Condition/StringLike/ec2:SourceInstanceARN").asText())
                .isEqualTo("arn:aws:ec2:*:" + LocalCredentials.ACCOUNT + ":instance/" + stolen);
        assertThat(statement.at("/Condition/DateLessThan").isMissingNode()).isTrue();
        assertThat(statement.toString()).doesNotContain(instances.get(1));
        assertThat(local.clients.calls()).doesNotContain("Iam:UpdateAccessKey");
    }

    @Test
    void sharedRole_sessionFindingDeniesRoleWide() {
        SeededIam.Role role = seeded.role(SeededIam.unique("web"), "ec2.amazonaws.com");
        List<String> instances = users.instancesWithProfile(role.name(), 2);
        Finding session = local.finding(MALICIOUS_CALLER, accessKey("AssumedRole", SESSION_KEY,
                "AROAEXAMPLE:" + instances.get(0), role.name()));

        ResponseResult ignored = instanceResponder(enforce()).respond(session, "test");
        ResponseResult roleWide = new RoleSessionResponder(local.clients, local.ledger, local.publisher, enforce(),
                local.executor, Duration.ofSeconds(30), local.clock).respond(session, "test");

        assertThat(ignored.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(ignored.decision().reason()).contains("revoke-role-sessions action responds");
        assertThat(roleWide.outcome()).isEqualTo(Outcome.CONTAINED);
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).containsExactly("quell-revoke-older-sessions");
    }

    @Test
    void exfiltration_ignoredByRoleSessionResponder() {
        SeededIam.Role role = seeded.role(SeededIam.unique("web"), "ec2.amazonaws.com");
        String stolen = users.instancesWithProfile(role.name(), 1).get(0);

        ResponseResult result = new RoleSessionResponder(local.clients, local.ledger, local.publisher, enforce(),
                local.executor, Duration.ofSeconds(30), local.clock).respond(exfiltration(role.name(), stolen), "t");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("revoke-instance-credentials action responds");
        assertThat(local.clients.calls()).isEmpty();
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).isEmpty();
    }

    @Test
    void blastRadius_reportedButNotGating() {
        SeededIam.Role role = seeded.role(SeededIam.unique("fleet"), "ec2.amazonaws.com");
        List<String> instances = users.instancesWithProfile(role.name(), 3);

        ResponseResult result = instanceResponder(LocalCredentials.policy("enforce", null, 1, false))
                .respond(exfiltration(role.name(), instances.get(1)), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.CONTAINED);
        assertThat(result.preState().at("/blastRadius/runningInstances").asInt()).isEqualTo(3);
        assertThat(result.steps().get(0).detail()).contains("issued to instance " + instances.get(1),
                "used by 3 resource(s)");
    }

    @Test
    void missingInstanceId_escalates() {
        SeededIam.Role role = seeded.role(SeededIam.unique("web"), "ec2.amazonaws.com");
        Finding finding = local.finding(OUTSIDE_AWS, accessKey("AssumedRole", SESSION_KEY,
                "AROAEXAMPLE:botocore-session-1", role.name()));

        ResponseResult result = instanceResponder(enforce()).respond(finding, "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).startsWith("escalate: ").contains("instance id");
        assertThat(local.clients.calls(RecordingClients.IAM)).isEmpty();
    }

    @Test
    void release_removesInstanceDeny() {
        SeededIam.Role role = seeded.role(SeededIam.unique("web"), "ec2.amazonaws.com");
        String stolen = users.instancesWithProfile(role.name(), 1).get(0);
        Finding finding = exfiltration(role.name(), stolen);
        InstanceCredentialResponder responder = instanceResponder(enforce());
        responder.respond(finding, "test");

        ReleaseResult release = responder.release(finding.dedupKey(), "tester", "instance rebuilt");

        assertThat(release.status()).as(release.steps().toString()).isEqualTo(ReleaseResult.Status.RELEASED);
        assertThat(release.message()).contains("issued to instance " + stolen);
        assertThat(policies.inlineNames(IamTarget.role(role.name()))).isEmpty();
    }

    private InstanceCredentialResponder instanceResponder(Policy policy) {
        return new InstanceCredentialResponder(local.clients, local.ledger, local.publisher, policy, local.executor,
                Duration.ofSeconds(30), local.clock);
    }

    private static Policy enforce() {
        return LocalCredentials.policy("enforce", null, 5, false);
    }

    private Finding exfiltration(String role, String instanceId) {
        return local.finding(OUTSIDE_AWS, accessKey("AssumedRole", SESSION_KEY, "AROAEXAMPLE:" + instanceId, role));
    }

    private JsonNode statementOf(String role, String policy) throws Exception {
        String document = policies.inlineDocument(IamTarget.role(role), policy).orElseThrow();
        return Json.mapper().readTree(document).get("Statement").get(0);
    }
}
