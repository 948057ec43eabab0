package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quell.core.finding.Finding;
import dev.quell.core.policy.Mode;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.ResponseResult;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;

class InstanceReleaseTest {

    private static final String BACKDOOR = "Backdoor:EC2/C&CActivity.B";

    private final LocalAccount account = new LocalAccount();

    @Test
    void release_restoresAppInstanceExactly() {
        String id = account.seeded.appInstanceId();
        Map<String, List<String>> groupsBefore = groupsByInterface(id);
        InstanceResponder responder = account.responder(Mode.ENFORCE);
        Finding finding = account.finding(id, BACKDOOR, null, false);
        assertThat(responder.respond(finding, "test").outcome()).isEqualTo(Outcome.CONTAINED);

        ReleaseResult released = responder.release(finding.id(), "alice", "false positive");

        assertThat(released.status()).as(released.steps().toString()).isEqualTo(ReleaseResult.Status.RELEASED);
        assertThat(groupsByInterface(id)).isEqualTo(groupsBefore);
        assertThat(terminationProtection(id)).isFalse();
        assertThat(account.ec2.iam().listRolePolicies(r -> r.roleName(account.seeded.roleName())).policyNames())
                .doesNotContain(InstanceIsolator.POLICY_PREFIX + id);
        assertThat(account.ec2.ec2().describeIamInstanceProfileAssociations(r -> r.filters(
                f -> f.name("instance-id").values(id))).iamInstanceProfileAssociations())
                .anySatisfy(a -> assertThat(a.stateAsString()).isEqualTo("associated"));
    }

    @Test
    void release_returnsWebInstanceToGroupAndTargets() {
        String id = account.seeded.webInstanceIds().get(0);
        InstanceResponder responder = account.responder(Mode.ENFORCE);
        Finding finding = account.finding(id, BACKDOOR, null, false);
        ResponseResult result = responder.respond(finding, "test");
        assertThat(result.outcome()).isEqualTo(Outcome.CONTAINED);

        ReleaseResult released = responder.release(finding.id(), "alice", "false positive");

        assertThat(released.status()).as(released.steps().toString()).isEqualTo(ReleaseResult.Status.RELEASED);
        assertThat(account.ec2.autoScaling().describeAutoScalingInstances(r -> r.instanceIds(id))
                .autoScalingInstances()).singleElement()
                .satisfies(m -> assertThat(m.autoScalingGroupName()).isEqualTo(account.seeded.autoScalingGroup()));
        assertThat(account.ec2.loadBalancing().describeTargetHealth(r -> r.targetGroupArn(
                account.seeded.targetGroupArn())).targetHealthDescriptions())
                .anySatisfy(t -> {
                    assertThat(t.target().id()).isEqualTo(id);
                    assertThat(t.target().port()).isEqualTo(80);
                });
    }

    @Test
    void secondRelease_isAlreadyReleased() {
        String id = account.seeded.appInstanceId();
        InstanceResponder responder = account.responder(Mode.ENFORCE);
        Finding finding = account.finding(id, BACKDOOR, null, false);
        responder.respond(finding, "test");
        responder.release(finding.id(), "alice", "false positive");

        ReleaseResult again = responder.release(finding.id(), "alice", "false positive");

        assertThat(again.status()).isEqualTo(ReleaseResult.Status.ALREADY_RELEASED);
        assertThat(again.steps()).isEmpty();
    }

    @Test
    void terminatedInstance_refusesRelease() {
        String id = account.seeded.appInstanceId();
        InstanceResponder responder = account.responder(Mode.ENFORCE);
        Finding finding = account.finding(id, BACKDOOR, null, false);
        responder.respond(finding, "test");
        account.ec2.ec2().modifyInstanceAttribute(r -> r.instanceId(id).disableApiTermination(v -> v.value(false)));
        account.ec2.ec2().terminateInstances(r -> r.instanceIds(id));

        assertThatThrownBy(() -> responder.release(finding.id(), "alice", "done"))
                .isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("no longer exists");
    }

    @Test
    void unknownFinding_refusesRelease() {
        assertThatThrownBy(() -> account.responder(Mode.ENFORCE).release("never-seen", "alice", "why"))
                .isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("no isolation is recorded");
    }

    private Map<String, List<String>> groupsByInterface(String id) {
        return describe(id).networkInterfaces().stream().collect(Collectors.toMap(eni -> eni.networkInterfaceId(),
                eni -> eni.groups().stream().map(g -> g.groupId()).toList()));
    }

    private boolean terminationProtection(String id) {
        return Boolean.TRUE.equals(account.ec2.ec2().describeInstanceAttribute(r -> r.instanceId(id)
                .attribute(InstanceAttributeName.DISABLE_API_TERMINATION)).disableApiTermination().value());
    }

    private Instance describe(String id) {
        return account.ec2.ec2().describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }
}
