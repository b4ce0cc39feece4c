package org.langneurons.stats;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How activation statistics are collected (see {@link StatisticsCollector} for what each setting does).
 *
 * <pre>{@code
 * StatisticsSettings settings = StatisticsSettings.builder().tokenBudget(100_000).maxLength(256).batchSize(16)
 *         .build();
 * StatisticsSettings gate = settings.toBuilder().tensor(RecordedTensor.GATE).build();
 * // Mondal et al.'s conventions: per-batch averages, no EOS between documents, only full windows and batches
 * StatisticsSettings mondal = settings.toBuilder().aggregation(StatisticsSettings.Aggregation.BATCH_MEAN)
 *         .separator(StatisticsSettings.Separator.NONE).fullWindowsOnly(true).fullBatchesOnly(true).build();
 * }</pre>
 *
 * @param tensor          the recorded tensor
 * @param tokenBudget     most token positions per language (real tokens)
 * @param maxLength       most tokens per window (Mondal et al.'s code: 512; Tang et al.'s: the model's context)
 * @param batchSize       windows per forward call
 * @param seed            seed of the document shuffle
 * @param includePadding  whether padding positions are counted (neither paper's statistics had padding to count)
 * @param packed          documents joined into one token stream before windowing (else each on its own)
 * @param percentiles     batch-mean percentiles kept, in (0, 100)
 * @param checkpointEvery batches between checkpoints (when writing to a file)
 * @param sketch          the global percentile mode's sketch, or null for batch-mean percentiles only
 * @param aggregation     how activation probability, mean and std are formed from the batches
 * @param separator       what follows every document in a packed stream
 * @param fullWindowsOnly packed: the stream's last window is dropped when shorter than {@code maxLength}
 * @param fullBatchesOnly the last batch is dropped when it has fewer than {@code batchSize} windows
 */
public record StatisticsSettings(RecordedTensor tensor, long tokenBudget, int maxLength, int batchSize, long seed,
        boolean includePadding, boolean packed, double[] percentiles, int checkpointEvery, PercentileSketch sketch,
        Aggregation aggregation, Separator separator, boolean fullWindowsOnly, boolean fullBatchesOnly) {

    /** The percentiles collected by default: the intervention values of Mondal et al. */
    public static final double[] DEFAULT_PERCENTILES = {5, 10, 25, 50, 75, 90, 95};

    /**
     * How the per-neuron activation probability, mean and standard deviation are formed.
     *
     * <pre>{@code
     * StatisticsSettings s = StatisticsSettings.builder().aggregation(StatisticsSettings.Aggregation.BATCH_MEAN)
     *         .build();
     * }</pre>
     */
    public enum Aggregation {
        /**
         * Over all counted positions together: P = over_zero / n (Tang et al.'s activation.py and identify.py), the
         * mean and the population standard deviation of all values. The default: every token weighs the same,
         * whatever batch it fell in, and two parts merge to exactly the whole.
         */
        POOLED("pooled"),
        /**
         * Per batch, then averaged over batches (Mondal et al.'s activation.py): the batch's fraction of positions
         * above zero, its mean and its unbiased standard deviation ({@code torch.std}'s default; NaN for a batch of
         * one position, as torch gives).
         */
        BATCH_MEAN("batch-mean");

        private final String label;

        Aggregation(String label) {
            this.label = label;
        }

        /** The name in files and on the command line: {@code pooled} or {@code batch-mean}. */
        public String label() {
            return label;
        }

        /** The aggregation named {@code label}; an error lists the names. */
        public static Aggregation parse(String label) {
            for (Aggregation a : values()) {
                if (a.label.equals(label)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("aggregation must be pooled or batch-mean, got " + label);
        }
    }

    /**
     * What follows every document in a packed token stream (each document is encoded with the tokenizer's own
     * special tokens first, e.g. Llama's BOS).
     *
     * <pre>{@code
     * StatisticsSettings s = StatisticsSettings.builder().separator(StatisticsSettings.Separator.NONE).build();
     * }</pre>
     */
    public enum Separator {
        /** The model's first EOS token (the default: the embedded model was trained with it between documents). */
        EOS("eos"),
        /**
         * Nothing: documents follow each other with only their own special tokens, as Mondal et al.'s dataset.py
         * joins {@code tokenizer(text)} of each article.
         */
        NONE("none");

        private final String label;

        Separator(String label) {
            this.label = label;
        }

        /** The name in files and on the command line: {@code eos} or {@code none}. */
        public String label() {
            return label;
        }

        /** The separator named {@code label}; an error lists the names. */
        public static Separator parse(String label) {
            for (Separator v : values()) {
                if (v.label.equals(label)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("separator must be eos or none, got " + label);
        }
    }

    public StatisticsSettings {
        if (tensor == null) {
            throw new IllegalArgumentException("statistics need a recorded tensor (act or gate)");
        }
        if (aggregation == null || separator == null) {
            throw new IllegalArgumentException("statistics need an aggregation (pooled or batch-mean) and a "
                    + "separator (eos or none)");
        }
        if (fullWindowsOnly && !packed) {
            throw new IllegalArgumentException("fullWindowsOnly drops the short last window of a packed stream; "
                    + "per-document windows are short by nature (use packed windows or leave it off)");
        }
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
     * {@code mlp.act}, 1M tokens, length 512, batch 8, seed 0, padding excluded, packed, P5..P95, checkpoint every
     * 50, no sketch, pooled, EOS between documents, the last window and batch kept however short.
     */
    public static StatisticsSettings defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder().tensor(tensor).tokenBudget(tokenBudget).maxLength(maxLength).batchSize(batchSize)
                .seed(seed).includePadding(includePadding).packed(packed).percentiles(percentiles)
                .checkpointEvery(checkpointEvery).sketch(sketch).aggregation(aggregation).separator(separator)
                .fullWindowsOnly(fullWindowsOnly).fullBatchesOnly(fullBatchesOnly);
    }

    @Override
    public double[] percentiles() {
        return percentiles.clone();
    }

    /** These settings with {@code percentile} among the percentiles (appended when missing). */
    public StatisticsSettings withPercentile(double percentile) {
        if (Arrays.stream(percentiles).anyMatch(p -> p == percentile)) {
            return this;
        }
        double[] ps = Arrays.copyOf(percentiles, percentiles.length + 1);
        ps[ps.length - 1] = percentile;
        return toBuilder().percentiles(ps).build();
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
        m.put("aggregation", aggregation.label());
        m.put("separator", separator.label());
        m.put("full_windows_only", Boolean.toString(fullWindowsOnly));
        m.put("full_batches_only", Boolean.toString(fullBatchesOnly));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatisticsSettings s && describe().equals(s.describe())
                && checkpointEvery == s.checkpointEvery;
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    /** Builds {@link StatisticsSettings}; every setting starts at its default. */
    public static final class Builder {
        private RecordedTensor tensor = RecordedTensor.ACT;
        private long tokenBudget = 1_000_000;
        private int maxLength = 512;
        private int batchSize = 8;
        private long seed;
        private boolean includePadding;
        private boolean packed = true;
        private double[] percentiles = DEFAULT_PERCENTILES;
        private int checkpointEvery = 50;
        private PercentileSketch sketch;
        private Aggregation aggregation = Aggregation.POOLED;
        private Separator separator = Separator.EOS;
        private boolean fullWindowsOnly;
        private boolean fullBatchesOnly;

        private Builder() {
        }

        /** The recorded tensor (default {@code act}). */
        public Builder tensor(RecordedTensor t) {
            tensor = t;
            return this;
        }

        /** Most token positions per language (default 1,000,000). */
        public Builder tokenBudget(long n) {
            tokenBudget = n;
            return this;
        }

        /** Most tokens per window (default 512). */
        public Builder maxLength(int n) {
            maxLength = n;
            return this;
        }

        /** Windows per forward call (default 8). */
        public Builder batchSize(int n) {
            batchSize = n;
            return this;
        }

        /** Seed of the document shuffle (default 0). */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Whether padding positions are counted (default false). */
        public Builder includePadding(boolean b) {
            includePadding = b;
            return this;
        }

        /** Documents joined into one stream (default true) or windowed each on its own. */
        public Builder packed(boolean b) {
            packed = b;
            return this;
        }

        /** Batch-mean percentiles kept (default P5, P10, P25, P50, P75, P90, P95; none is allowed). */
        public Builder percentiles(double... ps) {
            percentiles = ps.clone();
            return this;
        }

        /** Batches between checkpoints (default 50). */
        public Builder checkpointEvery(int n) {
            checkpointEvery = n;
            return this;
        }

        /** The global percentile sketch, or null (default) for batch-mean percentiles only. */
        public Builder sketch(PercentileSketch s) {
            sketch = s;
            return this;
        }

        /** Pooled (default) or per-batch-averaged probability, mean and std. */
        public Builder aggregation(Aggregation a) {
            aggregation = a;
            return this;
        }

        /** What follows every document of a packed stream (default the EOS token). */
        public Builder separator(Separator s) {
            separator = s;
            return this;
        }

        /** Packed: drop the stream's last window when it is shorter than the max length (default false). */
        public Builder fullWindowsOnly(boolean b) {
            fullWindowsOnly = b;
            return this;
        }

        /** Drop the last batch when it has fewer windows than the batch size (default false). */
        public Builder fullBatchesOnly(boolean b) {
            fullBatchesOnly = b;
            return this;
        }

        /** The settings, validated. */
        public StatisticsSettings build() {
            return new StatisticsSettings(tensor, tokenBudget, maxLength, batchSize, seed, includePadding, packed,
                    percentiles, checkpointEvery, sketch, aggregation, separator, fullWindowsOnly, fullBatchesOnly);
        }
    }
}
