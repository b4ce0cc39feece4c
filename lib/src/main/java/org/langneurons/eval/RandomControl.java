package org.langneurons.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.neurons.NeuronSet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The random-neuron control of a perplexity-change matrix: several sets with as many neurons per layer and
 * language as the set under test, each intervened on the same way, summarised per language by the mean and a 95%
 * confidence interval (normal approximation over draws) of its own-language perplexity change. Computed by
 * {@link PerplexityEvaluation#randomControl}.
 *
 * <pre>{@code
 * PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, textsByLanguage, 512, 8);
 * RandomControl control = evaluation.randomControl(lape, InterventionValue.ZERO, null, 5,
 *         PerplexityChange.Progress.NONE);
 * Table t = control.table(evaluation.deactivation(lape, PerplexityChange.Progress.NONE), lape);
 * }</pre>
 *
 * @param own      per language, the mean own-language change over draws
 * @param low      per language, mean - 1.96 sd / sqrt(draws)
 * @param high     per language, mean + 1.96 sd / sqrt(draws)
 * @param matrices the draws' matrices
 */
public record RandomControl(double[] own, double[] low, double[] high, List<PerplexityChange> matrices) {

    /** Summarises {@code draws} (at least 2) matrices of one language order. */
    static RandomControl of(List<PerplexityChange> draws) {
        int n = draws.size(), k = draws.get(0).languages().size();
        double[] mean = new double[k], low = new double[k], high = new double[k];
        for (int i = 0; i < k; i++) {
            double s = 0, sq = 0;
            for (PerplexityChange m : draws) {
                s += m.ppxc()[i][i];
                sq += m.ppxc()[i][i] * m.ppxc()[i][i];
            }
            mean[i] = s / n;
            double sd = Math.sqrt(Math.max(0, (sq - n * mean[i] * mean[i]) / (n - 1)));
            low[i] = mean[i] - 1.96 * sd / Math.sqrt(n);
            high[i] = mean[i] + 1.96 * sd / Math.sqrt(n);
        }
        return new RandomControl(mean, low, high, List.copyOf(draws));
    }

    /** Number of draws. */
    public int draws() {
        return matrices.size();
    }

    /** Languages whose own change under {@code observed} is above this control's interval. */
    public int aboveInterval(PerplexityChange observed) {
        int n = 0;
        for (int i = 0; i < own.length; i++) {
            if (observed.ppxc()[i][i] > high[i]) {
                n++;
            }
        }
        return n;
    }

    /** The control as the {@code random_control} object of {@code ppxc.json}. */
    public Map<String, Object> toJson() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("draws", draws());
        c.put("own_ppxc_mean", own);
        c.put("own_ppxc_ci95_low", low);
        c.put("own_ppxc_ci95_high", high);
        c.put("ppxc", matrices.stream().map(PerplexityChange::ppxc).toList());
        return c;
    }

    /** Per language, the observed own change beside the control's, and the count above its interval (as text). */
    public String text(PerplexityChange observed) {
        StringBuilder b = new StringBuilder();
        List<String> l = observed.languages();
        for (int i = 0; i < l.size(); i++) {
            b.append(String.format("%-4s own %+9.3f   random %+9.3f  95%% CI [%+.3f, %+.3f]%n", l.get(i),
                    observed.ppxc()[i][i], own[i], low[i], high[i]));
        }
        b.append(String.format("own change above the random control's interval: %d of %d%n",
                aboveInterval(observed), l.size()));
        return b.toString();
    }

    /**
     * language | neurons | baseline PPL | own change | own - others' mean | random own | random 95% low | high: the
     * set under test beside this control.
     */
    public Table table(PerplexityChange observed, NeuronSet set) {
        List<String> languages = observed.languages();
        double[] ownMinusOthers = observed.ownMinusOthers();
        Table t = Table.create("Own-language PPL change: " + set.method().toUpperCase(java.util.Locale.ROOT)
                + " neurons vs random neurons (same count per layer)", StringColumn.create("language"),
                IntColumn.create("neurons"), DoubleColumn.create("baseline PPL"), DoubleColumn.create("own change"),
                DoubleColumn.create("own - others' mean"), DoubleColumn.create("random own"),
                DoubleColumn.create("random 95% low"), DoubleColumn.create("random 95% high"));
        for (int i = 0; i < languages.size(); i++) {
            t.stringColumn(0).append(languages.get(i));
            t.intColumn(1).append(set.count(languages.get(i)));
            t.doubleColumn(2).append(observed.baselinePerplexity()[i]);
            t.doubleColumn(3).append(observed.ppxc()[i][i]);
            t.doubleColumn(4).append(ownMinusOthers[i]);
            t.doubleColumn(5).append(own[i]);
            t.doubleColumn(6).append(low[i]);
            t.doubleColumn(7).append(high[i]);
        }
        return t;
    }
}
