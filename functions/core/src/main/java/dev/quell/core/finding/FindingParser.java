package dev.quell.core.finding;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.finding.internal.ApiOutput;
import dev.quell.core.finding.internal.AsffParser;
import dev.quell.core.finding.internal.EventEnvelope;
import dev.quell.core.finding.internal.GuardDutyParser;
import dev.quell.core.finding.internal.JsonInput;
import dev.quell.core.finding.internal.Node;
import dev.quell.core.finding.internal.OcsfParser;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parses a GuardDuty, Security Hub or OCSF finding document into a {@link ParsedEvent}, detecting its shape from
 * the content.
 *
 * <p>Accepted shapes:
 * <ul>
 *   <li>EventBridge events with detail-type {@code GuardDuty Finding}, {@code Security Hub Findings - Imported},
 *       {@code Security Hub Findings - Custom Action} or {@code Findings Imported V2}, and hand-written test
 *       events that carry only {@code region} and a GuardDuty finding as {@code detail};</li>
 *   <li>{@code GetFindings} output of GuardDuty (PascalCase) or Security Hub (ASFF), {@code {"Findings": [...]}},
 *       also inside a recorded boto3 response {@code {"status_code": ..., "data": {...}}};</li>
 *   <li>one bare finding: GuardDuty in camelCase or PascalCase, ASFF, or OCSF (classes 2002, 2003 and 2004).</li>
 * </ul>
 *
 * <p>When an input contains several findings and any one of them is invalid, the whole input is rejected and the
 * message names the finding's index (for example {@code detail.findings[1].AwsAccountId is missing}). Acting on
 * the valid part would make the invalid finding easy to miss, and a rejected event is visible and can be
 * replayed once the cause is fixed.
 *
 * <p>Every method returns a {@link ParsedEvent} with at least one finding or throws
 * {@link FindingRejectedException}, whose {@link Reason} and message say what was wrong. No other exception is
 * thrown for any input.
 */
public final class FindingParser {

    private static final int MAX_NAMES_IN_MESSAGE = 10;

    private FindingParser() {
    }

    public static ParsedEvent parse(String json) {
        return parseTree(JsonInput.read(json));
    }

    /** Parses UTF-8, UTF-16 or UTF-32 encoded JSON; Jackson detects the encoding. */
    public static ParsedEvent parse(byte[] json) {
        return parseTree(JsonInput.read(json));
    }

    /** Reads the stream to its end, closes it and parses its content as {@link #parse(byte[])} does. */
    public static ParsedEvent parse(InputStream json) {
        return parseTree(JsonInput.read(json));
    }

    private static ParsedEvent parseTree(JsonNode tree) {
        Node root = requireNonEmptyObject(Node.root(tree));
        if (EventEnvelope.isEnvelope(root)) {
            return EventEnvelope.parse(root);
        }
        if (ApiOutput.isApiOutput(root)) {
            return ApiOutput.parse(root);
        }
        return new ParsedEvent(null, null, null, List.of(parseBareFinding(root)));
    }

    private static Node requireNonEmptyObject(Node root) {
        if (!root.isObject() || root.isEmptyObject()) {
            throw new FindingRejectedException(Reason.UNRECOGNISED_SHAPE,
                    "input is " + root.describe() + ", expected an event or finding object");
        }
        return root;
    }

    private static Finding parseBareFinding(Node root) {
        if (OcsfParser.looksLikeOcsf(root)) {
            return OcsfParser.parse(root, null);
        }
        if (AsffParser.looksLikeAsff(root)) {
            return AsffParser.parse(root, null);
        }
        if (GuardDutyParser.looksLikeFinding(root)) {
            return GuardDutyParser.parse(root, null);
        }
        throw unrecognised(root);
    }

    private static FindingRejectedException unrecognised(Node root) {
        if (root.has("Records")) {
            return new FindingRejectedException(Reason.UNRECOGNISED_SHAPE, "input has a Records list, like Security"
                    + " Hub GetFindingHistory output, which lists changes to findings rather than findings");
        }
        String names = root.fieldNames().stream()
                .limit(MAX_NAMES_IN_MESSAGE)
                .map(Node::excerpt)
                .collect(Collectors.joining(", "));
        return new FindingRejectedException(Reason.UNRECOGNISED_SHAPE, "input is an object with none of the fields"
                + " that identify an EventBridge event, GetFindings output, or a GuardDuty, ASFF or OCSF finding."
                + " Its fields are: " + names);
    }
}
