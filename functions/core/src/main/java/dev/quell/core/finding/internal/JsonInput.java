package dev.quell.core.finding.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.json.Json;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads input into a JSON tree with {@link Json#mapper()}'s limits, rejecting anything that is not exactly one
 * JSON value with {@link Reason#MALFORMED_JSON}.
 *
 * <p>Duplicate field names are rejected: EventBridge rules and Quell could otherwise read different values from
 * the same event. Content after the first value is rejected for the same reason.
 */
public final class JsonInput {

    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private JsonInput() {
    }

    public static JsonNode read(String json) {
        if (json == null) {
            throw new FindingRejectedException(Reason.MALFORMED_JSON, "input is null");
        }
        try {
            return requireValue(READER.readTree(json));
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    public static JsonNode read(byte[] json) {
        if (json == null) {
            throw new FindingRejectedException(Reason.MALFORMED_JSON, "input is null");
        }
        try {
            return requireValue(READER.readTree(json));
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** Reads the stream to its end and closes it. */
    public static JsonNode read(InputStream json) {
        if (json == null) {
            throw new FindingRejectedException(Reason.MALFORMED_JSON, "input is null");
        }
        try {
            return requireValue(READER.readTree(json));
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    private static JsonNode requireValue(JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            throw new FindingRejectedException(Reason.MALFORMED_JSON, "input is empty");
        }
        return tree;
    }

    private static FindingRejectedException malformed(IOException e) {
        if (!(e instanceof JsonProcessingException json)) {
            return new FindingRejectedException(Reason.MALFORMED_JSON, "failed to read input: " + e.getMessage(), e);
        }
        JsonLocation location = json.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column "
                + location.getColumnNr();
        return new FindingRejectedException(Reason.MALFORMED_JSON,
                "input is not valid JSON" + where + ": " + json.getOriginalMessage(), e);
    }
}
