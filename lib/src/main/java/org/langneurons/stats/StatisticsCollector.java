package org.langneurons.stats;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.langneurons.hooks.HookHandle;
import org.langneurons.io.TextTokenizer;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.ThreadTuner;
import org.langneurons.model.TokenBatch;
import org.langneurons.model.TokenWindows;

/**
 * Runs a model over one language's documents and accumulates {@link ActivationStatistics} of every layer's neurons.
 *
 * <p>Corpus handling: the documents are shuffled with {@code seed} and tokenized (with the tokenizer's special
 * tokens). Packed (the default), they are joined into one stream of at most {@code tokenBudget} tokens, each followed
 * by the model's first EOS token ({@code separator}; none for {@link StatisticsSettings.Separator#NONE}), and the
 * stream is cut into windows of {@code maxLength} tokens, the last kept however short unless
 * {@code fullWindowsOnly}: both papers' activation.py cut one concatenated token stream into full windows (Tang et
 * al.'s of the model's whole context, Mondal et al.'s of 512), and every token then has context in its language, as
 * in pre-training. Per document, each is cut into windows of its own, taken in order until {@code tokenBudget}
 * tokens (the last window is cut to fit). Windows are batched {@code batchSize} at a time with right padding (the
 * last batch dropped when short and {@code fullBatchesOnly}, as Mondal et al.'s {@code drop_last}); padding positions
 * are left out of every statistic unless {@code includePadding} (plain forward hooks see them; neither paper's
 * packed windows had any). With {@link StatisticsSettings.Aggregation#BATCH_MEAN} the probability, mean and std are
 * also summed per batch, for Mondal et al.'s per-batch averages.
 *
 * <p>Accumulators stay on the model's device; only the per-batch token count is known on the host. With an output
 * file, the collection checkpoints every {@code checkpointEvery} batches to {@code FILE.partial} and resumes from
 * it: an interrupted run, started again with the same settings, gives the identical result. Several languages in one
 * folder: {@link StatisticsDirectory}.
 *
 * <pre>{@code
 * StatisticsSettings settings = StatisticsSettings.builder().tokenBudget(200_000).build();
 * ActivationStatistics fr = StatisticsCollector.collect(model, "fr", texts, settings,
 *         Path.of("stats/fr.safetensors"), StatisticsCollector.Progress.NONE);
 * }</pre>
 */
public final class StatisticsCollector {
    private StatisticsCollector() {
    }

    /** Told after every batch; also asked whether to stop there. */
    @FunctionalInterface
    public interface Progress {
        /** A progress sink that ignores everything. */
        Progress NONE = (language, done, total, tokensPerSecond) -> { };

        void update(String language, long tokensDone, long tokensTotal, double tokensPerSecond);

        /**
         * Asked after every batch: {@code true} checkpoints the batches counted so far (when writing to a file) and
         * ends the collection with {@link Stopped}; the same call resumes there.
         */
        default boolean stopRequested() {
            return false;
        }
    }

    /** A collection ended early because its {@link Progress} asked to stop; what it counted is checkpointed. */
    public static final class Stopped extends RuntimeException {
        private final transient Path checkpoint;

        Stopped(String language, long tokens, Path checkpoint) {
            super(String.format("statistics of %s stopped after %,d tokens", language, tokens)
                    + (checkpoint == null ? " (no file to checkpoint to)" : ", checkpointed in " + checkpoint));
            this.checkpoint = checkpoint;
        }

        /** The {@code .partial} file a resumed collection starts from; null when the collection had no file. */
        public Path checkpoint() {
            return checkpoint;
        }
    }

    /**
     * The windows of {@code docs} in collection order, within the token budget (see the class comment): packed, with
     * {@code separatorId} after every document (none when negative; the settings' separator is the caller's
     * business here) and without a short last window when {@code fullWindowsOnly}, or per document.
     */
    public static List<long[]> windows(TextTokenizer tokenizer, List<String> docs, StatisticsSettings s,
            long separatorId) {
        List<String> order = new ArrayList<>(docs);
        Collections.shuffle(order, new Random(s.seed()));
        List<long[]> out = new ArrayList<>();
        if (s.packed()) {
            long[] stream = tokenizer.encodeJoined(order, separatorId, (int) Math.min(s.tokenBudget(),
                    Integer.MAX_VALUE));
            return TokenWindows.cut(stream, s.maxLength(), s.fullWindowsOnly() ? s.maxLength() : 1);
        }
        long left = s.tokenBudget();
        for (String d : order) {
            long[] ids = tokenizer.encode(d);
            int take = (int) Math.min(ids.length, left);       // the budget cuts the last document
            out.addAll(TokenWindows.cut(Arrays.copyOf(ids, take), s.maxLength(), 1));
            left -= take;
            if (left == 0) {
                break;
            }
        }
        return out;
    }

    /**
     * The windows of {@code docs} for {@code model}: its tokenizer, and its first EOS token as the separator when the
     * settings ask for one.
     */
    static List<long[]> windows(LanguageModel model, List<String> docs, StatisticsSettings s) {
        TextTokenizer tok = model.tokenizer().orElseThrow(() -> new IllegalArgumentException(
                "the model at " + model.directory() + " has no tokenizer.json: statistics of text need one"));
        List<Long> eos = model.config().eosTokenIds();
        boolean separate = s.separator() == StatisticsSettings.Separator.EOS && !eos.isEmpty();
        return windows(tok, docs, s, separate ? eos.get(0) : -1);
    }

    /**
     * Collects statistics of {@code language} over {@code docs} (see the class comment for how documents become
     * windows); with a non-null {@code out}, checkpoints and resumes as {@link #collectWindows} does.
     */
    public static ActivationStatistics collect(LanguageModel model, String language, List<String> docs,
            StatisticsSettings s, Path out, Progress progress) {
        return collectWindows(model, language, windows(model, docs, s), s, out, progress);
    }

    /**
     * Collects statistics of {@code language} over token windows, {@code s.batchSize()} at a time, in order (the
     * token budget, length and seed of {@code s} are the caller's business here). With a non-null {@code out},
     * checkpoints to {@code out + ".partial"}, resumes from it, writes the result to {@code out}, and returns an
     * existing result collected with the same settings without running the model.
     */
    public static ActivationStatistics collectWindows(LanguageModel model, String language, List<long[]> windows,
            StatisticsSettings s, Path out, Progress progress) {
        return collectWindows(model, language, windows, s, null, out, progress);
    }

    /**
     * The relevance pass of Activation Probability p (Mondal et al., stage 2): statistics over {@code docs} (a
     * sample other than the first's) that also count, per batch, the fraction of positions above the language's own
     * batch-mean {@code percentile}-th percentile from {@code first}; {@link ActivationStatistics#relevance} is its
     * mean over batches.
     */
    public static ActivationStatistics collectRelevance(LanguageModel model, ActivationStatistics first,
            double percentile, List<String> docs, StatisticsSettings s, Path out, Progress progress) {
        return collectWindows(model, first.language(), windows(model, docs, s), s, thresholds(first, percentile),
                out, progress);
    }

    /** The batch-mean {@code percentile}-th percentile of {@code first}, rounded to float32, as thresholds. */
    public static NeuronGrid thresholds(ActivationStatistics first, double percentile) {
        return first.batchMeanPercentile(percentile).map(v -> (float) v);
    }

    /**
     * Collects statistics over token windows as {@link #collectWindows(LanguageModel, String, List,
     * StatisticsSettings, Path, Progress)} does; with non-null {@code thresholds}, a relevance pass too.
     */
    public static ActivationStatistics collectWindows(LanguageModel model, String language, List<long[]> windows,
            StatisticsSettings s, NeuronGrid thresholds, Path out, Progress progress) {
        Map<String, String> info = new LinkedHashMap<>(s.describe());
        info.put("model", String.valueOf(model.directory()));
        if (thresholds != null) {
            // a digest of the thresholds: resuming with other thresholds is refused
            info.put("thresholds", Integer.toHexString(Arrays.hashCode(thresholds.toFloatArray())));
        }
        CollectionCheckpoint checkpoint = new CollectionCheckpoint(out, language, info);
        ActivationStatistics done = checkpoint.finished();
        if (done != null) {
            return done;
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("empty input: the documents of " + language + " hold no token"
                    + (s.fullWindowsOnly() ? " in a full window of " + s.maxLength() : ""));
        }
        if (s.fullBatchesOnly()) {
            int full = windows.size() / s.batchSize() * s.batchSize();
            if (full == 0) {
                throw new IllegalArgumentException("empty input: " + language + " has " + windows.size()
                        + " windows, fewer than one full batch of " + s.batchSize() + " (fullBatchesOnly)");
            }
            windows = windows.subList(0, full);
        }
        int layers = model.config().layers(), neurons = model.config().neuronsPerLayer();
        ActivationStatistics start = ActivationStatistics.empty(language, s.tensor(), layers, neurons,
                s.percentiles(), info, thresholds, s.sketch());
        if (s.aggregation() == StatisticsSettings.Aggregation.BATCH_MEAN) {
            start = start.toBuilder().batchMeans(ActivationStatistics.BatchMeans.zeros(layers, neurons)).build();
        }
        int firstWindow = 0;
        CollectionCheckpoint.State resumed = checkpoint.resume();
        if (resumed != null) {
            start = resumed.stats();
            firstWindow = resumed.nextWindow();
        }
        long total = windows.stream().mapToLong(w -> w.length).sum();
        try (NDManager m = model.manager().newSubManager();
                NeuronAccumulators acc = new NeuronAccumulators(m, start, s.includePadding())) {
            long t0 = System.nanoTime();
            long doneAtStart = windows.subList(0, firstWindow).stream().mapToLong(w -> w.length).sum();
            long counted = doneAtStart;
            int batchesSinceCheckpoint = 0;
            try (HookHandle h = model.hooks().addEveryLayer(s.tensor().point(), acc::observe);
                    ThreadTuner tuner = ThreadTuner.forBatches(model)) {
                for (int w = firstWindow; w < windows.size(); w += s.batchSize()) {
                    List<long[]> part = windows.subList(w, Math.min(windows.size(), w + s.batchSize()));
                    TokenBatch batch = new TokenBatch(part, TokenBatch.Padding.RIGHT);
                    long real = part.stream().mapToLong(x -> x.length).sum();
                    acc.beginBatch(s.includePadding() ? (long) batch.size() * batch.width() : real);
                    tuner.begin();
                    model.run(batch);
                    tuner.end((long) batch.size() * batch.width());
                    acc.endBatch();
                    counted += real;
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    progress.update(language, counted, total, (counted - doneAtStart) / Math.max(1e-9, seconds));
                    int next = w + part.size();
                    boolean more = next < windows.size();
                    boolean stop = more && progress.stopRequested();
                    if (out != null && more && (++batchesSinceCheckpoint == s.checkpointEvery() || stop)) {
                        checkpoint.save(acc.snapshot(), next);
                        batchesSinceCheckpoint = 0;
                    }
                    if (stop) {
                        throw new Stopped(language, counted, checkpoint.partial());
                    }
                }
            }
            ActivationStatistics result = acc.snapshot();
            checkpoint.finish(result);
            return result;
        }
    }
}
