package dev.quell.core.finding.internal;

import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.finding.Indicators;
import dev.quell.core.finding.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses one OCSF finding of class 2002 (Vulnerability Finding), 2003 (Compliance Finding) or 2004 (Detection
 * Finding), as Security Hub v2 sends it in {@code Findings Imported V2} events and Security Lake stores it.
 *
 * <p>The id is {@code finding_info.uid}. For GuardDuty findings ({@code metadata.product.uid} is GuardDuty's
 * product ARN) that uid is the GuardDuty finding ARN, so the id is the GuardDuty finding id at its end, the same
 * as from GuardDuty directly, and the type is the GuardDuty type in {@code finding_info.types}. Other findings
 * take {@code finding_info.types[0]} as type.
 *
 * <p>Severity comes from {@code severity_id} (1 informational to 5 critical, and 6 fatal read as critical), else
 * from the {@code severity} name. The score is the band's base (see {@link AsffSeverity}) unless Security Lake's
 * {@code unmapped} ASFF severity fields give a score in that band. OCSF has no archived flag, so a finding is
 * archived only when Security Lake's {@code unmapped.RecordState} is {@code ARCHIVED}.
 */
public final class OcsfParser {

    private static final Set<Integer> FINDING_CLASSES = Set.of(2002, 2003, 2004);
    private static final Map<Integer, String> LABELS_BY_SEVERITY_ID = Map.of(
            1, "INFORMATIONAL", 2, "LOW", 3, "MEDIUM", 4, "HIGH", 5, "CRITICAL", 6, "CRITICAL");

    private OcsfParser() {
    }

    /** Returns whether the object has OCSF's {@code class_uid} or {@code finding_info}. */
    public static boolean looksLikeOcsf(Node node) {
        return node.isObject() && (node.has("class_uid") || node.has("finding_info"));
    }

    /**
     * Parses the finding. The region comes from {@code cloud.region}, then the first resource's region, then
     * {@code fallbackRegion} (the EventBridge envelope's).
     *
     * @throws FindingRejectedException with {@link Reason#UNSUPPORTED_FORMAT} for another OCSF class, or when
     *     finding_info.uid, the type, cloud.account.uid, the region or the severity is missing or unreadable
     */
    public static Finding parse(Node finding, String fallbackRegion) {
        requireFindingClass(finding.field("class_uid"));
        Node info = finding.field("finding_info");
        Node product = finding.field("metadata").field("product");
        boolean guardDuty = GuardDutyNames.isGuardDutyProduct(product.field("uid").text());
        String uid = info.field("uid").requireText();
        Node unmapped = finding.field("unmapped");
        ProductFields productFields = ProductFields.readPrefixed(unmapped, "ProductFields.");
        return new Finding(
                guardDuty ? GuardDutyNames.findingId(uid) : uid,
                Finding.Source.OCSF,
                type(info, guardDuty),
                info.field("title").text(),
                info.field("desc").text(),
                severity(finding, unmapped),
                finding.field("cloud").field("account").field("uid").requireText(),
                region(finding, fallbackRegion),
                partition(finding, uid),
                time(info, "created_time"),
                time(info, "modified_time"),
                time(info, "first_seen_time"),
                time(info, "last_seen_time"),
                FindingValues.count(finding.field("count")),
                "ARCHIVED".equalsIgnoreCase(unmapped.field("RecordState").text()),
                unmapped.field("Sample").isTrue() || productFields.sample(),
                workflowStatus(finding.field("status").text()),
                Arn.parse(uid) == null ? null : uid,
                securityHubRef(finding, uid),
                FindingValues.connectionDirection(
                        productFields.service("action/networkConnectionAction/connectionDirection")),
                FindingValues.resourceRole(productFields.service("resourceRole")),
                OcsfResources.read(finding),
                indicators(finding, productFields));
    }

    private static void requireFindingClass(Node classUid) {
        if (!classUid.present()) {
            throw classUid.missing();
        }
        Integer value = classUid.integer();
        if (value == null) {
            throw classUid.invalid("an OCSF class number");
        }
        if (!FINDING_CLASSES.contains(value)) {
            throw new FindingRejectedException(Reason.UNSUPPORTED_FORMAT, classUid.path() + " is " + value
                    + ", but Quell reads only the OCSF finding classes 2002 (Vulnerability Finding), 2003"
                    + " (Compliance Finding) and 2004 (Detection Finding)");
        }
    }

    private static String type(Node info, boolean guardDuty) {
        Node types = info.field("types");
        List<String> typeTexts = types.elements().stream().map(Node::text).filter(text -> text != null).toList();
        String guardDutyType = guardDuty ? GuardDutyNames.typeFrom(typeTexts) : null;
        if (guardDutyType != null) {
            return guardDutyType;
        }
        if (typeTexts.isEmpty()) {
            throw types.missing();
        }
        return typeTexts.get(0);
    }

    private static Severity severity(Node finding, Node unmapped) {
        Node severityId = finding.field("severity_id");
        Node name = finding.field("severity");
        Integer id = severityId.integer();
        String label = FindingValues.firstNonBlank(id == null ? null : LABELS_BY_SEVERITY_ID.get(id),
                labelForName(name.text()));
        if (label != null) {
            return new Severity(AsffSeverity.scoreInBand(label, unmappedCandidates(unmapped)), label);
        }
        if (!severityId.present() && !name.present()) {
            throw severityId.missing();
        }
        throw severityId.invalid("an OCSF severity from 1 (Informational) to 6 (Fatal), or a severity name");
    }

    private static String labelForName(String name) {
        return "FATAL".equalsIgnoreCase(name == null ? null : name.trim()) ? "CRITICAL" : AsffSeverity.labelWord(name);
    }

    /** Returns the ASFF severity scores that Security Lake keeps in {@code unmapped}, in ASFF's order. */
    private static List<Double> unmappedCandidates(Node unmapped) {
        List<Double> candidates = new ArrayList<>();
        AsffSeverity.addCandidate(candidates, unmapped.field("Severity.Original").number());
        AsffSeverity.addCandidate(candidates, unmapped.field("FindingProviderFields.Severity.Original").number());
        AsffSeverity.addCandidate(candidates, unmapped.field("Severity.Product").number());
        AsffSeverity.addCandidate(candidates,
                AsffSeverity.normalizedToScore(unmapped.field("Severity.Normalized").number()));
        return candidates;
    }

    private static String region(Node finding, String fallbackRegion) {
        Node region = finding.field("cloud").field("region");
        String value = FindingValues.firstNonBlank(region.optionalText(), firstResourceField(finding, "region"),
                fallbackRegion);
        if (value == null) {
            throw region.missing();
        }
        return value;
    }

    private static String partition(Node finding, String uid) {
        return FindingValues.firstNonBlank(finding.field("cloud").field("cloud_partition").text(),
                firstResourceField(finding, "cloud_partition"), FindingValues.partitionOf(Arn.parse(uid)),
                FindingValues.DEFAULT_PARTITION);
    }

    private static String firstResourceField(Node finding, String name) {
        List<Node> resources = OcsfResources.entries(finding);
        return resources.isEmpty() ? null : resources.get(0).field(name).text();
    }

    /** Reads {@code <name>_dt}, which is ISO-8601 or epoch milliseconds, else the epoch milliseconds field. */
    private static Instant time(Node info, String name) {
        Instant time = info.field(name + "_dt").instant();
        return time != null ? time : info.field(name).instant();
    }

    /** Returns OCSF's status in Security Hub's workflow spelling: {@code In Progress} becomes {@code IN_PROGRESS}. */
    private static String workflowStatus(String status) {
        return status == null ? null : status.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
    }

    /**
     * Returns the Security Hub identifiers when Security Hub produced the finding: {@code metadata.uid} (Security
     * Hub v2's finding id), or else the finding uid, which Security Lake copies from the ASFF {@code Id}.
     */
    private static Finding.SecurityHubRef securityHubRef(Node finding, String uid) {
        Node product = finding.field("metadata").field("product");
        Arn productArn = Arn.parse(product.field("uid").text());
        if (productArn == null || !"securityhub".equals(productArn.service())) {
            return null;
        }
        String id = FindingValues.firstNonBlank(finding.field("metadata").field("uid").text(), uid);
        return new Finding.SecurityHubRef(id, productArn.text(), product.field("name").text(),
                product.field("vendor_name").text());
    }

    /**
     * Adds the IPs, ports and domains of the {@code src_endpoint} and {@code dst_endpoint} of the finding and of
     * each evidence, plus GuardDuty's flattened action fields from Security Lake's {@code unmapped}.
     */
    private static Indicators indicators(Node finding, ProductFields productFields) {
        IndicatorCollector collector = new IndicatorCollector();
        // NOTE: both endpoints are added because OCSF does not say which one is remote, so a local address of
        // the affected resource can appear among the remote IPs.
        collectEndpoints(finding, collector);
        for (Node evidence : finding.field("evidences").objects()) {
            collectEndpoints(evidence, collector);
            collector.addDomain(evidence.field("query").field("hostname").text());
        }
        productFields.collectIndicators(collector);
        return collector.build();
    }

    private static void collectEndpoints(Node holder, IndicatorCollector collector) {
        for (String name : List.of("src_endpoint", "dst_endpoint")) {
            Node endpoint = holder.field(name);
            collector.addIp(endpoint.field("ip").text());
            collector.addPort(endpoint.field("port"));
            collector.addDomain(endpoint.field("domain").text());
        }
    }
}
