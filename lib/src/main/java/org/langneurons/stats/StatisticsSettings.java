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
 * }</pre>
 *
 * @param tensor          the recorded tensor
 * @param tokenBudget     most token positions per language (real tokens)
 * @param maxLength       most tokens per window (512 in both papers)
 * @param batchSize       windows per forward call
 * @param seed            seed of the document shuffle
 * @param includePadding  whether padding positions are counted (Mondal et al.'s code did)
 * @param packed          documents joined into one token stream before windowing (else each on its own)
 * @param percentiles     batch-mean percentiles kept, in (0, 100)
 * @param checkpointEvery batches between checkpoints (when writing to a file)
 * @param sketch          the global percentile mode's sketch, or null for batch-mean percentiles only
 */
public record StatisticsSettings(RecordedTensor tensor, long tokenBudget, int maxLength, int batchSize, long seed,
        boolean includePadding, boolean packed, double[] percentiles, int checkpointEvery, PercentileSketch sketch) {

    /** The percentiles collected by default: the intervention values of Mondal et al. */
    public static final double[] DEFAULT_PERCENTILES = {5, 10, 25, 50, 75, 90, 95};

    public StatisticsSettings {
        if (tensor == null) {
            throw new IllegalArgumentException("statistics need a recorded tensor (act or gate)");
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
     * 50, no sketch.
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
                .checkpointEvery(checkpointEvery).sketch(sketch);
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

        /** The settings, validated. */
        public StatisticsSettings build() {
            return new StatisticsSettings(tensor, tokenBudget, maxLength, batchSize, seed, includePadding, packed,
                    percentiles, checkpointEvery, sketch);
        }
    }
}
