package org.langneurons.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.neurons.NeuronSet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The random-neuron control of a perplexity-change matrix: R seeded draws of as many random neurons per layer and
 * language as the set under test, each language's draw intervened on the same way, and the change of that language's
 * own text recorded (the diagonal only: what the control is compared on). A language's observed change is then
 * placed in the empirical distribution of its R draws: its percentile rank and the one-sided empirical p-value
 * {@code (1 + #{draw >= observed}) / (1 + R)} (so with R = 20 the smallest possible p is 1/21 = 0.048), and the draws'
 * 2.5th and 97.5th percentiles show the spread of one random set (not a confidence interval of their mean). The
 * comparison is made on the cross-entropy change; for one language the baseline is fixed, so its PPL change ranks
 * the draws identically. Computed by {@link PerplexityEvaluation#randomControl}.
 *
 * <pre>{@code
 * PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, textsByLanguage, 512, 8);
 * RandomControl control = evaluation.randomControl(lape, InterventionValue.ZERO, null, RandomControl.DEFAULT_DRAWS,
 *         PerplexityChange.Progress.NONE);
 * PerplexityChange observed = evaluation.deactivation(lape, PerplexityChange.Progress.NONE);
 * double p = control.pValue(observed, 0);                 // the first language's empirical p-value
 * Table t = control.table(observed, lape);
 * }</pre>
 *
 * @param languages             the K languages, in the order of the matrix they control
 * @param neurons               per language, the neurons of each draw (as many as the set under test)
 * @param ownPpxc               [R][K]: draw r's own-language PPL change per language (0 for a language without
 *                              neurons: nothing is changed)
 * @param ownCrossEntropyChange [R][K]: the same in mean cross-entropy (nats per token)
 * @param value                 what the random neurons were set to
 */
public record RandomControl(List<String> languages, int[] neurons, double[][] ownPpxc,
        double[][] ownCrossEntropyChange, InterventionValue value) {

    /** Draws by default: enough for a one-sided p-value below 0.05 (1/21) and a rough 95% spread. */
    public static final int DEFAULT_DRAWS = 20;

    public RandomControl {
        languages = List.copyOf(languages);
        if (neurons.length != languages.size() || ownPpxc.length < 1 || ownPpxc.length != ownCrossEntropyChange.length) {
            throw new IllegalArgumentException("a random control needs neuron counts for its " + languages.size()
                    + " languages and the same number (>= 1) of PPL and cross-entropy draws, got " + neurons.length
                    + ", " + ownPpxc.length + " and " + ownCrossEntropyChange.length);
        }
        for (int r = 0; r < ownPpxc.length; r++) {
            if (ownPpxc[r].length != languages.size() || ownCrossEntropyChange[r].length != languages.size()) {
                throw new IllegalArgumentException("draw " + (r + 1) + " has " + ownPpxc[r].length + " PPL and "
                        + ownCrossEntropyChange[r].length + " cross-entropy changes for " + languages.size()
                        + " languages");
            }
        }
        neurons = neurons.clone();
        ownPpxc = Arrays.stream(ownPpxc).map(double[]::clone).toArray(double[][]::new);
        ownCrossEntropyChange = Arrays.stream(ownCrossEntropyChange).map(double[]::clone).toArray(double[][]::new);
    }

    /** Number of draws R. */
    public int draws() {
        return ownPpxc.length;
    }

    /** The R own-language cross-entropy changes of language {@code i}, in draw order. */
    public double[] drawsOf(int i) {
        return Arrays.stream(ownCrossEntropyChange).mapToDouble(d -> d[i]).toArray();
    }

    /** The R own-language PPL changes of language {@code i}, in draw order. */
    public double[] ppxcDrawsOf(int i) {
        return Arrays.stream(ownPpxc).mapToDouble(d -> d[i]).toArray();
    }

    /**
     * The {@code q}-th percentile (q in [0, 100]) of language {@code i}'s draws (cross-entropy change), linearly
     * interpolated as numpy's default: position q/100 * (R - 1) in the sorted draws.
     */
    public double quantile(int i, double q) {
        return quantile(drawsOf(i), q);
    }

    /**
     * The one-sided empirical p-value of {@code observed}'s own-language cross-entropy change of language {@code i}
     * against the draws: {@code (1 + #{draw >= observed}) / (1 + R)}; NaN for a language without neurons (nothing
     * was intervened on).
     */
    public double pValue(PerplexityChange observed, int i) {
        return neurons[i] == 0 ? Double.NaN : pValue(drawsOf(i), own(observed, i));
    }

    /**
     * The percentile rank (0 to 100) of {@code observed}'s own-language cross-entropy change of language {@code i}
     * among the draws: {@code 100 (#{draw < observed} + #{draw == observed} / 2) / R}; NaN for a language without
     * neurons.
     */
    public double percentileRank(PerplexityChange observed, int i) {
        return neurons[i] == 0 ? Double.NaN : percentileRank(drawsOf(i), own(observed, i));
    }

    /** Languages whose observed own change has an empirical p-value at most {@code alpha}. */
    public int significant(PerplexityChange observed, double alpha) {
        int n = 0;
        for (int i = 0; i < languages.size(); i++) {
            if (pValue(observed, i) <= alpha) {
                n++;
            }
        }
        return n;
    }

    private double own(PerplexityChange observed, int i) {
        if (!observed.languages().equals(languages)) {
            throw new IllegalArgumentException("the matrix's languages " + observed.languages()
                    + " are not the control's " + languages);
        }
        return observed.crossEntropyChange()[i][i];
    }

    /** {@code (1 + #{d >= observed}) / (1 + R)}: the one-sided empirical p-value (Davison and Hinkley's). */
    static double pValue(double[] draws, double observed) {
        int atLeast = 0;
        for (double d : draws) {
            if (d >= observed) {
                atLeast++;
            }
        }
        return (1.0 + atLeast) / (1.0 + draws.length);
    }

    /** {@code 100 (#{d < observed} + #{d == observed} / 2) / R}. */
    static double percentileRank(double[] draws, double observed) {
        double below = 0;
        for (double d : draws) {
            below += d < observed ? 1 : d == observed ? 0.5 : 0;
        }
        return 100 * below / draws.length;
    }

    /** Linear interpolation between order statistics at q/100 * (n - 1), as numpy.percentile's default. */
    static double quantile(double[] values, double q) {
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("a percentile must be in [0, 100], got " + q);
        }
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q / 100 * (s.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** The control as the {@code random_control} object of {@code ppxc.json}: every draw's own changes. */
    public Map<String, Object> toJson() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("draws", draws());
        c.put("seeds", "1.." + draws());
        c.put("value", value.label());
        c.put("neurons", neurons);
        c.put("own_ppxc", ownPpxc);
        c.put("own_cross_entropy_change", ownCrossEntropyChange);
        return c;
    }

    /** {@link #toJson} with, per language, the observed change's percentile rank and empirical p-value. */
    public Map<String, Object> toJson(PerplexityChange observed) {
        Map<String, Object> c = toJson();
        int k = languages.size();
        double[] rank = new double[k], p = new double[k];
        for (int i = 0; i < k; i++) {
            rank[i] = percentileRank(observed, i);
            p[i] = pValue(observed, i);
        }
        c.put("observed_percentile_rank", rank);
        c.put("observed_p_value", p);
        return c;
    }

    /** Per language, the observed own change against the draws, and the count with p <= 0.05 (as text). */
    public String text(PerplexityChange observed) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "own-language cross-entropy change (nats/token) vs %d random draws (value %s)%n", draws(),
                value.label()));
        for (int i = 0; i < languages.size(); i++) {
            b.append(String.format(Locale.ROOT,
                    "%-4s own %+9.4f   random median %+9.4f  2.5-97.5%% [%+.4f, %+.4f]  rank %5.1f%%  p %.3f%n",
                    languages.get(i), observed.crossEntropyChange()[i][i], quantile(i, 50), quantile(i, 2.5),
                    quantile(i, 97.5), percentileRank(observed, i), pValue(observed, i)));
        }
        b.append(String.format(Locale.ROOT, "own change beyond the random draws (empirical p <= 0.05): %d of %d%n",
                significant(observed, 0.05), languages.size()));
        return b.toString();
    }

    /**
     * language | neurons | baseline PPL | own PPL change | own CE change | random CE median | random 2.5% |
     * random 97.5% | percentile rank | p (one-sided): the set under test beside this control, per language.
     */
    public Table table(PerplexityChange observed, NeuronSet set) {
        Table t = Table.create("Own-language change: " + set.method().toUpperCase(Locale.ROOT) + " neurons vs "
                + draws() + " draws of random neurons (same count per layer); CE in nats/token",
                StringColumn.create("language"), IntColumn.create("neurons"), DoubleColumn.create("baseline PPL"),
                DoubleColumn.create("own PPL change"), DoubleColumn.create("own CE change"),
                DoubleColumn.create("random CE median"), DoubleColumn.create("random 2.5%"),
                DoubleColumn.create("random 97.5%"), DoubleColumn.create("percentile rank"),
                DoubleColumn.create("p (one-sided)"));
        for (int i = 0; i < languages.size(); i++) {
            own(observed, i);
            t.stringColumn(0).append(languages.get(i));
            t.intColumn(1).append(set.count(languages.get(i)));
            t.doubleColumn(2).append(observed.baselinePerplexity()[i]);
            t.doubleColumn(3).append(observed.ppxc()[i][i]);
            t.doubleColumn(4).append(observed.crossEntropyChange()[i][i]);
            t.doubleColumn(5).append(quantile(i, 50));
            t.doubleColumn(6).append(quantile(i, 2.5));
            t.doubleColumn(7).append(quantile(i, 97.5));
            t.doubleColumn(8).append(percentileRank(observed, i));
            t.doubleColumn(9).append(pValue(observed, i));
        }
        return t;
    }
}
