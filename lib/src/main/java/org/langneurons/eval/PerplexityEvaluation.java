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
import org.langneurons.io.RunCheckpoint;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Perplexity;
import org.langneurons.model.ThreadTuner;
import org.langneurons.model.TokenBatch;
import org.langneurons.model.TokenizedText;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.LanguageStatistics;

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
 * LanguageStatistics act = StatisticsDirectory.at(Path.of("out/stats")).load(List.of("en", "fr"));
 * LanguageStatistics gate = StatisticsDirectory.at(Path.of("out/stats-gate")).load(List.of("en", "fr"));
 * PerplexitySweep sweep = evaluation.sweep(lape.only(List.of("en", "fr")), List.of(InterventionValue.ZERO,
 *         InterventionValue.parse("p10"), InterventionValue.parse("p10@gate")), PerplexityChange.Progress.NONE,
 *         act, gate);                                 // p10 from act statistics, p10@gate from gate ones
 * }</pre>
 */
public final class PerplexityEvaluation {
    private final LanguageModel model;
    private final Map<String, TokenizedText> texts;
    private final int batchSize;
    private final Map<String, Perplexity> baselines;
    private final RunCheckpoint checkpoint;

    private PerplexityEvaluation(LanguageModel model, Map<String, TokenizedText> texts, int batchSize,
            Map<String, Perplexity> baselines, RunCheckpoint checkpoint) {
        this.model = model;
        this.texts = texts;
        this.batchSize = batchSize;
        this.baselines = baselines;
        this.checkpoint = checkpoint;
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
        return new PerplexityEvaluation(model, tokenized, batchSize, new LinkedHashMap<>(), RunCheckpoint.none());
    }

    /**
     * This evaluation, keeping each finished column (a language's text under every intervention of one matrix,
     * sweep or random control) in {@code checkpoint}: a stopped or killed run continues from the finished columns,
     * and from the batches done of the column it stopped in (after Ctrl-C); the results are bit for bit those of an
     * uninterrupted run. A column is named by what it computed (values, the set's {@link NeuronSet#fingerprint()},
     * draws, language), so the checkpoint's own settings need only name what that leaves out: the model, the text
     * and the statistics.
     */
    public PerplexityEvaluation resumable(RunCheckpoint checkpoint) {
        return new PerplexityEvaluation(model, texts, batchSize, baselines, checkpoint);
    }

    /** The languages with evaluation text, in order. */
    public List<String> languages() {
        return List.copyOf(texts.keySet());
    }

    /** The perplexity of {@code language} without intervention (computed once). */
    public Perplexity baseline(String language) {
        return baseline(language, NO_PROGRESS);
    }

    /** {@link #baseline(String)}, telling {@code progress} after each batch how many of the text's tokens are done. */
    public Perplexity baseline(String language, Perplexity.Progress progress) {
        if (!baselines.containsKey(language)) {
            column("baseline " + language, language, List.of(), progress);
        }
        return baselines.get(language);
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
        Counter counter = new Counter(progress, missingBaselines(set, false) + k * k);
        return matrices(set, List.of(interventionFor), List.of(value), counter).get(0);
    }

    /**
     * The random-neuron control: {@code draws} sets (seeds 1..draws) with as many neurons per layer and language as
     * {@code set}, each language's neurons of each draw intervened on with {@code value} as {@link #change} does,
     * evaluated on that language's own text only (the diagonal the control is compared on: K evaluations a draw, not
     * K^2). All draws of a language run as variants of one pass over its text, sharing the blocks below their first
     * intervened layer, and the baselines are not recomputed.
     */
    public RandomControl randomControl(NeuronSet set, InterventionValue value,
            Function<String, ActivationStatistics> statsFor, int draws, PerplexityChange.Progress progress) {
        if (draws < 1) {
            throw new IllegalArgumentException("a random control needs at least 1 draw, got " + draws);
        }
        List<String> langs = set.languages();
        int k = langs.size();
        List<NeuronSet> sets = new ArrayList<>();
        for (int d = 1; d <= draws; d++) {
            sets.add(RandomNeurons.matching(set, d));
        }
        int withNeurons = (int) langs.stream().filter(l -> set.count(l) > 0).count();
        Counter counter = new Counter(progress, missingBaselines(set, true) + draws * withNeurons);
        double[][] ppxc = new double[draws][k], ce = new double[draws][k];
        int[] neurons = new int[k];
        for (int i = 0; i < k; i++) {
            String language = langs.get(i);
            neurons[i] = set.count(language);
            if (neurons[i] == 0) {
                continue;               // nothing to intervene on: every draw's change is exactly zero
            }
            List<Supplier<HookHandle>> variants = new ArrayList<>();
            for (NeuronSet r : sets) {
                Intervention intervention = Intervention.setTo(r, language, value, statsFor);
                variants.add(() -> intervention.apply(model));
            }
            boolean known = baselines.containsKey(language);
            Perplexity[] p = column("random " + value.label() + " draws " + draws + " of " + set.fingerprint()
                    + " " + language, language, variants, NO_PROGRESS);
            Perplexity base = baselines.get(language);
            for (int d = 0; d < draws; d++) {
                ppxc[d][i] = p[d].perplexity() - base.perplexity();
                ce[d][i] = p[d].meanNll() - base.meanNll();
            }
            counter.add((known ? 0 : 1) + draws);
        }
        return new RandomControl(langs, neurons, ppxc, ce, value);
    }

    /**
     * The matrix over {@code set}'s languages for each of {@code values} (Mondal et al.'s Figures 20-24 sweep the
     * value: zero, mean, P10 ... P95): one pass over each column's text runs every value's rows as variants, sharing
     * the blocks below their first intervened layer. A statistic value takes the row language's statistics from the
     * one of {@code statistics} recorded on the value's tensor ({@code p5} from {@code mlp.act} statistics,
     * {@code p5@gate} from {@code mlp.gate} ones), so act and gate values can be swept side by side.
     *
     * @throws IllegalArgumentException when a statistic value has no statistics of its tensor among
     *                                  {@code statistics}
     */
    public PerplexitySweep sweep(NeuronSet set, List<InterventionValue> values, PerplexityChange.Progress progress,
            LanguageStatistics... statistics) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one value");
        }
        List<Function<String, Intervention>> fors = new ArrayList<>();
        for (InterventionValue value : values) {
            Function<String, ActivationStatistics> statsFor = statisticsFor(value, statistics);
            fors.add(lang -> Intervention.setTo(set, lang, value, statsFor));
        }
        int k = set.languages().size();
        Counter counter = new Counter(progress, missingBaselines(set, false) + values.size() * k * k);
        return new PerplexitySweep(matrices(set, fors, values, counter));
    }

    /** The statistics a value reads: those of its tensor among {@code statistics} (null for zero or a constant). */
    private static Function<String, ActivationStatistics> statisticsFor(InterventionValue value,
            LanguageStatistics... statistics) {
        if (!(value instanceof InterventionValue.Statistic s)) {
            return null;
        }
        for (LanguageStatistics stats : statistics) {
            if (!stats.list().isEmpty() && stats.list().get(0).tensor() == s.tensor()) {
                return stats::get;
            }
        }
        throw new IllegalArgumentException("the value " + value.label() + " is a statistic of "
                + s.tensor().hookSuffix() + ", but no statistics of " + s.tensor().hookSuffix() + " were given");
    }

    /** Baselines still to compute for {@code set}'s languages (only those with neurons when {@code withNeurons}). */
    private int missingBaselines(NeuronSet set, boolean withNeurons) {
        set.languages().forEach(this::text);     // every language needs text
        return (int) set.languages().stream().filter(l -> !baselines.containsKey(l))
                .filter(l -> !withNeurons || set.count(l) > 0).count();
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
     * One column at a time: each batch of the column's text runs once per (value, row with neurons) (plus the
     * baseline when it is not known yet), and the rows share the blocks below their first intervened layer (see
     * {@link LanguageModel#tokenNll(TokenBatch, List)}); the sums are the separate evaluations' bit for bit.
     */
    private List<PerplexityChange> matrices(NeuronSet set, List<Function<String, Intervention>> interventionFor,
            List<InterventionValue> values, Counter counter) {
        List<String> langs = set.languages();
        int k = langs.size(), n = values.size();
        List<Integer> rows = new ArrayList<>();          // rows with neurons; the others are exactly zero
        for (int i = 0; i < k; i++) {
            if (set.count(langs.get(i)) > 0) {
                rows.add(i);
            }
        }
        List<Supplier<HookHandle>> interventions = new ArrayList<>();      // value-major: [v * rows + r]
        for (Function<String, Intervention> f : interventionFor) {
            for (int i : rows) {
                Intervention intervention = f.apply(langs.get(i));
                interventions.add(() -> intervention.apply(model));
            }
        }
        double[] basePpl = new double[k], baseNll = new double[k];
        double[][][] ppxc = new double[n][k][k], ce = new double[n][k][k];
        for (int j = 0; j < k; j++) {
            String language = langs.get(j);
            boolean known = baselines.containsKey(language);
            Perplexity[] p = column("matrix " + values.stream().map(InterventionValue::label).toList() + " of "
                    + set.fingerprint() + " " + language, language, interventions, NO_PROGRESS);
            Perplexity base = baselines.get(language);
            basePpl[j] = base.perplexity();
            baseNll[j] = base.meanNll();
            for (int v = 0; v < n; v++) {
                for (int r = 0; r < rows.size(); r++) {
                    Perplexity q = p[v * rows.size() + r];
                    ppxc[v][rows.get(r)][j] = q.perplexity() - basePpl[j];
                    ce[v][rows.get(r)][j] = q.meanNll() - baseNll[j];
                }
            }
            counter.add((known ? 0 : 1) + n * k);      // one update a column: the baseline and the rows
        }
        List<PerplexityChange> out = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            out.add(new PerplexityChange(langs, basePpl, baseNll, ppxc[v], ce[v], values.get(v)));
        }
        return out;
    }

    /**
     * The perplexity of {@code language}'s text under each of {@code interventions}, in one pass over its batches;
     * the baseline runs as one more variant of the same pass when it is not known yet, and is kept. The column is the
     * checkpoint's unit {@code unit}: read back when finished before; after a stop request, the sums of the batches
     * done are kept and the next run continues from them.
     */
    private Perplexity[] column(String unit, String language, List<Supplier<HookHandle>> interventions,
            Perplexity.Progress progress) {
        TokenizedText text = text(language);
        boolean known = baselines.containsKey(language);
        List<Supplier<HookHandle>> variants = new ArrayList<>();
        if (!known) {
            variants.add(NO_HOOKS);
        }
        variants.addAll(interventions);
        if (variants.isEmpty()) {
            return new Perplexity[0];
        }
        Column column = checkpoint.unit(unit, Column.class, () -> sums(unit, text, variants, progress)
                .column(known, text.characters()));
        if (!known) {
            baselines.put(language, column.baseline());
        }
        return column.interventions();
    }

    /** The NLL sums of every variant over {@code text}, continuing from a stopped run's partial sums. */
    private Partial sums(String unit, TokenizedText text, List<Supplier<HookHandle>> variants,
            Perplexity.Progress progress) {
        Partial partial = checkpoint.partial(unit, Partial.class).orElseGet(() -> Partial.empty(variants.size()));
        if (partial.totals().length != variants.size()) {
            throw new IllegalStateException("the partial sums of " + unit + " hold " + partial.totals().length
                    + " variants, not " + variants.size());
        }
        Perplexity.Sum[] sums = new Perplexity.Sum[variants.size()];
        Arrays.setAll(sums, v -> new Perplexity.Sum(partial.totals()[v], partial.counts()[v]));
        List<TokenBatch> batches = text.batches(batchSize);
        int done = partial.batches();
        long total = text.windows().stream().mapToLong(w -> w.length).sum();
        long tokens = batches.subList(0, done).stream().mapToLong(TokenBatch::tokens).sum();
        try (ThreadTuner tuner = ThreadTuner.forBatches(model)) {
            for (TokenBatch batch : batches.subList(done, batches.size())) {
                if (checkpoint.stopRequested()) {
                    checkpoint.savePartial(unit, Partial.of(done, sums));
                    throw checkpoint.stopped();
                }
                tuner.begin();
                List<float[][]> nll = model.tokenNll(batch, variants);
                for (int v = 0; v < sums.length; v++) {
                    sums[v].add(nll.get(v));
                }
                tuner.end((long) batch.size() * batch.width());
                done++;
                tokens += batch.tokens();
                progress.update(tokens, total);
                if (done < batches.size() && checkpoint.partialDue()) {
                    checkpoint.savePartial(unit, Partial.of(done, sums));       // a kill loses at most 5 s
                }
            }
        }
        return Partial.of(done, sums);
    }

    /**
     * A finished column: the baseline when the column computed it (null otherwise), and the perplexity under each
     * intervention.
     */
    record Column(Perplexity baseline, Perplexity[] interventions) {
    }

    /** The sums of each variant after {@code batches} batches of a column. */
    record Partial(int batches, double[] totals, long[] counts) {
        static Partial empty(int variants) {
            return new Partial(0, new double[variants], new long[variants]);
        }

        static Partial of(int batches, Perplexity.Sum[] sums) {
            double[] totals = new double[sums.length];
            long[] counts = new long[sums.length];
            for (int v = 0; v < sums.length; v++) {
                totals[v] = sums[v].total();
                counts[v] = sums[v].count();
            }
            return new Partial(batches, totals, counts);
        }

        /** The column, the first variant being the baseline unless {@code baselineKnown}. */
        Column column(boolean baselineKnown, long characters) {
            int offset = baselineKnown ? 0 : 1;
            Perplexity[] out = new Perplexity[totals.length - offset];
            for (int v = 0; v < out.length; v++) {
                out[v] = new Perplexity.Sum(totals[offset + v], counts[offset + v]).perplexity(characters);
            }
            return new Column(baselineKnown ? null : new Perplexity.Sum(totals[0], counts[0]).perplexity(characters),
                    out);
        }
    }

    private static final Perplexity.Progress NO_PROGRESS = (done, total) -> { };

    /** A variant that registers nothing: the plain forward. */
    private static final Supplier<HookHandle> NO_HOOKS = () -> () -> { };
}
