package dev.quell.core.finding.internal;

import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.finding.ParsedEvent;

/**
 * Reads {@code GetFindings} output as the AWS CLI prints it, {@code {"Findings": [...]}}, from GuardDuty
 * (PascalCase findings) or Security Hub (ASFF findings). Recorded boto3 responses that wrap it as
 * {@code {"status_code": 200, "data": {"Findings": [...]}}} are read too.
 */
public final class ApiOutput {

    private ApiOutput() {
    }

    public static boolean isApiOutput(Node root) {
        return root.has("Findings") || root.has("status_code") && root.field("data").isObject();
    }

    /** Parses every finding; each element is read as ASFF if it has ASFF's fields, else as GuardDuty. */
    public static ParsedEvent parse(Node root) {
        Node body = root.has("Findings") ? root : root.field("data");
        Node list = body.field("Findings");
        if (!list.present()) {
            throw new FindingRejectedException(Reason.UNRECOGNISED_SHAPE,
                    body.path() + " has no Findings list, so it is not GetFindings output");
        }
        if (!list.isArray() || list.elements().isEmpty()) {
            throw list.invalid("an array of one or more findings");
        }
        return new ParsedEvent(null, null, null, FindingList.parseEach(list, ApiOutput::parseFinding));
    }

    private static Finding parseFinding(Node finding) {
        if (AsffParser.looksLikeAsff(finding)) {
            return AsffParser.parse(finding, null);
        }
        return GuardDutyParser.parse(finding, null);
    }
}
