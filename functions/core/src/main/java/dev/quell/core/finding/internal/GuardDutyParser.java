package dev.quell.core.finding.internal;

import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Severity;
import java.util.List;

/**
 * Parses one GuardDuty finding in the camelCase shape of the GuardDuty API and EventBridge {@code detail}, or the
 * PascalCase shape that the AWS CLI and SDKs print. {@link Node#field} reads both spellings, so one code path
 * serves both.
 */
public final class GuardDutyParser {

    /** Fields of which a GuardDuty finding has at least one, in either spelling. */
    private static final List<String> MARKERS = List.of("schemaVersion", "accountId", "service", "resource");

    private GuardDutyParser() {
    }

    /** Returns whether the object has a field that only GuardDuty findings have at the top level. */
    public static boolean looksLikeFinding(Node node) {
        return node.isObject() && MARKERS.stream().anyMatch(node::has);
    }

    /**
     * Parses the finding. The region comes from the finding's {@code region}, then its ARN, then
     * {@code fallbackRegion} (the EventBridge envelope's), in that order.
     *
     * @throws dev.quell.core.finding.FindingRejectedException when id, type, accountId, region or severity is
     *     missing or unreadable, naming the field
     */
    public static Finding parse(Node finding, String fallbackRegion) {
        String id = finding.field("id").requireText();
        String type = finding.field("type").requireText();
        String arnText = finding.field("arn").optionalText();
        Arn arn = Arn.parse(arnText);
        Node service = finding.field("service");
        Node action = service.field("action");
        return new Finding(
                id,
                Finding.Source.GUARDDUTY,
                type,
                finding.field("title").text(),
                finding.field("description").text(),
                severity(finding.field("severity")),
                finding.field("accountId").requireText(),
                region(finding, arn, fallbackRegion),
                partition(finding, arn),
                finding.field("createdAt").instant(),
                finding.field("updatedAt").instant(),
                service.field("eventFirstSeen").instant(),
                service.field("eventLastSeen").instant(),
                FindingValues.count(service.field("count")),
                service.field("archived").isTrue(),
                SampleMarkers.inAdditionalInfo(service.field("additionalInfo")),
                null,
                arnText,
                null,
                GuardDutyActions.connectionDirection(action),
                FindingValues.resourceRole(service.field("resourceRole").text()),
                GuardDutyResources.read(finding.field("resource"), type),
                GuardDutyActions.indicators(action));
    }

    /** Reads GuardDuty's 0–10 severity, which may be an integer, a decimal or a numeric string. */
    static Severity severity(Node severity) {
        if (!severity.present()) {
            throw severity.missing();
        }
        Double score = severity.number();
        if (score == null || score < 0 || score > 10) {
            throw severity.invalid("a number from 0 to 10");
        }
        return Severity.of(score);
    }

    private static String region(Node finding, Arn arn, String fallbackRegion) {
        Node region = finding.field("region");
        String value = FindingValues.firstNonBlank(region.optionalText(), FindingValues.regionOf(arn), fallbackRegion);
        if (value == null) {
            throw region.missing();
        }
        return value;
    }

    private static String partition(Node finding, Arn arn) {
        return FindingValues.firstNonBlank(finding.field("partition").optionalText(), FindingValues.partitionOf(arn),
                FindingValues.DEFAULT_PARTITION);
    }
}
