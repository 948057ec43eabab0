package dev.quell.infra;

import dev.quell.core.policy.Playbook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventPattern;

/**
 * Builds EventBridge event patterns from policy playbooks, so that the rules select the same findings the
 * functions act on.
 *
 * <p>A pattern is a coarse first filter, never the decision: it matches finding type families by prefix, and
 * Security Hub severities by label band, so it may select a finding that the function then ignores with a
 * reason. It never drops a finding the playbook would act on. Sample findings are routed like real ones, and the
 * functions ignore them with a reason, so generating GuardDuty sample findings tests the route end to end.
 */
public final class FindingPatterns {

    public static final String GUARDDUTY_FINDING = "GuardDuty Finding";
    public static final String SECURITY_HUB_IMPORTED = "Security Hub Findings - Imported";
    public static final String SECURITY_HUB_CUSTOM_ACTION = "Security Hub Findings - Custom Action";
    /** The detail-types the responders publish on the Quell bus. */
    public static final List<String> QUELL_DETAIL_TYPES =
            List.of("Response Completed", "Response Planned", "Quell Alert");
    /** The detail-types the notify function reports. It rejects every other detail-type. */
    public static final List<String> NOTIFY_DETAIL_TYPES = List.of("Response Completed", "Response Planned");

    /** GuardDuty's resource types and the ASFF resource types Security Hub gives the same resources. */
    private static final Map<String, String> ASFF_RESOURCE_TYPES =
            Map.of("Instance", "AwsEc2Instance", "AccessKey", "AwsIamAccessKey");

    /** ASFF severity labels with the upper end (exclusive) of the GuardDuty score band each label covers. */
    private static final List<Map.Entry<String, Double>> SEVERITY_BANDS = List.of(
            Map.entry("INFORMATIONAL", 1.0),
            Map.entry("LOW", 4.0),
            Map.entry("MEDIUM", 7.0),
            Map.entry("HIGH", 9.0),
            Map.entry("CRITICAL", Double.POSITIVE_INFINITY));

    private FindingPatterns() {
    }

    /**
     * Returns the pattern for a playbook's native GuardDuty findings: resource type, finding type prefixes,
     * severity at or above the playbook's minimum as a numeric range, not archived, and the connection direction
     * when the playbook names one.
     */
    public static EventPattern guardDuty(Playbook playbook) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("archived", List.of(false));
        if (playbook.connectionDirection() != null) {
            service.put("action", Map.of("networkConnectionAction",
                    Map.of("connectionDirection", List.of(playbook.connectionDirection()))));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("resource", Map.of("resourceType", List.of(playbook.resourceType())));
        detail.put("type", playbook.typePrefixes().stream().map(prefix -> Map.of("prefix", prefix)).toList());
        detail.put("severity", List.of(Map.of("numeric", List.of(">=", playbook.minimumSeverity()))));
        detail.put("service", service);
        return EventPattern.builder()
                .source(List.of("aws.guardduty"))
                .detailType(List.of(GUARDDUTY_FINDING))
                .detail(detail)
                .build();
    }

    /**
     * Returns the pattern for a playbook's GuardDuty findings as Security Hub imports them (ASFF), for a stack in
     * the aggregation region. Findings from {@code homeRegion} are left out, because the GuardDuty rule there
     * already routes them sooner.
     *
     * <p>Only findings whose workflow status is {@code NEW} match. The notify function sets a finding it reported
     * to {@code NOTIFIED} (or {@code RESOLVED}), and Security Hub publishes that update as another imported event,
     * which must not start the response again.
     */
    public static EventPattern securityHubImported(Playbook playbook, String homeRegion) {
        Map<String, Object> productFields = new LinkedHashMap<>();
        productFields.put("aws/securityhub/ProductName", List.of("GuardDuty"));
        if (playbook.connectionDirection() != null) {
            productFields.put("aws/guardduty/service/action/networkConnectionAction/connectionDirection",
                    List.of(playbook.connectionDirection()));
        }
        Map<String, Object> finding = new LinkedHashMap<>();
        finding.put("ProductFields", productFields);
        finding.put("Types", playbook.typePrefixes().stream().map(FindingPatterns::asffTypeMatcher).toList());
        finding.put("Resources", Map.of("Type", List.of(asffResourceType(playbook.resourceType()))));
        finding.put("Severity", Map.of("Label", severityLabelsFrom(playbook.minimumSeverity())));
        finding.put("RecordState", List.of("ACTIVE"));
        finding.put("Workflow", Map.of("Status", List.of("NEW")));
        finding.put("Region", List.of(Map.of("anything-but", homeRegion)));
        return EventPattern.builder()
                .source(List.of("aws.securityhub"))
                .detailType(List.of(SECURITY_HUB_IMPORTED))
                .detail(Map.of("findings", finding))
                .build();
    }

    /** Returns the pattern of one Security Hub custom action, selected by the action target's ARN. */
    public static EventPattern customAction(String actionTargetArn) {
        return EventPattern.builder()
                .source(List.of("aws.securityhub"))
                .detailType(List.of(SECURITY_HUB_CUSTOM_ACTION))
                .resources(List.of(actionTargetArn))
                .build();
    }

    /** Returns the pattern of the results on the Quell bus that the notify function reports. */
    public static EventPattern quellResults() {
        return EventPattern.builder()
                .source(List.of("quell"))
                .detailType(NOTIFY_DETAIL_TYPES)
                .build();
    }

    /**
     * Returns the ASFF severity labels whose GuardDuty score band reaches {@code minimumSeverity}: 5 gives
     * MEDIUM (4.0 to 6.9), HIGH and CRITICAL. GuardDuty maps its scores to these bands when it sends findings to
     * Security Hub.
     */
    public static List<String> severityLabelsFrom(double minimumSeverity) {
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, Double> band : SEVERITY_BANDS) {
            if (band.getValue() > minimumSeverity) {
                labels.add(band.getKey());
            }
        }
        return labels;
    }

    /**
     * Returns a wildcard matcher for a GuardDuty type prefix in ASFF {@code Types}, where GuardDuty writes
     * {@code namespace/category/Backdoor:EC2-C&CActivity.B}: the type follows the last two path parts, with its
     * {@code /} replaced by {@code -}.
     */
    static Map<String, String> asffTypeMatcher(String guardDutyPrefix) {
        String escaped = guardDutyPrefix.replace("\\", "\\\\").replace("*", "\\*");
        return Map.of("wildcard", "*/" + escaped.replace('/', '-') + "*");
    }

    private static String asffResourceType(String guardDutyType) {
        String type = ASFF_RESOURCE_TYPES.get(guardDutyType);
        if (type == null) {
            throw new IllegalArgumentException("no ASFF resource type is known for GuardDuty resource type "
                    + guardDutyType + "; add it to FindingPatterns");
        }
        return type;
    }
}
