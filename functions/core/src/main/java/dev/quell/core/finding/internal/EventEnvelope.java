package dev.quell.core.finding.internal;

import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.finding.ParsedEvent;
import java.util.List;
import java.util.function.Function;

/**
 * Reads an EventBridge event and hands its {@code detail} to the parser for the finding format that its
 * {@code detail-type} announces.
 *
 * <p>The envelope's {@code account} is never used as the finding's account: with a delegated administrator it is
 * the administrator's account, not the one the affected resource lives in. Its {@code region} is used only when
 * a finding names no region of its own.
 *
 * <p>When the event names a {@code source}, it must be the AWS service that emits the detail-type. Only AWS can
 * put events with an {@code aws.} source, so this rejects findings forged with {@code PutEvents} under a custom
 * source. Hand-written test events often leave {@code source} out, and they are accepted.
 */
public final class EventEnvelope {

    public static final String GUARDDUTY_FINDING = "GuardDuty Finding";
    public static final String SECURITY_HUB_IMPORTED = "Security Hub Findings - Imported";
    public static final String SECURITY_HUB_CUSTOM_ACTION = "Security Hub Findings - Custom Action";
    public static final String SECURITY_HUB_V2_IMPORTED = "Findings Imported V2";

    private static final String GUARDDUTY_SOURCE = "aws.guardduty";
    private static final String SECURITY_HUB_SOURCE = "aws.securityhub";

    private EventEnvelope() {
    }

    /** Returns whether the object is an EventBridge event, including a hand-written one with only a detail. */
    public static boolean isEnvelope(Node root) {
        return root.has("detail-type") || root.has("detail");
    }

    public static ParsedEvent parse(Node event) {
        Node detailType = event.field("detail-type");
        if (!detailType.present()) {
            return parseWithoutDetailType(event);
        }
        String name = detailType.requireText();
        return switch (name) {
            case GUARDDUTY_FINDING -> parseGuardDutyEvent(event, name);
            case SECURITY_HUB_IMPORTED, SECURITY_HUB_CUSTOM_ACTION -> parseFindingList(event, name,
                    SECURITY_HUB_SOURCE, AsffParser::parse);
            case SECURITY_HUB_V2_IMPORTED -> parseFindingList(event, name, SECURITY_HUB_SOURCE, OcsfParser::parse);
            default -> throw notAFindingEvent(event, name);
        };
    }

    private static ParsedEvent parseGuardDutyEvent(Node event, String detailType) {
        requireSource(event, GUARDDUTY_SOURCE, describeDetailType(detailType));
        Finding finding = GuardDutyParser.parse(requireDetail(event), envelopeRegion(event));
        return new ParsedEvent(eventId(event), detailType, null, List.of(finding));
    }

    /**
     * Parses a Lambda test event that carries only {@code detail} (and often {@code region}). Such events are
     * written by hand for GuardDuty responders, so the detail must be a GuardDuty finding.
     */
    private static ParsedEvent parseWithoutDetailType(Node event) {
        requireSource(event, GUARDDUTY_SOURCE, "an event without detail-type");
        Node detail = requireDetail(event);
        if (AsffParser.looksLikeAsff(detail)) {
            throw new FindingRejectedException(Reason.INVALID_DETAIL, "detail is a Security Hub finding, but an"
                    + " event without detail-type must carry a GuardDuty finding");
        }
        if (!GuardDutyParser.looksLikeFinding(detail)) {
            throw new FindingRejectedException(Reason.INVALID_DETAIL, "detail has none of the fields schemaVersion,"
                    + " accountId, service and resource, but an event without detail-type must carry a GuardDuty"
                    + " finding");
        }
        Finding finding = GuardDutyParser.parse(detail, envelopeRegion(event));
        return new ParsedEvent(eventId(event), null, null, List.of(finding));
    }

    private static ParsedEvent parseFindingList(Node event, String detailType, String source,
            FindingFormat format) {
        requireSource(event, source, describeDetailType(detailType));
        Node detail = requireDetail(event);
        String region = envelopeRegion(event);
        Function<Node, Finding> parser = finding -> format.parse(finding, region);
        List<Finding> findings = FindingList.parseEach(requireFindingArray(detail), parser);
        String actionName = SECURITY_HUB_CUSTOM_ACTION.equals(detailType) ? detail.field("actionName").text() : null;
        return new ParsedEvent(eventId(event), detailType, actionName, findings);
    }

    /** Rejects the event if it names a source other than {@code expected}. The message names {@code eventKind}. */
    private static void requireSource(Node event, String expected, String eventKind) {
        String source = event.field("source").optionalText();
        if (source != null && !source.equals(expected)) {
            throw new FindingRejectedException(Reason.NOT_A_FINDING_EVENT, "source of " + eventKind + " must be "
                    + expected + ", but it is \"" + Node.excerpt(source) + "\"");
        }
    }

    private static String describeDetailType(String detailType) {
        return "detail-type \"" + Node.excerpt(detailType) + "\"";
    }

    private static Node requireDetail(Node event) {
        Node detail = event.field("detail");
        if (!detail.isObject() || detail.isEmptyObject()) {
            String expected = detail.isEmptyObject() ? ", expected a finding" : ", expected an object";
            throw new FindingRejectedException(Reason.INVALID_DETAIL,
                    detail.path() + " is " + detail.describe() + expected);
        }
        return detail;
    }

    private static Node requireFindingArray(Node detail) {
        Node findings = detail.field("findings");
        if (!findings.isArray() || findings.elements().isEmpty()) {
            throw new FindingRejectedException(Reason.INVALID_DETAIL,
                    findings.path() + " is " + findings.describe() + ", expected an array of one or more findings");
        }
        return findings;
    }

    private static FindingRejectedException notAFindingEvent(Node event, String detailType) {
        String source = event.field("source").text();
        return new FindingRejectedException(Reason.NOT_A_FINDING_EVENT, "EventBridge detail-type \""
                + Node.excerpt(detailType) + "\"" + (source == null ? "" : " from source " + Node.excerpt(source))
                + " carries no findings. Quell reads "
                + String.join(", ", GUARDDUTY_FINDING, SECURITY_HUB_IMPORTED, SECURITY_HUB_CUSTOM_ACTION,
                        SECURITY_HUB_V2_IMPORTED) + ".");
    }

    private static String envelopeRegion(Node event) {
        return event.field("region").text();
    }

    private static String eventId(Node event) {
        return event.field("id").text();
    }

    /** A parser for one finding format, given the envelope's region as the fallback region. */
    @FunctionalInterface
    private interface FindingFormat {
        Finding parse(Node finding, String fallbackRegion);
    }
}
