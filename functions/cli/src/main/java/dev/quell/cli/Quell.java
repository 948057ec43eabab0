package dev.quell.cli;

import dev.quell.core.log.Log;
import dev.quell.core.policy.PolicyException;
import java.io.PrintStream;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The {@code quell} command: respond to, plan for, and demonstrate responses to security findings. */
public final class Quell {

    static final String USAGE = """
            usage: quell COMMAND [OPTIONS]

            commands:
              respond FILE...  respond to every finding in the files (acts unless --dry-run)
              plan FILE...     the same as respond --dry-run: decide and plan, change nothing
              release ID       undo every containment recorded for finding ID, from the recorded pre-state
              demo             start moto on loopback, seed an account, replay the bundled events

            respond and plan options:
              --dry-run              plan only, change nothing
              --endpoint-url URL     send every AWS call to URL (a local emulator such as moto);
                                     creates Quell's ledger table and event bus there when missing
              --region REGION        region of the ledger table and event bus (default: AWS_REGION or us-east-1)
              --policy FILE          the policy file the deployment uses (default: the bundled policy)
              --output text|json     text for people (default), json for one object per finding and action
              --ledger-table NAME    ledger table name (default quell-ledger)
              --event-bus NAME       Quell event bus name (default quell)
              --slack-webhook URL    also post each result's Slack message to this incoming webhook
              --account ID           the account the credentials act in (default: from STS; 123456789012
                                     with --endpoint-url); findings in other accounts are refused
              --member-role NAME     assume this role in a finding's account when it is not --account

            release options: --reason TEXT (kept in the ledger), and --endpoint-url, --region, --account,
              --ledger-table, --event-bus as for respond

            demo options:
              --endpoint-url URL     use this emulator instead of starting moto_server
              --region REGION        region to seed (default eu-west-1)
              --slack-webhook URL    post each Slack message here (default: a receiver the demo starts on
                                     loopback)

            logs: JSON lines on standard error; warnings and errors only, unless QUELL_VERBOSE is set

            exit status: 0 every decision was carried out, 1 a step failed, 2 invalid input or usage
            """;

    private Quell() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Log.redirect(err);
        Log.infoEnabled(System.getenv("QUELL_VERBOSE") != null);
        try {
            Arguments parsed = Arguments.parse(args);
            return switch (parsed.command()) {
                case "respond" -> new RespondCommand(out, err).run(parsed, false);
                case "plan" -> new RespondCommand(out, err).run(parsed, true);
                case "demo" -> new DemoCommand(out, err).run(parsed);
                case "release" -> new ReleaseCommand(out, err).run(parsed);
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> throw new Arguments.UsageException("unknown command " + parsed.command());
            };
        } catch (Arguments.UsageException e) {
            err.println("quell: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (PolicyException | IllegalArgumentException e) {
            err.println("quell: " + e.getMessage());
            return 2;
        } catch (SdkClientException e) {
            err.println("quell: could not reach AWS: " + e.getMessage()
                    + "; check --endpoint-url, --region and the network");
            return 2;
        } catch (RuntimeException e) {
            err.println("quell: failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (System.getenv("QUELL_VERBOSE") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }
}
