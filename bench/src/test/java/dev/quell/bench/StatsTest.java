package dev.quell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentiles() {
        List<Integer> sample = List.of(10, 1, 9, 2, 8, 3, 7, 4, 6, 5);

        assertThat(Stats.median(sample)).isEqualTo(5.0);
        assertThat(Stats.p90(sample)).isEqualTo(9.0);
        assertThat(Stats.percentile(sample, 0)).isEqualTo(1.0);
        assertThat(Stats.percentile(sample, 100)).isEqualTo(10.0);
    }

    @Test
    void emptySampleIsNaN() {
        assertThat(Stats.median(List.of())).isNaN();
    }
}
