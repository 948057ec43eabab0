package dev.quell.isolate;

import dev.quell.core.aws.AwsClients;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.RateBudgetGate;
import dev.quell.core.runtime.Settings;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Wires the instance responder from settings and clients: the same wiring for the Lambda handler and the
 * command line, so both run one code path.
 */
public final class IsolationFunction {

    /** Threads for parallel AWS calls; one finding needs about a dozen at once at its widest phase. */
    private static final int THREADS = 24;

    private IsolationFunction() {
    }

    /** Builds a responder whose ledger and event bus live in the settings' home region. */
    public static InstanceResponder responder(Settings settings, AwsClients clients, String homeAccount) {
        Region home = Region.of(settings.homeRegion());
        DynamoDbClient dynamo = clients.client(DynamoDbClient::builder, homeAccount, home);
        Ledger ledger = new Ledger(dynamo, settings.ledgerTable(), Clock.systemUTC());
        RateBudgetGate budget = new RateBudgetGate(dynamo, settings.ledgerTable(), Clock.systemUTC());
        ResultPublisher publisher = new ResultPublisher(clients.client(EventBridgeClient::builder, homeAccount,
                home), settings.eventBus());
        return new InstanceResponder(clients, ledger, budget, publisher, settings.policy(), executor(),
                settings.lease(), Clock.systemUTC());
    }

    private static final ExecutorService EXECUTOR = newExecutor();

    /** Returns the process's pool of daemon threads, so a finished command-line run exits without closing it. */
    public static ExecutorService executor() {
        return EXECUTOR;
    }

    private static ExecutorService newExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "quell-aws-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(THREADS, factory);
    }
}
