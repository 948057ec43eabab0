package dev.quell.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.assertions.Template;
import software.amazon.event.ruler.Machine;

/**
 * Matches events against the synthesized rules with Event Ruler, the matching library EventBridge uses. Rules on
 * the default bus and rules on the Quell bus are kept apart, because an event only reaches the rules of its bus.
 */
final class RuleMatcher {

    private final Machine defaultBus = new Machine();
    private final Machine quellBus = new Machine();

    /** Compiles every rule of the stack's template, keyed by the rule's construct id. */
    RuleMatcher(ResponderStack stack) throws Exception {
        Map<String, Object> template = Template.fromStack(stack).toJSON();
        Map<String, String> patterns = TestStacks.eventPatterns(stack, template);
        JsonNode resources = TestStacks.JSON.valueToTree(template).get("Resources");
        for (var rule : stack.routing().rules()) {
            String id = rule.getNode().getId();
            boolean onQuellBus = resources.get(TestStacks.logicalId(stack, rule)).at("/Properties/EventBusName")
                    .isObject();
            (onQuellBus ? quellBus : defaultBus).addRule(id, patterns.get(id));
        }
    }

    /** Returns the ids of the rules an event matches on the bus it is sent to: Quell's own events on the Quell bus. */
    Set<String> match(JsonNode event) throws Exception {
        boolean fromQuell = event.path("source").asText().equals("quell");
        return new TreeSet<>((fromQuell ? quellBus : defaultBus).rulesForJSONEvent(event.toString()));
    }

    /** Returns the ids of the rules of the other bus that the event would match there; always empty when correct. */
    Set<String> matchOnOtherBus(JsonNode event) throws Exception {
        boolean fromQuell = event.path("source").asText().equals("quell");
        return new TreeSet<>((fromQuell ? defaultBus : quellBus).rulesForJSONEvent(event.toString()));
    }

    static Set<String> none() {
        return Set.of();
    }

    static Set<String> of(String... ruleIds) {
        return new TreeSet<>(List.of(ruleIds));
    }
}
