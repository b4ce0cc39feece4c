package org.langneurons.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Perplexity;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;

/**
 * The perplexity-change matrix of both papers: {@code PPXC(i, j) = PPL_j(neurons of language i intervened on) -
 * PPL_j(no intervention)}, and the same for the mean cross-entropy (nats per token). Rows: intervened language;
 * columns: evaluated language; PPL = exp(mean token NLL) over all of a language's scored tokens. The baseline of each
 * language is computed once.
 *
 * <pre>{@code
 * PerplexityChange m = PerplexityChange.compute(model, lape, texts, lang -> Intervention.set(lape, lang, 0f),
 *         512, 8, PerplexityChange.Progress.NONE);
 * double ownFr = m.ppxc()[2][2];
 * }</pre>
 *
 * @param languages          the K languages (rows and columns)
 * @param baselinePerplexity PPL_j without intervention
 * @param baselineNll        mean NLL_j without intervention
 * @param ppxc               [K][K] perplexity change
 * @param crossEntropyChange [K][K] mean NLL change
 * @param value              what the neurons were set to (for the record)
 */
public record PerplexityChange(List<String> languages, double[] baselinePerplexity, double[] baselineNll,
        double[][] ppxc, double[][] crossEntropyChange, String value) {

    /** Told after each evaluation. */
    @FunctionalInterface
    public interface Progress {
        /** Ignores everything. */
        Progress NONE = (done, total) -> { };

        void update(int done, int total);
    }

    /**
     * Computes the matrix over {@code texts} (per language, in {@code set}'s language order), intervening for row i
     * with {@code interventionFor.apply(language i)}. Rows of languages with no neurons in {@code set} are zero
     * and not evaluated.
     */
    public static PerplexityChange compute(LanguageModel model, NeuronSet set, Map<String, List<String>> texts,
            Function<String, Intervention> interventionFor, int maxLength, int batchSize, Progress progress,
            String value) {
        List<String> langs = set.languages();
        for (String l : langs) {
            if (!texts.containsKey(l)) {
                throw new IllegalArgumentException("no evaluation text for language " + l);
            }
        }
        int k = langs.size(), total = k + k * k, done = 0;
        double[] basePpl = new double[k], baseNll = new double[k];
        for (int j = 0; j < k; j++) {
            Perplexity p = model.perplexity(texts.get(langs.get(j)), maxLength, batchSize);
            basePpl[j] = p.perplexity();
            baseNll[j] = p.meanNll();
            progress.update(++done, total);
        }
        double[][] ppxc = new double[k][k], ce = new double[k][k];
        for (int i = 0; i < k; i++) {
            if (set.count(langs.get(i)) == 0) {
                // nothing to intervene on: the row is exactly zero, so it is not evaluated
                done += k;
                progress.update(done, total);
                continue;
            }
            try (HookHandle h = interventionFor.apply(langs.get(i)).apply(model)) {
                for (int j = 0; j < k; j++) {
                    Perplexity p = model.perplexity(texts.get(langs.get(j)), maxLength, batchSize);
                    ppxc[i][j] = p.perplexity() - basePpl[j];
                    ce[i][j] = p.meanNll() - baseNll[j];
                    progress.update(++done, total);
                }
            }
        }
        return new PerplexityChange(langs, basePpl, baseNll, ppxc, ce, value);
    }

    /** Deactivation (Tang et al.): each language's neurons set to zero. */
    public static PerplexityChange deactivation(LanguageModel model, NeuronSet set, Map<String, List<String>> texts,
            int maxLength, int batchSize, Progress progress) {
        return compute(model, set, texts, lang -> Intervention.set(set, lang, 0f), maxLength, batchSize, progress,
                "zero");
    }

    /** How much row i's own language is hurt beyond the mean of the other columns: ppxc[i][i] - mean_j≠i ppxc[i][j]. */
    public double[] ownMinusOthers() {
        int k = languages.size();
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            double others = 0;
            for (int j = 0; j < k; j++) {
                if (j != i) {
                    others += ppxc[i][j];
                }
            }
            out[i] = ppxc[i][i] - (k > 1 ? others / (k - 1) : 0);
        }
        return out;
    }

    /** Languages whose own perplexity rises more than the others' mean when their neurons are intervened on. */
    public int languagesHurtMostThemselves() {
        int n = 0;
        for (double d : ownMinusOthers()) {
            if (d > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The random-neuron control: {@code draws} sets with as many neurons per layer and language as {@code set},
     * each deactivated the same way, summarised per language by the mean and a 95% confidence interval (normal
     * approximation over draws) of its own-language perplexity change.
     *
     * @param own      per language, the mean own-language change over draws
     * @param low      per language, mean - 1.96 sd / sqrt(draws)
     * @param high     per language, mean + 1.96 sd / sqrt(draws)
     * @param matrices the draws' matrices
     */
    public record Control(double[] own, double[] low, double[] high, List<PerplexityChange> matrices) {
    }

    /** Runs the control: {@code draws} random sets (seeds 1..draws), deactivated as {@code interventionFor} says. */
    public static Control randomControl(LanguageModel model, NeuronSet set, Map<String, List<String>> texts,
            java.util.function.BiFunction<NeuronSet, String, Intervention> interventionFor, int draws, int maxLength,
            int batchSize, Progress progress, String value) {
        if (draws < 2) {
            throw new IllegalArgumentException("a confidence interval needs at least 2 random draws, got " + draws);
        }
        List<PerplexityChange> out = new ArrayList<>();
        for (int d = 1; d <= draws; d++) {
            NeuronSet r = RandomNeurons.matching(set, d);
            out.add(compute(model, r, texts, lang -> interventionFor.apply(r, lang), maxLength, batchSize, progress,
                    value));
        }
        int k = set.languages().size();
        double[] mean = new double[k], low = new double[k], high = new double[k];
        for (int i = 0; i < k; i++) {
            double s = 0, sq = 0;
            for (PerplexityChange m : out) {
                s += m.ppxc[i][i];
                sq += m.ppxc[i][i] * m.ppxc[i][i];
            }
            mean[i] = s / draws;
            double sd = Math.sqrt(Math.max(0, (sq - draws * mean[i] * mean[i]) / (draws - 1)));
            low[i] = mean[i] - 1.96 * sd / Math.sqrt(draws);
            high[i] = mean[i] + 1.96 * sd / Math.sqrt(draws);
        }
        return new Control(mean, low, high, out);
    }

    /** The matrix as the JSON object {@code ppl-change} writes. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("languages", languages);
        m.put("value", value);
        m.put("baseline_ppl", baselinePerplexity);
        m.put("baseline_mean_nll", baselineNll);
        m.put("ppxc", ppxc);
        m.put("cross_entropy_change", crossEntropyChange);
        return m;
    }
}
