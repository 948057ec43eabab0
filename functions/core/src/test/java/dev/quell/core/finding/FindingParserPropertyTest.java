package dev.quell.core.finding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.quell.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Mutates real-shaped fixtures (dropping, nulling, retyping, truncating and oversizing values) and checks that the
 * parser only ever returns findings or throws {@link FindingRejectedException}, and that a finding is a sample
 * exactly when the mutated document still carries a sample marker for it.
 */
class FindingParserPropertyTest {

    private static final List<String> FIXTURES = List.of(
            "guardduty/eventbridge-ssh-bruteforce-sample.json",
            "guardduty/cli-getfindings-pascalcase-sample.json",
            "guardduty/bare-accesskey-archived.json",
            "guardduty/bare-credential-exfiltration.json",
            "securityhub/imported-guardduty-ssh-bruteforce.json",
            "securityhub/getfindings-boto3-guardduty-2019-style.json",
            "securityhub/custom-action-two-findings.json",
            "securityhub/control-finding-archived.json",
            "ocsf/findings-imported-v2-guardduty.json",
            "ocsf/securitylake-detection-accesskey.json");

    /** Values a retyping mutation writes, chosen to hit numeric strings, booleans, containers and extremes. */
    private static final List<JsonNode> RETYPED_VALUES = List.of(
            TextNode.valueOf("x"), IntNode.valueOf(42), BooleanNode.TRUE, BooleanNode.FALSE, TextNode.valueOf("true"),
            JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.arrayNode(), TextNode.valueOf("-1"),
            TextNode.valueOf("6.0"), DoubleNode.valueOf(1e308), TextNode.valueOf(""), TextNode.valueOf("{\"sample\""));

    private static final int OVERSIZED_LENGTH = 70_000;
    private static final int OVER_LIMIT_LENGTH = 1_000_001;

    /** The change a mutation makes to the value it picks. */
    enum Operation { DROP, NULL, RETYPE, TRUNCATE, OVERSIZE, UNKNOWN_ENUM, TRUNCATE_DOCUMENT }

    /** One mutation: the value at {@code position} modulo the number of values, changed by {@code operation}. */
    record Mutation(int position, Operation operation, int variant) {
    }

    /** A fixture with mutations applied, kept as both the tree and the text given to the parser. */
    record Mutated(String fixture, List<Mutation> mutations, JsonNode tree, String json) {
        @Override
        public String toString() {
            return fixture + " " + mutations;
        }
    }

    @Property(tries = 300)
    void parseReturnsFindingsOrRejects(@ForAll("mutatedFixtures") Mutated document) {
        try {
            ParsedEvent event = FindingParser.parse(document.json());
            assertThat(event.findings()).isNotEmpty();
            event.findings().forEach(FindingParserPropertyTest::checkComplete);
            Statistics.label("outcome").collect("parsed");
        } catch (FindingRejectedException rejection) {
            assertThat(rejection.reason()).isNotNull();
            assertThat(rejection.getMessage()).isNotBlank();
            Statistics.label("outcome").collect(rejection.reason());
        }
        // The mutations must leave enough documents parseable for the checks on findings to mean something.
        Statistics.label("outcome").coverage(checker -> checker.check("parsed").percentage(p -> p >= 25));
    }

    @Property(tries = 300)
    void sampleExactlyWhenMarkerRemains(@ForAll("mutatedFixtures") Mutated document) {
        ParsedEvent event;
        try {
            event = FindingParser.parse(document.json());
        } catch (FindingRejectedException rejection) {
            return;
        }
        List<JsonNode> findingNodes = SampleMarkerOracle.findingNodes(document.tree());
        assertThat(event.findings()).hasSameSizeAs(findingNodes);
        for (int i = 0; i < findingNodes.size(); i++) {
            boolean marked = SampleMarkerOracle.hasMarker(findingNodes.get(i));
            assertThat(event.findings().get(i).sample()).as("sample flag of finding %d", i).isEqualTo(marked);
            Statistics.label("marker").collect(marked);
        }
        Statistics.label("marker").coverage(checker -> {
            checker.check(true).percentage(p -> p >= 20);
            checker.check(false).percentage(p -> p >= 20);
        });
    }

    @Provide
    Arbitrary<Mutated> mutatedFixtures() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 100_000),
                operations(), Arbitraries.integers().between(0, 99)).as(Mutation::new);
        return Combinators.combine(Arbitraries.of(FIXTURES), mutation.list().ofMinSize(1).ofMaxSize(3))
                .as(FindingParserPropertyTest::mutate);
    }

    /** Cutting the text almost always gives malformed JSON, so it is rarer than the mutations of one value. */
    private static Arbitrary<Operation> operations() {
        return Arbitraries.frequency(
                Tuple.of(3, Operation.DROP),
                Tuple.of(2, Operation.NULL),
                Tuple.of(3, Operation.RETYPE),
                Tuple.of(2, Operation.TRUNCATE),
                Tuple.of(1, Operation.OVERSIZE),
                Tuple.of(2, Operation.UNKNOWN_ENUM),
                Tuple.of(1, Operation.TRUNCATE_DOCUMENT));
    }

    private static void checkComplete(Finding finding) {
        assertThat(finding.id()).isNotBlank();
        assertThat(finding.type()).isNotBlank();
        assertThat(finding.accountId()).isNotBlank();
        assertThat(finding.region()).isNotBlank();
        assertThat(finding.severity()).isNotNull();
        assertThat(finding.count()).isPositive();
    }

    private static Mutated mutate(String fixture, List<Mutation> mutations) {
        JsonNode tree = readTree(Fixtures.read(fixture));
        int documentCut = -1;
        for (Mutation mutation : mutations) {
            if (mutation.operation() == Operation.TRUNCATE_DOCUMENT) {
                documentCut = mutation.position();
            } else {
                apply(tree, mutation);
            }
        }
        String json = tree.toString();
        if (documentCut >= 0) {
            json = json.substring(0, documentCut % json.length());
        }
        return new Mutated(fixture, mutations, tree, json);
    }

    private static void apply(JsonNode root, Mutation mutation) {
        List<Slot> slots = new ArrayList<>();
        collectSlots(root, slots);
        if (slots.isEmpty()) {
            return;
        }
        Slot slot = slots.get(mutation.position() % slots.size());
        switch (mutation.operation()) {
            case DROP -> slot.remove();
            case NULL -> slot.set(NullNode.getInstance());
            case RETYPE -> slot.set(RETYPED_VALUES.get(mutation.variant() % RETYPED_VALUES.size()));
            case TRUNCATE -> slot.set(truncate(slot.get()));
            case OVERSIZE -> slot.set(TextNode.valueOf(
                    "9".repeat(mutation.variant() == 0 ? OVER_LIMIT_LENGTH : OVERSIZED_LENGTH)));
            case UNKNOWN_ENUM -> slot.set(TextNode.valueOf("QUELL_UNKNOWN_VALUE_" + mutation.variant()));
            default -> throw new IllegalStateException("document truncation is applied to the text");
        }
    }

    private static JsonNode truncate(JsonNode value) {
        if (value.isTextual()) {
            return TextNode.valueOf(value.textValue().substring(0, value.textValue().length() / 2));
        }
        if (value.isArray()) {
            ArrayNode copy = value.deepCopy();
            while (copy.size() > value.size() / 2) {
                copy.remove(copy.size() - 1);
            }
            return copy;
        }
        if (value.isObject()) {
            ObjectNode copy = value.deepCopy();
            List<String> names = new ArrayList<>();
            copy.fieldNames().forEachRemaining(names::add);
            names.subList(0, names.size() / 2).forEach(copy::remove);
            return copy;
        }
        return value.isNumber() ? IntNode.valueOf(value.intValue() / 10) : value;
    }

    /** A place in the tree that contains one value: an object field or an array element. */
    private record Slot(JsonNode parent, String field, int index) {
        JsonNode get() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static void collectSlots(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                slots.add(new Slot(node, name, -1));
                collectSlots(node.get(name), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collectSlots(node.get(i), slots);
            }
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decides from the document alone whether a finding carries one of the sample markers that
     * {@code SampleMarkers} documents: GuardDuty's {@code additionalInfo.sample} or the {@code sample} field in the
     * {@code additionalInfo.value} JSON string, ASFF's {@code Sample}, and the flattened GuardDuty fields in ASFF
     * {@code ProductFields} and Security Lake's {@code unmapped}.
     */
    static final class SampleMarkerOracle {

        private static final String SERVICE_PREFIX = "aws/guardduty/service/";

        private SampleMarkerOracle() {
        }

        /** Returns the finding objects of an event, API output or bare finding, in document order. */
        static List<JsonNode> findingNodes(JsonNode root) {
            JsonNode detail = root.get("detail");
            if (detail != null && detail.has("findings")) {
                return elements(detail.get("findings"));
            }
            if (detail != null) {
                return List.of(detail);
            }
            JsonNode body = root.has("Findings") ? root : root.path("data");
            return body.has("Findings") ? elements(body.get("Findings")) : List.of(root);
        }

        static boolean hasMarker(JsonNode finding) {
            JsonNode unmapped = child(finding, "unmapped");
            return guardDutyMarker(child(child(finding, "service"), "additionalInfo"))
                    || isTrue(finding.get("Sample"))
                    || flattenedMarker(child(finding, "ProductFields"), "")
                    || isTrue(unmapped.get("Sample"))
                    || flattenedMarker(unmapped, "ProductFields.");
        }

        private static boolean guardDutyMarker(JsonNode additionalInfo) {
            if (additionalInfo.isTextual()) {
                return embeddedMarker(additionalInfo.textValue());
            }
            JsonNode value = child(additionalInfo, "value");
            return isTrue(child(additionalInfo, "sample")) || value.isTextual() && embeddedMarker(value.textValue());
        }

        private static boolean flattenedMarker(JsonNode fields, String prefix) {
            return "true".equalsIgnoreCase(serviceField(fields, prefix, "additionalInfo/sample"))
                    || embeddedMarker(serviceField(fields, prefix, "additionalInfo"))
                    || embeddedMarker(serviceField(fields, prefix, "additionalInfo/value"));
        }

        private static String serviceField(JsonNode fields, String prefix, String path) {
            String prefixed = scalarText(fields.get(prefix + SERVICE_PREFIX + path));
            return prefixed != null ? prefixed : scalarText(fields.get(prefix + path));
        }

        private static String scalarText(JsonNode value) {
            if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
                return null;
            }
            return value.asText().trim();
        }

        private static boolean embeddedMarker(String text) {
            if (text == null || !text.trim().startsWith("{")) {
                return false;
            }
            try {
                return isTrue(child(Json.mapper().readTree(text), "sample"));
            } catch (IOException unreadable) {
                return false;
            }
        }

        /** Returns the named child, or its capitalised spelling when the first is absent or null. */
        private static JsonNode child(JsonNode node, String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                value = node.get(Character.toUpperCase(name.charAt(0)) + name.substring(1));
            }
            return value == null ? NullNode.getInstance() : value;
        }

        private static boolean isTrue(JsonNode value) {
            return value != null && (value.isBoolean() && value.booleanValue()
                    || value.isTextual() && "true".equalsIgnoreCase(value.textValue().trim()));
        }

        private static List<JsonNode> elements(JsonNode array) {
            List<JsonNode> elements = new ArrayList<>();
            array.forEach(elements::add);
            return elements;
        }
    }
}
