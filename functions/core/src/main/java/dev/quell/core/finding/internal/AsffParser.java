package dev.quell.core.finding.internal;

import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Parses one AWS Security Finding Format (ASFF) finding, as Security Hub sends it through EventBridge and returns
 * it from {@code GetFindings}.
 *
 * <p>A finding whose {@code ProductArn} is GuardDuty's ({@code .../product/aws/guardduty}) is a GuardDuty finding
 * imported into Security Hub. Its source is {@link Finding.Source#GUARDDUTY_VIA_SECURITY_HUB}, its id is the
 * GuardDuty finding id at the end of the ASFF {@code Id} (which is the GuardDuty finding ARN), and its type is
 * GuardDuty's type recovered from {@code Types} by {@link GuardDutyNames#typeFrom}. The same finding received
 * from GuardDuty directly therefore has the same id and type. The ASFF {@code Id} and {@code ProductArn} stay in
 * {@link Finding#securityHub()}.
 *
 * <p>Other findings have source {@link Finding.Source#SECURITY_HUB}, the ASFF {@code Id} as id, and
 * {@code Types[0]} (or {@code GeneratorId} when there are no types) as type. Severity follows {@link AsffSeverity}.
 */
public final class AsffParser {

    private static final List<String> MARKERS = List.of("ProductArn", "AwsAccountId", "GeneratorId");

    private AsffParser() {
    }

    /** Returns whether the object has a field that only ASFF findings have. */
    public static boolean looksLikeAsff(Node node) {
        return node.isObject() && MARKERS.stream().anyMatch(node::has);
    }

    /**
     * Parses the finding. The region comes from {@code Region}, then the first resource's {@code Region}, then the
     * ARNs in {@code Id} and {@code ProductArn}, then {@code fallbackRegion} (the EventBridge envelope's).
     *
     * @throws dev.quell.core.finding.FindingRejectedException when Id, the type, AwsAccountId, the region or the
     *     severity is missing or unreadable, naming the field
     */
    public static Finding parse(Node finding, String fallbackRegion) {
        String asffId = finding.field("Id").requireText();
        String productArn = finding.field("ProductArn").optionalText();
        boolean guardDuty = GuardDutyNames.isGuardDutyProduct(productArn);
        ProductFields productFields = ProductFields.read(finding.field("ProductFields"));
        Arn idArn = Arn.parse(asffId);
        return new Finding(
                guardDuty ? GuardDutyNames.findingId(asffId) : asffId,
                guardDuty ? Finding.Source.GUARDDUTY_VIA_SECURITY_HUB : Finding.Source.SECURITY_HUB,
                type(finding, guardDuty),
                finding.field("Title").text(),
                finding.field("Description").text(),
                AsffSeverity.read(finding, productFields, guardDuty),
                finding.field("AwsAccountId").requireText(),
                region(finding, idArn, productArn, fallbackRegion),
                partition(finding, idArn),
                finding.field("CreatedAt").instant(),
                finding.field("UpdatedAt").instant(),
                observedAt(finding.field("FirstObservedAt"), productFields.service("eventFirstSeen")),
                observedAt(finding.field("LastObservedAt"), productFields.service("eventLastSeen")),
                count(finding, productFields),
                archived(finding, productFields),
                finding.field("Sample").isTrue() || productFields.sample(),
                workflowStatus(finding),
                idArn == null ? null : asffId,
                securityHubRef(finding, asffId, productArn, productFields),
                connectionDirection(finding, productFields),
                FindingValues.resourceRole(productFields.service("resourceRole")),
                AsffResources.read(finding.field("Resources"), productFields),
                indicators(finding, productFields));
    }

    private static String type(Node finding, boolean guardDuty) {
        Node types = finding.field("Types");
        List<String> typeTexts = types.elements().stream().map(Node::text).filter(text -> text != null).toList();
        String guardDutyType = guardDuty ? GuardDutyNames.typeFrom(typeTexts) : null;
        if (guardDutyType != null) {
            return guardDutyType;
        }
        if (!typeTexts.isEmpty()) {
            return typeTexts.get(0);
        }
        String generatorId = finding.field("GeneratorId").text();
        if (generatorId == null) {
            throw types.missing();
        }
        return generatorId;
    }

    private static String region(Node finding, Arn idArn, String productArn, String fallbackRegion) {
        Node region = finding.field("Region");
        String value = FindingValues.firstNonBlank(region.optionalText(),
                finding.field("Resources").at(0).field("Region").text(), FindingValues.regionOf(idArn),
                FindingValues.regionOf(Arn.parse(productArn)), fallbackRegion);
        if (value == null) {
            throw region.missing();
        }
        return value;
    }

    private static String partition(Node finding, Arn idArn) {
        return FindingValues.firstNonBlank(finding.field("Resources").at(0).field("Partition").text(),
                FindingValues.partitionOf(idArn), FindingValues.DEFAULT_PARTITION);
    }

    private static Instant observedAt(Node asffTime, String guardDutyTime) {
        Instant observed = asffTime.instant();
        return observed != null ? observed : Timestamps.parse(guardDutyTime);
    }

    private static int count(Node finding, ProductFields productFields) {
        Node count = finding.field("Count");
        return count.present() ? FindingValues.count(count)
                : FindingValues.count(Node.fromText(productFields.service("count")));
    }

    private static boolean archived(Node finding, ProductFields productFields) {
        return "ARCHIVED".equalsIgnoreCase(finding.field("RecordState").text())
                || productFields.serviceFlag("archived");
    }

    private static String workflowStatus(Node finding) {
        String status = FindingValues.firstNonBlank(finding.field("Workflow").field("Status").text(),
                finding.field("WorkflowState").text());
        return status == null ? null : status.trim().toUpperCase(Locale.ROOT);
    }

    private static Finding.SecurityHubRef securityHubRef(Node finding, String asffId, String productArn,
            ProductFields productFields) {
        String productName = FindingValues.firstNonBlank(finding.field("ProductName").text(),
                productFields.get("aws/securityhub/ProductName"));
        String companyName = FindingValues.firstNonBlank(finding.field("CompanyName").text(),
                productFields.get("aws/securityhub/CompanyName"));
        return new Finding.SecurityHubRef(asffId, productArn, productName, companyName);
    }

    /** Reads {@code Network.Direction} ({@code IN} or {@code OUT}), then GuardDuty's connection direction. */
    private static String connectionDirection(Node finding, ProductFields productFields) {
        String direction = finding.field("Network").field("Direction").text();
        if ("IN".equalsIgnoreCase(direction) || "OUT".equalsIgnoreCase(direction)) {
            return "IN".equalsIgnoreCase(direction) ? "INBOUND" : "OUTBOUND";
        }
        String fromAction = GuardDutyActions.connectionDirection(finding.field("Action"));
        return fromAction != null ? fromAction : FindingValues.connectionDirection(
                productFields.service("action/networkConnectionAction/connectionDirection"));
    }

    private static Indicators indicators(Node finding, ProductFields productFields) {
        IndicatorCollector collector = new IndicatorCollector();
        collectNetwork(finding.field("Network"), collector);
        GuardDutyActions.collect(finding.field("Action"), collector);
        productFields.collectIndicators(collector);
        return collector.build();
    }

    /**
     * Adds the remote side of ASFF's {@code Network} object: the source of inbound traffic and the destination of
     * outbound traffic. Both ports are added, as GuardDuty reports both.
     */
    private static void collectNetwork(Node network, IndicatorCollector collector) {
        String direction = network.field("Direction").text();
        // NOTE: without a direction both sides are added, so the local address may appear among the remote IPs.
        if (!"OUT".equalsIgnoreCase(direction)) {
            collector.addIp(network.field("SourceIpV4").text());
            collector.addIp(network.field("SourceIpV6").text());
            collector.addDomain(network.field("SourceDomain").text());
        }
        if (!"IN".equalsIgnoreCase(direction)) {
            collector.addIp(network.field("DestinationIpV4").text());
            collector.addIp(network.field("DestinationIpV6").text());
            collector.addDomain(network.field("DestinationDomain").text());
        }
        collector.addPort(network.field("SourcePort"));
        collector.addPort(network.field("DestinationPort"));
    }
}
