package org.langneurons.stats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-neuron activation statistics of one language: over {@code tokens} token positions, for each of L x I neurons,
 * how often it was above zero, the sum and sum of squares of its values, its minimum and maximum, and the
 * batch-mean percentiles of Mondal et al. (per batch, the linearly interpolated percentile over the batch's
 * positions, averaged over batches). Every per-neuron view is a {@link NeuronGrid}.
 *
 * <p>Counts, minimum and maximum merge exactly; sums are float64, so a merge equals one pass over the same batches up
 * to float64 rounding. Saved as one safetensors file ({@link #save}; the format is documented on
 * {@code StatisticsFile} and in the README).
 *
 * <pre>{@code
 * ActivationStatistics fr = ActivationStatistics.load(Path.of("stats/fr.safetensors"));
 * NeuronGrid p = fr.activationProbability();      // P(value > 0) per neuron
 * double p90 = fr.batchMeanPercentile(90).get(3, 1234);
 * }</pre>
 */
public final class ActivationStatistics {
    private final String language;
    private final RecordedTensor tensor;
    private final int layers;
    private final int neurons;
    private final long tokens;
    private final long batches;
    private final NeuronGrid overZero;
    private final NeuronGrid sum;
    private final NeuronGrid sumSquares;
    private final NeuronGrid min;
    private final NeuronGrid max;
    private final double[] percentiles;
    private final List<NeuronGrid> percentileSums;
    private final Map<String, String> info;
    private final Relevance relevance;
    private final SketchCounts sketch;
    private final BatchMeans batchMeans;

    /**
     * The relevance pass of Activation Probability p: per neuron a threshold (the language's own batch-mean p-th
     * percentile from a first sample) and the sum over batches of the fraction of the batch's positions above it
     * (strictly).
     */
    public record Relevance(NeuronGrid thresholds, NeuronGrid aboveThresholdSums) {
        public Relevance {
            if (!thresholds.sameShape(aboveThresholdSums)) {
                throw new IllegalArgumentException("relevance thresholds and sums of different shapes");
            }
        }
    }

    /** The global percentile mode: a sketch and its counts below each edge, row-major [E, L, I]. */
    public record SketchCounts(PercentileSketch sketch, long[] below) {
        public SketchCounts {
            below = below.clone();
        }

        @Override
        public long[] below() {
            return below.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SketchCounts s && s.sketch.equals(sketch) && Arrays.equals(s.below, below);
        }

        @Override
        public int hashCode() {
            return 31 * sketch.hashCode() + Arrays.hashCode(below);
        }
    }

    /**
     * The per-batch-averaged aggregation ({@link StatisticsSettings.Aggregation#BATCH_MEAN}, Mondal et al.'s): per
     * neuron, sums over batches of the batch's fraction of positions above zero, of its mean and of its unbiased
     * standard deviation; divided by the batch count they are the probability, mean and std.
     *
     * <pre>{@code
     * ActivationStatistics.BatchMeans none = ActivationStatistics.BatchMeans.zeros(2, 4);
     * }</pre>
     */
    public record BatchMeans(NeuronGrid probabilitySums, NeuronGrid meanSums, NeuronGrid stdSums) {
        public BatchMeans {
            if (!probabilitySums.sameShape(meanSums) || !probabilitySums.sameShape(stdSums)) {
                throw new IllegalArgumentException("batch-mean sums of different shapes");
            }
        }

        /** The sums of no batch. */
        public static BatchMeans zeros(int layers, int neurons) {
            NeuronGrid z = NeuronGrid.filled(layers, neurons, 0);
            return new BatchMeans(z, z, z);
        }

        BatchMeans plus(BatchMeans o) {
            return new BatchMeans(probabilitySums.combine(o.probabilitySums, Double::sum),
                    meanSums.combine(o.meanSums, Double::sum), stdSums.combine(o.stdSums, Double::sum));
        }
    }

    private ActivationStatistics(Builder b) {
        this.language = Objects.requireNonNull(b.language, "language");
        this.tensor = Objects.requireNonNull(b.tensor, "tensor");
        this.layers = b.layers;
        this.neurons = b.neurons;
        this.tokens = b.tokens;
        this.batches = b.batches;
        this.overZero = check("over_zero", b.overZero);
        this.sum = check("sum", b.sum);
        this.sumSquares = check("sum_squares", b.sumSquares);
        this.min = check("min", b.min);
        this.max = check("max", b.max);
        this.percentiles = b.percentiles.clone();
        if (b.percentileSums.size() != percentiles.length) {
            throw new IllegalArgumentException("percentile_sums has " + b.percentileSums.size() + " rows for "
                    + percentiles.length + " percentiles");
        }
        b.percentileSums.forEach(g -> check("percentile_sums row", g));
        this.percentileSums = List.copyOf(b.percentileSums);
        this.info = b.info;
        if (b.relevance != null) {
            check("thresholds", b.relevance.thresholds());
            check("above_threshold_sums", b.relevance.aboveThresholdSums());
        }
        this.relevance = b.relevance;
        if (b.sketch != null && b.sketch.below.length != (long) b.sketch.sketch().edgeCount() * layers * neurons) {
            throw new IllegalArgumentException("sketch counts have " + b.sketch.below.length + " entries, expected "
                    + b.sketch.sketch().edgeCount() + " edges x " + layers * neurons + " neurons");
        }
        this.sketch = b.sketch;
        if (b.batchMeans != null) {
            check("batch_probability_sums", b.batchMeans.probabilitySums());
        }
        this.batchMeans = b.batchMeans;
    }

    private NeuronGrid check(String field, NeuronGrid g) {
        if (g.layers() != layers || g.neurons() != neurons) {
            throw new IllegalArgumentException(field + " is " + g.layers() + " x " + g.neurons() + ", expected L x I = "
                    + layers + " x " + neurons);
        }
        return g;
    }

    /**
     * A builder of statistics from their parts; per-neuron parts not given are those of no token (counts and sums 0,
     * minimum +inf, maximum -inf).
     *
     * <pre>{@code
     * ActivationStatistics s = ActivationStatistics.builder("fr", RecordedTensor.ACT, 2, 4)
     *         .tokens(10).batches(1).sum(NeuronGrid.filled(2, 4, 5.0)).build();
     * }</pre>
     */
    public static Builder builder(String language, RecordedTensor tensor, int layers, int neurons) {
        return new Builder(language, tensor, layers, neurons);
    }

    /** A builder that starts from these statistics. */
    public Builder toBuilder() {
        Builder b = new Builder(language, tensor, layers, neurons).tokens(tokens).batches(batches).overZero(overZero)
                .sum(sum).sumSquares(sumSquares).min(min).max(max).percentiles(percentiles, percentileSums)
                .info(info);
        b.relevance = relevance;
        b.sketch = sketch;
        b.batchMeans = batchMeans;
        return b;
    }

    /** Builds {@link ActivationStatistics}; see {@link ActivationStatistics#builder}. */
    public static final class Builder {
        private final String language;
        private final RecordedTensor tensor;
        private final int layers;
        private final int neurons;
        private long tokens;
        private long batches;
        private NeuronGrid overZero;
        private NeuronGrid sum;
        private NeuronGrid sumSquares;
        private NeuronGrid min;
        private NeuronGrid max;
        private double[] percentiles = new double[0];
        private List<NeuronGrid> percentileSums = List.of();
        private Map<String, String> info = Map.of();
        private Relevance relevance;
        private SketchCounts sketch;
        private BatchMeans batchMeans;

        private Builder(String language, RecordedTensor tensor, int layers, int neurons) {
            this.language = language;
            this.tensor = tensor;
            this.layers = layers;
            this.neurons = neurons;
            NeuronGrid zeros = NeuronGrid.filled(layers, neurons, 0);
            overZero = zeros;
            sum = zeros;
            sumSquares = zeros;
            min = NeuronGrid.filled(layers, neurons, Float.POSITIVE_INFINITY);
            max = NeuronGrid.filled(layers, neurons, Float.NEGATIVE_INFINITY);
        }

        /** Token positions counted. */
        public Builder tokens(long n) {
            tokens = n;
            return this;
        }

        /** Batches counted. */
        public Builder batches(long n) {
            batches = n;
            return this;
        }

        /** Positions with value > 0, per neuron. */
        public Builder overZero(NeuronGrid g) {
            overZero = g;
            return this;
        }

        /** Sum of values per neuron. */
        public Builder sum(NeuronGrid g) {
            sum = g;
            return this;
        }

        /** Sum of squared values per neuron. */
        public Builder sumSquares(NeuronGrid g) {
            sumSquares = g;
            return this;
        }

        /** Minimum per neuron. */
        public Builder min(NeuronGrid g) {
            min = g;
            return this;
        }

        /** Maximum per neuron. */
        public Builder max(NeuronGrid g) {
            max = g;
            return this;
        }

        /** The percentiles kept (in (0, 100)) and, for each, the sum over batches of the batch's percentile. */
        public Builder percentiles(double[] ps, List<NeuronGrid> sums) {
            percentiles = ps.clone();
            percentileSums = List.copyOf(sums);
            return this;
        }

        /** Free-form provenance strings (model, settings). */
        public Builder info(Map<String, String> m) {
            // in the order given, so files are written the same way every time
            info = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
            return this;
        }

        /** The relevance pass of Activation Probability p, or null. */
        public Builder relevance(Relevance r) {
            relevance = r;
            return this;
        }

        /** The global percentile sketch and its counts, or null. */
        public Builder sketch(SketchCounts s) {
            sketch = s;
            return this;
        }

        /** The per-batch sums of the batch-mean aggregation, or null (pooled). */
        public Builder batchMeans(BatchMeans m) {
            batchMeans = m;
            return this;
        }

        /** The statistics; checks every part's shape against L x I. */
        public ActivationStatistics build() {
            return new ActivationStatistics(this);
        }
    }

    /**
     * Statistics of no token yet (the start of a collection); {@code thresholds} or null for no relevance pass;
     * {@code sketch} or null for no global percentiles.
     */
    public static ActivationStatistics empty(String language, RecordedTensor tensor, int layers, int neurons,
            double[] percentiles, Map<String, String> info, NeuronGrid thresholds, PercentileSketch sketch) {
        NeuronGrid zeros = NeuronGrid.filled(layers, neurons, 0);
        return builder(language, tensor, layers, neurons)
                .percentiles(percentiles, java.util.Collections.nCopies(percentiles.length, zeros)).info(info)
                .relevance(thresholds == null ? null : new Relevance(thresholds, zeros))
                .sketch(sketch == null ? null
                        : new SketchCounts(sketch, new long[sketch.edgeCount() * layers * neurons]))
                .build();
    }

    /** The same statistics with other provenance strings. */
    public ActivationStatistics withInfo(Map<String, String> newInfo) {
        return toBuilder().info(newInfo).build();
    }

    /** The global percentile sketch's settings, or null when none was collected. */
    public PercentileSketch sketch() {
        return sketch == null ? null : sketch.sketch();
    }

    /** The sketch's counts below each edge, row-major [E, L, I] (a copy). */
    public long[] sketchBelow() {
        requireSketch();
        return sketch.below();
    }

    /**
     * The {@code percentile}-th percentile over all tokens per neuron, from the sketch (error bound: see
     * {@link PercentileSketch}).
     */
    public NeuronGrid globalPercentile(double percentile) {
        requireSketch();
        requireTokens();
        int n = layers * neurons, e = sketch.sketch().edgeCount();
        long[] all = sketch.below;
        long[] below = new long[e];
        return NeuronGrid.compute(layers, neurons, j -> {
            for (int b = 0; b < e; b++) {
                below[b] = all[b * n + j];
            }
            return sketch.sketch().quantile(below, tokens, percentile / 100, (float) min.get(j), (float) max.get(j));
        });
    }

    private void requireSketch() {
        if (sketch == null) {
            throw new IllegalStateException("statistics of " + language + " have no percentile sketch: collect "
                    + "them with the sketch mode");
        }
    }

    /** Whether these statistics include a relevance pass (thresholds and the fraction above them). */
    public boolean hasRelevance() {
        return relevance != null;
    }

    /** The relevance pass's thresholds. */
    public NeuronGrid thresholds() {
        requireRelevance();
        return relevance.thresholds();
    }

    /** Sum over batches of the fraction of positions above the threshold. */
    public NeuronGrid aboveThresholdSums() {
        requireRelevance();
        return relevance.aboveThresholdSums();
    }

    /**
     * Relevance of each neuron (Mondal et al.'s Activation Probability p, stage 2): the fraction of a batch's
     * positions above the threshold, averaged over batches.
     */
    public NeuronGrid relevance() {
        requireRelevance();
        requireBatches();
        NeuronGrid above = relevance.aboveThresholdSums();
        return NeuronGrid.compute(layers, neurons, j -> above.get(j) / batches);
    }

    private void requireRelevance() {
        if (relevance == null) {
            throw new IllegalStateException("statistics of " + language + " have no relevance pass: collect them "
                    + "with thresholds");
        }
    }

    /** The language code. */
    public String language() {
        return language;
    }

    /** The tensor the statistics are of ({@code mlp.act} or {@code mlp.gate}). */
    public RecordedTensor tensor() {
        return tensor;
    }

    /** L. */
    public int layers() {
        return layers;
    }

    /** I. */
    public int neurons() {
        return neurons;
    }

    /** Token positions counted. */
    public long tokens() {
        return tokens;
    }

    /** Batches counted (the denominator of the batch-mean percentiles). */
    public long batches() {
        return batches;
    }

    /** The percentiles kept (in 0..100). */
    public double[] percentiles() {
        return percentiles.clone();
    }

    /** Free-form provenance: model, settings. */
    public Map<String, String> info() {
        return info;
    }

    /** Count of positions with value > 0 per neuron. */
    public NeuronGrid overZero() {
        return overZero;
    }

    /** Minimum value per neuron. */
    public NeuronGrid min() {
        return min;
    }

    /** Maximum value per neuron. */
    public NeuronGrid max() {
        return max;
    }

    /** Sum per neuron. */
    public NeuronGrid sum() {
        return sum;
    }

    /** Sum of squares per neuron. */
    public NeuronGrid sumSquares() {
        return sumSquares;
    }

    /** Sum over batches of each batch's {@code percentile}-th percentile per neuron. */
    public NeuronGrid percentileSum(double percentile) {
        return percentileSums.get(percentileIndex(percentile));
    }

    private int percentileIndex(double p) {
        for (int j = 0; j < percentiles.length; j++) {
            if (percentiles[j] == p) {
                return j;
            }
        }
        throw new IllegalArgumentException("percentile " + p + " was not collected (collected: "
                + Arrays.toString(percentiles) + ")");
    }

    /** The activation counts (what LAPE needs). */
    public ActivationCounts counts() {
        requireTokens();
        return new ActivationCounts(language, tokens, overZero);
    }

    /** How the probability, mean and std were aggregated: batch-mean when per-batch sums were collected. */
    public StatisticsSettings.Aggregation aggregation() {
        return batchMeans == null ? StatisticsSettings.Aggregation.POOLED : StatisticsSettings.Aggregation.BATCH_MEAN;
    }

    /** The per-batch sums of the batch-mean aggregation, or null when pooled. */
    public BatchMeans batchMeans() {
        return batchMeans;
    }

    /**
     * Activation probability per neuron. Pooled: {@code over_zero / tokens}, in float32 as Tang et al.'s code divides
     * (the float values held exactly); batch-mean: each batch's fraction above zero, averaged over batches.
     */
    public NeuronGrid activationProbability() {
        if (batchMeans != null) {
            requireBatches();
            return NeuronGrid.compute(layers, neurons, j -> batchMeans.probabilitySums().get(j) / batches);
        }
        return counts().probability();
    }

    /** The activation probability averaged over all neurons: the share of (token, neuron) pairs above zero. */
    public double meanActivationProbability() {
        return activationProbability().average();
    }

    /** Mean value per neuron: pooled over all positions, or the batches' means averaged (batch-mean). */
    public NeuronGrid mean() {
        requireTokens();
        if (batchMeans != null) {
            return NeuronGrid.compute(layers, neurons, j -> batchMeans.meanSums().get(j) / batches);
        }
        return NeuronGrid.compute(layers, neurons, j -> sum.get(j) / tokens);
    }

    /**
     * Standard deviation per neuron: pooled, the population standard deviation of all positions; batch-mean, the
     * batches' unbiased standard deviations averaged (as {@code torch.std} per batch).
     */
    public NeuronGrid std() {
        requireTokens();
        if (batchMeans != null) {
            return NeuronGrid.compute(layers, neurons, j -> batchMeans.stdSums().get(j) / batches);
        }
        return NeuronGrid.compute(layers, neurons, j -> {
            double m = sum.get(j) / tokens;
            return Math.sqrt(Math.max(0, sumSquares.get(j) / tokens - m * m));
        });
    }

    /** The batch-mean {@code percentile}-th percentile per neuron (Mondal et al.). */
    public NeuronGrid batchMeanPercentile(double percentile) {
        requireBatches();
        NeuronGrid s = percentileSums.get(percentileIndex(percentile));
        return NeuronGrid.compute(layers, neurons, j -> s.get(j) / batches);
    }

    private void requireTokens() {
        if (tokens == 0) {
            throw new IllegalStateException("statistics of " + language + " hold no token");
        }
    }

    private void requireBatches() {
        if (batches == 0) {
            throw new IllegalStateException("statistics of " + language + " hold no batch");
        }
    }

    /**
     * The statistics of both parts together: counts, tokens and batches add, minimum and maximum combine, sums add.
     *
     * @throws IllegalArgumentException when the two are of different languages, tensors, shapes or percentiles
     */
    public ActivationStatistics merge(ActivationStatistics o) {
        if (!language.equals(o.language) || tensor != o.tensor || layers != o.layers || neurons != o.neurons
                || !Arrays.equals(percentiles, o.percentiles)
                || !Objects.equals(relevance == null ? null : relevance.thresholds(),
                        o.relevance == null ? null : o.relevance.thresholds())
                || !Objects.equals(sketch(), o.sketch()) || aggregation() != o.aggregation()) {
            throw new IllegalArgumentException("cannot merge statistics of " + describe() + " with " + o.describe());
        }
        List<NeuronGrid> ps = new ArrayList<>();
        for (int p = 0; p < percentiles.length; p++) {
            ps.add(percentileSums.get(p).combine(o.percentileSums.get(p), Double::sum));
        }
        Builder b = toBuilder().tokens(tokens + o.tokens).batches(batches + o.batches)
                .overZero(overZero.combine(o.overZero, Double::sum)).sum(sum.combine(o.sum, Double::sum))
                .sumSquares(sumSquares.combine(o.sumSquares, Double::sum)).min(min.combine(o.min, Math::min))
                .max(max.combine(o.max, Math::max)).percentiles(percentiles, ps);
        if (relevance != null) {
            b.relevance(new Relevance(relevance.thresholds(),
                    relevance.aboveThresholdSums().combine(o.relevance.aboveThresholdSums(), Double::sum)));
        }
        if (sketch != null) {
            long[] below = sketch.below, other = o.sketch.below;
            long[] sumBelow = new long[below.length];
            for (int j = 0; j < below.length; j++) {
                sumBelow[j] = below[j] + other[j];
            }
            b.sketch(new SketchCounts(sketch.sketch(), sumBelow));
        }
        if (batchMeans != null) {
            b.batchMeans(batchMeans.plus(o.batchMeans));
        }
        return b.build();
    }

    private String describe() {
        return language + " " + tensor + " " + layers + " x " + neurons + " percentiles "
                + Arrays.toString(percentiles) + (relevance == null ? "" : " with relevance thresholds")
                + (sketch == null ? "" : " with " + sketch.sketch()) + " " + aggregation().label();
    }

    /** Writes the statistics to {@code file} (atomically). */
    public void save(Path file) {
        StatisticsFile.write(this, file);
    }

    /** Reads statistics written by {@link #save}; errors name the file and the tensor or field at fault. */
    public static ActivationStatistics load(Path file) {
        return StatisticsFile.read(file);
    }

    /** Whether both hold the same values in every field (sums compared exactly). */
    public boolean sameValues(ActivationStatistics o) {
        return language.equals(o.language) && tensor == o.tensor && layers == o.layers && neurons == o.neurons
                && tokens == o.tokens && batches == o.batches && overZero.equals(o.overZero) && sum.equals(o.sum)
                && sumSquares.equals(o.sumSquares) && min.equals(o.min) && max.equals(o.max)
                && Arrays.equals(percentiles, o.percentiles) && percentileSums.equals(o.percentileSums)
                && Objects.equals(relevance, o.relevance) && Objects.equals(sketch, o.sketch)
                && Objects.equals(batchMeans, o.batchMeans);
    }

    @Override
    public String toString() {
        return "ActivationStatistics[" + language + ", " + tensor.hookSuffix() + ", " + layers + " x " + neurons
                + ", " + tokens + " tokens, " + batches + " batches]";
    }
}
