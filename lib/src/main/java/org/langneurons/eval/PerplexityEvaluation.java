package org.langneurons.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Perplexity;
import org.langneurons.model.ThreadTuner;
import org.langneurons.model.TokenBatch;
import org.langneurons.model.TokenizedText;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;
import org.langneurons.stats.ActivationStatistics;

/**
 * Perplexity of each language's evaluation text under interventions: the texts are tokenized once, each language's
 * baseline (no intervention) is computed once, on first use, and reused by every matrix and every random draw; a
 * K-language matrix then costs K^2 evaluations, computed a column at a time so that the rows share the blocks below
 * their first intervened layer (LAPE's neurons sit in the upper layers: on the embedded default the 16 rows cost a
 * little over half of what 16 separate forwards do).
 *
 * <pre>{@code
 * PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, textsByLanguage, 512, 8);
 * PerplexityChange zero = evaluation.deactivation(lape, PerplexityChange.Progress.NONE);       // Tang et al.
 * PerplexityChange mean = evaluation.change(lape, InterventionValue.parse("mean"), lang -> stats,
 *         PerplexityChange.Progress.NONE);                                                    // Mondal et al.
 * }</pre>
 */
public final class PerplexityEvaluation {
    private final LanguageModel model;
    private final Map<String, TokenizedText> texts;
    private final int batchSize;
    private final Map<String, Perplexity> baselines = new LinkedHashMap<>();

    private PerplexityEvaluation(LanguageModel model, Map<String, TokenizedText> texts, int batchSize) {
        this.model = model;
        this.texts = texts;
        this.batchSize = batchSize;
    }

    /**
     * Tokenizes each language's texts once, in windows of at most {@code maxLength} tokens scored
     * {@code batchSize} at a time (see {@link LanguageModel#perplexity(List, int, int)}).
     */
    public static PerplexityEvaluation prepare(LanguageModel model, Map<String, List<String>> texts, int maxLength,
            int batchSize) {
        if (maxLength < 2 || batchSize < 1) {
            throw new IllegalArgumentException("max length must be >= 2 and batch size >= 1");
        }
        Map<String, TokenizedText> tokenized = new LinkedHashMap<>();
        texts.forEach((lang, docs) -> tokenized.put(lang, model.tokenize(docs, maxLength)));
        return new PerplexityEvaluation(model, tokenized, batchSize);
    }

    /** The languages with evaluation text, in order. */
    public List<String> languages() {
        return List.copyOf(texts.keySet());
    }

    /** The perplexity of {@code language} without intervention (computed once). */
    public Perplexity baseline(String language) {
        Perplexity p = baselines.get(language);
        if (p == null) {
            p = model.perplexity(text(language), batchSize);
            baselines.put(language, p);
        }
        return p;
    }

    private TokenizedText text(String language) {
        TokenizedText t = texts.get(language);
        if (t == null) {
            throw new IllegalArgumentException("no evaluation text for language " + language);
        }
        if (t.windows().stream().allMatch(w -> w.length < 2)) {
            throw new IllegalArgumentException("empty input: the evaluation text of " + language
                    + " holds no token to predict");
        }
        return t;
    }

    /** Deactivation (Tang et al.): each language's neurons set to zero. */
    public PerplexityChange deactivation(NeuronSet set, PerplexityChange.Progress progress) {
        return change(set, InterventionValue.ZERO, null, progress);
    }

    /**
     * The matrix with each row language's neurons set to {@code value}; a statistic is taken from that language's
     * statistics, which {@code statsFor} supplies (it may be null for zero or a constant).
     */
    public PerplexityChange change(NeuronSet set, InterventionValue value,
            Function<String, ActivationStatistics> statsFor, PerplexityChange.Progress progress) {
        return change(set, lang -> Intervention.setTo(set, lang, value, statsFor), value, progress);
    }

    /**
     * The matrix over {@code set}'s languages, intervening for row i with {@code interventionFor.apply(language i)}.
     * Rows of languages with no neurons in {@code set} are zero and not evaluated.
     */
    public PerplexityChange change(NeuronSet set, Function<String, Intervention> interventionFor,
            InterventionValue value, PerplexityChange.Progress progress) {
        int k = set.languages().size();
        Counter counter = new Counter(progress, missingBaselines(set) + k * k);
        return matrix(set, interventionFor, value, counter);
    }

    /**
     * The random-neuron control: {@code draws} sets (seeds 1..draws) with as many neurons per layer and language as
     * {@code set}, each intervened on with {@code value} as {@link #change} does; the baselines are not recomputed.
     */
    public RandomControl randomControl(NeuronSet set, InterventionValue value,
            Function<String, ActivationStatistics> statsFor, int draws, PerplexityChange.Progress progress) {
        if (draws < 2) {
            throw new IllegalArgumentException("a confidence interval needs at least 2 random draws, got " + draws);
        }
        int k = set.languages().size();
        Counter counter = new Counter(progress, missingBaselines(set) + draws * k * k);
        List<PerplexityChange> out = new ArrayList<>();
        for (int d = 1; d <= draws; d++) {
            NeuronSet r = RandomNeurons.matching(set, d);
            out.add(matrix(r, lang -> Intervention.setTo(r, lang, value, statsFor), value, counter));
        }
        return RandomControl.of(out);
    }

    private int missingBaselines(NeuronSet set) {
        set.languages().forEach(this::text);     // every language needs text
        return (int) set.languages().stream().filter(l -> !baselines.containsKey(l)).count();
    }

    /** Evaluations done out of a total known in advance, told to the progress after each. */
    private static final class Counter {
        private final PerplexityChange.Progress progress;
        private final int total;
        private int done;

        Counter(PerplexityChange.Progress progress, int total) {
            this.progress = progress;
            this.total = total;
        }

        void add(int n) {
            done += n;
            progress.update(done, total);
        }
    }

    /**
     * One column at a time: each batch of the column's text runs once per row with neurons (plus the baseline when
     * it is not known yet), and the rows share the blocks below their first intervened layer (see
     * {@link LanguageModel#tokenNll(TokenBatch, List)}); the sums are the separate evaluations' bit for bit.
     */
    private PerplexityChange matrix(NeuronSet set, Function<String, Intervention> interventionFor,
            InterventionValue value, Counter counter) {
        List<String> langs = set.languages();
        int k = langs.size();
        List<Integer> rows = new ArrayList<>();          // rows with neurons; the others are exactly zero
        List<Supplier<HookHandle>> interventions = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (set.count(langs.get(i)) > 0) {
                Intervention intervention = interventionFor.apply(langs.get(i));
                rows.add(i);
                interventions.add(() -> intervention.apply(model));
            }
        }
        double[] basePpl = new double[k], baseNll = new double[k];
        double[][] ppxc = new double[k][k], ce = new double[k][k];
        for (int j = 0; j < k; j++) {
            String language = langs.get(j);
            TokenizedText text = text(language);
            boolean known = baselines.containsKey(language);
            List<Supplier<HookHandle>> variants = new ArrayList<>();
            if (!known) {
                variants.add(NO_HOOKS);
            }
            variants.addAll(interventions);
            Perplexity.Sum[] sums = new Perplexity.Sum[variants.size()];
            Arrays.setAll(sums, v -> new Perplexity.Sum());
            try (ThreadTuner tuner = ThreadTuner.forBatches(model)) {
                for (TokenBatch batch : text.batches(batchSize)) {
                    tuner.begin();
                    List<float[][]> nll = model.tokenNll(batch, variants);
                    for (int v = 0; v < sums.length; v++) {
                        sums[v].add(nll.get(v));
                    }
                    tuner.end((long) batch.size() * batch.width());
                }
            }
            if (!known) {
                baselines.put(language, sums[0].perplexity(text.characters()));
            }
            Perplexity base = baselines.get(language);
            basePpl[j] = base.perplexity();
            baseNll[j] = base.meanNll();
            int offset = known ? 0 : 1;
            for (int r = 0; r < rows.size(); r++) {
                Perplexity p = sums[offset + r].perplexity(text.characters());
                ppxc[rows.get(r)][j] = p.perplexity() - basePpl[j];
                ce[rows.get(r)][j] = p.meanNll() - baseNll[j];
            }
            counter.add((known ? 0 : 1) + k);      // one update a column: the baseline and the rows
        }
        return new PerplexityChange(langs, basePpl, baseNll, ppxc, ce, value);
    }

    /** A variant that registers nothing: the plain forward. */
    private static final Supplier<HookHandle> NO_HOOKS = () -> () -> { };
}
