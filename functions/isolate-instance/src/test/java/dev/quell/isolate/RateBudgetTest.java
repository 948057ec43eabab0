package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.finding.Finding;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceType;

class RateBudgetTest {

    private final LocalAccount account = new LocalAccount();

    @Test
    void burstOf200_isolatesOnlyBudget() throws Exception {
        Policy policy = Policy.parse("""
                {"mode":"enforce","rateBudget":{"perAccountPerHour":5,"organisationPerHour":50},
                 "isolation":{"snapshots":false},
                 "playbooks":[{"name":"c2","action":"isolate-instance","resourceType":"Instance",
                   "minimumSeverity":5,"findingTypes":["Backdoor:EC2/*"]}]}""", "test");
        InstanceResponder responder = account.responder(policy);
        List<String> instances = launch(10);
        List<Callable<ResponseResult>> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Finding finding = account.finding(instances.get(i % instances.size()), "Backdoor:EC2/C&CActivity.B",
                    null, false);
            burst.add(() -> responder.respond(finding, "burst"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<ResponseResult> results = new ArrayList<>();
        for (Future<ResponseResult> future : pool.invokeAll(burst)) {
            results.add(future.get());
        }
        pool.shutdown();

        Map<Outcome, Long> outcomes = results.stream().collect(Collectors.groupingBy(ResponseResult::outcome,
                Collectors.counting()));
        // The 200 findings name 10 instances, so once an instance is isolated the later findings on it are
        // ignored as already isolated; every other finding past the budget becomes a plan.
        assertThat(outcomes).as(reasons(results)).containsEntry(Outcome.CONTAINED, 5L);
        assertThat(outcomes.getOrDefault(Outcome.PLANNED, 0L) + outcomes.getOrDefault(Outcome.IGNORED, 0L))
                .isEqualTo(195L);
        assertThat(results).filteredOn(r -> r.outcome() == Outcome.PLANNED).isNotEmpty()
                .allSatisfy(r -> assertThat(r.decision().reason()).startsWith("rate budget exceeded"));
        assertThat(results).filteredOn(r -> r.outcome() == Outcome.IGNORED)
                .allSatisfy(r -> assertThat(r.decision().reason()).contains("already isolated"));
        assertThat(isolatedCount(instances)).isEqualTo(5);
    }

    private static String reasons(List<ResponseResult> results) {
        return results.stream().map(r -> r.outcome() + ": " + r.decision().reason() + " " + r.steps().stream()
                        .filter(step -> step.failed()).map(step -> step.name() + " " + step.errorCode() + " "
                                + step.detail()).toList()).distinct()
                .collect(Collectors.joining("\n"));
    }

    private List<String> launch(int count) {
        return account.ec2.ec2().runInstances(r -> r.imageId("ami-12c6146b").instanceType(InstanceType.T3_MICRO)
                        .minCount(count).maxCount(count).subnetId(account.seeded.subnetIds().get(0))
                        .securityGroupIds(account.seeded.appGroupId()))
                .instances().stream().map(i -> i.instanceId()).toList();
    }

    private long isolatedCount(List<String> instances) {
        return account.ec2.ec2().describeInstances(r -> r.instanceIds(instances)).reservations().stream()
                .flatMap(res -> res.instances().stream())
                .filter(i -> i.tags().stream().anyMatch(t -> t.key().equals("quell:status")))
                .count();
    }
}
