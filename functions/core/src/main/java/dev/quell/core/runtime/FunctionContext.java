package dev.quell.core.runtime;

import dev.quell.core.aws.AwsClients;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.RateBudgetGate;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The parts every responder is built from: settings, clients, the ledger, the rate budget, the result publisher and
 * a thread pool. The Lambda handlers and the command line build responders from one of these, so both run one
 * code path.
 */
public record FunctionContext(
        Settings settings,
        AwsClients clients,
        String homeAccount,
        Ledger ledger,
        RateBudgetGate budget,
        ResultPublisher publisher,
        ExecutorService executor,
        Clock clock) {

    /** Threads for parallel AWS calls; one finding needs about a dozen at once at its widest phase. */
    private static final int THREADS = 24;

    private static final ExecutorService EXECUTOR = newExecutor();

    /** Builds a context whose ledger and event bus live in the settings' home region. */
    public static FunctionContext of(Settings settings, AwsClients clients, String homeAccount) {
        Region home = Region.of(settings.homeRegion());
        DynamoDbClient dynamo = clients.client(DynamoDbClient::builder, homeAccount, home);
        Clock clock = Clock.systemUTC();
        return new FunctionContext(settings, clients, homeAccount,
                new Ledger(dynamo, settings.ledgerTable(), clock),
                new RateBudgetGate(dynamo, settings.ledgerTable(), clock),
                new ResultPublisher(clients.client(EventBridgeClient::builder, homeAccount, home),
                        settings.eventBus()),
                EXECUTOR, clock);
    }

    /** Builds a context from a Lambda function's environment. */
    public static FunctionContext fromEnvironment(Map<String, String> env) {
        return of(Settings.fromEnvironment(env), AwsClients.fromEnvironment(env), env.get("QUELL_HOME_ACCOUNT"));
    }

    /** Returns a pool of daemon threads, so a finished command-line run exits without closing it. */
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
