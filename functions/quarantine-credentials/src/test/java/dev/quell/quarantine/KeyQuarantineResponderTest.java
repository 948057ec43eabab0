package dev.quell.quarantine;

import static dev.quell.iam.LocalCredentials.MALICIOUS_CALLER;
import static dev.quell.iam.LocalCredentials.accessKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class KeyQuarantineResponderTest {

    private static final String QUARANTINE_ARN = "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3";
    private static final String SESSION_DENY = "quell-deny-sessions-before";

    private final LocalCredentials local = new LocalCredentials();
    private final SeededIam seeded = local.seeded;
    private final PrincipalPolicies policies = new PrincipalPolicies(seeded.iam());

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void twoActiveKeys_deactivatesOnlyNamedKey() {
        SeededIam.User user = seeded.user(SeededIam.unique("alice"), 2);
        String named = user.accessKeyIds().get(0);
        String other = user.accessKeyIds().get(1);

        ResponseResult result = responder(enforce()).respond(userFinding(user, named), "test");

        assertThat(result.outcome()).as(result.steps().toString()).isEqualTo(Outcome.CONTAINED);
        assertThat(result.verification()).isEqualTo("verified");
        assertThat(result.resourceId()).isEqualTo(named);
        assertThat(statuses(user)).containsEntry(named, "Inactive").containsEntry(other, "Active");
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).containsOnlyOnce("Iam:UpdateAccessKey");
        assertThat(local.clients.calls()).doesNotContain("Iam:DeleteAccessKey");
        assertThat(policies.attachedArns(IamTarget.user(user.name()))).contains(QUARANTINE_ARN);
    }

    @Test
    void quarantine_deniesSessionsBeforeResponseTime() throws Exception {
        SeededIam.User user = seeded.user(SeededIam.unique("bob"), 1);
        local.clock.set(Instant.parse("2026-12-01T10:15:30.250Z"));

        responder(enforce()).respond(userFinding(user, user.accessKeyIds().get(0)), "test");

        String document = policies.inlineDocument(IamTarget.user(user.name()), SESSION_DENY).orElseThrow();
        JsonNode statement = Json.mapper().readTree(document).get("Statement").get(0);
        assertThat(statement.get("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.at("/Condition/DateLessThan/aws:TokenIssueTime").asText())
                .isEqualTo("2026-12-01T10:15:30Z");
    }

    @Test
    void quarantine_recordsPreStateBeforeChange() {
        SeededIam.User user = seeded.user(SeededIam.unique("carol"), 2);
        seeded.loginProfile(user.name());
        Finding finding = userFinding(user, user.accessKeyIds().get(1));

        ResponseResult result = responder(enforce()).respond(finding, "test");

        LedgerRecord record = local.ledger.find(finding.dedupKey(), KeyQuarantineResponder.ACTION).orElseThrow();
        assertThat(record.status()).isEqualTo(LedgerRecord.COMPLETED);
        KeyPreState pre = Json.mapper().convertValue(result.preState(), KeyPreState.class);
        assertThat(pre.keyStatus()).isEqualTo("Active");
        assertThat(pre.keyStatuses()).hasSize(2);
        assertThat(pre.attachedPolicyArns()).isEmpty();
        assertThat(pre.inlinePolicyNames()).isEmpty();
        assertThat(pre.loginProfile()).isTrue();
        assertThat(pre.cutoff()).isEqualTo(local.clock.instant());
        assertThat(record.preStateJson()).contains("\"keyStatus\":\"Active\"");
    }

    @Test
    void keyOfAnotherUser_changesNothing() {
        SeededIam.User alice = seeded.user(SeededIam.unique("alice"), 1);
        SeededIam.User mallory = seeded.user(SeededIam.unique("mallory"), 1);
        String malloryKey = mallory.accessKeyIds().get(0);

        ResponseResult result = responder(enforce()).respond(userFinding(alice, malloryKey), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("access key " + malloryKey + " is not one of IAM user "
                + alice.name() + "'s access keys", alice.accessKeyIds().get(0), "Quell changes nothing");
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
        assertThat(statuses(alice)).containsValue("Active");
        assertThat(statuses(mallory)).containsEntry(malloryKey, "Active");
    }

    @Test
    void specialCharacterUserName_isQuarantined() {
        SeededIam.User user = seeded.user(SeededIam.unique("ci+deploy=prod,eu.ops@example_team"), 2);
        String named = user.accessKeyIds().get(1);

        ResponseResult result = responder(enforce()).respond(userFinding(user, named), "test");

        assertThat(result.outcome()).as(result.steps().toString()).isEqualTo(Outcome.CONTAINED);
        assertThat(statuses(user)).containsEntry(named, "Inactive")
                .containsEntry(user.accessKeyIds().get(0), "Active");
        assertThat(policies.inlineNames(IamTarget.user(user.name()))).containsExactly(SESSION_DENY);
    }

    @Test
    void consoleLogin_keptByDefault() {
        SeededIam.User user = seeded.user(SeededIam.unique("dave"), 1);
        seeded.loginProfile(user.name());

        ResponseResult result = responder(enforce()).respond(userFinding(user, user.accessKeyIds().get(0)), "test");

        assertThat(step(result, KeyQuarantineStep.REMOVE_CONSOLE_LOGIN).status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(step(result, KeyQuarantineStep.REMOVE_CONSOLE_LOGIN).detail()).contains("removeConsoleLogin");
        assertThat(local.clients.calls()).doesNotContain("Iam:DeleteLoginProfile");
    }

    @Test
    void consoleLogin_removedWhenPolicyAsks() {
        SeededIam.User user = seeded.user(SeededIam.unique("erin"), 1);
        seeded.loginProfile(user.name());
        Finding finding = userFinding(user, user.accessKeyIds().get(0));
        KeyQuarantineResponder responder = responder(LocalCredentials.policy("enforce", null, 5, true));

        ResponseResult result = responder.respond(finding, "test");
        ReleaseResult release = responder.release(finding.dedupKey(), "tester", "false positive");

        assertThat(result.outcome()).isEqualTo(Outcome.CONTAINED);
        assertThat(step(result, KeyQuarantineStep.REMOVE_CONSOLE_LOGIN).status()).isEqualTo(StepStatus.DONE);
        assertThat(local.clients.calls()).contains("Iam:DeleteLoginProfile");
        assertThat(release.message()).contains("console password", "cannot be restored");
    }

    @Test
    void userQuotaFull_fallsBackToManagedDeny() {
        SeededIam.User user = seeded.user(SeededIam.unique("frank"), 1);
        seeded.fillInlineQuota(IamTarget.user(user.name()), 50);

        ResponseResult result = responder(enforce()).respond(userFinding(user, user.accessKeyIds().get(0)), "test");

        assertThat(result.outcome()).as(result.steps().toString()).isEqualTo(Outcome.CONTAINED);
        assertThat(step(result, KeyQuarantineStep.DENY_OLDER_SESSIONS).detail())
                .contains("customer managed policy", "quota was full");
        assertThat(policies.attachedArns(IamTarget.user(user.name())))
                .anyMatch(arn -> arn.contains(":policy/quell/" + SESSION_DENY));
    }

    @Test
    void release_restoresPreState() {
        SeededIam.User user = seeded.user(SeededIam.unique("grace"), 2);
        Finding finding = userFinding(user, user.accessKeyIds().get(0));
        KeyQuarantineResponder responder = responder(enforce());
        responder.respond(finding, "test");

        ReleaseResult release = responder.release(finding.dedupKey(), "tester", "false positive");

        assertThat(release.status()).as(release.steps().toString()).isEqualTo(ReleaseResult.Status.RELEASED);
        assertThat(statuses(user)).containsOnly(Map.entry(user.accessKeyIds().get(0), "Active"),
                Map.entry(user.accessKeyIds().get(1), "Active"));
        assertThat(policies.attachedArns(IamTarget.user(user.name()))).isEmpty();
        assertThat(policies.inlineNames(IamTarget.user(user.name()))).isEmpty();
        assertThat(local.ledger.find(finding.dedupKey(), KeyQuarantineResponder.ACTION).orElseThrow().status())
                .isEqualTo(LedgerRecord.RELEASED);
    }

    @Test
    void release_keepsWhatWasThereBefore() {
        SeededIam.User user = seeded.user(SeededIam.unique("heidi"), 1);
        String key = user.accessKeyIds().get(0);
        String earlierDeny = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":"
                + "\"2026-01-01T00:00:00Z\"}}}]}";
        seeded.iam().updateAccessKey(r -> r.userName(user.name()).accessKeyId(key).status("Inactive"));
        seeded.iam().attachUserPolicy(r -> r.userName(user.name()).policyArn(QUARANTINE_ARN));
        seeded.iam().putUserPolicy(r -> r.userName(user.name()).policyName(SESSION_DENY).policyDocument(earlierDeny));
        Finding finding = userFinding(user, key);
        KeyQuarantineResponder responder = responder(enforce());
        responder.respond(finding, "test");

        ReleaseResult release = responder.release(finding.dedupKey(), "tester", "false positive");

        assertThat(release.status()).isEqualTo(ReleaseResult.Status.RELEASED);
        assertThat(statuses(user)).containsEntry(key, "Inactive");
        assertThat(policies.attachedArns(IamTarget.user(user.name()))).containsExactly(QUARANTINE_ARN);
        assertThat(policies.inlineDocument(IamTarget.user(user.name()), SESSION_DENY)).get().asString()
                .contains("2026-01-01T00:00:00Z");
    }

    @Test
    void secondFindingOnKey_isIgnored() {
        SeededIam.User user = seeded.user(SeededIam.unique("judy"), 1);
        String key = user.accessKeyIds().get(0);
        Finding first = userFinding(user, key);
        Finding second = userFinding(user, key);
        KeyQuarantineResponder responder = responder(enforce());
        responder.respond(first, "first");

        ResponseResult again = responder.respond(second, "second");

        assertThat(again.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(again.decision().reason()).contains("already quarantined").contains(first.id());
        assertThat(local.ledger.find(second.dedupKey(), KeyQuarantineResponder.ACTION))
                .as("the second finding's claim is given up, so a later delivery decides afresh").isEmpty();

        responder.release(first.dedupKey(), "tester", "false positive");

        assertThat(statuses(user)).containsEntry(key, "Active");
        assertThat(responder.respond(second, "third").outcome()).isEqualTo(Outcome.CONTAINED);
        assertThat(statuses(user)).containsEntry(key, "Inactive");
    }

    @Test
    void release_twiceChangesNothing() {
        SeededIam.User user = seeded.user(SeededIam.unique("ivan"), 1);
        Finding finding = userFinding(user, user.accessKeyIds().get(0));
        KeyQuarantineResponder responder = responder(enforce());
        responder.respond(finding, "test");
        responder.release(finding.dedupKey(), "tester", "false positive");
        local.clients.clear();

        ReleaseResult again = responder.release(finding.dedupKey(), "tester", "false positive");

        assertThat(again.status()).isEqualTo(ReleaseResult.Status.ALREADY_RELEASED);
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
    }

    @Test
    void release_goneUserIsRejected() {
        SeededIam.User user = seeded.user(SeededIam.unique("judy"), 1);
        Finding finding = userFinding(user, user.accessKeyIds().get(0));
        KeyQuarantineResponder responder = responder(enforce());
        responder.respond(finding, "test");
        deleteUser(user);

        assertThatThrownBy(() -> responder.release(finding.dedupKey(), "tester", "cleanup"))
                .isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("IAM user " + user.name() + " no longer exists");
    }

    @Test
    void release_unknownFindingIsRejected() {
        assertThatThrownBy(() -> responder(enforce()).release("0000000000000000000000000000dead", "tester", "x"))
                .isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("no quarantine-access-key containment for finding");
    }

    @Test
    void repeat_makesNoMutatingCall() {
        SeededIam.User user = seeded.user(SeededIam.unique("ken"), 1);
        Finding finding = userFinding(user, user.accessKeyIds().get(0));
        responder(enforce()).respond(finding, "first");
        local.clients.clear();

        ResponseResult second = responder(enforce()).respond(finding, "second");

        assertThat(second.outcome()).isEqualTo(Outcome.ALREADY_HANDLED);
        assertThat(second.steps()).isEmpty();
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
    }

    @Test
    void failedRead_dropsClaimForRetry() {
        SeededIam.User user = seeded.user(SeededIam.unique("olga"), 1);
        Finding finding = userFinding(user, user.accessKeyIds().get(0));
        local.clients.failOn("Iam:ListAccessKeys", "Throttling");

        assertThatThrownBy(() -> responder(enforce()).respond(finding, "first"))
                .isInstanceOf(AwsServiceException.class)
                .hasMessageContaining("failure injected by the test");
        assertThat(local.ledger.find(finding.dedupKey(), KeyQuarantineResponder.ACTION)).isEmpty();
        local.clients.clearFailures();

        ResponseResult retry = responder(enforce()).respond(finding, "retry");

        assertThat(retry.outcome()).isEqualTo(Outcome.CONTAINED);
    }

    @Test
    void dryRun_plansAndChangesNothing() {
        SeededIam.User user = seeded.user(SeededIam.unique("leo"), 1);

        ResponseResult result = responder(LocalCredentials.policy("dry-run", null, 5, false))
                .respond(userFinding(user, user.accessKeyIds().get(0)), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(result.decision().reason()).startsWith("dry run");
        assertThat(result.steps()).extracting(StepResult::status).containsOnly(StepStatus.PLANNED);
        assertThat(result.steps()).extracting(StepResult::name).containsExactly("deactivate-access-key",
                "attach-quarantine-policy", "deny-older-sessions", "remove-console-login");
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
        assertThat(statuses(user)).containsValue("Active");
    }

    @Test
    void sampleFinding_isOnlyPlanned() {
        SeededIam.User user = seeded.user(SeededIam.unique("mia"), 1);
        Finding sample = local.finding("00000000000000000000000000000001", MALICIOUS_CALLER, false, true,
                accessKey("IAMUser", user.accessKeyIds().get(0), "AIDAEXAMPLE", user.name()));

        ResponseResult result = responder(enforce()).respond(sample, "test");

        assertThat(result.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(result.decision().reason()).startsWith("sample finding");
        assertThat(local.clients.calls(RecordingClients.IAM)).isEmpty();
    }

    @Test
    void archivedFinding_isIgnored() {
        SeededIam.User user = seeded.user(SeededIam.unique("nina"), 1);
        Finding archived = local.finding(SeededIam.unique("archived"), MALICIOUS_CALLER, true, false,
                accessKey("IAMUser", user.accessKeyIds().get(0), "AIDAEXAMPLE", user.name()));

        ResponseResult result = responder(enforce()).respond(archived, "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).startsWith("archived finding");
        assertThat(statuses(user)).containsValue("Active");
    }

    @Test
    void rootUser_escalatesWithoutCalls() {
        Finding root = local.finding(MALICIOUS_CALLER, accessKey("Root", "ASIAEXAMPLEROOTKEY01",
                LocalCredentials.ACCOUNT, "Root"));

        ResponseResult result = responder(enforce()).respond(root, "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).startsWith("escalate: ").contains("root user");
        assertThat(local.clients.calls(RecordingClients.IAM)).isEmpty();
        assertThat(local.clients.calls()).contains("EventBridge:PutEvents");
    }

    @Test
    void protectedUser_escalatesWithoutChange() {
        SeededIam.User user = seeded.user(SeededIam.unique("break-glass"), 1);

        ResponseResult result = responder(enforce()).respond(userFinding(user, user.accessKeyIds().get(0)), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("protectedPrincipals pattern \"break-glass*\"");
        assertThat(local.clients.mutatingCalls(RecordingClients.IAM)).isEmpty();
        assertThat(statuses(user)).containsValue("Active");
    }

    @Test
    void roleSession_leftToRoleActionUnpublished() {
        Finding session = local.finding(MALICIOUS_CALLER, accessKey("AssumedRole", "ASIAEXAMPLESESSION01",
                "AROAEXAMPLE:deploy", "deployer"));

        ResponseResult result = responder(enforce()).respond(session, "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("revoke-role-sessions action responds");
        assertThat(local.clients.calls()).isEmpty();
    }

    @Test
    void contracts_grantNoKeyDeletion() {
        assertThat(KeyQuarantineStep.iamActions()).contains("iam:UpdateAccessKey", "iam:AttachUserPolicy",
                "iam:PutUserPolicy", "iam:DeleteLoginProfile", "iam:DetachUserPolicy");
        assertThat(KeyQuarantineStep.iamActions()).doesNotContain("iam:DeleteAccessKey", "iam:DeleteUser");
        assertThat(KeyQuarantineStep.iamActions(StepPhase.RESPONSE))
                .doesNotContain("iam:DetachUserPolicy", "iam:DeleteUserPolicy");
        assertThat(KeyQuarantineStep.contracts()).hasSize(KeyQuarantineStep.values().length);
    }

    private KeyQuarantineResponder responder(Policy policy) {
        return new KeyQuarantineResponder(local.clients, local.ledger, local.publisher, policy, local.executor,
                Duration.ofSeconds(30), local.clock);
    }

    private static Policy enforce() {
        return LocalCredentials.policy("enforce", null, 5, false);
    }

    private Finding userFinding(SeededIam.User user, String accessKeyId) {
        return local.finding(MALICIOUS_CALLER, accessKey("IAMUser", accessKeyId, "AIDAEXAMPLE", user.name()));
    }

    private Map<String, String> statuses(SeededIam.User user) {
        return new UserReader(seeded.iam(), Runnable::run).keyStatuses(user.name());
    }

    private static StepResult step(ResponseResult result, KeyQuarantineStep step) {
        return result.steps().stream().filter(candidate -> candidate.name().equals(step.stepName())).findFirst()
                .orElseThrow();
    }

    private void deleteUser(SeededIam.User user) {
        var iam = seeded.iam();
        IamTarget target = IamTarget.user(user.name());
        policies.attachedArns(target).forEach(arn -> iam.detachUserPolicy(r -> r.userName(user.name())
                .policyArn(arn)));
        policies.inlineNames(target).forEach(name -> iam.deleteUserPolicy(r -> r.userName(user.name())
                .policyName(name)));
        user.accessKeyIds().forEach(key -> iam.deleteAccessKey(r -> r.userName(user.name()).accessKeyId(key)));
        iam.deleteUser(r -> r.userName(user.name()));
    }
}
