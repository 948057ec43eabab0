package dev.quell.notify.slack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a response's pre-state as short lines, one per top-level field, without knowing the responder's type.
 * Nulls, empty lists and empty objects are left out, so the lines name only what the resource had.
 */
final class PreStateText {

    private PreStateText() {
    }

    /** Returns one {@code field: value} line per top-level field that has a value, or none for no state. */
    static List<String> lines(JsonNode state) {
        List<String> lines = new ArrayList<>();
        if (state == null || state.isNull() || state.isMissingNode()) {
            return lines;
        }
        if (!state.isObject()) {
            String value = value(state);
            if (!value.isEmpty()) {
                lines.add(value);
            }
            return lines;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = state.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String value = value(field.getValue());
            if (!value.isEmpty()) {
                lines.add(field.getKey() + ": " + value);
            }
        }
        return lines;
    }

    /** Returns a compact text for a JSON value: lists joined by commas, objects as {@code key=value} pairs. */
    private static String value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> {
                String text = value(item);
                if (!text.isEmpty()) {
                    items.add(text);
                }
            });
            return String.join(", ", items);
        }
        if (node.isObject()) {
            List<String> pairs = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String text = value(field.getValue());
                if (!text.isEmpty()) {
                    boolean nested = field.getValue().isContainerNode();
                    pairs.add(field.getKey() + "=" + (nested ? "[" + text + "]" : text));
                }
            }
            return String.join("; ", pairs);
        }
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return "";
        }
        String text = node.asText();
        return Report.present(text).orElse("");
    }
}
