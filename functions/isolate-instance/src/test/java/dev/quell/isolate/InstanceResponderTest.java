package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.policy.Mode;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;

class InstanceResponderTest {

    private static final String BACKDOOR = "Backdoor:EC2/C&CActivity.B!DNS";

    private final LocalAccount account = new LocalAccount();

    @Test
    void enforce_isolatesAppInstance() {
        String id = account.seeded.appInstanceId();
        ResponseResult result = account.responder(Mode.ENFORCE).respond(account.finding(id, BACKDOOR, null, false),
                "test");

        assertThat(result.steps()).extracting(StepResult::name, StepResult::status).doesNotContain(
                org.assertj.core.groups.Tuple.tuple(IsolationStep.SWAP_SECURITY_GROUPS.stepName(), StepStatus.FAILED));
        assertThat(result.steps()).allSatisfy(step -> assertThat(step.status()).as(step.name() + ": " + step.detail())
                .isIn(StepStatus.DONE, StepStatus.SKIPPED));
        assertThat(result.verification()).isEqualTo("verified");
        assertThat(result.outcome()).isEqualTo(Outcome.CONTAINED);
        Instance after = describe(id);
        String isolation = isolationGroup();
        assertThat(after.networkInterfaces()).hasSize(2).allSatisfy(eni ->
                assertThat(eni.groups()).extracting(g -> g.groupId()).containsExactly(isolation));
        assertThat(after.tags()).anySatisfy(tag -> assertThat(tag.key()).isEqualTo("quell:status"));
    }

    @Test
    void enforce_detachesWebInstanceFromAutoScaling() {
        String id = account.seeded.webInstanceIds().get(0);
        ResponseResult result = account.responder(Mode.ENFORCE).respond(account.finding(id, BACKDOOR, null, false),
                "test");

        assertThat(result.outcome()).as(result.steps().toString()).isEqualTo(Outcome.CONTAINED);
        assertThat(account.ec2.autoScaling().describeAutoScalingInstances(r -> r.instanceIds(id))
                .autoScalingInstances()).isEmpty();
    }

    @Test
    void repeat_makesNoSecondContainment() {
        String id = account.seeded.appInstanceId();
        var finding = account.finding(id, BACKDOOR, null, false);
        account.responder(Mode.ENFORCE).respond(finding, "first");
        ResponseResult second = account.responder(Mode.ENFORCE).respond(finding, "second");

        assertThat(second.outcome()).isEqualTo(Outcome.ALREADY_HANDLED);
        assertThat(second.steps()).isEmpty();
    }

    @Test
    void secondFinding_onIsolatedInstanceChangesNothing() {
        String id = account.seeded.appInstanceId();
        var first = account.finding(id, BACKDOOR, null, false);
        account.responder(Mode.ENFORCE).respond(first, "first");
        List<String> isolated = groupsOf(id);

        ResponseResult second = account.responder(Mode.ENFORCE).respond(
                account.finding(id, "CryptoCurrency:EC2/BitcoinTool.B!DNS", null, false), "second");

        assertThat(second.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(second.decision().reason()).contains("already isolated").contains(first.id());
        assertThat(groupsOf(id)).isEqualTo(isolated);
    }

    @Test
    void concurrentFindings_isolateOnce() throws Exception {
        String id = account.seeded.appInstanceId();
        List<String> before = groupsOf(id);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        List<java.util.concurrent.Callable<ResponseResult>> runs = new java.util.ArrayList<>();
        for (String type : List.of(BACKDOOR, "CryptoCurrency:EC2/BitcoinTool.B!DNS",
                "Trojan:EC2/DNSDataExfiltration")) {
            var finding = account.finding(id, type, null, false);
            runs.add(() -> account.responder(Mode.ENFORCE).respond(finding, "run-" + type));
        }
        List<ResponseResult> results = new java.util.ArrayList<>();
        for (var future : pool.invokeAll(runs)) {
            results.add(future.get());
        }
        pool.shutdown();

        assertThat(results).filteredOn(result -> result.outcome() == Outcome.CONTAINED).hasSize(1);
        ResponseResult contained = results.stream().filter(result -> result.outcome() == Outcome.CONTAINED)
                .findFirst().orElseThrow();
        assertThat(results).filteredOn(result -> result != contained).allSatisfy(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
            assertThat(result.decision().reason()).contains("already isolated").contains(contained.finding().id());
        });

        account.responder(Mode.ENFORCE).release(contained.finding().dedupKey(), "analyst", "test");

        assertThat(groupsOf(id)).isEqualTo(before);
        ResponseResult later = account.responder(Mode.ENFORCE).respond(
                account.finding(id, "Backdoor:EC2/Spambot", null, false), "later");
        assertThat(later.outcome()).as("the instance is free once released").isEqualTo(Outcome.CONTAINED);
    }

    @Test
    void dryRun_plansAndChangesNothing() {
        String id = account.seeded.appInstanceId();
        List<String> before = groupsOf(id);
        ResponseResult result = account.responder(Mode.DRY_RUN).respond(account.finding(id, BACKDOOR, null, false),
                "test");

        assertThat(result.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(result.steps()).allSatisfy(step -> assertThat(step.status()).isEqualTo(StepStatus.PLANNED));
        assertThat(groupsOf(id)).isEqualTo(before);
    }

    @Test
    void exemptInstance_isIgnored() {
        String id = account.seeded.exemptInstanceId();
        List<String> before = groupsOf(id);
        ResponseResult result = account.responder(Mode.ENFORCE).respond(account.finding(id, BACKDOOR, null, false),
                "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("quell:exempt");
        assertThat(groupsOf(id)).isEqualTo(before);
    }

    @Test
    void missingInstance_isIgnoredWithReason() {
        ResponseResult result = account.responder(Mode.ENFORCE).respond(
                account.finding("i-0123456789abcdef0", BACKDOOR, null, false), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("no longer exists");
    }

    @Test
    void inboundBruteForce_isNotIsolated() {
        String id = account.seeded.appInstanceId();
        ResponseResult result = account.responder(Mode.ENFORCE).respond(
                account.finding(id, "UnauthorizedAccess:EC2/SSHBruteForce", "INBOUND", false), "test");

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.decision().reason()).contains("target of inbound");
    }

    @Test
    void sampleFinding_isOnlyPlanned() {
        String id = account.seeded.appInstanceId();
        List<String> before = groupsOf(id);
        ResponseResult result = account.responder(Mode.ENFORCE).respond(account.finding(id, BACKDOOR, null, true),
                "test");

        assertThat(result.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(result.decision().reason()).startsWith("sample finding");
        assertThat(groupsOf(id)).isEqualTo(before);
    }

    private List<String> groupsOf(String id) {
        return describe(id).networkInterfaces().stream().flatMap(eni -> eni.groups().stream())
                .map(g -> g.groupId()).toList();
    }

    private Instance describe(String id) {
        return account.ec2.ec2().describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private String isolationGroup() {
        return account.ec2.ec2().describeSecurityGroups(r -> r.filters(
                f -> f.name("group-name").values(IsolationGroups.ISOLATION_NAME),
                f -> f.name("vpc-id").values(account.seeded.vpcId()))).securityGroups().get(0).groupId();
    }
}
