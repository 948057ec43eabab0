package dev.quell.isolate;

import dev.quell.core.aws.AwsClients;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.finding.Severity;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.RateBudgetGate;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Policy;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** A seeded account on the shared moto server, with a responder wired to it as the Lambda handler wires one. */
final class LocalAccount {

    static final String REGION = "eu-west-1";

    final MotoServer moto = MotoServer.shared();
    final SeededAccount seeded = SeededAccount.seed(moto.endpoint(), REGION);
    final AwsClients clients = new AwsClients(SeededAccount.credentials(), Optional.of(moto.endpoint()),
            SeededAccount.ACCOUNT, null);
    final ExecutorService executor = Executors.newFixedThreadPool(16);
    final String table = "ledger-" + UUID.randomUUID();
    final String bus = "quell-" + UUID.randomUUID();
    final Ledger ledger = new Ledger(clients.client(DynamoDbClient::builder, SeededAccount.ACCOUNT,
            Region.of(REGION)), table, Clock.systemUTC());
    final ResultPublisher publisher = new ResultPublisher(clients.client(EventBridgeClient::builder,
            SeededAccount.ACCOUNT, Region.of(REGION)), bus);
    final Ec2Clients ec2 = Ec2Clients.of(clients, SeededAccount.ACCOUNT, Region.of(REGION));

    LocalAccount() {
        ledger.createTableIfMissing();
        publisher.createBusIfMissing();
    }

    final RateBudgetGate budget = new RateBudgetGate(clients.client(DynamoDbClient::builder, SeededAccount.ACCOUNT,
            Region.of(REGION)), table, Clock.systemUTC());

    InstanceResponder responder(Mode mode) {
        return responder(Policy.defaults().withMode(mode));
    }

    InstanceResponder responder(Policy policy) {
        return new InstanceResponder(clients, ledger, budget, publisher, policy, executor, Duration.ofSeconds(30),
                Clock.systemUTC());
    }

    /** Returns a command-and-control finding on the instance, as the parser would produce it. */
    Finding finding(String instanceId, String type, String direction, boolean sample) {
        var instance = new AffectedResource.Instance("Instance", instanceId, null, List.of(), Map.of());
        return new Finding(UUID.randomUUID().toString().replace("-", ""), Finding.Source.GUARDDUTY, type,
                "Test finding", "A finding written for the test", Severity.of(8), SeededAccount.ACCOUNT, REGION, "aws",
                Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:05:00Z"), null, null, 1, false,
                sample, null, null, null, direction, "TARGET", List.of(instance), Indicators.NONE);
    }
}
