package dev.quell.core.finding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the finding documents under {@code src/test/resources/findings}. */
final class Fixtures {

    private Fixtures() {
    }

    /** Returns the fixture's text; {@code path} is relative to the findings directory. */
    static String read(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/findings/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture findings/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedEvent parse(String path) {
        return FindingParser.parse(read(path));
    }

    /** Parses the fixture and returns its only finding. */
    static Finding single(String path) {
        ParsedEvent event = parse(path);
        assertThat(event.findings()).as("findings in %s", path).hasSize(1);
        return event.findings().get(0);
    }
}
