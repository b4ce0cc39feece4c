package org.langneurons.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bootstrap intervals and paired p-values against hand enumerations and the documented drawing procedure. */
class BootstrapTest {
    private static final double EPS = 1e-12;

    /** Ranks ceil(0.025 R) and ceil(0.975 R), 1-based. */
    @Test
    void percentileRanks() {
        assertEquals(25, Bootstrap.rank(25, 1000));
        assertEquals(975, Bootstrap.rank(975, 1000));
        assertEquals(500, Bootstrap.rank(25, 20000));
        assertEquals(19500, Bootstrap.rank(975, 20000));
        assertEquals(1, Bootstrap.rank(25, 1));
        assertEquals(1, Bootstrap.rank(975, 1));
        assertEquals(1, Bootstrap.rank(25, 40)); // 0.025 * 40 = 1
        assertEquals(2, Bootstrap.rank(25, 41)); // 1.025 -> 2
        assertEquals(39, Bootstrap.rank(975, 39)); // 38.025 -> 39 = R
        assertEquals(39, Bootstrap.rank(975, 40)); // 39 exactly, no longer R
        assertEquals(7, Bootstrap.rank(25, 256)); // 6.4 -> 7
        assertEquals(250, Bootstrap.rank(975, 256)); // 249.6 -> 250
        assertEquals(2093796556, Bootstrap.rank(975, Integer.MAX_VALUE)); // ceil(2093796555.825), no int overflow
    }

    /**
     * Scores {0, 1}: the 4 resamples (0,0) (0,1) (1,0) (1,1) have means 0, 0.5, 0.5, 1; ranks ceil(0.1) = 1 and
     * ceil(3.9) = 4 give [0, 1].
     */
    @Test
    void exactMeanOfTwo() {
        assertEquals(new Bootstrap.Interval(0.5, 0, 1, 4), Bootstrap.exactMean(new double[] {0, 1}));
    }

    /** n = 3: 27 resamples, ranks ceil(0.675) = 1 and ceil(26.325) = 27, so [min, max] = [0.25, 1]. */
    @Test
    void exactMeanOfThree() {
        Bootstrap.Interval i = Bootstrap.exactMean(new double[] {0.5, 0.25, 1});
        assertEquals(1.75 / 3, i.estimate(), EPS);
        assertEquals(0.25, i.low());
        assertEquals(1, i.high());
        assertEquals(27, i.resamples());
    }

    /**
     * Scores {1, 0, 0, 0}: the resample mean is k/4 with k ~ Binomial(4, 1/4) over 256 sequences: k = 0 in 81, 1 in
     * 108, 2 in 54, 3 in 12, 4 in 1 (cumulative 81, 189, 243, 255, 256). Rank 7 lies in the zeros, rank 250 in
     * 244..255, the k = 3 block: [0, 0.75], not [min, max].
     */
    @Test
    void exactMeanOfFourUsesInteriorRanks() {
        assertEquals(new Bootstrap.Interval(0.25, 0, 0.75, 256), Bootstrap.exactMean(new double[] {1, 0, 0, 0}));
    }

    /**
     * Differences {0.75, 0}, d = 0.375. Resamples (0,0) (0,1) (1,0) (1,1): d* = 0.75, 0.375, 0.375, 0; |d* - d| =
     * 0.375, 0, 0, 0.375, of which 2 reach |d| = 0.375: p = (1 + 2) / (1 + 4) = 3/5. Interval [0, 0.75].
     */
    @Test
    void exactPairedOfTwo() {
        assertEquals(new Bootstrap.PairedDifference(0.375, 0, 0.75, 0.6, 4),
                Bootstrap.exactPaired(new double[] {0.25, 0.5}, new double[] {1, 0.5}));
    }

    /**
     * Differences {1, 0, 0}, d = 1/3. With k the draws of index 0 among 27 sequences: k = 0 in 2^3 = 8, 1 in 3 * 4 =
     * 12, 2 in 3 * 2 = 6, 3 in 1; d* = k/3 and |d* - d| = |k - 1|/3 reaches 1/3 for k = 0 and 2 (ties) and k = 3:
     * 8 + 6 + 1 = 15, p = 16/28 = 4/7. Interval [0, 1] (ranks 1 and 27).
     */
    @Test
    void exactPairedOfThree() {
        Bootstrap.PairedDifference p = Bootstrap.exactPaired(new double[] {0, 0, 1}, new double[] {1, 0, 1});
        assertEquals(1.0 / 3, p.difference(), EPS);
        assertEquals(0, p.low());
        assertEquals(1, p.high(), EPS);
        assertEquals(4.0 / 7, p.pValue(), EPS);
        assertEquals(27, p.resamples());
    }

    /**
     * F1-like scores whose differences are not exact in binary: {0.6 - 0.1, 0.0 - 0.1, 0.4 - 0.2} = {0.5, -0.1, 0.2},
     * d = 0.2. By counts (a, b, c) of the three differences in a resample (weight 3!/(a! b! c!)), the sum is 0.5a -
     * 0.1b + 0.2c and |sum/3 - 0.2| >= 0.2 iff sum >= 1.2 or sum <= 0:
     * (3,0,0) 1.5 w1 yes; (0,3,0) -0.3 w1 yes; (0,0,3) 0.6 w1 no; (2,1,0) 0.9 w3 no; (2,0,1) 1.2 w3 yes (tie);
     * (1,2,0) 0.3 w3 no; (0,2,1) 0.0 w3 yes (tie); (1,0,2) 0.9 w3 no; (0,1,2) 0.3 w3 no; (1,1,1) 0.6 w6 no.
     * 27 in all, 8 reach |d|: p = 9/28. Both ties miss by rounding in doubles (a strict comparison counts 5); the
     * tolerance counts them. Interval [min, max] = [-0.1, 0.5].
     */
    @Test
    void exactPairedCountsTiesDespiteRounding() {
        Bootstrap.PairedDifference p = Bootstrap.exactPaired(new double[] {0.1, 0.1, 0.2},
                new double[] {0.6, 0.0, 0.4});
        assertEquals(0.2, p.difference(), EPS);
        assertEquals(-0.1, p.low(), EPS);
        assertEquals(0.5, p.high(), EPS);
        assertEquals(9.0 / 28, p.pValue(), EPS);
    }

    /**
     * Arms whose true difference is 0 but whose computed d is -9e-18 ({0.3 - 0.1, 0 - 0.1, 0 - 0.1} rounds to
     * {0.19999999999999998, -0.1, -0.1}): every |d* - 0| >= 0, p = 28/28 = 1, as for identical arms.
     */
    @Test
    void aDifferenceThatIsZeroUpToRoundingGivesPOne() {
        Bootstrap.PairedDifference p = Bootstrap.exactPaired(new double[] {0.1, 0.1, 0.1}, new double[] {0.3, 0, 0});
        assertEquals(0, p.difference(), EPS);
        assertEquals(-0.1, p.low(), EPS);
        assertEquals(0.2, p.high(), EPS);
        assertEquals(1, p.pValue());
    }

    /**
     * Differences {1, 0, 0, 0}, d = 0.25, k ~ Binomial(4, 1/4) as in {@link #exactMeanOfFourUsesInteriorRanks}:
     * |k/4 - 1/4| >= 1/4 for k = 0 (81), 2 (54), 3 (12), 4 (1): 148, p = 149/257; interval [0, 0.75].
     */
    @Test
    void exactPairedOfFour() {
        Bootstrap.PairedDifference p = Bootstrap.exactPaired(new double[] {0, 1, 0, 1}, new double[] {1, 1, 0, 1});
        assertEquals(new Bootstrap.PairedDifference(0.25, 0, 0.75, 149.0 / 257, 256), p);
    }

    /** Every resampled difference is exactly 0 = d, and |0 - 0| >= 0 for all R: p = (1 + R) / (1 + R) = 1. */
    @Test
    void identicalArmsGiveZeroDifferenceAndPOne() {
        double[] scores = {0.2, 0.9, 0.5, 1, 0, 0.35};
        assertEquals(new Bootstrap.PairedDifference(0, 0, 0, 1, 1000),
                Bootstrap.paired(scores, scores.clone(), 1000, 7L));
        assertEquals(new Bootstrap.PairedDifference(0, 0, 0, 1, 46656), Bootstrap.exactPaired(scores, scores));
    }

    /**
     * Every example shifted by 0.25 (exact in binary): every d* = d = 0.25, |d* - d| = 0 < 0.25, no resample
     * counts: p = 1 / (1 + R), and the interval is [0.25, 0.25]. The sign does not matter.
     */
    @Test
    void constantShiftGivesDegenerateIntervalAndMinimalP() {
        double[] baseline = {0, 0.25, 0.5, 0.5, 0.25};
        double[] shifted = {0.25, 0.5, 0.75, 0.75, 0.5};
        assertEquals(new Bootstrap.PairedDifference(0.25, 0.25, 0.25, 1.0 / 1000, 999),
                Bootstrap.paired(baseline, shifted, 999, 3L));
        assertEquals(new Bootstrap.PairedDifference(-0.25, -0.25, -0.25, 1.0 / 1000, 999),
                Bootstrap.paired(shifted, baseline, 999, 3L));
        assertEquals(new Bootstrap.PairedDifference(0.25, 0.25, 0.25, 1.0 / 3126, 3125),
                Bootstrap.exactPaired(baseline, shifted));
    }

    /** A shift that is not exact in binary (0.7 - 0.5 != 0.3 - 0.1) still leaves p at its floor 1 / (1 + R). */
    @Test
    void roundedConstantShiftStillGivesMinimalP() {
        Bootstrap.PairedDifference p = Bootstrap.paired(new double[] {0.1, 0.5, 0.3}, new double[] {0.3, 0.7, 0.5},
                2000, 11L);
        assertEquals(0.2, p.difference(), EPS);
        assertEquals(0.2, p.low(), EPS);
        assertEquals(0.2, p.high(), EPS);
        assertEquals(1.0 / 2001, p.pValue());
    }

    /** At R = 20000 the seeded result is within Monte-Carlo error of the exact one (0/1 scores, n = 4). */
    @Test
    void monteCarloMatchesExactForAccuracies() {
        double[] baseline = {0, 1, 0, 1}, treated = {1, 1, 0, 1};
        Bootstrap.PairedDifference exact = Bootstrap.exactPaired(baseline, treated);
        Bootstrap.PairedDifference sampled = Bootstrap.paired(baseline, treated, 20000, 2024L);
        assertEquals(20000, sampled.resamples());
        assertEquals(exact.difference(), sampled.difference());
        // The bounds are atoms with >= 1.2% mass on their far side (0.975 sits between 243/256 and 255/256).
        assertEquals(exact.low(), sampled.low());
        assertEquals(exact.high(), sampled.high());
        // sd of the estimated p is sqrt(0.58 * 0.42 / 20000) = 0.0035; allow about 4 sd.
        assertEquals(exact.pValue(), sampled.pValue(), 0.015);
        Bootstrap.Interval exactMean = Bootstrap.exactMean(treated);
        Bootstrap.Interval sampledMean = Bootstrap.mean(treated, 20000, 2024L);
        assertEquals(exactMean.low(), sampledMean.low());
        assertEquals(exactMean.high(), sampledMean.high());
    }

    /** F1-like scores, n = 7 (823,543 exact resamples): bounds within 0.03 (scores in [0, 1]), p within 0.015. */
    @Test
    void monteCarloMatchesExactForF1() {
        double[] baseline = {0.2, 0.5, 1, 0.4, 0, 0.75, 0.6};
        double[] treated = {0.6, 0.5, 1, 0.9, 0.3, 0.5, 1};
        Bootstrap.PairedDifference exact = Bootstrap.exactPaired(baseline, treated);
        assertEquals(823543, exact.resamples());
        assertEquals(1.35 / 7, exact.difference(), EPS);
        assertTrue(exact.pValue() > 0.02 && exact.pValue() < 0.5, "an informative case: p = " + exact.pValue());
        Bootstrap.PairedDifference sampled = Bootstrap.paired(baseline, treated, 20000, 99L);
        assertEquals(exact.low(), sampled.low(), 0.03);
        assertEquals(exact.high(), sampled.high(), 0.03);
        assertEquals(exact.pValue(), sampled.pValue(), 0.015);
        Bootstrap.Interval exactMean = Bootstrap.exactMean(treated);
        Bootstrap.Interval sampledMean = Bootstrap.mean(treated, 20000, 99L);
        assertEquals(exactMean.estimate(), sampledMean.estimate());
        assertEquals(exactMean.low(), sampledMean.low(), 0.03);
        assertEquals(exactMean.high(), sampledMean.high(), 0.03);
    }

    /**
     * The documented drawing procedure: with R = 1 both bounds are the one resample's mean, whose indices are
     * {@code nextInt(n)} of {@code new SplittableRandom(seed)} in turn; the baseline arm is drawn at the same indices.
     */
    @Test
    void oneResampleFollowsTheDocumentedDraws() {
        double[] baseline = {0.1, 0.9, 0.4, 0.0, 1.0};
        double[] treated = {0.3, 0.2, 1.0, 0.5, 1.0};
        SplittableRandom random = new SplittableRandom(5L);
        double treatedSum = 0, differenceSum = 0;
        for (int j = 0; j < 5; j++) {
            int i = random.nextInt(5);
            treatedSum += treated[i];
            differenceSum += treated[i] - baseline[i];
        }
        Bootstrap.Interval mean = Bootstrap.mean(treated, 1, 5L);
        assertEquals(treatedSum / 5, mean.low());
        assertEquals(treatedSum / 5, mean.high());
        Bootstrap.PairedDifference paired = Bootstrap.paired(baseline, treated, 1, 5L);
        assertEquals(differenceSum / 5, paired.low());
        assertEquals(differenceSum / 5, paired.high());
        double d = paired.difference();
        assertEquals(Math.abs(differenceSum / 5 - d) >= Math.abs(d) ? 1.0 : 0.5, paired.pValue());
    }

    @Test
    void theSameSeedGivesTheSameResult() {
        double[] baseline = scores(60, 1L), treated = scores(60, 2L);
        Bootstrap.PairedDifference first = Bootstrap.paired(baseline, treated, 500, 42L);
        Bootstrap.mean(treated, 700, 43L); // other calls in between share no state
        assertEquals(first, Bootstrap.paired(baseline.clone(), treated.clone(), 500, 42L));
        assertEquals(Bootstrap.mean(treated, 500, 42L), Bootstrap.mean(treated, 500, 42L));
        assertNotEquals(first, Bootstrap.paired(baseline, treated, 500, 43L));
    }

    @Test
    void inputsAreNotModified() {
        double[] baseline = {0.5, 0, 1}, treated = {1, 0, 0.5};
        Bootstrap.paired(baseline, treated, 100, 1L);
        Bootstrap.exactPaired(baseline, treated);
        assertEquals(0.5, baseline[0]);
        assertEquals(1, treated[0]);
        assertEquals(0.5, treated[2]);
    }

    @Test
    void badInputsAreNamed() {
        double[] ok = {1, 0};
        message("scores is null", () -> Bootstrap.mean(null, 10, 1L));
        message("scores is empty; at least one example is needed", () -> Bootstrap.mean(new double[0], 10, 1L));
        message("scores[1] is NaN; every score must be finite",
                () -> Bootstrap.exactMean(new double[] {0, Double.NaN}));
        message("treated[0] is Infinity; every score must be finite",
                () -> Bootstrap.paired(ok, new double[] {Double.POSITIVE_INFINITY, 0}, 10, 1L));
        message("baseline is null", () -> Bootstrap.exactPaired(null, ok));
        message("baseline has 2 examples but treated has 3; the arms must score the same examples, paired by index",
                () -> Bootstrap.paired(ok, new double[] {1, 0, 1}, 10, 1L));
        message("resamples must be at least 1 (1000 or more recommended), got 0", () -> Bootstrap.mean(ok, 0, 1L));
        message("resamples must be at least 1 (1000 or more recommended), got -5",
                () -> Bootstrap.paired(ok, ok, -5, 1L));
        message("exact mode enumerates all n^n resamples and allows n <= 7, got n = 8; use the seeded mode",
                () -> Bootstrap.exactMean(new double[8]));
        message("exact mode enumerates all n^n resamples and allows n <= 7, got n = 8; use the seeded mode",
                () -> Bootstrap.exactPaired(new double[8], new double[8]));
    }

    private static void message(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    /** F1-like scores in [0, 1] rounded to quarters. */
    private static double[] scores(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = random.nextInt(5) / 4.0;
        }
        return s;
    }
}
