package dev.quell.notify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.aws.AwsClients;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.log.Log;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.runtime.Settings;
import dev.quell.notify.securityhub.SecurityHubClients;
import dev.quell.notify.securityhub.SecurityHubUpdater;
import dev.quell.notify.slack.SlackCredentials;
import dev.quell.notify.slack.SlackSecrets;
import dev.quell.notify.slack.SlackSender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The notify Lambda function: receives {@code Response Completed} and {@code Response Planned} events (source
 * {@code quell}) and reports each result through {@link Notifier}.
 *
 * <p>Environment, besides what {@link Settings} and {@link AwsClients} read:
 * <ul>
 *   <li>{@code QUELL_SLACK_SECRET}: the ARN or name of the Secrets Manager secret with the Slack credentials, read
 *       once at start; unset means no Slack messages</li>
 *   <li>{@code QUELL_SLACK_API_URL}: the Slack Web API base for {@code chat.postMessage} (default
 *       {@code https://slack.com/api/})</li>
 * </ul>
 *
 * <p>An event that is not a Quell result is logged and dropped, because retrying it cannot help. Only
 * {@link NotifyRetryException} propagates, so that Lambda retries the event.
 */
public final class NotifyHandler implements RequestStreamHandler {

    /** The detail-types the function accepts. */
    public static final Set<String> DETAIL_TYPES = Set.of("Response Completed", "Response Planned");

    private static final Log LOG = Log.of(NotifyHandler.class);
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    private final Notifier notifier;

    /** Builds the notifier from the function's environment; Lambda calls this once per execution environment. */
    public NotifyHandler() {
        this(fromEnvironment(System.getenv()));
    }

    public NotifyHandler(Notifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String owner = context == null || context.getAwsRequestId() == null ? "local" : context.getAwsRequestId();
        ObjectNode answer = Json.mapper().createObjectNode();
        JsonNode event = read(input.readAllBytes());
        Optional<ResponseResult> result = event == null ? Optional.empty() : resultOf(event);
        if (result.isEmpty()) {
            answer.put("status", "rejected");
        } else {
            Notifier.NotifyReport report = notifier.notify(result.get(), owner);
            answer.put("status", "reported");
            answer.put("response", report.responseKey());
            answer.put("slack", report.slack());
            answer.put("securityHub", report.securityHub());
        }
        output.write(Json.mapper().writeValueAsBytes(answer));
    }

    /** Builds the notifier from environment variables, reading the Slack secret once. */
    public static Notifier fromEnvironment(Map<String, String> env) {
        Settings settings = Settings.fromEnvironment(env);
        AwsClients clients = AwsClients.fromEnvironment(env);
        String home = env.get("QUELL_HOME_ACCOUNT");
        Region region = Region.of(settings.homeRegion());
        Ledger ledger = new Ledger(clients.client(DynamoDbClient::builder, home, region), settings.ledgerTable(),
                Clock.systemUTC());
        Optional<SlackSender> slack = slackFrom(env, clients, home, region);
        SecurityHubClients hubClients = new SecurityHubClients(DefaultCredentialsProvider.builder().build(),
                clients.endpoint());
        LOG.info("notify function started", null, Map.of("slack", slack.map(SlackSender::toString)
                .orElse("not configured"), "ledgerTable", settings.ledgerTable()));
        DeliveryLedger deliveries = new DeliveryLedger(ledger, settings.lease(), LOCK_WAIT, Sleeper.THREAD);
        return new Notifier(slack, new SecurityHubUpdater(hubClients, Sleeper.THREAD), deliveries,
                settings.policy().notifications());
    }

    private static Optional<SlackSender> slackFrom(Map<String, String> env, AwsClients clients, String home,
            Region region) {
        String secretId = env.get("QUELL_SLACK_SECRET");
        if (secretId == null || secretId.isBlank()) {
            LOG.warn("QUELL_SLACK_SECRET is not set, so no Slack messages are sent", null, Map.of());
            return Optional.empty();
        }
        SecretsManagerClient secrets = clients.client(SecretsManagerClient::builder, home, region);
        Optional<SlackCredentials> configured = SlackSecrets.loadConfigured(secrets, secretId);
        if (configured.isEmpty()) {
            LOG.warn("the Slack secret is empty ({}), so no Slack messages are sent until it is filled", null,
                    Map.of("secret", secretId));
            return Optional.empty();
        }
        SlackCredentials credentials = configured.get();
        String apiUrl = env.get("QUELL_SLACK_API_URL");
        URI base = apiUrl == null || apiUrl.isBlank() ? SlackSender.DEFAULT_API_URL : URI.create(apiUrl);
        return Optional.of(SlackSender.of(credentials, base));
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            LOG.error("event rejected: not valid JSON", null, Map.of("bytes", bytes.length), null);
            return null;
        }
    }

    /** Returns the result the event carries, or empty after logging why the event is not a Quell result. */
    private static Optional<ResponseResult> resultOf(JsonNode event) {
        String eventId = event.path("id").asText("");
        String source = event.path("source").asText("");
        String detailType = event.path("detail-type").asText("");
        if (!ResultPublisher.SOURCE.equals(source) || !DETAIL_TYPES.contains(detailType)) {
            return rejected(eventId, "not a Quell result event: source \"" + source + "\", detail-type \""
                    + detailType + "\"");
        }
        ResponseResult result;
        try {
            result = Json.mapper().treeToValue(event.path("detail"), ResponseResult.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return rejected(eventId, "detail is not a response result: " + e.getClass().getSimpleName());
        }
        if (result == null || result.finding() == null || result.finding().id() == null
                || result.finding().id().isBlank()) {
            return rejected(eventId, "the response result names no finding id");
        }
        return Optional.of(result);
    }

    private static Optional<ResponseResult> rejected(String eventId, String reason) {
        LOG.error("event rejected: " + reason, null, Map.of("eventId", eventId), null);
        return Optional.empty();
    }
}
