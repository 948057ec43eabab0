package dev.quell.infra;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The startup behaviour of the responder functions, chosen with the {@code startup} context key. */
public enum StartupMode {

    /** A cold start on the first invocation after idle; the cheapest, and the slowest to first containment. */
    ON_DEMAND("on-demand"),
    /** Lambda SnapStart on published versions: the initialized JVM is restored from a snapshot. */
    SNAPSTART("snapstart"),
    /** One provisioned concurrent execution on the {@code live} alias of each responder, kept warm. */
    PROVISIONED("provisioned");

    private final String text;

    StartupMode(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /**
     * Reads a mode from its context spelling.
     *
     * @throws IllegalArgumentException naming the accepted values when the text is none of them
     */
    public static StartupMode fromText(String text) {
        for (StartupMode mode : values()) {
            if (mode.text.equals(text)) {
                return mode;
            }
        }
        String accepted = Arrays.stream(values()).map(StartupMode::text).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("context key startup is \"" + text + "\"; expected one of " + accepted);
    }
}
