package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.policy.Mode;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.testkit.FaultProxy.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries of one finding that must lead to one containment: concurrent duplicates (EventBridge delivers at
 * least once, and GuardDuty and Security Hub each publish the finding), and GuardDuty re-publishing a finding it
 * updated. Mutating calls are counted at the fault proxy, and result events at an SQS queue that an EventBridge
 * rule on the Quell bus feeds in moto.
 */
class DuplicateDeliveryTest {

    private static final int DELIVERIES = 8;
    private static final String FIRST_SEEN = "2026-12-01T09:45:31.904Z";
    private static final String UPDATED = "2026-12-01T15:45:02.377Z";

    /**
     * The mutating calls of one isolation of the app server: two interfaces, two volumes, one role. The new groups'
     * rules go one address family per call, IPv4 and IPv6 (one egress authorization fails as a duplicate of the
     * default rule, and counts here all the same).
     */
    private static final Map<String, Long> ONE_CONTAINMENT = Map.of(
            "ModifyInstanceAttribute", 2L,
            "CreateSecurityGroup", 2L,
            "RevokeSecurityGroupEgress", 2L,
            "AuthorizeSecurityGroupIngress", 2L,
            "AuthorizeSecurityGroupEgress", 2L,
            "ModifyNetworkInterfaceAttribute", 4L,
            "PutRolePolicy", 1L,
            "DisassociateIamInstanceProfile", 1L,
            "CreateSnapshot", 2L,
            "CreateTags", 1L);

    private final ProxiedAccount account = new ProxiedAccount();
    private final String findingId = UUID.randomUUID().toString().replace("-", "");
    private final ExecutorService deliveries = Executors.newFixedThreadPool(DELIVERIES);

    @AfterEach
    void close() {
        deliveries.shutdownNow();
        account.close();
    }

    @Test
    void concurrentDeliveries_containOnce() throws Exception {
        Finding finding = parse(account.guardDutyEvent(findingId, FIRST_SEEN, 1));

        List<ResponseResult> results = deliverConcurrently(List.of(finding, finding, finding, finding, finding,
                finding, finding, finding));

        assertThat(results).extracting(ResponseResult::outcome).containsOnly(Outcome.CONTAINED,
                Outcome.ALREADY_HANDLED).filteredOn(outcome -> outcome == Outcome.CONTAINED).hasSize(1);
        assertThat(mutatingCallsByAction()).as(account.proxy.describeRequests()).isEqualTo(ONE_CONTAINMENT);
        assertThat(account.events("Response Completed")).singleElement().satisfies(event -> assertThat(
                event.path("detail").path("outcome").asText()).isEqualTo(Outcome.CONTAINED.name()));
        assertThat(account.snapshotVolumes(findingId)).isEqualTo(account.appVolumes());
        account.assertAppIsolated();
    }

    @Test
    void republishedFinding_publishesOneUpdateAndNoContainment() throws Exception {
        account.responder(Mode.ENFORCE).respond(parse(account.guardDutyEvent(findingId, FIRST_SEEN, 1)),
                "delivery-1");
        account.proxy.clearRequests();
        Finding updated = parse(account.guardDutyEvent(findingId, UPDATED, 7));

        List<ResponseResult> again = deliverConcurrently(List.of(updated, updated, updated));

        assertThat(updated.count()).isEqualTo(7);
        assertThat(again).extracting(ResponseResult::outcome).containsOnly(Outcome.ALREADY_HANDLED);
        assertThat(account.proxy.mutatingRequests()).as(account.proxy.describeRequests()).isEmpty();
        List<JsonNode> completed = account.events("Response Completed");
        assertThat(completed).extracting(event -> event.path("detail").path("outcome").asText())
                .containsExactly(Outcome.CONTAINED.name(), Outcome.ALREADY_HANDLED.name());
        assertThat(completed.get(1).path("detail").path("finding").path("count").asInt()).isEqualTo(7);
    }

    @Test
    void guardDutyAndSecurityHubCopies_containOnce() throws Exception {
        Finding direct = parse(account.guardDutyEvent(findingId, FIRST_SEEN, 1));
        Finding imported = parse(account.securityHubEvent(findingId, FIRST_SEEN));

        List<ResponseResult> results = deliverConcurrently(List.of(direct, imported));

        assertThat(imported.source()).isEqualTo(Finding.Source.GUARDDUTY_VIA_SECURITY_HUB);
        assertThat(imported.dedupKey()).isEqualTo(direct.dedupKey());
        assertThat(imported.type()).isEqualTo(direct.type());
        assertThat(results).extracting(ResponseResult::outcome)
                .containsExactlyInAnyOrder(Outcome.CONTAINED, Outcome.ALREADY_HANDLED);
        assertThat(mutatingCallsByAction()).as(account.proxy.describeRequests()).isEqualTo(ONE_CONTAINMENT);
        assertThat(account.events("Response Completed")).hasSize(1);
    }

    private Finding parse(String event) {
        return FindingParser.parse(event).findings().get(0);
    }

    /** Delivers each finding on its own thread, all released at once, as concurrent Lambda invocations. */
    private List<ResponseResult> deliverConcurrently(List<Finding> findings) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ResponseResult>> running = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            Finding finding = findings.get(i);
            String owner = "delivery-" + i;
            Callable<ResponseResult> delivery = () -> {
                start.await();
                return account.responder(Mode.ENFORCE).respond(finding, owner);
            };
            running.add(deliveries.submit(delivery));
        }
        start.countDown();
        List<ResponseResult> results = new ArrayList<>();
        for (Future<ResponseResult> result : running) {
            results.add(result.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private Map<String, Long> mutatingCallsByAction() {
        return account.proxy.mutatingRequests().stream()
                .collect(Collectors.groupingBy(Request::action, Collectors.counting()));
    }
}
