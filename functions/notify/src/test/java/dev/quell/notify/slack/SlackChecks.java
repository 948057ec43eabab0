package dev.quell.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks a Slack payload against Slack's documented limits and Quell's escaping rules. */
public final class SlackChecks {

    /** Words a serializer writes for a missing value, which no message may show. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\b(null|undefined|NaN)\\b");
    /** An angle bracket that opens a Slack control sequence; only Quell's console links may do that. */
    private static final Pattern CONTROL = Pattern.compile("<(?!https://console\\.(aws\\.amazon\\.com|amazonaws\\.cn"
            + "|amazonaws-us-gov\\.com)/)");

    private SlackChecks() {
    }

    /** Asserts the payload keeps within every Slack limit and contains no placeholder words. */
    public static void assertWithinLimits(JsonNode payload) {
        assertThat(payload.path("text").asText()).as("top-level text").isNotBlank().hasSizeLessThanOrEqualTo(3000);
        JsonNode blocks = payload.path("blocks");
        assertThat(blocks.size()).as("blocks").isLessThanOrEqualTo(50);
        for (JsonNode block : blocks) {
            String type = block.path("type").asText();
            assertThat(type).isIn("header", "section", "context", "divider");
            if (type.equals("header")) {
                assertThat(block.path("text").path("type").asText()).isEqualTo("plain_text");
                assertThat(block.path("text").path("text").asText()).as("header").isNotBlank()
                        .hasSizeLessThanOrEqualTo(150);
            }
            if (type.equals("section")) {
                assertThat(block.has("text") || block.has("fields")).as("section has text or fields").isTrue();
                if (block.has("text")) {
                    assertThat(block.path("text").path("text").asText()).as("section text").isNotBlank()
                            .hasSizeLessThanOrEqualTo(3000);
                }
                assertThat(block.path("fields").size()).as("fields").isLessThanOrEqualTo(10);
                for (JsonNode field : block.path("fields")) {
                    assertThat(field.path("text").asText()).as("field").isNotBlank().hasSizeLessThanOrEqualTo(2000);
                }
            }
            if (type.equals("context")) {
                assertThat(block.path("elements").size()).as("context elements").isBetween(1, 10);
            }
        }
        for (String text : texts(payload)) {
            assertThat(PLACEHOLDER.matcher(text).find()).as("placeholder word in: %s", text).isFalse();
        }
    }

    /** Asserts that no text of the payload can mention anyone or open a link other than Quell's console links. */
    public static void assertMentionsNobody(JsonNode payload) {
        for (String text : texts(payload)) {
            Matcher control = CONTROL.matcher(text);
            assertThat(control.find()).as("Slack control sequence in: %s", text).isFalse();
            assertThat(text).doesNotContainIgnoringCase("@channel").doesNotContainIgnoringCase("@here")
                    .doesNotContainIgnoringCase("@everyone");
        }
    }

    /** Returns every text value of the payload: the top-level text and each block's texts. */
    public static List<String> texts(JsonNode payload) {
        List<String> texts = new ArrayList<>();
        collect(payload, texts);
        return texts;
    }

    private static void collect(JsonNode node, List<String> texts) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("text") && field.getValue().isTextual()) {
                    texts.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), texts);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, texts));
        }
    }
}
