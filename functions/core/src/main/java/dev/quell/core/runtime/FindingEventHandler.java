package dev.quell.core.runtime;

import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.ParsedEvent;
import dev.quell.core.json.Json;
import dev.quell.core.log.Log;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.Releaser;
import dev.quell.core.response.Responder;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.TransientFailureException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The body every responder's Lambda handler shares: parse the event with Quell's own mapper, route each finding
 * to its responders, and report. A Security Hub custom action named {@code Release} releases instead.
 *
 * <p>Bad input is logged with the request id and rejected without throwing, so Lambda does not retry it. A
 * transient AWS failure that survived the SDK's retries is thrown after every finding had its turn, so Lambda
 * retries the event and the ledger lets the retry resume. Every other failure is already a recorded result.
 */
public final class FindingEventHandler {

    /** The Security Hub custom action name that asks for a release. */
    public static final String RELEASE_ACTION_NAME = "Release";

    private static final Log LOG = Log.of(FindingEventHandler.class);

    private final Function<Finding, List<Responder>> router;
    private final List<Releaser> releasers;

    public FindingEventHandler(Function<Finding, List<Responder>> router, List<Releaser> releasers) {
        this.router = router;
        this.releasers = List.copyOf(releasers);
    }

    public void handle(InputStream input, OutputStream output, String requestId) throws IOException {
        ParsedEvent event;
        try {
            event = FindingParser.parse(input);
        } catch (FindingRejectedException e) {
            LOG.warn("event rejected", null, Map.of("requestId", requestId, "reason", e.reason(),
                    "detail", e.getMessage()));
            output.write(Json.mapper().writeValueAsBytes(Map.of("rejected", e.reason(), "message", e.getMessage())));
            return;
        }
        List<Object> summaries = RELEASE_ACTION_NAME.equalsIgnoreCase(event.customActionName())
                ? release(event, requestId) : respond(event, requestId);
        output.write(Json.mapper().writeValueAsBytes(Map.of("responses", summaries)));
    }

    private List<Object> respond(ParsedEvent event, String requestId) {
        List<Object> summaries = new ArrayList<>();
        TransientFailureException transientFailure = null;
        for (Finding finding : event.findings()) {
            for (Responder responder : router.apply(finding)) {
                try {
                    ResponseResult result = responder.respond(finding, requestId);
                    summaries.add(summary(finding, responder.action(), result.outcome().name()));
                } catch (TransientFailureException e) {
                    LOG.warn("response stopped on a transient error; Lambda will retry", finding.id(),
                            Map.of("requestId", requestId, "eventId", String.valueOf(event.eventId()),
                                    "action", responder.action(), "detail", e.getMessage()));
                    transientFailure = e;
                }
            }
        }
        if (transientFailure != null) {
            throw transientFailure;
        }
        return summaries;
    }

    private List<Object> release(ParsedEvent event, String requestId) {
        List<Object> summaries = new ArrayList<>();
        for (Finding finding : event.findings()) {
            for (Releaser releaser : releasers) {
                try {
                    ReleaseResult result = releaser.release(finding.dedupKey(), "security-hub-custom-action:"
                            + requestId, "Release picked in the Security Hub console");
                    summaries.add(summary(finding, releaser.action(), result.status().name()));
                } catch (ReleaseRejectedException e) {
                    LOG.warn("release rejected", finding.id(), Map.of("action", releaser.action(),
                            "detail", e.getMessage()));
                    summaries.add(summary(finding, releaser.action(), "REJECTED: " + e.getMessage()));
                }
            }
        }
        return summaries;
    }

    private static Map<String, String> summary(Finding finding, String action, String outcome) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("findingId", finding.id());
        summary.put("action", action);
        summary.put("outcome", outcome);
        return summary;
    }
}
