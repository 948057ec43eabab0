package dev.quell.core.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * One ledger item: a finding and action, who holds it, and what was recorded along the way.
 *
 * @param findingKey the finding's deduplication key
 * @param status {@code IN_PROGRESS}, {@code COMPLETED} or {@code RELEASED}
 * @param attempts how many runs have claimed the work
 * @param preStateJson the state recorded before the first change, or {@code null} before it was recorded
 * @param stepsJson each finished step's result as JSON, by step name
 * @param resultJson the final result as JSON, once completed
 * @param findingUpdatedAt the finding's {@code updatedAt} when this record last changed
 * @param attributes other facts kept with the record, such as a Slack thread id
 * @param resourceId the resource acted on, once the pre-state is recorded
 */
public record LedgerRecord(
        String findingKey,
        String action,
        String status,
        String owner,
        long attempts,
        Instant leaseUntil,
        String preStateJson,
        Map<String, String> stepsJson,
        String resultJson,
        Instant findingUpdatedAt,
        Map<String, String> attributes,
        String resourceId) {

    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String RELEASED = "RELEASED";

    public LedgerRecord {
        stepsJson = stepsJson == null ? Map.of() : Map.copyOf(stepsJson);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
