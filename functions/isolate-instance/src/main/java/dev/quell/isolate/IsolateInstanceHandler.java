package dev.quell.isolate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.quell.core.aws.AwsClients;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.ParsedEvent;
import dev.quell.core.json.Json;
import dev.quell.core.log.Log;
import dev.quell.core.response.Responder;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.TransientFailureException;
import dev.quell.core.runtime.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The isolation Lambda function. It reads the event with Quell's own mapper (the runtime's serializer ignores
 * Jackson annotations, so {@code detail-type} would be lost), and builds its clients once, at init.
 *
 * <p>Bad input is logged and rejected without throwing, so Lambda does not retry it. A transient AWS failure that
 * survived the SDK's retries is thrown so Lambda retries the event, and the ledger makes the retry resume.
 */
public final class IsolateInstanceHandler implements RequestStreamHandler, org.crac.Resource {

    private static final Log LOG = Log.of(IsolateInstanceHandler.class);

    private final Responder responder;
    private final Runnable priming;

    /**
     * The constructor Lambda calls: settings and clients from the environment, then priming, so the first
     * finding does not pay for class loading. With SnapStart, priming runs again before the checkpoint.
     */
    public IsolateInstanceHandler() {
        Settings settings = Settings.fromEnvironment(System.getenv());
        AwsClients clients = AwsClients.fromEnvironment(System.getenv());
        String homeAccount = System.getenv("QUELL_HOME_ACCOUNT");
        this.responder = IsolationFunction.responder(settings, clients, homeAccount);
        this.priming = () -> Priming.prime(settings, clients, homeAccount, IsolationFunction.executor());
        if (!"false".equals(System.getenv("QUELL_PRIME"))) {
            priming.run();
        }
        org.crac.Core.getGlobalContext().register(this);
    }

    public IsolateInstanceHandler(Responder responder) {
        this.responder = responder;
        this.priming = () -> { };
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        priming.run();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
        // Clients keep no connection across a snapshot worth reusing; the HTTP client opens new ones.
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        String body = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        ParsedEvent event;
        try {
            event = FindingParser.parse(body);
        } catch (FindingRejectedException e) {
            LOG.warn("event rejected", null, Map.of("requestId", requestId, "reason", e.reason(),
                    "detail", e.getMessage()));
            output.write(Json.mapper().writeValueAsBytes(Map.of("rejected", e.reason(), "message", e.getMessage())));
            return;
        }
        List<Object> summaries = new ArrayList<>();
        TransientFailureException transientFailure = null;
        for (Finding finding : event.findings()) {
            try {
                ResponseResult result = responder.respond(finding, requestId);
                summaries.add(Map.of("findingId", finding.id(), "outcome", result.outcome()));
            } catch (TransientFailureException e) {
                LOG.warn("response stopped on a transient error; Lambda will retry", finding.id(),
                        Map.of("requestId", requestId, "eventId", String.valueOf(event.eventId()),
                                "detail", e.getMessage()));
                transientFailure = e;
            }
        }
        if (transientFailure != null) {
            throw transientFailure;
        }
        output.write(Json.mapper().writeValueAsBytes(Map.of("responses", summaries)));
    }
}
