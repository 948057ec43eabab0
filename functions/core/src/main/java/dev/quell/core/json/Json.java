package dev.quell.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson {@link ObjectMapper} Quell uses, configured here and nowhere else.
 *
 * <p>It ignores unknown properties, writes {@code java.time} values as ISO-8601 strings, leaves nulls out of
 * output, and caps string length so an oversized event fails fast instead of filling the heap.
 */
public final class Json {

    /** EventBridge rejects events over 256 KB, so no legitimate string in one is longer. */
    private static final int MAX_STRING_LENGTH = 1_000_000;

    private static final ObjectMapper MAPPER = build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper build() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNestingDepth(200)
                .build());
        return mapper;
    }
}
