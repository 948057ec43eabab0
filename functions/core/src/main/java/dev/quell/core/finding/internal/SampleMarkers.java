package dev.quell.core.finding.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quell.core.json.Json;

/**
 * Finds the marker GuardDuty puts on sample findings (those made by {@code CreateSampleFindings}).
 *
 * <p>GuardDuty writes {@code "sample": true} into {@code service.additionalInfo}. Depending on the API and the
 * tool that collected the finding, it appears as a field ({@code additionalInfo.sample}, true or {@code "true"}),
 * inside the JSON string {@code additionalInfo.value} ({@code AdditionalInfo.Value} in PascalCase), or both. Any
 * of them marks the finding as a sample.
 */
public final class SampleMarkers {

    private SampleMarkers() {
    }

    /** Returns whether a GuardDuty {@code additionalInfo} object, or a JSON string holding one, marks a sample. */
    public static boolean inAdditionalInfo(Node additionalInfo) {
        if (additionalInfo.isText()) {
            return inJsonText(additionalInfo.text());
        }
        return additionalInfo.field("sample").isTrue() || inJsonText(additionalInfo.field("value").text());
    }

    /**
     * Returns whether the text is a JSON object whose {@code sample} field is true. Text that is not JSON returns
     * false, because it carries no marker that could be read.
     */
    public static boolean inJsonText(String text) {
        if (text == null || !text.trim().startsWith("{")) {
            return false;
        }
        try {
            return Node.root(Json.mapper().readTree(text)).field("sample").isTrue();
        } catch (JsonProcessingException unreadable) {
            return false;
        }
    }
}
