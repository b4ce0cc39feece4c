package org.langneurons.stats;

/**
 * Percentiles with linear interpolation, as {@code numpy.percentile} and {@code torch.quantile} compute them: the
 * q-quantile of n sorted values is {@code s[lo] + (s[hi] - s[lo]) * (pos - lo)} with {@code pos = q * (n - 1)},
 * {@code lo = floor(pos)}, {@code hi = min(lo + 1, n - 1)}.
 */
public final class Percentiles {
    private Percentiles() {
    }

    /** The {@code q}-quantile (q in [0, 1]) of {@code sorted} (ascending, non-empty). */
    public static double linear(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("the quantile of no values is undefined");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
