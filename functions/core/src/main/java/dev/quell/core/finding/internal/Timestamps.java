package dev.quell.core.finding.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads the time formats found in GuardDuty, Security Hub and OCSF findings. Every reader returns {@code null}
 * for a value it cannot read and never throws, because no finding time is required.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>ISO-8601 with {@code Z} or an offset, with or without fractional seconds;</li>
 *   <li>ISO-8601 without an offset, and {@code yyyy-MM-dd HH:mm:ss.fff} (with 0 to 9 fraction digits), both read
 *       as UTC because the sources that write them give no zone;</li>
 *   <li>epoch numbers and numeric strings, including fractions and E-notation. A magnitude of at least 10^11 is
 *       read as milliseconds and anything smaller as seconds: 10^11 milliseconds is March 1973 and 10^11 seconds
 *       is the year 5138, so no plausible finding time is ambiguous.</li>
 * </ul>
 */
public final class Timestamps {

    private static final double MILLIS_THRESHOLD = 1e11;
    private static final int DATE_LENGTH = "yyyy-MM-dd".length();

    private Timestamps() {
    }

    /** Reads a JSON number or string; any other node returns {@code null}. */
    public static Instant parse(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return fromEpoch(node.doubleValue());
        }
        return node.isTextual() ? parse(node.textValue()) : null;
    }

    /** Reads a string in any of the accepted forms. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.trim();
        if (Node.isDecimal(trimmed)) {
            return fromEpoch(Double.parseDouble(trimmed));
        }
        return fromIso(trimmed);
    }

    private static Instant fromEpoch(double value) {
        if (!Double.isFinite(value)) {
            return null;
        }
        if (Math.abs(value) >= MILLIS_THRESHOLD) {
            return Instant.ofEpochMilli(Math.round(value));
        }
        long seconds = (long) Math.floor(value);
        // Rounded to microseconds: a double near 1.7e9 carries about 0.2 microseconds of precision.
        long micros = Math.round((value - seconds) * 1e6);
        return Instant.ofEpochSecond(seconds, micros * 1_000);
    }

    private static Instant fromIso(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException withoutOffset) {
            return fromLocalIso(text);
        }
    }

    private static Instant fromLocalIso(String text) {
        String isoText = text.length() > DATE_LENGTH && text.charAt(DATE_LENGTH) == ' '
                ? text.substring(0, DATE_LENGTH) + 'T' + text.substring(DATE_LENGTH + 1)
                : text;
        try {
            return LocalDateTime.parse(isoText).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException unreadable) {
            return null;
        }
    }
}
