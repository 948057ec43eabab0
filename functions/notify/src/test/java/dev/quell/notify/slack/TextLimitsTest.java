package dev.quell.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TextLimitsTest {

    @Test
    void fit_keepsShortText() {
        assertThat(TextLimits.fit("a < b", 100, SlackEscape::entities)).isEqualTo("a &lt; b");
    }

    @Test
    void fit_cutsVisiblyAndCountsOmitted() {
        String cut = TextLimits.fit("x".repeat(5000), 3000, SlackEscape::entities);

        assertThat(cut).hasSizeLessThanOrEqualTo(3000).endsWith("more characters)");
        int kept = cut.indexOf('…');
        assertThat(cut).contains(String.format("(truncated, %,d more characters)", 5000 - kept));
    }

    @Test
    void fit_neverSplitsAnEntity() {
        String cut = TextLimits.fit("<".repeat(1000), 150, SlackEscape::entities);

        assertThat(cut).hasSizeLessThanOrEqualTo(150);
        assertThat(cut.substring(0, cut.indexOf('…'))).matches("(&lt;)+");
    }

    @Test
    void fit_neverSplitsASurrogatePair() {
        String cut = TextLimits.fit("\uD83D\uDD25".repeat(200), 150, SlackEscape::entities);

        assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf('…') - 1))).isFalse();
    }

    @Test
    void chunk_splitsWithinLimit() {
        List<String> items = IntStream.range(0, 100).mapToObj(i -> "item-" + i).toList();

        List<String> chunks = TextLimits.chunk(items, ", ", 100, 100);

        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk).hasSizeLessThanOrEqualTo(100));
        assertThat(String.join(", ", chunks).split(", ")).hasSize(100);
    }

    @Test
    void chunk_marksItemsLeftOut() {
        List<String> items = IntStream.range(0, 1000).mapToObj(i -> "item-" + i).toList();

        List<String> chunks = TextLimits.chunk(items, ", ", 100, 2);

        assertThat(chunks).hasSize(2).allSatisfy(chunk -> assertThat(chunk).hasSizeLessThanOrEqualTo(100));
        long shown = Pattern.compile("item-\\d+").matcher(String.join(", ", chunks)).results().count();
        assertThat(chunks.get(1)).endsWith("… (truncated, " + String.format("%,d", 1000 - shown) + " more)");
    }
}
