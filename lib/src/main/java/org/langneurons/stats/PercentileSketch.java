package org.langneurons.stats;

import java.util.Arrays;

/**
 * The global percentile mode: a per-neuron histogram over fixed, logarithmically spaced buckets (as DDSketch), so
 * percentiles over all tokens of a language come with a bounded relative error and two sketches merge exactly (their
 * counts add).
 *
 * <p>Buckets: magnitudes below {@code minMagnitude} share one bucket around zero; between {@code minMagnitude} and
 * {@code maxMagnitude} each sign has buckets {@code [m g^j, m g^(j+1))} with {@code g = (1 + alpha) / (1 - alpha)};
 * beyond {@code maxMagnitude}, one bucket per sign. What is stored per neuron is, for each bucket edge
 * {@code e_b} (ascending), the count of values {@code < e_b}.
 *
 * <p>Error bound: the estimate of the order statistic {@code x_(k)} ({@code k = round(q (n - 1))}, nearest rank) is
 * within relative error {@code alpha} of it when {@code minMagnitude <= |x_(k)| <= maxMagnitude}; within
 * {@code minMagnitude} absolute when {@code |x_(k)| < minMagnitude}; and clamped to the neuron's exact minimum or
 * maximum beyond {@code maxMagnitude}. Memory: {@link #edgeCount()} counts per neuron, independent of the tokens.
 *
 * @param alpha        relative accuracy, in (0, 0.5)
 * @param minMagnitude smallest magnitude resolved (the zero bucket's half-width)
 * @param maxMagnitude largest magnitude resolved
 */
public record PercentileSketch(double alpha, double minMagnitude, double maxMagnitude) {
    public PercentileSketch {
        if (!(alpha > 0 && alpha < 0.5) || !(minMagnitude > 0) || !(maxMagnitude > minMagnitude)) {
            throw new IllegalArgumentException("sketch needs 0 < alpha < 0.5 (got " + alpha
                    + ") and 0 < min magnitude < max magnitude (got " + minMagnitude + ", " + maxMagnitude + ")");
        }
    }

    /** Relative accuracy 2%, magnitudes 1e-4 .. 1e4: 925 edges. */
    public static PercentileSketch defaults() {
        return new PercentileSketch(0.02, 1e-4, 1e4);
    }

    /** Bucket growth factor g. */
    public double gamma() {
        return (1 + alpha) / (1 - alpha);
    }

    /** Buckets per sign between the magnitudes. */
    private int perSign() {
        return (int) Math.ceil(Math.log(maxMagnitude / minMagnitude) / Math.log(gamma()));
    }

    /** Number of edges E (buckets: E + 1). */
    public int edgeCount() {
        return 2 * (perSign() + 1);
    }

    /** The ascending bucket edges, as float32 (what values are compared with). */
    public float[] edges() {
        int m = perSign();
        float[] e = new float[2 * (m + 1)];
        for (int j = 0; j <= m; j++) {
            float v = (float) (minMagnitude * Math.pow(gamma(), j));
            e[m + 1 + j] = v;
            e[m - j] = -v;
        }
        return e;
    }

    /**
     * The estimated value of rank {@code k} (0-based) of a neuron from its cumulative counts.
     *
     * @param below   count of values below each edge ({@link #edgeCount()} entries, non-decreasing)
     * @param total   values counted
     * @param min     the neuron's exact minimum
     * @param max     the neuron's exact maximum
     */
    public double valueAtRank(long[] below, long total, long k, float min, float max) {
        float[] e = edges();
        int b = 0;
        while (b < below.length && below[b] <= k) {
            b++;
        }
        // x_(k) lies in [e[b-1], e[b]) (b = 0: below the first edge; b = E: at or above the last)
        double estimate;
        if (b == 0) {
            estimate = min;
        } else if (b == e.length) {
            estimate = max;
        } else {
            double lo = e[b - 1], hi = e[b];
            if (lo < 0 && hi > 0) {
                estimate = 0;                                   // the zero bucket
            } else {
                // the point of smallest relative error to both ends: 2 lo hi / (lo + hi)
                estimate = 2 * lo * hi / (lo + hi);
            }
        }
        return Math.max(min, Math.min(max, estimate));
    }

    /** The linear-interpolation {@code q}-quantile estimate over all tokens: the nearest rank's value. */
    public double quantile(long[] below, long total, double q, float min, float max) {
        if (total < 1) {
            throw new IllegalArgumentException("no value counted");
        }
        long k = Math.round(q * (total - 1));
        return valueAtRank(below, total, k, min, max);
    }

    @Override
    public String toString() {
        return "PercentileSketch[alpha=" + alpha + ", magnitudes " + minMagnitude + ".." + maxMagnitude + ", "
                + edgeCount() + " edges]";
    }

    /** Settings as one string ({@code alpha,min,max}) for file metadata. */
    public String encode() {
        return alpha + "," + minMagnitude + "," + maxMagnitude;
    }

    /** The inverse of {@link #encode}. */
    public static PercentileSketch decode(String s) {
        double[] v = Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
        if (v.length != 3) {
            throw new IllegalArgumentException("sketch settings must be alpha,min,max, got " + s);
        }
        return new PercentileSketch(v[0], v[1], v[2]);
    }
}
