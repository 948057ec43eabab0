package dev.quell.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.testkit.FaultProxy;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class LedgerTest {

    private static final Instant UPDATED = Instant.parse("2026-12-01T10:00:00Z");

    private final DynamoDbClient dynamo = DynamoDbClient.builder()
            .endpointOverride(MotoServer.shared().endpoint())
            .region(Region.EU_WEST_1)
            .credentialsProvider(SeededAccount.credentials())
            .build();
    private final Ledger ledger = new Ledger(dynamo, "ledger-" + UUID.randomUUID(), Clock.systemUTC());

    LedgerTest() {
        ledger.createTableIfMissing();
    }

    @AfterEach
    void close() {
        dynamo.close();
    }

    @Test
    void firstClaim_isNew() {
        Claim claim = ledger.claim("f1", "isolate-instance", "run-1", Duration.ofMinutes(1), UPDATED);

        assertThat(claim.kind()).isEqualTo(Claim.Kind.NEW);
        assertThat(claim.record().attempts()).isEqualTo(1);
    }

    @Test
    void secondClaimWithLiveLease_isHeldElsewhere() {
        ledger.claim("f1", "isolate-instance", "run-1", Duration.ofMinutes(1), UPDATED);

        Claim second = ledger.claim("f1", "isolate-instance", "run-2", Duration.ofMinutes(1), UPDATED);

        assertThat(second.kind()).isEqualTo(Claim.Kind.HELD_ELSEWHERE);
        assertThat(second.record().owner()).isEqualTo("run-1");
    }

    @Test
    void claimAfterExpiredLease_resumesWithRecordedState() {
        ledger.claim("f1", "isolate-instance", "run-1", Duration.ofMillis(1), UPDATED);
        ledger.recordPreState("f1", "isolate-instance", "{\"instanceId\":\"i-1\"}", "i-1");
        ledger.recordStep("f1", "isolate-instance", "protect-instance", "{\"name\":\"protect-instance\"}");
        sleep(20);

        Claim resumed = ledger.claim("f1", "isolate-instance", "run-2", Duration.ofMinutes(1), UPDATED);

        assertThat(resumed.kind()).isEqualTo(Claim.Kind.RESUME);
        assertThat(resumed.record().preStateJson()).contains("i-1");
        assertThat(resumed.record().stepsJson()).containsKey("protect-instance");
        assertThat(resumed.record().attempts()).isEqualTo(2);
    }

    @Test
    void claimAfterCompletion_isCompleted() {
        ledger.claim("f1", "isolate-instance", "run-1", Duration.ofMinutes(1), UPDATED);
        ledger.complete("f1", "isolate-instance", "{}");

        Claim again = ledger.claim("f1", "isolate-instance", "run-2", Duration.ofMinutes(1), UPDATED.plusSeconds(60));

        assertThat(again.kind()).isEqualTo(Claim.Kind.COMPLETED);
        assertThat(again.record().findingUpdatedAt()).isEqualTo(UPDATED);
    }

    @Test
    void otherAction_isSeparateClaim() {
        ledger.claim("f1", "isolate-instance", "run-1", Duration.ofMinutes(1), UPDATED);

        Claim other = ledger.claim("f1", "quarantine-access-key", "run-2", Duration.ofMinutes(1), UPDATED);

        assertThat(other.kind()).isEqualTo(Claim.Kind.NEW);
    }

    @Test
    void hold_isOneFindingsUntilReleased() {
        String instance = "instance#arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc";

        assertThat(ledger.hold(instance, "key-a", "finding-a")).isEmpty();
        assertThat(ledger.hold(instance, "key-a", "finding-a")).as("the holder again").isEmpty();
        assertThat(ledger.hold(instance, "key-b", "finding-b")).contains("finding-a");
        ledger.releaseHold(instance, "key-b");
        assertThat(ledger.hold(instance, "key-b", "finding-b")).as("another's release changes nothing")
                .contains("finding-a");
        ledger.releaseHold(instance, "key-a");
        assertThat(ledger.hold(instance, "key-b", "finding-b")).isEmpty();
    }

    @Test
    void concurrentHolds_exactlyOneHolds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<java.util.Optional<String>>> holds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String finding = "finding-" + i;
            holds.add(() -> ledger.hold("access-key#123456789012#AKIAEXAMPLE", "key-" + finding, finding));
        }
        List<java.util.Optional<String>> results = new ArrayList<>();
        for (Future<java.util.Optional<String>> future : pool.invokeAll(holds)) {
            results.add(future.get());
        }
        pool.shutdown();

        assertThat(results).filteredOn(java.util.Optional::isEmpty).hasSize(1);
        assertThat(results).filteredOn(java.util.Optional::isPresent).extracting(java.util.Optional::get)
                .containsOnly(results.stream().filter(java.util.Optional::isPresent).findFirst().orElseThrow().get());
    }

    @Test
    void concurrentClaims_exactlyOneOwns() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Claim>> claims = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String owner = "run-" + i;
            claims.add(() -> ledger.claim("f-race", "isolate-instance", owner, Duration.ofMinutes(1), UPDATED));
        }
        List<Claim.Kind> kinds = new ArrayList<>();
        for (Future<Claim> future : pool.invokeAll(claims)) {
            kinds.add(future.get().kind());
        }
        pool.shutdown();

        assertThat(kinds).filteredOn(kind -> kind == Claim.Kind.NEW).hasSize(1);
        assertThat(kinds).filteredOn(kind -> kind == Claim.Kind.HELD_ELSEWHERE).hasSize(15);
    }

    @Test
    void abandon_deletesOnlyOwnClaimWithoutPreState() {
        ledger.claim("f1", "isolate-instance", "run-1", Duration.ofMinutes(1), UPDATED);
        ledger.abandon("f1", "isolate-instance", "someone-else");
        assertThat(ledger.find("f1", "isolate-instance")).isPresent();

        ledger.abandon("f1", "isolate-instance", "run-1");

        assertThat(ledger.find("f1", "isolate-instance")).isEmpty();
    }

    @Test
    void compareAndSet_replacesExpectedOnly() {
        ledger.claim("f1", "isolate-instance", "run-1", Duration.ofMinutes(1), UPDATED);
        Instant later = UPDATED.plusSeconds(3600);

        boolean first = ledger.compareAndSetFindingUpdatedAt("f1", "isolate-instance", UPDATED, later);
        boolean second = ledger.compareAndSetFindingUpdatedAt("f1", "isolate-instance", UPDATED, later);

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(ledger.find("f1", "isolate-instance").orElseThrow().findingUpdatedAt()).isEqualTo(later);
    }

    @Test
    void compareAndSet_createsNoRecord() {
        boolean set = ledger.compareAndSetFindingUpdatedAt("f-none", "isolate-instance", null, UPDATED);

        assertThat(set).isFalse();
        assertThat(ledger.find("f-none", "isolate-instance")).isEmpty();
    }

    @Test
    void lostClaimResponse_claimIsOwned() {
        try (FaultProxy proxy = FaultProxy.start(MotoServer.shared().endpoint()).holdFor(Duration.ofMillis(1500));
                DynamoDbClient proxied = DynamoDbClient.builder()
                        .endpointOverride(proxy.endpoint())
                        .region(Region.EU_WEST_1)
                        .credentialsProvider(SeededAccount.credentials())
                        .overrideConfiguration(config -> config.retryStrategy(RetryMode.STANDARD)
                                .apiCallAttemptTimeout(Duration.ofSeconds(1)))
                        .build()) {
            Ledger through = new Ledger(proxied, ledger.table(), Clock.systemUTC());
            proxy.inject(FaultProxy.Rule.on("UpdateItem").first(1).with(FaultProxy.Fault.RESPONSE_LOST));

            Claim claim = through.claim("f-lost", "isolate-instance", "run-1", Duration.ofMinutes(1), UPDATED);

            assertThat(proxy.requests("UpdateItem")).as("the lost attempt and the SDK's retry").hasSize(2);
            assertThat(claim.kind()).isEqualTo(Claim.Kind.NEW);
            assertThat(ledger.claim("f-lost", "isolate-instance", "run-2", Duration.ofMinutes(1), UPDATED).kind())
                    .isEqualTo(Claim.Kind.HELD_ELSEWHERE);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
