package dev.quell.bench;

import java.util.List;

/** Order statistics of a sample, by the nearest-rank method. */
public final class Stats {

    private Stats() {
    }

    /** Returns the median (the 50th percentile by nearest rank), or NaN for an empty sample. */
    public static double median(List<? extends Number> sample) {
        return percentile(sample, 50);
    }

    /** Returns the 90th percentile by nearest rank, or NaN for an empty sample. */
    public static double p90(List<? extends Number> sample) {
        return percentile(sample, 90);
    }

    /**
     * Returns the nearest-rank percentile: the smallest value with at least {@code percent} percent of the sample
     * at or below it.
     */
    public static double percentile(List<? extends Number> sample, int percent) {
        if (sample.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = sample.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
