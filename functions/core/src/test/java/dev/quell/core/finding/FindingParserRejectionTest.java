package dev.quell.core.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FindingParserRejectionTest {

    private static final String GUARDDUTY_EVENT = "guardduty/eventbridge-ssh-bruteforce-sample.json";
    private static final String BARE_GUARDDUTY = "guardduty/bare-credential-exfiltration.json";
    private static final String IMPORTED = "securityhub/imported-guardduty-ssh-bruteforce.json";
    private static final String CUSTOM_ACTION = "securityhub/custom-action-two-findings.json";
    private static final String CONTROL = "securityhub/control-finding-archived.json";
    private static final String OCSF = "ocsf/securitylake-detection-accesskey.json";

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedInputs")
    void rejectsWithReasonAndMessage(String name, String json, Reason reason, String messageFragment) {
        FindingRejectedException rejection = reject(() -> FindingParser.parse(json));

        assertThat(rejection.reason()).as(rejection.getMessage()).isEqualTo(reason);
        assertThat(rejection.getMessage()).contains(messageFragment);
    }

    static Stream<Arguments> rejectedInputs() {
        return Stream.of(
                // Not JSON, or more than one JSON value.
                rejected("empty input", "", Reason.MALFORMED_JSON, "input is empty"),
                rejected("blank input", " \n\t", Reason.MALFORMED_JSON, "input is empty"),
                rejected("truncated object", "{\"detail-type\": \"GuardDuty Fin", Reason.MALFORMED_JSON, "line 1"),
                rejected("trailing content", "{\"a\": 1} {\"b\": 2}", Reason.MALFORMED_JSON, "Trailing token"),
                rejected("duplicate field", "{\"id\": \"a\", \"id\": \"b\"}", Reason.MALFORMED_JSON, "id"),
                rejected("deep nesting", "[".repeat(5_000) + "]".repeat(5_000), Reason.MALFORMED_JSON, "depth"),
                rejected("oversized string", "{\"title\": \"" + "x".repeat(1_000_001) + "\"}",
                        Reason.MALFORMED_JSON, "length"),

                // Valid JSON that is no event, API output or finding.
                rejected("array", "[" + Fixtures.read(BARE_GUARDDUTY) + "]", Reason.UNRECOGNISED_SHAPE, "an array"),
                rejected("string", "\"GuardDuty Finding\"", Reason.UNRECOGNISED_SHAPE, "the string"),
                rejected("number", "42", Reason.UNRECOGNISED_SHAPE, "the number 42"),
                rejected("JSON null", "null", Reason.UNRECOGNISED_SHAPE, "input is null"),
                rejected("empty object", "{}", Reason.UNRECOGNISED_SHAPE, "an empty object"),
                rejected("unknown object", "{\"hello\": \"world\"}", Reason.UNRECOGNISED_SHAPE, "hello"),
                rejected("finding history", Fixtures.read("other/finding-history.json"), Reason.UNRECOGNISED_SHAPE,
                        "GetFindingHistory"),
                rejected("boto3 wrapper without Findings", "{\"status_code\": 200, \"data\": {\"Items\": []}}",
                        Reason.UNRECOGNISED_SHAPE, "data has no Findings"),

                // EventBridge events that carry no findings.
                rejected("insight results", Fixtures.read("securityhub/insight-results.json"),
                        Reason.NOT_A_FINDING_EVENT, "Security Hub Insight Results"),
                rejected("scheduled event", Fixtures.read("other/scheduled-event.json"), Reason.NOT_A_FINDING_EVENT,
                        "Scheduled Event"),
                rejected("other detail-type", "{\"detail-type\": \"EC2 Instance State-change Notification\","
                        + " \"source\": \"aws.ec2\", \"detail\": {\"state\": \"running\"}}",
                        Reason.NOT_A_FINDING_EVENT, "EC2 Instance State-change Notification"),
                rejected("forged source", set(GUARDDUTY_EVENT, "/source", "custom.attacker"),
                        Reason.NOT_A_FINDING_EVENT, "custom.attacker"),
                rejected("detail without detail-type from another source",
                        set(GUARDDUTY_EVENT, "/detail-type", null).replace("\"aws.guardduty\"", "\"aws.events\""),
                        Reason.NOT_A_FINDING_EVENT, "aws.events"),

                // Finding events whose detail contains no findings.
                rejected("detail is a string", set(GUARDDUTY_EVENT, "/detail", "{\"id\": \"a\"}"),
                        Reason.INVALID_DETAIL, "detail is the string"),
                rejected("detail missing", set(GUARDDUTY_EVENT, "/detail", null), Reason.INVALID_DETAIL,
                        "detail is missing"),
                rejected("detail empty", "{\"detail-type\": \"GuardDuty Finding\", \"detail\": {}}",
                        Reason.INVALID_DETAIL, "detail is an empty object"),
                rejected("findings missing", "{\"detail-type\": \"Security Hub Findings - Imported\","
                        + " \"detail\": {\"finding\": {}}}", Reason.INVALID_DETAIL, "detail.findings is missing"),
                rejected("findings not a list", set(IMPORTED, "/detail/findings", "[]"), Reason.INVALID_DETAIL,
                        "detail.findings is the string \"[]\""),
                rejected("findings empty", "{\"detail-type\": \"Security Hub Findings - Imported\","
                        + " \"detail\": {\"findings\": []}}", Reason.INVALID_DETAIL, "an empty array"),
                rejected("partial envelope without finding", "{\"region\": \"us-east-1\","
                        + " \"detail\": {\"hello\": 1}}", Reason.INVALID_DETAIL, "must carry a GuardDuty finding"),

                // Findings without a field every response needs.
                rejected("GuardDuty id", set(GUARDDUTY_EVENT, "/detail/id", null), Reason.MISSING_FIELD,
                        "detail.id is missing"),
                rejected("GuardDuty type", set(BARE_GUARDDUTY, "/type", ""), Reason.MISSING_FIELD, "type is missing"),
                rejected("GuardDuty account", set(GUARDDUTY_EVENT, "/detail/accountId", null), Reason.MISSING_FIELD,
                        "detail.accountId is missing"),
                rejected("GuardDuty severity", set(BARE_GUARDDUTY, "/severity", null), Reason.MISSING_FIELD,
                        "severity is missing"),
                rejected("GuardDuty region", set(set(BARE_GUARDDUTY, "/region", null), "/arn", null),
                        Reason.MISSING_FIELD, "region is missing"),
                rejected("ASFF account", set(CONTROL, "/AwsAccountId", null), Reason.MISSING_FIELD,
                        "AwsAccountId is missing"),
                rejected("ASFF id", set(CONTROL, "/Id", null), Reason.MISSING_FIELD, "Id is missing"),
                rejected("ASFF type", set(set(CONTROL, "/Types", null), "/GeneratorId", null), Reason.MISSING_FIELD,
                        "Types is missing"),
                rejected("ASFF severity", set(CONTROL, "/FindingProviderFields", null), Reason.MISSING_FIELD,
                        "Severity is missing"),
                rejected("second finding of a list", set(CUSTOM_ACTION, "/detail/findings/1/AwsAccountId", null),
                        Reason.MISSING_FIELD, "detail.findings[1].AwsAccountId is missing"),
                rejected("OCSF uid", set(OCSF, "/finding_info/uid", null), Reason.MISSING_FIELD,
                        "finding_info.uid is missing"),
                rejected("OCSF account", set(OCSF, "/cloud/account", null), Reason.MISSING_FIELD,
                        "cloud.account.uid is missing"),
                rejected("OCSF types", set(OCSF, "/finding_info/types", null), Reason.MISSING_FIELD,
                        "finding_info.types is missing"),
                rejected("OCSF severity", set(set(OCSF, "/severity_id", null), "/severity", null),
                        Reason.MISSING_FIELD, "severity_id is missing"),
                rejected("OCSF class", set(OCSF, "/class_uid", null), Reason.MISSING_FIELD, "class_uid is missing"),

                // Fields of the wrong type or out of range.
                rejected("severity word", set(BARE_GUARDDUTY, "/severity", "high"), Reason.INVALID_FIELD,
                        "severity is the string \"high\", expected a number from 0 to 10"),
                rejected("severity out of range", set(BARE_GUARDDUTY, "/severity", "11"), Reason.INVALID_FIELD,
                        "expected a number from 0 to 10"),
                rejected("numeric account", set(BARE_GUARDDUTY, "/accountId", 111122223333L), Reason.INVALID_FIELD,
                        "accountId is the number 111122223333, expected a string"),
                rejected("object id", set(BARE_GUARDDUTY, "/id", Json.mapper().createObjectNode()),
                        Reason.INVALID_FIELD, "id is an empty object, expected a string"),
                rejected("unknown ASFF label", set(CONTROL, "/FindingProviderFields/Severity/Label", "SEVERE"),
                        Reason.INVALID_FIELD, "FindingProviderFields.Severity.Label is the string \"SEVERE\""),
                rejected("finding list element", set(CUSTOM_ACTION, "/detail/findings/1", "finding"),
                        Reason.INVALID_FIELD, "detail.findings[1] is the string \"finding\", expected an object"),
                rejected("empty GetFindings output", "{\"Findings\": []}", Reason.INVALID_FIELD,
                        "Findings is an empty array"),
                rejected("detail-type number", set(GUARDDUTY_EVENT, "/detail-type", 7L), Reason.INVALID_FIELD,
                        "detail-type is the number 7"),
                rejected("OCSF severity id", set(set(OCSF, "/severity_id", "99"), "/severity", "Other"),
                        Reason.INVALID_FIELD, "severity_id is the string \"99\""),
                rejected("OCSF class text", set(OCSF, "/class_uid", "detection"), Reason.INVALID_FIELD,
                        "class_uid is the string \"detection\""),

                // OCSF classes that are not findings.
                rejected("OCSF authentication", set(OCSF, "/class_uid", 3002L), Reason.UNSUPPORTED_FORMAT,
                        "class_uid is 3002"));
    }

    @Test
    void messageEscapesControlCharacters() {
        String event = "{\"detail-type\": \"Evil\\nINFO forged line\", \"detail\": {\"a\": 1}}";

        FindingRejectedException rejection = reject(() -> FindingParser.parse(event));

        assertThat(rejection.reason()).isEqualTo(Reason.NOT_A_FINDING_EVENT);
        assertThat(rejection.getMessage()).contains("Evil\\u000aINFO forged line").doesNotContain("\n");
    }

    @Test
    void messageShortensLongValues() {
        String event = "{\"detail-type\": \"" + "D".repeat(100_000) + "\", \"source\": \"" + "S".repeat(100_000)
                + "\", \"detail\": {\"a\": 1}}";

        FindingRejectedException rejection = reject(() -> FindingParser.parse(event));

        assertThat(rejection.getMessage()).hasSizeLessThan(500);
    }

    @Test
    void nullInputsAreMalformed() {
        assertThat(reject(() -> FindingParser.parse((String) null)).reason()).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(reject(() -> FindingParser.parse((byte[]) null)).reason()).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(reject(() -> FindingParser.parse((InputStream) null)).reason()).isEqualTo(Reason.MALFORMED_JSON);
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThat(reject(() -> FindingParser.parse(bytes)).reason()).isEqualTo(Reason.MALFORMED_JSON);
    }

    @Test
    void streamThatFailsIsMalformed() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        FindingRejectedException rejection = reject(() -> FindingParser.parse(failing));

        assertThat(rejection.reason()).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(rejection.getMessage()).contains("connection reset");
    }

    @Test
    void bytesAndStreamParseLikeText() {
        byte[] bytes = Fixtures.read(GUARDDUTY_EVENT).getBytes(StandardCharsets.UTF_8);

        ParsedEvent fromBytes = FindingParser.parse(bytes);
        ParsedEvent fromStream = FindingParser.parse(new ByteArrayInputStream(bytes));

        assertThat(fromBytes).isEqualTo(Fixtures.parse(GUARDDUTY_EVENT));
        assertThat(fromStream).isEqualTo(fromBytes);
    }

    private static Arguments rejected(String name, String json, Reason reason, String messageFragment) {
        return Arguments.of(name, json, reason, messageFragment);
    }

    private static FindingRejectedException reject(Executable parse) {
        FindingRejectedException rejection = catchThrowableOfType(FindingRejectedException.class, parse::execute);
        assertThat(rejection).as("FindingRejectedException").isNotNull();
        return rejection;
    }

    /** Returns the fixture (or JSON text) with the value at {@code pointer} replaced, or removed when null. */
    private static String set(String fixtureOrJson, String pointer, Object value) {
        JsonNode root = readTree(fixtureOrJson.trim().startsWith("{") ? fixtureOrJson : Fixtures.read(fixtureOrJson));
        JsonPointer path = JsonPointer.compile(pointer);
        JsonNode parent = root.at(path.head());
        String last = path.last().getMatchingProperty();
        JsonNode replacement = value == null ? null : Json.mapper().valueToTree(value);
        if (parent instanceof ObjectNode object) {
            if (replacement == null) {
                object.remove(last);
            } else {
                object.set(last, replacement);
            }
        } else if (parent instanceof ArrayNode array) {
            array.set(path.last().getMatchingIndex(), replacement == null ? TextNode.valueOf("") : replacement);
        }
        return root.toString();
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
