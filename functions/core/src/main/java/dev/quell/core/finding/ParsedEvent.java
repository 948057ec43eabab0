package dev.quell.core.finding;

import java.util.List;

/**
 * What one input document held: the findings, and the EventBridge envelope's facts when there was an envelope.
 *
 * @param eventId the EventBridge event id, or {@code null} for a bare finding or API output
 * @param detailType the EventBridge {@code detail-type}, or {@code null}
 * @param customActionName the Security Hub custom action's name for a custom action event, else {@code null}
 * @param findings one or more findings, never empty
 */
public record ParsedEvent(String eventId, String detailType, String customActionName, List<Finding> findings) {

    public ParsedEvent {
        findings = List.copyOf(findings);
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("a parsed event carries at least one finding");
        }
    }
}
