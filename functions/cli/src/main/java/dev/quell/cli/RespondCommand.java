package dev.quell.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.aws.AwsClients;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.ParsedEvent;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.Responder;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.TransientFailureException;
import dev.quell.core.runtime.FunctionContext;
import dev.quell.core.runtime.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code quell respond FILE} and {@code quell plan FILE}: runs the Lambda handlers' code path on every finding in
 * the files. It acts unless {@code --dry-run} is given, because a person running it has decided to act.
 */
final class RespondCommand {

    static final Set<String> CONTEXT_OPTIONS = Set.of("--endpoint-url", "--region", "--policy", "--account",
            "--ledger-table", "--event-bus", "--member-role");
    static final Set<String> OPTIONS = Set.of("--dry-run", "--endpoint-url", "--region", "--output", "--policy",
            "--account", "--ledger-table", "--event-bus", "--slack-webhook", "--member-role");

    /** moto's default account, used as the home account against a local endpoint. */
    private static final String LOCAL_ACCOUNT = "123456789012";

    private final PrintStream out;
    private final PrintStream err;

    RespondCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command and returns the exit code: 0 all decisions carried out, 1 a step failed, 2 bad input. */
    int run(Arguments args, boolean planOnly) {
        args.allowOnly(OPTIONS);
        if (args.positional().isEmpty()) {
            throw new Arguments.UsageException(args.command() + " needs at least one FILE");
        }
        String output = args.option("--output", "text");
        if (!Set.of("text", "json").contains(output)) {
            throw new Arguments.UsageException("--output must be text or json, was " + output);
        }
        // Every file is checked before any is acted on, so a batch never stops half-done on a bad file.
        List<Loaded> loaded = new ArrayList<>();
        int invalid = 0;
        for (String file : args.positional()) {
            Optional<Loaded> parsed = load(Path.of(file));
            if (parsed.isEmpty()) {
                invalid++;
            } else {
                loaded.add(parsed.get());
            }
        }
        if (invalid > 0) {
            err.println("quell: " + args.command() + ": nothing was done, because " + invalid + " of "
                    + args.positional().size() + " files could not be used; fix or leave out the files above");
            return 2;
        }
        Policy policy = policy(args).withMode(planOnly || args.flag("--dry-run") ? Mode.DRY_RUN : Mode.ENFORCE);
        Context context = context(args, policy);
        Optional<String> webhook = Optional.ofNullable(args.options().get("--slack-webhook"));
        try (SlackOutput slack = SlackOutput.printing(out, webhook)) {
            return respondAll(loaded, context, "json".equals(output), slack);
        }
    }

    /** One input file and what it held. */
    record Loaded(String file, ParsedEvent event) {
    }

    /** The responders, the clients they use and the home account. */
    record Context(Responders responders, AwsClients clients, String account, boolean assumesMemberRole) {

        /** Returns why the finding cannot be acted on with these credentials, or empty when it can. */
        Optional<String> accountMismatch(Finding finding) {
            if (assumesMemberRole || account == null || account.equals(finding.accountId())) {
                return Optional.empty();
            }
            return Optional.of("finding " + finding.id() + " is in account " + finding.accountId()
                    + ", but these credentials act in account " + account + "; pass --member-role NAME to assume"
                    + " a role there, or use credentials of that account. Nothing was changed");
        }
    }

    Context context(Arguments args, Policy policy) {
        Optional<URI> endpoint = args.endpoint();
        String region = args.option("--region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
        String memberRole = args.options().get("--member-role");
        Settings settings = new Settings(args.option("--ledger-table", "quell-ledger"),
                args.option("--event-bus", "quell"), policy, java.time.Duration.ofSeconds(60), region);
        AwsClients provisional = new AwsClients(credentials(endpoint), endpoint, null, null);
        String account = args.option("--account", endpoint.isPresent() ? LOCAL_ACCOUNT
                : callerAccount(provisional, region));
        AwsClients clients = new AwsClients(credentials(endpoint), endpoint, account, memberRole);
        if (endpoint.isPresent()) {
            createLocalResources(clients, settings, account);
        }
        return new Context(new Responders(FunctionContext.of(settings, clients, account)), clients, account,
                memberRole != null);
    }

    int respondAll(List<Loaded> loaded, Context context, boolean json, SlackOutput slack) {
        TextReport report = new TextReport(out);
        ArrayNode results = Json.mapper().createArrayNode();
        boolean anyFailed = false;
        for (Loaded input : loaded) {
            for (Finding finding : input.event().findings()) {
                if (!json) {
                    report.finding(finding, input.file());
                }
                Optional<String> mismatch = context.accountMismatch(finding);
                if (mismatch.isPresent()) {
                    err.println("quell: " + input.file() + ": " + mismatch.get());
                    anyFailed = true;
                    continue;
                }
                for (Responders.Dispatch dispatch : context.responders().forFinding(finding)) {
                    ResponseResult result = respond(dispatch.responder(), dispatch.finding());
                    anyFailed |= result.anyStepFailed() || result.outcome() == Outcome.FAILED
                            || result.outcome() == Outcome.PARTIAL;
                    if (json) {
                        results.add(toJson(result));
                        slack.post(result);
                    } else {
                        report.result(result);
                        slack.show(result);
                    }
                }
            }
        }
        if (json) {
            results.forEach(node -> out.println(node.toString()));
        }
        return anyFailed ? 1 : 0;
    }

    static ResponseResult respond(Responder responder, Finding finding) {
        try {
            return responder.respond(finding, "quell-cli:" + System.getProperty("user.name", "unknown"));
        } catch (TransientFailureException e) {
            return e.partial();
        }
    }

    private Optional<Loaded> load(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return Optional.of(new Loaded(file.toString(), FindingParser.parse(text)));
        } catch (NoSuchFileException e) {
            err.println("quell: " + file + ": file not found");
        } catch (java.nio.charset.CharacterCodingException e) {
            err.println("quell: " + file + ": rejected: the file is not UTF-8 text, so it cannot be a finding");
        } catch (IOException e) {
            err.println("quell: " + file + ": could not read: " + e.getMessage());
        } catch (FindingRejectedException e) {
            err.println("quell: " + file + ": rejected (" + e.reason() + "): " + e.getMessage());
        }
        return Optional.empty();
    }

    static Policy policy(Arguments args) {
        String file = args.options().get("--policy");
        return file == null ? Policy.defaults() : Policy.load(Path.of(file));
    }

    /** Returns the account the credentials belong to, from STS. */
    private static String callerAccount(AwsClients clients, String region) {
        return clients.client(StsClient::builder, null, Region.of(region)).getCallerIdentity().account();
    }

    private static AwsCredentialsProvider credentials(Optional<URI> endpoint) {
        boolean configured = System.getenv("AWS_ACCESS_KEY_ID") != null || System.getenv("AWS_PROFILE") != null;
        if (endpoint.isPresent() && !configured) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static void createLocalResources(AwsClients clients, Settings settings, String account) {
        Region home = Region.of(settings.homeRegion());
        new Ledger(clients.client(DynamoDbClient::builder, account, home), settings.ledgerTable(),
                Clock.systemUTC()).createTableIfMissing();
        new ResultPublisher(clients.client(EventBridgeClient::builder, account, home), settings.eventBus())
                .createBusIfMissing();
    }

    private static ObjectNode toJson(ResponseResult result) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("findingId", result.finding().id());
        node.put("action", result.action());
        node.put("decision", result.decision().outcome().name());
        node.put("reason", result.decision().reason());
        node.put("outcome", result.outcome().name());
        node.set("steps", Json.mapper().valueToTree(result.steps()));
        if (result.preState() != null) {
            node.set("preState", result.preState());
        }
        if (result.verification() != null) {
            node.put("verification", result.verification());
        }
        return node;
    }
}
