package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.ParsedEvent;
import dev.quell.core.json.Json;
import dev.quell.core.policy.Mode;
import dev.quell.core.response.TransientFailureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Damaged copies of a sample GuardDuty finding never lead to a change. The sample event names the seeded app
 * server and marks itself a sample twice, as GuardDuty does: {@code additionalInfo.sample} is {@code true}, and
 * {@code additionalInfo.value} is a JSON string whose {@code sample} is {@code true}.
 *
 * <p>Each try damages one to three values. It drops, nulls, retypes or truncates them, or replaces them with
 * unknown enum values or oversized strings, up to an event near EventBridge's 256 KB limit. It then parses the
 * event and runs every finding through an enforcing responder. No mutating call may reach the fault proxy while
 * either marker is intact.
 */
class SampleMutationPropertyTest {

    /** EventBridge's maximum event size, in bytes. */
    private static final int MAX_EVENT_BYTES = 256 * 1024;

    /** Where GuardDuty writes the two sample markers. */
    private static final List<String> MARKER_PATHS = List.of("/detail/service/additionalInfo/sample",
            "/detail/service/additionalInfo/value");

    private static ProxiedAccount account;
    private static InstanceResponder responder;
    private static String template;
    private static List<JsonPointer> paths;

    @BeforeContainer
    static void seed() {
        account = new ProxiedAccount(false);
        responder = account.responder(Mode.ENFORCE);
        template = account.sampleEvent("${FINDING_ID}");
        paths = new ArrayList<>();
        collectPaths(readTree(template), JsonPointer.empty(), paths);
    }

    @AfterContainer
    static void close() {
        account.close();
    }

    @Property(tries = 50, shrinking = ShrinkingMode.BOUNDED)
    void damagedSample_changesNothing(@ForAll("damage") List<Mutation> mutations) {
        String findingId = UUID.randomUUID().toString().replace("-", "");
        ObjectNode event = (ObjectNode) readTree(template.replace("${FINDING_ID}", findingId));
        mutations.forEach(mutation -> mutation.applyTo(event));
        boolean markerKept = sampleMarkerKept(event);
        account.proxy.clearRequests();

        ParsedEvent parsed;
        try {
            parsed = FindingParser.parse(event.toString());
        } catch (FindingRejectedException rejected) {
            Statistics.collect(markerKept ? "marker kept" : "markers removed", "rejected");
            return;
        }
        for (Finding finding : parsed.findings()) {
            try {
                responder.respond(finding, "property-" + findingId);
            } catch (TransientFailureException e) {
                // A damaged value may make an API call fail. Only the calls that reached the proxy matter here.
            }
        }
        Statistics.collect(markerKept ? "marker kept" : "markers removed", "parsed");

        if (markerKept) {
            assertThat(account.proxy.mutatingRequests()).as("mutating calls after " + mutations).isEmpty();
        }
    }

    /**
     * Returns one to three mutations. One path in five is drawn from the sample markers and the objects that hold
     * them, so some tries remove every marker and show that the responder then acts.
     */
    @Provide
    Arbitrary<List<Mutation>> damage() {
        int eventBytes = template.length();
        Arbitrary<Integer> sizes = Arbitraries.of(1_000, 65_536, MAX_EVENT_BYTES - eventBytes - 64);
        List<JsonPointer> markerPaths = paths.stream()
                .filter(path -> MARKER_PATHS.stream().anyMatch(marker -> marker.startsWith(path.toString())))
                .toList();
        Arbitrary<JsonPointer> anyPath = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(paths)), Tuple.of(1, Arbitraries.of(markerPaths)));
        Arbitrary<Mutation> mutation = Combinators.combine(anyPath, Arbitraries.of(Kind.values()), sizes)
                .as(Mutation::new);
        return mutation.list().ofMinSize(1).ofMaxSize(3);
    }

    /**
     * Returns whether the event still carries one of GuardDuty's two sample markers exactly as GuardDuty writes
     * it. A marker that was retyped (the string {@code "true"}) counts as removed, so the check never relies on
     * the parser's leniency.
     */
    static boolean sampleMarkerKept(JsonNode event) {
        JsonNode additionalInfo = event.at("/detail/service/additionalInfo");
        if (additionalInfo.path("sample").isBoolean() && additionalInfo.path("sample").booleanValue()) {
            return true;
        }
        JsonNode value = additionalInfo.path("value");
        if (!value.isTextual()) {
            return false;
        }
        try {
            JsonNode sample = Json.mapper().readTree(value.textValue()).path("sample");
            return sample.isBoolean() && sample.booleanValue();
        } catch (IOException notJson) {
            return false;
        }
    }

    private static void collectPaths(JsonNode node, JsonPointer at, List<JsonPointer> into) {
        if (!at.matches()) {
            into.add(at);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collectPaths(field.getValue(), at.appendProperty(field.getKey()), into);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectPaths(node.get(i), at.appendIndex(i), into);
            }
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("the sample event is not valid JSON", e);
        }
    }

    /** How a mutation damages one value. */
    enum Kind {
        DROP,
        NULL,
        RETYPE,
        TRUNCATE,
        OVERSIZE,
        UNKNOWN_ENUM
    }

    /**
     * One damage to the value at a path, where {@code size} is the length of an oversized string. A path that an
     * earlier mutation removed is left alone.
     */
    record Mutation(JsonPointer path, Kind kind, int size) {

        void applyTo(ObjectNode event) {
            JsonNode parent = event.at(path.head());
            JsonNode value = event.at(path);
            if (value.isMissingNode() || !(parent.isObject() || parent.isArray())) {
                return;
            }
            if (kind == Kind.DROP) {
                remove(parent);
                return;
            }
            replace(parent, damaged(value));
        }

        private JsonNode damaged(JsonNode value) {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            return switch (kind) {
                case NULL -> NullNode.instance;
                case RETYPE -> retyped(value, nodes);
                case TRUNCATE -> truncated(value);
                case OVERSIZE -> TextNode.valueOf("x".repeat(size));
                case UNKNOWN_ENUM -> TextNode.valueOf("UNKNOWN_"
                        + (value.isTextual() ? value.textValue() : "VALUE").toUpperCase(Locale.ROOT));
                case DROP -> value;
            };
        }

        private static JsonNode retyped(JsonNode value, JsonNodeFactory nodes) {
            if (value.isTextual()) {
                return IntNode.valueOf(value.textValue().length());
            }
            if (value.isNumber() || value.isBoolean()) {
                return TextNode.valueOf(value.asText());
            }
            if (value.isObject()) {
                ArrayNode wrapped = nodes.arrayNode();
                wrapped.add(value.deepCopy());
                return wrapped;
            }
            if (value.isArray()) {
                return TextNode.valueOf(value.toString());
            }
            return IntNode.valueOf(0);
        }

        private static JsonNode truncated(JsonNode value) {
            if (value.isTextual()) {
                return TextNode.valueOf(value.textValue().substring(0, value.textValue().length() / 2));
            }
            if (value.isArray()) {
                ArrayNode shorter = value.deepCopy();
                while (shorter.size() > value.size() / 2) {
                    shorter.remove(shorter.size() - 1);
                }
                return shorter;
            }
            if (value.isObject()) {
                ObjectNode shorter = value.deepCopy();
                List<String> names = new ArrayList<>();
                shorter.fieldNames().forEachRemaining(names::add);
                shorter.remove(names.subList(names.size() / 2, names.size()));
                return shorter;
            }
            if (value.isNumber()) {
                return IntNode.valueOf(value.intValue() / 10);
            }
            return value;
        }

        private void remove(JsonNode parent) {
            if (parent instanceof ObjectNode object) {
                object.remove(path.last().getMatchingProperty());
            } else if (parent instanceof ArrayNode array) {
                array.remove(path.last().getMatchingIndex());
            }
        }

        private void replace(JsonNode parent, JsonNode replacement) {
            if (parent instanceof ObjectNode object) {
                object.set(path.last().getMatchingProperty(), replacement);
            } else if (parent instanceof ArrayNode array) {
                array.set(path.last().getMatchingIndex(), replacement);
            }
        }

        @Override
        public String toString() {
            return kind + " " + path + (kind == Kind.OVERSIZE ? " (" + size + " characters)" : "");
        }
    }
}
