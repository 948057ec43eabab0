package dev.quell.core.finding;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One security finding, normalised from GuardDuty (camelCase or PascalCase), Security Hub ASFF or OCSF.
 *
 * <p>Optional blocks that the source left out are empty lists or {@code null} fields, never errors. Times are
 * {@code null} when the source did not carry them.
 *
 * @param id the finding id as the source product names it (a GuardDuty id is 32 hex characters)
 * @param source which product and which shape the finding came from
 * @param type the finding type, for example {@code Backdoor:EC2/C&CActivity.B!DNS}
 * @param accountId the account the affected resource lives in, which may differ from the event envelope's account
 * @param securityHub the Security Hub identifiers when the finding came through Security Hub, else {@code null}
 * @param connectionDirection {@code INBOUND}, {@code OUTBOUND}, {@code LOCAL} or {@code UNKNOWN}, from the
 *     network connection action when there is one, else {@code null}
 * @param resourceRole GuardDuty's {@code service.resourceRole} ({@code TARGET} or {@code ACTOR}), or {@code null}
 */
public record Finding(
        String id,
        Source source,
        String type,
        String title,
        String description,
        Severity severity,
        String accountId,
        String region,
        String partition,
        Instant createdAt,
        Instant updatedAt,
        Instant firstSeen,
        Instant lastSeen,
        int count,
        boolean archived,
        boolean sample,
        String workflowStatus,
        String arn,
        SecurityHubRef securityHub,
        String connectionDirection,
        String resourceRole,
        List<AffectedResource> resources,
        Indicators indicators) {

    public Finding {
        resources = resources == null ? List.of() : List.copyOf(resources);
        indicators = indicators == null ? Indicators.NONE : indicators;
    }

    /** Returns the first affected resource of the given kind, if any. */
    public <T extends AffectedResource> Optional<T> resource(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    /** Returns every affected resource of the given kind, in the order the source listed them. */
    public <T extends AffectedResource> List<T> resources(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /**
     * Returns the key under which Quell deduplicates work on this finding. A GuardDuty finding that reaches
     * Quell both directly and through Security Hub has the same key both ways, because the ASFF parser takes the
     * GuardDuty id from the ASFF {@code Id} (the GuardDuty finding ARN).
     */
    public String dedupKey() {
        return id;
    }

    /** Which product produced the finding and in which JSON shape Quell received it. */
    public enum Source {
        GUARDDUTY,
        GUARDDUTY_VIA_SECURITY_HUB,
        SECURITY_HUB,
        OCSF
    }

    /** Security Hub's identifiers for a finding, needed to update it with {@code BatchUpdateFindings}. */
    public record SecurityHubRef(String id, String productArn, String productName, String companyName) {
    }
}
