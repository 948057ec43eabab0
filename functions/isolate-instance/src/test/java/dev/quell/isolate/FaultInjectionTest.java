package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.ledger.LedgerRecord;
import dev.quell.core.policy.Mode;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import dev.quell.core.response.TransientFailureException;
import dev.quell.testkit.FaultProxy.Fault;
import dev.quell.testkit.FaultProxy.Request;
import dev.quell.testkit.FaultProxy.Rule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Isolation of the seeded app server (two interfaces, two volumes, an instance profile) while a fault proxy in
 * front of moto makes chosen AWS calls fail. The cases are faults the SDK's retries absorb, permanent errors, and
 * transient errors that outlast the retries, after which Lambda retries the event and the ledger resumes. Lost
 * responses, timeouts and a failed read of the instance are covered too.
 */
class FaultInjectionTest {

    private static final String ACTION = "isolate-instance";
    private static final String UPDATED_AT = "2026-12-01T09:45:31.904Z";

    private final ProxiedAccount account = new ProxiedAccount();
    private final String findingId = UUID.randomUUID().toString().replace("-", "");
    private final String event = account.guardDutyEvent(findingId, UPDATED_AT, 1);

    @AfterEach
    void close() {
        account.close();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({
        "ec2:ModifyNetworkInterfaceAttribute, THROTTLING",
        "iam:PutRolePolicy, THROTTLING",
        "ec2:CreateSnapshot, INTERNAL_ERROR",
        "iam:PutRolePolicy, INTERNAL_ERROR",
        "ec2:CreateTags, UNAVAILABLE",
        "ec2:ModifyInstanceAttribute, UNAVAILABLE",
    })
    void fewerFaultsThanAttempts_areRetried(String action, Fault fault) {
        account.proxy.inject(Rule.on(action).first(2).with(fault));

        ResponseResult result = respond();

        String actionName = action.substring(action.indexOf(':') + 1);
        List<Request> attempts = account.proxy.requests(actionName);
        assertThat(attempts).as(account.proxy.describeRequests())
                .filteredOn(request -> request.fault() == fault).hasSize(2);
        assertThat(attempts).as("attempts after the injected faults").anyMatch(request -> request.status() == 200);
        assertThat(result.steps()).allSatisfy(step -> assertThat(step.status()).as(step.name() + ": " + step.detail())
                .isIn(StepStatus.DONE, StepStatus.SKIPPED));
        assertThat(result.outcome()).isEqualTo(Outcome.CONTAINED);
        account.assertAppIsolated();
    }

    @Test
    void unauthorizedSnapshot_isPartial() throws Exception {
        account.proxy.failAlways("ec2:CreateSnapshot", Fault.ACCESS_DENIED);

        String output = ProxiedAccount.invoke(account.handler(), event);

        assertThat(output).contains(Outcome.PARTIAL.name());
        Map<String, StepResult> steps = recordedSteps();
        assertThat(steps.get(IsolationStep.SNAPSHOT_VOLUMES.stepName())).satisfies(step -> {
            assertThat(step.status()).isEqualTo(StepStatus.FAILED);
            assertThat(step.errorCode()).isEqualTo("UnauthorizedOperation");
        });
        assertThat(steps.get(IsolationStep.TAG_INSTANCE.stepName()).status()).isEqualTo(StepStatus.DONE);
        assertThat(steps.get(IsolationStep.SWAP_SECURITY_GROUPS.stepName()).status()).isEqualTo(StepStatus.DONE);
        assertThat(account.proxy.requests("CreateSnapshot")).as("one attempt per volume, no SDK retry")
                .hasSize(2);
        assertThat(record().status()).isEqualTo(LedgerRecord.COMPLETED);
        assertThat(account.events("Response Completed")).singleElement()
                .satisfies(completed -> assertThat(completed.path("detail").path("outcome").asText())
                        .isEqualTo(Outcome.PARTIAL.name()));
        account.assertAppIsolated();
    }

    @Test
    void deniedSwap_leavesInstanceOpen() throws Exception {
        account.proxy.failAlways("ec2:ModifyNetworkInterfaceAttribute", Fault.ACCESS_DENIED);

        String output = ProxiedAccount.invoke(account.handler(), event);

        assertThat(output).contains(Outcome.FAILED.name());
        assertThat(account.describe(account.seeded.appInstanceId()).tags())
                .as("an instance still on its network is not tagged isolated")
                .anySatisfy(tag -> {
                    assertThat(tag.key()).isEqualTo(InstanceIsolator.STATUS_TAG);
                    assertThat(tag.value()).isEqualTo("isolation-failed");
                });
        account.proxy.heal();
        String nextId = UUID.randomUUID().toString().replace("-", "");
        String next = account.guardDutyEvent(nextId, UPDATED_AT, 1);

        assertThat(ProxiedAccount.invoke(account.handler(), next)).contains(Outcome.CONTAINED.name());
        account.assertAppIsolated();
        assertThatThrownBy(() -> account.responder(Mode.ENFORCE).release(findingId, "analyst", "test"))
                .as("the failed finding's release would undo the other's isolation")
                .isInstanceOf(dev.quell.core.response.ReleaseRejectedException.class)
                .hasMessageContaining(nextId);
        account.assertAppIsolated();
    }

    @Test
    void deniedRolePolicy_isPartial() throws Exception {
        account.proxy.failAlways("iam:PutRolePolicy", Fault.ACCESS_DENIED);

        String output = ProxiedAccount.invoke(account.handler(), event);

        assertThat(output).contains(Outcome.PARTIAL.name()).doesNotContain(Outcome.CONTAINED.name());
        Map<String, StepResult> steps = recordedSteps();
        assertThat(steps.get(IsolationStep.REVOKE_INSTANCE_CREDENTIALS.stepName())).satisfies(step -> {
            assertThat(step.status()).isEqualTo(StepStatus.FAILED);
            assertThat(step.errorCode()).isEqualTo("AccessDenied");
        });
        assertThat(steps.get(IsolationStep.SNAPSHOT_VOLUMES.stepName()).status()).isEqualTo(StepStatus.DONE);
        assertThat(steps.get(IsolationStep.TAG_INSTANCE.stepName()).status()).isEqualTo(StepStatus.DONE);
        assertThat(steps.get(IsolationStep.SWAP_SECURITY_GROUPS.stepName()).status()).isEqualTo(StepStatus.DONE);
        assertThat(account.proxy.requests("PutRolePolicy")).as("no SDK retry of AccessDenied").hasSize(1);
        assertThat(record().status()).isEqualTo(LedgerRecord.COMPLETED);
        assertThat(account.snapshotVolumes(findingId)).isEqualTo(account.appVolumes());
    }

    @Test
    void swapUnavailable_resumesOnRetry() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:ModifyNetworkInterfaceAttribute", Fault.UNAVAILABLE);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);

        assertThat(account.proxy.requests("ModifyNetworkInterfaceAttribute"))
                .as("three attempts on each interface").hasSize(6);
        assertStoppedWithLeaseReleased(IsolationStep.SWAP_SECURITY_GROUPS);
        assertRetryResumesAndIsolates(handler);
    }

    @Test
    void webSwapUnavailable_resumesOutOfGroups() throws Exception {
        String webInstance = account.seeded.webInstanceIds().get(0);
        String webEvent = account.guardDutyEvent(webInstance, findingId, UPDATED_AT, 1);
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:ModifyNetworkInterfaceAttribute", Fault.UNAVAILABLE);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, webEvent))
                .isInstanceOf(TransientFailureException.class);
        assertStoppedWithLeaseReleased(IsolationStep.SWAP_SECURITY_GROUPS);
        account.proxy.heal();
        account.proxy.clearRequests();
        String output = ProxiedAccount.invoke(handler, webEvent);

        assertThat(output).contains(Outcome.CONTAINED.name());
        assertThat(account.proxy.requests("DetachInstances")).as("detach-auto-scaling was done").isEmpty();
        assertThat(account.proxy.requests("DeregisterTargets")).as("deregister was done").isEmpty();
        account.assertIsolated(webInstance);
        assertThat(account.events("Response Completed")).hasSize(1);
    }

    @Test
    void swapTimeouts_resumeOnRetry() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:ModifyNetworkInterfaceAttribute", Fault.TIMEOUT);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);

        assertThat(account.proxy.requests("ModifyNetworkInterfaceAttribute"))
                .as("timed-out attempts are retried on at least one of the two interfaces").hasSizeGreaterThan(2);
        assertStoppedWithLeaseReleased(IsolationStep.SWAP_SECURITY_GROUPS);
        assertRetryResumesAndIsolates(handler);
    }

    @Test
    void lostDisassociation_resumesOnRetry() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:DisassociateIamInstanceProfile", Fault.RESPONSE_LOST);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);

        assertStoppedWithLeaseReleased(IsolationStep.REVOKE_INSTANCE_CREDENTIALS);
        assertRetryResumesAndIsolates(handler);
    }

    @Test
    void lostSnapshotResponses_oneSnapshotEach() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:CreateSnapshot", Fault.RESPONSE_LOST);

        runUntilDone(handler);

        assertThat(account.snapshotVolumes(findingId)).as(account.proxy.describeRequests())
                .isEqualTo(account.appVolumes());
        assertThat(account.proxy.requests("CreateSnapshot")).as("one attempt per volume, found on the re-read")
                .hasSize(2);
        account.assertAppIsolated();
    }

    @Test
    void groupCreationUnavailable_resumesOnRetry() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:CreateSecurityGroup", Fault.UNAVAILABLE);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);

        assertStoppedWithLeaseReleased(IsolationStep.SWAP_SECURITY_GROUPS);
        assertRetryResumesAndIsolates(handler);
    }

    @Test
    void lostAllAllowRule_stillIsolates() throws Exception {
        account.proxy.inject(Rule.on("ec2:AuthorizeSecurityGroupIngress").first(1).with(Fault.RESPONSE_LOST));

        String output = ProxiedAccount.invoke(account.handler(), event);

        assertThat(output).as(account.proxy.describeRequests()).contains(Outcome.CONTAINED.name());
        account.assertAppIsolated();
    }

    @Test
    void lostEgressRevoke_stillIsolates() throws Exception {
        account.proxy.inject(Rule.on("ec2:RevokeSecurityGroupEgress").first(1).with(Fault.RESPONSE_LOST));

        String output = ProxiedAccount.invoke(account.handler(), event);

        assertThat(output).as(account.proxy.describeRequests()).contains(Outcome.CONTAINED.name());
        account.assertAppIsolated();
        assertThat(account.quellGroup(IsolationGroups.ISOLATION_NAME).ipPermissionsEgress())
                .as("isolation group egress rules").isEmpty();
    }

    @Test
    void allAllowRuleUnavailable_addedOnRetry() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:AuthorizeSecurityGroupIngress", Fault.UNAVAILABLE);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);
        assertRetryResumesAndIsolates(handler);

        assertThat(account.quellGroup(IsolationGroups.ALL_ALLOW_NAME).ipPermissions()).as("all-allow ingress rules")
                .anySatisfy(rule -> {
                    assertThat(rule.ipProtocol()).isEqualTo("-1");
                    assertThat(rule.ipRanges()).anySatisfy(range -> assertThat(range.cidrIp()).isEqualTo("0.0.0.0/0"));
                });
    }

    @Test
    void lostClaimResponse_runOwnsClaim() throws Exception {
        account.proxy.inject(Rule.on("dynamodb:UpdateItem").first(1).with(Fault.RESPONSE_LOST));

        String output = ProxiedAccount.invoke(account.handler(), event);

        assertThat(output).as(account.proxy.describeRequests()).contains(Outcome.CONTAINED.name());
        account.assertAppIsolated();
        assertThat(account.events("Response Completed")).hasSize(1);
    }

    @Test
    void publishUnavailable_publishedOnRetry() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("events:PutEvents", Fault.UNAVAILABLE);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);
        assertThat(account.proxy.requests("PutEvents")).as("the SDK's three attempts").hasSize(3);
        assertThat(record().status()).as("not completed before the result is out")
                .isEqualTo(LedgerRecord.IN_PROGRESS);
        assertThat(record().leaseUntil()).as("lease released").isBeforeOrEqualTo(Instant.now());
        account.proxy.heal();
        String output = ProxiedAccount.invoke(handler, event);

        assertThat(output).contains(Outcome.CONTAINED.name());
        List<JsonNode> completed = account.events("Response Completed");
        assertThat(completed).singleElement().satisfies(result -> assertThat(result.path("detail")
                .path("outcome").asText()).isEqualTo(Outcome.CONTAINED.name()));
        assertThat(record().status()).isEqualTo(LedgerRecord.COMPLETED);
    }

    @Test
    void deniedInstanceRead_failsClosed() {
        account.proxy.failAlways("ec2:DescribeInstances", Fault.ACCESS_DENIED);
        List<String> groupsBefore = groupsOfApp();
        Finding finding = FindingParser.parse(event).findings().get(0);

        ResponseResult result = account.responder(Mode.ENFORCE).respond(finding, "delivery-1");

        assertThat(account.proxy.mutatingRequests()).as(account.proxy.describeRequests()).isEmpty();
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.decision().reason()).contains("fail closed").contains("UnauthorizedOperation");
        assertThat(account.events("Quell Alert")).singleElement().satisfies(alert -> assertThat(alert
                .path("detail").path("reason").asText()).contains("UnauthorizedOperation"));
        assertThat(account.events("Response Completed")).singleElement().satisfies(completed -> assertThat(
                completed.path("detail").path("outcome").asText()).isEqualTo(Outcome.FAILED.name()));
        assertThat(groupsOfApp()).isEqualTo(groupsBefore);
    }

    @Test
    void instanceReadUnavailable_retryContains() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:DescribeInstances", Fault.UNAVAILABLE);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);
        assertThat(account.proxy.mutatingRequests()).as(account.proxy.describeRequests()).isEmpty();
        account.proxy.heal();
        String output = ProxiedAccount.invoke(handler, event);

        assertThat(output).contains(Outcome.CONTAINED.name());
        account.assertAppIsolated();
        assertThat(account.events("Response Completed")).hasSize(1);
    }

    @Test
    void readFailsOnResume_laterRetryResumes() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.failAlways("ec2:ModifyNetworkInterfaceAttribute", Fault.UNAVAILABLE);
        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);
        account.proxy.heal();
        account.proxy.failAlways("ec2:DescribeInstances", Fault.UNAVAILABLE);

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event))
                .isInstanceOf(TransientFailureException.class);

        assertThat(record().leaseUntil()).as("lease released after the failed read").isBeforeOrEqualTo(Instant.now());
        account.proxy.heal();
        String output = ProxiedAccount.invoke(handler, event);
        assertThat(output).contains(Outcome.CONTAINED.name());
        account.assertAppIsolated();
        assertThat(account.snapshotVolumes(findingId)).isEqualTo(account.appVolumes());
    }

    @Test
    void ledgerThrottledAfterClaim_retryContains() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        // The first two UpdateItem calls are the claim and the instance hold; the pre-state write is throttled.
        account.proxy.inject(Rule.on("dynamodb:UpdateItem").skip(2).first(3).with(Fault.THROTTLING));

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event)).isInstanceOf(RuntimeException.class);

        // Only the VPC's isolation groups may be prepared before the pre-state is recorded, not the instance.
        assertThat(account.proxy.mutatingRequests()).as("nothing changed before the pre-state was recorded")
                .allMatch(request -> request.action().contains("SecurityGroup"));
        assertThat(record().leaseUntil()).as("lease released").isBeforeOrEqualTo(Instant.now());
        account.proxy.heal();
        String output = ProxiedAccount.invoke(handler, event);
        assertThat(output).contains(Outcome.CONTAINED.name());
        account.assertAppIsolated();
    }

    @Test
    void verificationUnavailable_retryVerifies() throws Exception {
        IsolateInstanceHandler handler = account.handler();
        account.proxy.inject(Rule.on("ec2:DescribeIamInstanceProfileAssociations").skip(1)
                .with(Fault.UNAVAILABLE));

        assertThatThrownBy(() -> ProxiedAccount.invoke(handler, event)).isInstanceOf(RuntimeException.class);

        assertThat(account.events("Response Completed")).as("no PARTIAL result for an unverified isolation")
                .isEmpty();
        account.proxy.heal();
        account.proxy.clearRequests();
        String output = ProxiedAccount.invoke(handler, event);
        assertThat(output).contains(Outcome.CONTAINED.name());
        assertThat(account.proxy.mutatingRequests()).as("every step was done before").isEmpty();
        assertThat(account.events("Response Completed")).hasSize(1);
    }

    private ResponseResult respond() {
        Finding finding = FindingParser.parse(event).findings().get(0);
        return account.responder(Mode.ENFORCE).respond(finding, "delivery-1");
    }

    /**
     * Invokes the handler and, while it throws, heals the proxy and invokes it again, at most twice, as Lambda
     * retries an asynchronous invocation by default.
     */
    private void runUntilDone(IsolateInstanceHandler handler) throws Exception {
        for (int invocation = 0; invocation < 3; invocation++) {
            try {
                ProxiedAccount.invoke(handler, event);
                return;
            } catch (TransientFailureException e) {
                account.proxy.heal();
            }
        }
    }

    private void assertStoppedWithLeaseReleased(IsolationStep failedStep) {
        LedgerRecord stopped = record();
        assertThat(stopped.status()).isEqualTo(LedgerRecord.IN_PROGRESS);
        assertThat(stopped.leaseUntil()).as("lease released").isBeforeOrEqualTo(Instant.now());
        assertThat(recordedSteps().get(failedStep.stepName()).status()).isEqualTo(StepStatus.FAILED);
        assertThat(account.events("Response Completed")).as("no result before the retry").isEmpty();
    }

    private void assertRetryResumesAndIsolates(IsolateInstanceHandler handler) throws Exception {
        List<String> doneBefore = recordedSteps().values().stream()
                .filter(step -> step.status() == StepStatus.DONE).map(StepResult::name).toList();
        account.proxy.heal();
        account.proxy.clearRequests();

        String output = ProxiedAccount.invoke(handler, event);

        assertThat(output).contains(Outcome.CONTAINED.name());
        assertThat(record().status()).isEqualTo(LedgerRecord.COMPLETED);
        assertThat(record().attempts()).isEqualTo(2);
        if (doneBefore.contains(IsolationStep.PROTECT_INSTANCE.stepName())) {
            assertThat(account.proxy.requests("ModifyInstanceAttribute")).as("protect-instance was done").isEmpty();
        }
        if (doneBefore.contains(IsolationStep.SNAPSHOT_VOLUMES.stepName())) {
            assertThat(account.proxy.requests("CreateSnapshot")).as("snapshot-volumes was done").isEmpty();
        }
        if (doneBefore.contains(IsolationStep.REVOKE_INSTANCE_CREDENTIALS.stepName())) {
            assertThat(account.proxy.requests("PutRolePolicy")).as("revoke was done").isEmpty();
        }
        account.assertAppIsolated();
        assertThat(account.snapshotVolumes(findingId)).isEqualTo(account.appVolumes());
        assertThat(account.events("Response Completed")).singleElement().satisfies(result -> assertThat(
                result.path("detail").path("outcome").asText()).isEqualTo(Outcome.CONTAINED.name()));
    }

    private LedgerRecord record() {
        return account.directLedger.find(findingId, ACTION).orElseThrow();
    }

    private Map<String, StepResult> recordedSteps() {
        return record().stepsJson().values().stream()
                .map(json -> InstanceResponder.read(json, StepResult.class))
                .collect(Collectors.toMap(StepResult::name, Function.identity()));
    }

    private List<String> groupsOfApp() {
        return account.describe(account.seeded.appInstanceId()).networkInterfaces().stream()
                .flatMap(eni -> eni.groups().stream()).map(group -> group.groupId()).toList();
    }
}
