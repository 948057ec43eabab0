package dev.quell.core.finding.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2017-12-08T15:32:49Z            | 2017-12-08T15:32:49Z",
        "2017-12-08T15:32:49.865Z        | 2017-12-08T15:32:49.865Z",
        "2023-01-13T15:08:44.967-05:00   | 2023-01-13T20:08:44.967Z",
        "2023-06-02T03:15:25.685000+00:00 | 2023-06-02T03:15:25.685Z",
        "2025-02-25 20:40:06.721         | 2025-02-25T20:40:06.721Z",
        "2025-02-25 20:40:06.000000000   | 2025-02-25T20:40:06Z",
        "2020-01-15T15:55:49.624441      | 2020-01-15T15:55:49.624441Z",
        "1492735675000                   | 2017-04-21T00:47:55Z",
        "1.63900583E9                    | 2021-12-08T23:23:50Z",
        "1636625755.218                  | 2021-11-11T10:15:55.218Z",
    })
    void textForms(String text, String expected) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void epochMillisNumber() {
        assertThat(Timestamps.parse(LongNode.valueOf(1_492_735_675_000L)))
                .isEqualTo(Instant.parse("2017-04-21T00:47:55Z"));
    }

    @Test
    void epochSecondsFloatNumber() {
        assertThat(Timestamps.parse(DoubleNode.valueOf(1728014790.3773646)))
                .isEqualTo(Instant.parse("2024-10-04T04:06:30.377365Z"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "yesterday", "2023-13-45T99:00:00Z", "2023-01-01", "NaN", "1e400", "0x10"})
    void unreadableTextIsNull(String text) {
        assertThat(Timestamps.parse(text)).isNull();
    }

    @Test
    void nonScalarNodesAreNull() {
        assertThat(Timestamps.parse(NullNode.getInstance())).isNull();
        assertThat(Timestamps.parse(BooleanNode.TRUE)).isNull();
        assertThat(Timestamps.parse((com.fasterxml.jackson.databind.JsonNode) null)).isNull();
        assertThat(Timestamps.parse(TextNode.valueOf("1".repeat(100_000)))).isNull();
    }

    @Test
    void hugeEpochNumberDoesNotThrow() {
        assertThat(Timestamps.parse(DoubleNode.valueOf(1e300))).isNotNull();
        assertThat(Timestamps.parse(DoubleNode.valueOf(Double.POSITIVE_INFINITY))).isNull();
    }
}
