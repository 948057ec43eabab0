package dev.quell.core.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether Quell changes resources ({@code enforce}) or only says what it would change ({@code dry-run}). */
public enum Mode {
    DRY_RUN("dry-run"),
    ENFORCE("enforce");

    private final String text;

    Mode(String text) {
        this.text = text;
    }

    @JsonValue
    public String text() {
        return text;
    }

    /**
     * Reads a mode from its policy spelling.
     *
     * @throws PolicyException when the text is neither {@code dry-run} nor {@code enforce}
     */
    @JsonCreator
    public static Mode fromText(String text) {
        for (Mode mode : values()) {
            if (mode.text.equals(text == null ? "" : text.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new PolicyException("mode must be \"dry-run\" or \"enforce\", was \"" + text + "\"");
    }
}
