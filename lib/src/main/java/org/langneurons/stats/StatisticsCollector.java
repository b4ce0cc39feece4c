package org.langneurons.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookName;
import org.langneurons.io.TextTokenizer;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * Runs a model over one language's documents and accumulates {@link ActivationStatistics} of every layer's neurons.
 *
 * <p>Corpus handling: the documents are shuffled with {@code seed} and tokenized (with the tokenizer's special
 * tokens). Packed (the default), they are joined into one stream of at most {@code tokenBudget} tokens, each followed
 * by the model's first EOS token, and the stream is cut into windows of {@code maxLength} tokens (the last may be
 * shorter): Tang et al.'s activation.py cuts one concatenated token stream the same way, and every token then has
 * context in its language, as in pre-training. Per document, each is cut into windows of its own, taken in order
 * until {@code tokenBudget} tokens (the last window is cut to fit). Windows are batched {@code batchSize} at a time
 * with right padding; padding positions are left out of every statistic unless {@code includePadding} (as Mondal et
 * al.'s code counted them).
 *
 * <p>Accumulators stay on the model's device; only the per-batch token count is known on the host. With an output
 * file, the collection checkpoints every {@code checkpointEvery} batches to {@code FILE.partial} and resumes from
 * it: an interrupted run, started again with the same settings, gives the identical result.
 *
 * <pre>{@code
 * var settings = StatisticsCollector.Settings.defaults().withTokenBudget(200_000);
 * ActivationStatistics fr = StatisticsCollector.collect(model, "fr", docs, settings, Path.of("stats/fr.safetensors"),
 *         StatisticsCollector.Progress.NONE);
 * }</pre>
 */
public final class StatisticsCollector {
    private StatisticsCollector() {
    }

    /** The percentiles collected by default: the intervention values of Mondal et al. */
    public static final double[] DEFAULT_PERCENTILES = {5, 10, 25, 50, 75, 90, 95};

    /**
     * How statistics are collected.
     *
     * @param tensor          the recorded tensor
     * @param tokenBudget     most token positions per language (real tokens)
     * @param maxLength       most tokens per sequence (512 in both papers)
     * @param batchSize       sequences per forward call
     * @param seed            seed of the document shuffle
     * @param includePadding  whether padding positions are counted (Mondal et al.'s code did)
     * @param packed          documents joined into one token stream before windowing (else each on its own)
     * @param percentiles     batch-mean percentiles kept, in (0, 100)
     * @param checkpointEvery batches between checkpoints (when writing to a file)
     * @param sketch          the global percentile mode's sketch, or null for batch-mean percentiles only
     */
    public record Settings(RecordedTensor tensor, long tokenBudget, int maxLength, int batchSize, long seed,
            boolean includePadding, boolean packed, double[] percentiles, int checkpointEvery,
            PercentileSketch sketch) {
        public Settings {
            if (tokenBudget < 1 || maxLength < 2 || batchSize < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("statistics need a token budget >= 1 (got " + tokenBudget
                        + "), max length >= 2 (" + maxLength + "), batch size >= 1 (" + batchSize
                        + ") and checkpoint interval >= 1 (" + checkpointEvery + ")");
            }
            percentiles = percentiles.clone();
            for (double p : percentiles) {
                if (!(p > 0 && p < 100)) {
                    throw new IllegalArgumentException("percentiles must be in (0, 100), got " + p);
                }
            }
        }

        /**
         * {@code mlp.act}, 1M tokens, length 512, batch 8, seed 0, padding excluded, packed, P5..P95, checkpoint
         * every 50.
         */
        public static Settings defaults() {
            return new Settings(RecordedTensor.ACT, 1_000_000, 512, 8, 0, false, true, DEFAULT_PERCENTILES, 50, null);
        }

        public Settings withTensor(RecordedTensor t) {
            return new Settings(t, tokenBudget, maxLength, batchSize, seed, includePadding, packed, percentiles,
                    checkpointEvery, sketch);
        }

        public Settings withTokenBudget(long n) {
            return new Settings(tensor, n, maxLength, batchSize, seed, includePadding, packed,
                    percentiles, checkpointEvery, sketch);
        }

        public Settings withMaxLength(int n) {
            return new Settings(tensor, tokenBudget, n, batchSize, seed, includePadding, packed, percentiles,
                    checkpointEvery, sketch);
        }

        public Settings withBatchSize(int n) {
            return new Settings(tensor, tokenBudget, maxLength, n, seed, includePadding, packed, percentiles,
                    checkpointEvery, sketch);
        }

        public Settings withSeed(long s) {
            return new Settings(tensor, tokenBudget, maxLength, batchSize, s, includePadding, packed, percentiles,
                    checkpointEvery, sketch);
        }

        public Settings withIncludePadding(boolean b) {
            return new Settings(tensor, tokenBudget, maxLength, batchSize, seed, b, packed,
                    percentiles, checkpointEvery, sketch);
        }

        public Settings withPacked(boolean b) {
            return new Settings(tensor, tokenBudget, maxLength, batchSize, seed, includePadding, b, percentiles,
                    checkpointEvery, sketch);
        }

        public Settings withPercentiles(double... p) {
            return new Settings(tensor, tokenBudget, maxLength, batchSize, seed, includePadding, packed,
                    p, checkpointEvery, sketch);
        }

        public Settings withCheckpointEvery(int n) {
            return new Settings(tensor, tokenBudget, maxLength, batchSize, seed, includePadding, packed,
                    percentiles, n, sketch);
        }

        public Settings withSketch(PercentileSketch k) {
            return new Settings(tensor, tokenBudget, maxLength, batchSize, seed, includePadding, packed, percentiles,
                    checkpointEvery, k);
        }

        /** The settings as provenance strings (also what a checkpoint must match to be resumed). */
        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("tensor", tensor.hookSuffix());
            m.put("token_budget", Long.toString(tokenBudget));
            m.put("max_length", Integer.toString(maxLength));
            m.put("batch_size", Integer.toString(batchSize));
            m.put("seed", Long.toString(seed));
            m.put("include_padding", Boolean.toString(includePadding));
            m.put("windows", packed ? "packed" : "per-document");
            m.put("percentiles", Arrays.toString(percentiles));
            m.put("sketch", sketch == null ? "none" : sketch.encode());
            return m;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s && describe().equals(s.describe()) && checkpointEvery == s.checkpointEvery;
        }

        @Override
        public int hashCode() {
            return describe().hashCode();
        }
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
     * {@code separatorId} after every document (none when negative), or per document.
     */
    public static List<long[]> windows(TextTokenizer tokenizer, List<String> docs, Settings s, long separatorId) {
        List<String> order = new ArrayList<>(docs);
        Collections.shuffle(order, new Random(s.seed()));
        List<long[]> out = new ArrayList<>();
        if (s.packed()) {
            long[] stream = tokenizer.encodeJoined(order, separatorId, (int) Math.min(s.tokenBudget(),
                    Integer.MAX_VALUE));
            cut(stream, s.maxLength(), stream.length, out);
            return out;
        }
        long left = s.tokenBudget();
        for (String d : order) {
            left -= cut(tokenizer.encode(d), s.maxLength(), left, out);
            if (left == 0) {
                break;
            }
        }
        return out;
    }

    /** Cuts the first {@code most} tokens of {@code ids} into windows of {@code maxLength}; returns how many. */
    private static long cut(long[] ids, int maxLength, long most, List<long[]> out) {
        int end = (int) Math.min(ids.length, most);
        for (int from = 0; from < end; from += maxLength) {
            out.add(Arrays.copyOfRange(ids, from, Math.min(end, from + maxLength)));
        }
        return end;
    }

    /** The windows of {@code docs} for {@code model}: its tokenizer, and its first EOS token as the separator. */
    private static List<long[]> windows(LanguageModel model, List<String> docs, Settings s) {
        TextTokenizer tok = model.tokenizer().orElseThrow(() -> new IllegalArgumentException(
                "the model at " + model.directory() + " has no tokenizer.json: statistics of text need one"));
        List<Long> eos = model.config().eosTokenIds();
        return windows(tok, docs, s, eos.isEmpty() ? -1 : eos.get(0));
    }

    /**
     * Collects statistics of {@code language} over {@code docs} (see the class comment for how documents become
     * windows); with a non-null {@code out}, checkpoints and resumes as {@link #collectWindows} does.
     */
    public static ActivationStatistics collect(LanguageModel model, String language, List<String> docs, Settings s,
            Path out, Progress progress) {
        return collectWindows(model, language, windows(model, docs, s), s, out, progress);
    }

    /**
     * Collects statistics of every language of {@code texts} (in its order) with {@link #collect}; with a non-null
     * {@code dir}, each language checkpoints to and ends in {@code dir/LANG.safetensors}, so an interrupted run
     * resumes and finished languages are read back instead of recomputed.
     */
    public static List<ActivationStatistics> collectAll(LanguageModel model, Map<String, List<String>> texts,
            Settings s, Path dir, Progress progress) {
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
            }
        }
        List<ActivationStatistics> out = new ArrayList<>();
        texts.forEach((lang, docs) -> out.add(collect(model, lang, docs, s,
                dir == null ? null : dir.resolve(lang + ".safetensors"), progress)));
        return out;
    }

    /**
     * Collects statistics of {@code language} over token windows, {@code s.batchSize()} at a time, in order (the
     * token budget, length and seed of {@code s} are the caller's business here). With a non-null {@code out},
     * checkpoints to {@code out + ".partial"}, resumes from it, writes the result to {@code out}, and returns an
     * existing result collected with the same settings without running the model.
     */
    public static ActivationStatistics collectWindows(LanguageModel model, String language, List<long[]> windows,
            Settings s, Path out, Progress progress) {
        return collectWindows(model, language, windows, s, null, out, progress);
    }

    /**
     * The relevance pass of Activation Probability p (Mondal et al., stage 2): statistics over {@code docs} (a
     * sample other than the first's) that also count, per batch, the fraction of positions above the language's own
     * batch-mean {@code percentile}-th percentile from {@code first}; {@link ActivationStatistics#relevance} is its
     * mean over batches.
     */
    public static ActivationStatistics collectRelevance(LanguageModel model, ActivationStatistics first,
            double percentile, List<String> docs, Settings s, Path out, Progress progress) {
        return collectWindows(model, first.language(), windows(model, docs, s), s, thresholds(first, percentile),
                out, progress);
    }

    /** The batch-mean {@code percentile}-th percentile of {@code first}, row-major [L, I], as thresholds. */
    public static float[] thresholds(ActivationStatistics first, double percentile) {
        double[][] p = first.batchMeanPercentile(percentile);
        float[] out = new float[first.layers() * first.neurons()];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) p[j / first.neurons()][j % first.neurons()];
        }
        return out;
    }

    /**
     * Collects statistics over token windows as {@link #collectWindows(LanguageModel, String, List, Settings, Path,
     * Progress)} does; with non-null {@code thresholds} ([L, I] row-major), a relevance pass too.
     */
    public static ActivationStatistics collectWindows(LanguageModel model, String language, List<long[]> windows,
            Settings s, float[] thresholds, Path out, Progress progress) {
        Map<String, String> info = new LinkedHashMap<>(s.describe());
        info.put("model", String.valueOf(model.directory()));
        if (thresholds != null) {
            // a digest of the thresholds: resuming with other thresholds is refused
            info.put("thresholds", Integer.toHexString(Arrays.hashCode(thresholds)));
        }
        if (out != null && Files.isRegularFile(out)) {
            ActivationStatistics done = ActivationStatistics.load(out);
            if (done.info().equals(info) && done.language().equals(language)) {
                return done;
            }
            throw new IllegalArgumentException(out + " holds statistics of " + done.language() + " with settings "
                    + done.info() + ", not " + language + " with " + info + ": remove it or choose another --out");
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("empty input: the documents of " + language + " hold no token");
        }
        int layers = model.config().layers(), neurons = model.config().neuronsPerLayer();
        ActivationStatistics start = ActivationStatistics.empty(language, s.tensor(), layers, neurons,
                s.percentiles(), info, thresholds, s.sketch());
        int firstWindow = 0;
        Path partial = out == null ? null : out.resolveSibling(out.getFileName() + ".partial");
        if (partial != null && Files.isRegularFile(partial)) {
            Checkpoint c = Checkpoint.load(partial);
            if (!c.stats().info().equals(info) || !c.stats().language().equals(language)) {
                throw new IllegalArgumentException(partial + " is an unfinished collection of "
                        + c.stats().language() + " with settings " + c.stats().info() + ", not " + language + " with "
                        + info + ": resume it with its settings, or remove it");
            }
            start = c.stats();
            firstWindow = c.nextWindow();
        }
        long total = windows.stream().mapToLong(w -> w.length).sum();
        try (NDManager m = model.manager().newSubManager();
                NeuronAccumulators acc = new NeuronAccumulators(m, start, s.includePadding())) {
            long t0 = System.nanoTime();
            long doneAtStart = windows.subList(0, firstWindow).stream().mapToLong(w -> w.length).sum();
            long done = doneAtStart;
            int batchesSinceCheckpoint = 0;
            try (HookHandle h = model.hooks().addEveryLayer(s.tensor().point(), acc::observe)) {
                for (int w = firstWindow; w < windows.size(); w += s.batchSize()) {
                    List<long[]> part = windows.subList(w, Math.min(windows.size(), w + s.batchSize()));
                    TokenBatch batch = new TokenBatch(part, TokenBatch.Padding.RIGHT);
                    long real = part.stream().mapToLong(x -> x.length).sum();
                    acc.beginBatch(s.includePadding() ? (long) batch.size() * batch.width() : real);
                    try (NDManager scope = m.newSubManager()) {
                        model.lastHiddenState(batch, scope);
                    }
                    acc.endBatch();
                    done += real;
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    progress.update(language, done, total, (done - doneAtStart) / Math.max(1e-9, seconds));
                    int next = w + part.size();
                    boolean more = next < windows.size();
                    boolean stop = more && progress.stopRequested();
                    if (partial != null && more && (++batchesSinceCheckpoint == s.checkpointEvery() || stop)) {
                        new Checkpoint(acc.snapshot(), next).save(partial);
                        batchesSinceCheckpoint = 0;
                    }
                    if (stop) {
                        throw new Stopped(language, done, partial);
                    }
                }
            }
            ActivationStatistics result = acc.snapshot();
            if (out != null) {
                result.save(out);
                try {
                    Files.deleteIfExists(partial);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot remove " + partial + ": " + e.getMessage(), e);
                }
            }
            return result;
        }
    }

    /** Statistics so far and the first window not yet counted. */
    private record Checkpoint(ActivationStatistics stats, int nextWindow) {
        void save(Path file) {
            Map<String, String> info = new LinkedHashMap<>(stats.info());
            info.put("next_window", Integer.toString(nextWindow));
            stats.withInfo(info).save(file);
        }

        static Checkpoint load(Path file) {
            ActivationStatistics s = ActivationStatistics.load(file);
            Map<String, String> info = new LinkedHashMap<>(s.info());
            String next = info.remove("next_window");
            if (next == null) {
                throw new org.langneurons.io.CheckpointException(file, "metadata field info.next_window is missing");
            }
            return new Checkpoint(s.withInfo(info), Integer.parseInt(next));
        }
    }
}
