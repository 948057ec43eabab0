package dev.quell.core.finding.internal;

import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.finding.ParsedEvent;

/**
 * Reads GuardDuty {@code GetFindings} output as the AWS CLI prints it, {@code {"Findings": [...]}}, with
 * PascalCase findings. Recorded boto3 responses that wrap it as
 * {@code {"status_code": 200, "data": {"Findings": [...]}}} are read too.
 */
public final class ApiOutput {

    private ApiOutput() {
    }

    public static boolean isApiOutput(Node root) {
        return root.has("Findings") || root.has("status_code") && root.field("data").isObject();
    }

    /** Parses every finding as a GuardDuty finding. */
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
        return GuardDutyParser.parse(finding, null);
    }
}
