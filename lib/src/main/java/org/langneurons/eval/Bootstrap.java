package org.langneurons.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Bootstrap statistics over per-example scores (accuracy 0/1 per example, F1 in [0, 1] per question): the mean of
 * one arm with its 95% interval, and the paired difference of two arms evaluated on the same examples (fine-tuned on
 * English, evaluated per language with and without a test-time intervention) with its 95% interval and a two-sided
 * p-value.
 *
 * <p><b>Resampling.</b> A resample draws n example indices uniformly with replacement. {@link #mean} and
 * {@link #paired} draw {@code resamples} of them with {@link SplittableRandom#SplittableRandom(long) new
 * SplittableRandom(seed)}: resample 1 first, each one's n indices by {@code nextInt(n)} in turn. The result therefore
 * depends on the scores, {@code resamples} and {@code seed} only. {@link #exactMean} and {@link #exactPaired}
 * instead enumerate all n<sup>n</sup> index sequences once each (n &le; {@value #EXACT_MAX_N}), which is the
 * bootstrap distribution itself, and apply the same rules with R = n<sup>n</sup>.
 *
 * <p><b>Interval (percentile bootstrap, Efron &amp; Tibshirani 1993, <i>An Introduction to the Bootstrap</i>,
 * ch. 13).</b> With the R resample statistics sorted, t<sub>(1)</sub> &le; ... &le; t<sub>(R)</sub>:
 * low = t<sub>(&lceil;0.025 R&rceil;)</sub>, high = t<sub>(&lceil;0.975 R&rceil;)</sub>, 1-based. This is the
 * inverse of the empirical distribution function, definition 1 of Hyndman &amp; Fan (1996), "Sample quantiles in
 * statistical packages", <i>The American Statistician</i> 50(4) (R's {@code quantile(type = 1)}, numpy's
 * {@code method="inverted_cdf"}); no interpolation, so both ends are resample values. The ranks are computed in
 * integer arithmetic, e.g. ranks 25 and 975 for R = 1000, 500 and 19500 for R = 20000, 1 and R for R &lt; 40.
 *
 * <p><b>p-value (paired bootstrap test, shifted distribution).</b> With d the observed difference and
 * d*<sub>r</sub> that of resample r, p = (1 + #{r : |d*<sub>r</sub> &minus; d| &ge; |d|}) / (1 + R): the
 * resampled differences, shifted by &minus;d to centre them on the null hypothesis of no difference, are compared
 * with |d| (Efron &amp; Tibshirani 1993, ch. 16; Berg-Kirkpatrick, Burkett &amp; Klein 2012, "An Empirical
 * Investigation of Statistical Significance in NLP", EMNLP, whose test counts d*<sub>r</sub> &gt; 2d: the
 * one-sided half of this rule; Koehn 2004, "Statistical Significance Tests for Machine Translation Evaluation",
 * EMNLP). The +1 in numerator and denominator counts the observed sample as one of the resamples (Davison &amp;
 * Hinkley 1997, <i>Bootstrap Methods and their Application</i>; North, Curtis &amp; Sham 2002, <i>Am. J. Hum.
 * Genet.</i> 71), so p &ge; 1 / (1 + R) &gt; 0. A deviation within rounding of |d| counts as reaching it (ties are
 * extreme, the conservative side): the test is |d*<sub>r</sub> &minus; d| &ge; |d| &minus; &epsilon; with
 * &epsilon; = {@value #TIE_TOLERANCE} &times; max<sub>i</sub> |treated<sub>i</sub> &minus; baseline<sub>i</sub>|,
 * far above the rounding of a mean of fewer than a million scores and far below any difference of interest.
 * Identical arms thus give p = 1, and a constant shift of every example (all d*<sub>r</sub> = d &ne; 0) gives
 * p = 1 / (1 + R).
 *
 * <pre>{@code
 * double[] plain = {1, 0, 1, 1, 0, 1, 0, 1};
 * double[] steered = {1, 1, 1, 1, 0, 1, 1, 1};
 * Bootstrap.Interval accuracy = Bootstrap.mean(steered, 10_000, 42L);
 * Bootstrap.PairedDifference gain = Bootstrap.paired(plain, steered, 10_000, 42L);
 * boolean significant = gain.pValue() < 0.05;
 * }</pre>
 */
public final class Bootstrap {
    /** The largest n the exact modes enumerate (7<sup>7</sup> = 823,543 resamples). */
    public static final int EXACT_MAX_N = 7;

    /** Ties in the p-value's comparison, relative to the largest per-example difference (see the class Javadoc). */
    public static final double TIE_TOLERANCE = 1e-9;

    private Bootstrap() {
    }

    /**
     * A mean and its 95% percentile bootstrap interval.
     *
     * <pre>{@code
     * Bootstrap.Interval i = Bootstrap.exactMean(new double[] {0, 1});
     * String text = String.format("%.3f [%.3f, %.3f]", i.estimate(), i.low(), i.high());
     * }</pre>
     *
     * @param estimate  the mean of the scores
     * @param low       the 2.5% percentile of the resampled means (rank &lceil;0.025 R&rceil;)
     * @param high      the 97.5% percentile of the resampled means (rank &lceil;0.975 R&rceil;)
     * @param resamples R, the number of resamples (n<sup>n</sup> in exact mode)
     */
    public record Interval(double estimate, double low, double high, int resamples) {
    }

    /**
     * A paired difference mean(treated) &minus; mean(baseline), its 95% percentile bootstrap interval and its
     * two-sided paired bootstrap p-value.
     *
     * <pre>{@code
     * Bootstrap.PairedDifference d = Bootstrap.exactPaired(new double[] {0, 1, 0}, new double[] {1, 1, 0});
     * boolean excludesZero = d.low() > 0 || d.high() < 0;
     * }</pre>
     *
     * @param difference the mean of treated<sub>i</sub> &minus; baseline<sub>i</sub>
     * @param low        the 2.5% percentile of the resampled differences (rank &lceil;0.025 R&rceil;)
     * @param high       the 97.5% percentile of the resampled differences (rank &lceil;0.975 R&rceil;)
     * @param pValue     (1 + #{r : |d*<sub>r</sub> &minus; d| &ge; |d|}) / (1 + R), in (0, 1]
     * @param resamples  R, the number of resamples (n<sup>n</sup> in exact mode)
     */
    public record PairedDifference(double difference, double low, double high, double pValue, int resamples) {
    }

    /**
     * The mean of {@code scores} with its 95% percentile interval from {@code resamples} seeded resamples.
     *
     * @param scores    one score per example, finite, at least one
     * @param resamples R &ge; 1; 1,000 or more for a 95% interval, 10,000 for stable p-values
     * @param seed      the seed of the {@link SplittableRandom} that draws the indices
     * @throws IllegalArgumentException if scores is null, empty or not finite, or resamples &lt; 1
     */
    public static Interval mean(double[] scores, int resamples, long seed) {
        checkScores(scores, "scores");
        checkResamples(resamples);
        return interval(scores, sampled(scores, resamples, seed));
    }

    /**
     * The mean of {@code scores} with its 95% percentile interval over all n<sup>n</sup> resamples.
     *
     * @throws IllegalArgumentException if scores is null, empty or not finite, or longer than {@value #EXACT_MAX_N}
     */
    public static Interval exactMean(double[] scores) {
        checkScores(scores, "scores");
        checkExact(scores.length);
        return interval(scores, enumerated(scores));
    }

    /**
     * The paired difference mean(treated) &minus; mean(baseline) over the same examples (paired by index) with its
     * 95% interval and two-sided p-value from {@code resamples} seeded resamples, each drawing the same indices for
     * both arms.
     *
     * @param baseline  one score per example without the intervention
     * @param treated   one score per example with it, as many as baseline
     * @param resamples R &ge; 1; 1,000 or more for a 95% interval, 10,000 for stable p-values
     * @param seed      the seed of the {@link SplittableRandom} that draws the indices
     * @throws IllegalArgumentException if an arm is null, empty or not finite, the lengths differ, or resamples &lt; 1
     */
    public static PairedDifference paired(double[] baseline, double[] treated, int resamples, long seed) {
        double[] differences = differences(baseline, treated);
        checkResamples(resamples);
        return pairedDifference(differences, sampled(differences, resamples, seed));
    }

    /**
     * As {@link #paired}, over all n<sup>n</sup> resamples instead of seeded ones.
     *
     * @throws IllegalArgumentException if an arm is null, empty or not finite, the lengths differ, or n &gt;
     *                                  {@value #EXACT_MAX_N}
     */
    public static PairedDifference exactPaired(double[] baseline, double[] treated) {
        double[] differences = differences(baseline, treated);
        checkExact(differences.length);
        return pairedDifference(differences, enumerated(differences));
    }

    /** Per example, treated minus baseline: a resample of these is the paired resample of both arms. */
    private static double[] differences(double[] baseline, double[] treated) {
        checkScores(baseline, "baseline");
        checkScores(treated, "treated");
        if (baseline.length != treated.length) {
            throw new IllegalArgumentException("baseline has " + baseline.length + " examples but treated has "
                    + treated.length + "; the arms must score the same examples, paired by index");
        }
        double[] d = new double[baseline.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = treated[i] - baseline[i];
        }
        return d;
    }

    private static Interval interval(double[] scores, double[] means) {
        double[] sorted = sortedCopy(means);
        return new Interval(average(scores), lowPercentile(sorted), highPercentile(sorted), means.length);
    }

    private static PairedDifference pairedDifference(double[] differences, double[] means) {
        double d = average(differences);
        double largest = 0;
        for (double x : differences) {
            largest = Math.max(largest, Math.abs(x));
        }
        double threshold = Math.abs(d) - TIE_TOLERANCE * largest;
        int extreme = 0;
        for (double m : means) {
            if (Math.abs(m - d) >= threshold) {
                extreme++;
            }
        }
        double[] sorted = sortedCopy(means);
        return new PairedDifference(d, lowPercentile(sorted), highPercentile(sorted),
                (1.0 + extreme) / (1.0 + means.length), means.length);
    }

    /** The means of {@code resamples} seeded resamples, in drawing order. */
    private static double[] sampled(double[] x, int resamples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = x.length;
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += x[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        return means;
    }

    /** The means of all n^n index sequences, counted like an n-digit base-n odometer. */
    private static double[] enumerated(double[] x) {
        int n = x.length;
        int total = 1;
        for (int j = 0; j < n; j++) {
            total *= n;
        }
        int[] index = new int[n];
        double[] means = new double[total];
        for (int r = 0; r < total; r++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += x[index[j]];
            }
            means[r] = sum / n;
            for (int j = n - 1; j >= 0; j--) {
                index[j]++;
                if (index[j] < n) {
                    break;
                }
                index[j] = 0;
            }
        }
        return means;
    }

    /** t_(ceil(0.025 R)), 1-based. */
    private static double lowPercentile(double[] sorted) {
        return sorted[rank(25, sorted.length) - 1];
    }

    /** t_(ceil(0.975 R)), 1-based. */
    private static double highPercentile(double[] sorted) {
        return sorted[rank(975, sorted.length) - 1];
    }

    /** ceil(perMille / 1000 * r), at least 1, in integers so that no rounding of 0.025 * r can move a rank. */
    static int rank(int perMille, int r) {
        return (int) Math.max(1, (perMille * (long) r + 999) / 1000);
    }

    private static double average(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return sum / x.length;
    }

    private static double[] sortedCopy(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s;
    }

    private static void checkScores(double[] scores, String name) {
        if (scores == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException(name + " is empty; at least one example is needed");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + scores[i]
                        + "; every score must be finite");
            }
        }
    }

    private static void checkResamples(int resamples) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1 (1000 or more recommended), got "
                    + resamples);
        }
    }

    private static void checkExact(int n) {
        if (n > EXACT_MAX_N) {
            throw new IllegalArgumentException("exact mode enumerates all n^n resamples and allows n <= "
                    + EXACT_MAX_N + ", got n = " + n + "; use the seeded mode");
        }
    }
}
