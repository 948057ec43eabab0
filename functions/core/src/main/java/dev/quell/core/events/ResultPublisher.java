package dev.quell.core.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quell.core.json.Json;
import dev.quell.core.response.ResponseResult;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;

/**
 * Publishes response results on the Quell event bus, where the notify function picks them up. Containment never
 * waits on the notify function: it only needs this one {@code PutEvents} call to succeed.
 */
public final class ResultPublisher {

    /** The {@code source} of every event Quell publishes. */
    public static final String SOURCE = "quell";

    private final EventBridgeClient events;
    private final String busName;

    public ResultPublisher(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    /**
     * Publishes one result as {@code Response Completed} or {@code Response Planned}.
     *
     * @throws PublishException when EventBridge rejects the entry, with its error code
     */
    public void publish(ResponseResult result) {
        String resource = result.finding().arn();
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(result.detailType())
                .resources(resource == null || !resource.startsWith("arn:") ? List.of() : List.of(resource))
                .detail(toJson(result))
                .build();
        put(entry, result.finding().id());
    }

    /** Publishes an alert, such as a tripped rate budget, as detail-type {@code Quell Alert}. */
    public void alert(String findingId, Object detail) {
        put(PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType("Quell Alert")
                .detail(toJson(detail))
                .build(), findingId);
    }

    /** Creates the bus when it is missing, for the command line against a local endpoint. */
    public void createBusIfMissing() {
        try {
            events.createEventBus(request -> request.name(busName));
        } catch (ResourceAlreadyExistsException alreadyThere) {
            // Created earlier, which is what was wanted.
        }
    }

    private void put(PutEventsRequestEntry entry, String findingId) {
        PutEventsResponse response = events.putEvents(request -> request.entries(entry));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            var failed = response.entries().get(0);
            throw new PublishException("EventBridge rejected the " + entry.detailType() + " event for finding "
                    + findingId + " on bus " + busName + ": " + failed.errorCode() + " " + failed.errorMessage(),
                    failed.errorCode());
        }
    }

    private static String toJson(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Raised when EventBridge does not accept a result event. */
    public static final class PublishException extends RuntimeException {

        private final String errorCode;

        public PublishException(String message, String errorCode) {
            super(message);
            this.errorCode = errorCode;
        }

        public String errorCode() {
            return errorCode;
        }
    }
}
