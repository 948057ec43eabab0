package dev.quell.cli;

import dev.quell.core.ledger.Ledger;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.Releaser;
import dev.quell.core.response.StepResult;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.time.Clock;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code quell release FINDING_ID}: undoes every containment the ledger recorded for a finding, from the recorded
 * pre-state, and records who released it and why.
 */
final class ReleaseCommand {

    static final Set<String> OPTIONS = options();

    private final PrintStream out;
    private final PrintStream err;

    ReleaseCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Returns 0 when everything recorded was released, 1 when a release step failed, 2 when nothing could be. */
    int run(Arguments args) {
        args.allowOnly(OPTIONS);
        if (args.positional().size() != 1) {
            throw new Arguments.UsageException("release needs exactly one FINDING_ID");
        }
        String findingId = args.positional().get(0);
        String reason = args.option("--reason", "released with the quell command");
        String actor = "quell-cli:" + System.getProperty("user.name", "unknown");
        RespondCommand.Context context = new RespondCommand(out, err).context(args, RespondCommand.policy(args));
        Ledger ledger = ledger(context, args);
        boolean found = false;
        int exit = 0;
        for (Releaser releaser : context.responders().releasers()) {
            if (ledger.find(findingId, releaser.action()).isPresent()) {
                found = true;
                exit = Math.max(exit, release(releaser, findingId, actor, reason));
            }
        }
        if (!found) {
            err.println("quell: no containment is recorded for finding " + findingId + " in ledger table "
                    + args.option("--ledger-table", "quell-ledger") + "; nothing to release");
            return 2;
        }
        return exit;
    }

    private int release(Releaser releaser, String findingId, String actor, String reason) {
        try {
            ReleaseResult result = releaser.release(findingId, actor, reason);
            out.printf(Locale.ROOT, "%s: %s %s%n  %s%n", releaser.action(), result.status(),
                    result.resourceId() == null ? "" : result.resourceId(), result.message());
            for (StepResult step : result.steps()) {
                out.printf(Locale.ROOT, "    %-24s %-8s %s%s%n", step.name(), step.status(),
                        step.detail() == null ? "" : step.detail(),
                        step.errorCode() == null ? "" : " [" + step.errorCode() + "]");
            }
            return result.status() == ReleaseResult.Status.FAILED ? 1 : 0;
        } catch (ReleaseRejectedException e) {
            err.println("quell: " + releaser.action() + ": release refused: " + e.getMessage());
            return 1;
        }
    }

    private static Ledger ledger(RespondCommand.Context context, Arguments args) {
        String region = args.option("--region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
        return new Ledger(context.clients().client(DynamoDbClient::builder, context.account(), Region.of(region)),
                args.option("--ledger-table", "quell-ledger"), Clock.systemUTC());
    }

    private static Set<String> options() {
        Set<String> options = new HashSet<>(RespondCommand.CONTEXT_OPTIONS);
        options.add("--reason");
        return Set.copyOf(options);
    }
}
