package org.langneurons.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.SafetensorsFile;
import org.langneurons.io.SafetensorsWriter;
import org.langneurons.io.SafetensorsWriter.HostTensor;

/**
 * Per-neuron activation statistics of one language: over {@code tokens} token positions, for each of L x I neurons,
 * how often it was above zero, the sum and sum of squares of its values, its minimum and maximum, and the
 * batch-mean percentiles of Mondal et al. (per batch, the linearly interpolated percentile over the batch's
 * positions, averaged over batches).
 *
 * <p>Arrays are row-major [L, I]: neuron (l, i) is entry {@code l * I + i}. Integer fields, minimum and maximum merge
 * exactly; sums are float64, so a merge equals one pass over the same batches up to float64 rounding.
 *
 * <p>Saved as one safetensors file ({@link #save}): tensors {@code over_zero} I64 [L, I], {@code sum},
 * {@code sum_squares} F64 [L, I], {@code min}, {@code max} F32 [L, I], {@code percentile_sums} F64 [P, L, I], and
 * for a relevance pass {@code thresholds} F32 [L, I] and {@code above_threshold_sums} F64 [L, I], and for the global
 * percentile mode {@code sketch_below} I64 [E, L, I] (see {@link PercentileSketch}, metadata {@code sketch}); the
 * header metadata holds {@code language}, {@code tensor}, {@code tokens}, {@code batches}, {@code percentiles}
 * (comma-separated) and free-form {@code info.*} strings (model, settings).
 *
 * <pre>{@code
 * ActivationStatistics fr = ActivationStatistics.load(Path.of("stats/fr.safetensors"));
 * float[][] p = fr.activationProbability();   // [L][I]
 * }</pre>
 */
public final class ActivationStatistics {
    private final String language;
    private final RecordedTensor tensor;
    private final int layers;
    private final int neurons;
    private final long tokens;
    private final long batches;
    private final long[] overZero;
    private final double[] sum;
    private final double[] sumSquares;
    private final float[] min;
    private final float[] max;
    private final double[] percentiles;
    private final double[][] percentileSums;
    private final Map<String, String> info;
    private final float[] thresholds;
    private final double[] aboveThresholdSums;
    private final PercentileSketch sketch;
    private final long[] sketchBelow;

    /**
     * The relevance pass of Activation Probability p: per neuron a threshold (the language's own batch-mean p-th
     * percentile from a first sample) and the sum over batches of the fraction of the batch's positions above it
     * (strictly), both row-major [L, I].
     */
    public record Relevance(float[] thresholds, double[] aboveThresholdSums) {
    }

    /** The global percentile mode: a sketch and its counts below each edge, row-major [E, L, I]. */
    public record SketchCounts(PercentileSketch sketch, long[] below) {
    }

    /**
     * Statistics as given; arrays are copied and their sizes checked against L x I.
     *
     * @param relevance    the relevance pass, or null
     * @param sketchCounts the global percentile sketch, or null
     */
    public ActivationStatistics(String language, RecordedTensor tensor, int layers, int neurons, long tokens,
            long batches, long[] overZero, double[] sum, double[] sumSquares, float[] min, float[] max,
            double[] percentiles, double[][] percentileSums, Map<String, String> info, Relevance relevance,
            SketchCounts sketchCounts) {
        float[] thresholds = relevance == null ? null : relevance.thresholds();
        double[] aboveThresholdSums = relevance == null ? null : relevance.aboveThresholdSums();
        PercentileSketch sketch = sketchCounts == null ? null : sketchCounts.sketch();
        long[] sketchBelow = sketchCounts == null ? null : sketchCounts.below();
        int n = layers * neurons;
        if (sketch != null && sketchBelow.length != (long) sketch.edgeCount() * n) {
            throw new IllegalArgumentException("sketch counts have " + sketchBelow.length + " entries, expected "
                    + sketch.edgeCount() + " edges x " + n + " neurons");
        }
        this.sketch = sketch;
        this.sketchBelow = sketchBelow == null ? null : sketchBelow.clone();
        if (thresholds != null) {
            check("thresholds", thresholds.length, n);
            check("above_threshold_sums", aboveThresholdSums.length, n);
        }
        this.thresholds = thresholds == null ? null : thresholds.clone();
        this.aboveThresholdSums = aboveThresholdSums == null ? null : aboveThresholdSums.clone();
        check("over_zero", overZero.length, n);
        check("sum", sum.length, n);
        check("sum_squares", sumSquares.length, n);
        check("min", min.length, n);
        check("max", max.length, n);
        if (percentileSums.length != percentiles.length) {
            throw new IllegalArgumentException("percentile_sums has " + percentileSums.length + " rows for "
                    + percentiles.length + " percentiles");
        }
        for (double[] row : percentileSums) {
            check("percentile_sums row", row.length, n);
        }
        this.language = language;
        this.tensor = tensor;
        this.layers = layers;
        this.neurons = neurons;
        this.tokens = tokens;
        this.batches = batches;
        this.overZero = overZero.clone();
        this.sum = sum.clone();
        this.sumSquares = sumSquares.clone();
        this.min = min.clone();
        this.max = max.clone();
        this.percentiles = percentiles.clone();
        this.percentileSums = Arrays.stream(percentileSums).map(double[]::clone).toArray(double[][]::new);
        this.info = Map.copyOf(info);
    }

    private static void check(String field, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(field + " has " + actual + " entries, expected L x I = " + expected);
        }
    }

    /**
     * Statistics of no token yet (the start of a collection); {@code thresholds} [L, I] or null for no relevance
     * pass; {@code sketch} or null for no global percentiles.
     */
    public static ActivationStatistics empty(String language, RecordedTensor tensor, int layers, int neurons,
            double[] percentiles, Map<String, String> info, float[] thresholds, PercentileSketch sketch) {
        int n = layers * neurons;
        float[] min = new float[n], max = new float[n];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        return new ActivationStatistics(language, tensor, layers, neurons, 0, 0, new long[n], new double[n],
                new double[n], min, max, percentiles, new double[percentiles.length][n], info,
                thresholds == null ? null : new Relevance(thresholds, new double[n]),
                sketch == null ? null : new SketchCounts(sketch, new long[sketch.edgeCount() * n]));
    }

    /** The same statistics with other provenance strings. */
    public ActivationStatistics withInfo(Map<String, String> newInfo) {
        return new ActivationStatistics(language, tensor, layers, neurons, tokens, batches, overZero, sum, sumSquares,
                min, max, percentiles, percentileSums, newInfo, relevancePass(), sketchCounts());
    }

    private Relevance relevancePass() {
        return thresholds == null ? null : new Relevance(thresholds, aboveThresholdSums);
    }

    private SketchCounts sketchCounts() {
        return sketch == null ? null : new SketchCounts(sketch, sketchBelow);
    }

    /** The global percentile sketch's settings, or null when none was collected. */
    public PercentileSketch sketch() {
        return sketch;
    }

    /** The sketch's counts below each edge, row-major [E, L, I] (a copy). */
    public long[] sketchBelow() {
        requireSketch();
        return sketchBelow.clone();
    }

    /**
     * The {@code percentile}-th percentile over all tokens per neuron, [L][I], from the sketch (error bound: see
     * {@link PercentileSketch}).
     */
    public double[][] globalPercentile(double percentile) {
        requireSketch();
        requireTokens();
        int n = layers * neurons, e = sketch.edgeCount();
        long[] below = new long[e];
        return perNeuron(j -> {
            for (int b = 0; b < e; b++) {
                below[b] = sketchBelow[b * n + j];
            }
            return sketch.quantile(below, tokens, percentile / 100, min[j], max[j]);
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
        return thresholds != null;
    }

    /** The relevance pass's thresholds, row-major [L, I]. */
    public float[] thresholds() {
        requireRelevance();
        return thresholds.clone();
    }

    /** Sum over batches of the fraction of positions above the threshold, row-major [L, I]. */
    public double[] aboveThresholdSums() {
        requireRelevance();
        return aboveThresholdSums.clone();
    }

    /**
     * Relevance of each neuron (Mondal et al.'s Activation Probability p, stage 2): the fraction of a batch's
     * positions above the threshold, averaged over batches, [L][I].
     */
    public double[][] relevance() {
        requireRelevance();
        if (batches == 0) {
            throw new IllegalStateException("statistics of " + language + " hold no batch");
        }
        return perNeuron(j -> aboveThresholdSums[j] / batches);
    }

    private void requireRelevance() {
        if (thresholds == null) {
            throw new IllegalStateException("statistics of " + language + " have no relevance pass: collect them "
                    + "with thresholds");
        }
    }

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

    /** Count of positions with value > 0, row-major [L, I] (a copy). */
    public long[] overZero() {
        return overZero.clone();
    }

    /** Minimum value per neuron, row-major [L, I]. */
    public float[] min() {
        return min.clone();
    }

    /** Maximum value per neuron, row-major [L, I]. */
    public float[] max() {
        return max.clone();
    }

    /** Sum per neuron, row-major [L, I]. */
    public double[] sum() {
        return sum.clone();
    }

    /** Sum of squares per neuron, row-major [L, I]. */
    public double[] sumSquares() {
        return sumSquares.clone();
    }

    /** Sum over batches of each batch's {@code percentile}-th percentile, row-major [L, I]. */
    public double[] percentileSum(double percentile) {
        return percentileSums[percentileIndex(percentile)].clone();
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
        return new ActivationCounts(language, tokens, layers, neurons, overZero);
    }

    /**
     * Activation probability {@code over_zero / tokens} per neuron, [L][I], in float32 as Tang et al.'s code
     * divides.
     */
    public float[][] activationProbability() {
        requireTokens();
        float[][] p = new float[layers][neurons];
        for (int j = 0; j < overZero.length; j++) {
            p[j / neurons][j % neurons] = (float) overZero[j] / (float) tokens;
        }
        return p;
    }

    /** Mean value per neuron, [L][I]. */
    public double[][] mean() {
        requireTokens();
        return perNeuron(j -> sum[j] / tokens);
    }

    /** Population standard deviation per neuron, [L][I]. */
    public double[][] std() {
        requireTokens();
        return perNeuron(j -> {
            double m = sum[j] / tokens;
            return Math.sqrt(Math.max(0, sumSquares[j] / tokens - m * m));
        });
    }

    /** The batch-mean {@code percentile}-th percentile per neuron (Mondal et al.), [L][I]. */
    public double[][] batchMeanPercentile(double percentile) {
        if (batches == 0) {
            throw new IllegalStateException("statistics of " + language + " hold no batch");
        }
        double[] s = percentileSums[percentileIndex(percentile)];
        return perNeuron(j -> s[j] / batches);
    }

    private void requireTokens() {
        if (tokens == 0) {
            throw new IllegalStateException("statistics of " + language + " hold no token");
        }
    }

    private double[][] perNeuron(java.util.function.IntToDoubleFunction f) {
        double[][] out = new double[layers][neurons];
        for (int j = 0; j < layers * neurons; j++) {
            out[j / neurons][j % neurons] = f.applyAsDouble(j);
        }
        return out;
    }

    /**
     * The statistics of both parts together: counts, tokens and batches add, minimum and maximum combine, sums add.
     *
     * @throws IllegalArgumentException when the two are of different languages, tensors, shapes or percentiles
     */
    public ActivationStatistics merge(ActivationStatistics o) {
        if (!language.equals(o.language) || tensor != o.tensor || layers != o.layers || neurons != o.neurons
                || !Arrays.equals(percentiles, o.percentiles) || !Arrays.equals(thresholds, o.thresholds)
                || !java.util.Objects.equals(sketch, o.sketch)) {
            throw new IllegalArgumentException("cannot merge statistics of " + describe() + " with " + o.describe());
        }
        int n = layers * neurons;
        long[] oz = new long[n];
        double[] s = new double[n], sq = new double[n];
        float[] mn = new float[n], mx = new float[n];
        double[][] ps = new double[percentiles.length][n];
        double[] above = thresholds == null ? null : new double[n];
        for (int j = 0; j < n; j++) {
            if (above != null) {
                above[j] = aboveThresholdSums[j] + o.aboveThresholdSums[j];
            }
            oz[j] = overZero[j] + o.overZero[j];
            s[j] = sum[j] + o.sum[j];
            sq[j] = sumSquares[j] + o.sumSquares[j];
            mn[j] = Math.min(min[j], o.min[j]);
            mx[j] = Math.max(max[j], o.max[j]);
            for (int p = 0; p < percentiles.length; p++) {
                ps[p][j] = percentileSums[p][j] + o.percentileSums[p][j];
            }
        }
        return new ActivationStatistics(language, tensor, layers, neurons, tokens + o.tokens, batches + o.batches,
                oz, s, sq, mn, mx, percentiles, ps, info, above == null ? null : new Relevance(thresholds, above),
                sketch == null ? null : new SketchCounts(sketch, addAll(sketchBelow, o.sketchBelow)));
    }

    private static long[] addAll(long[] a, long[] b) {
        if (a == null) {
            return null;
        }
        long[] out = new long[a.length];
        for (int j = 0; j < a.length; j++) {
            out[j] = a[j] + b[j];
        }
        return out;
    }

    private String describe() {
        return language + " " + tensor + " " + layers + " x " + neurons + " percentiles "
                + Arrays.toString(percentiles) + (thresholds == null ? "" : " with relevance thresholds")
                + (sketch == null ? "" : " with " + sketch);
    }

    // ---- file ----

    /** Writes the statistics to {@code file} (atomically). */
    public void save(Path file) {
        long[] shape = {layers, neurons};
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("over_zero", HostTensor.of(overZero, shape));
        t.put("sum", HostTensor.of(sum, shape));
        t.put("sum_squares", HostTensor.of(sumSquares, shape));
        t.put("min", HostTensor.of(min, shape));
        t.put("max", HostTensor.of(max, shape));
        double[] flat = new double[percentiles.length * layers * neurons];
        for (int p = 0; p < percentiles.length; p++) {
            System.arraycopy(percentileSums[p], 0, flat, p * layers * neurons, layers * neurons);
        }
        t.put("percentile_sums", HostTensor.of(flat, percentiles.length, layers, neurons));
        if (thresholds != null) {
            t.put("thresholds", HostTensor.of(thresholds, shape));
            t.put("above_threshold_sums", HostTensor.of(aboveThresholdSums, shape));
        }
        if (sketch != null) {
            t.put("sketch_below", HostTensor.of(sketchBelow, sketch.edgeCount(), layers, neurons));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("language", language);
        meta.put("tensor", tensor.hookSuffix());
        meta.put("tokens", Long.toString(tokens));
        meta.put("batches", Long.toString(batches));
        meta.put("percentiles", String.join(",", Arrays.stream(percentiles).mapToObj(Double::toString).toList()));
        if (sketch != null) {
            meta.put("sketch", sketch.encode());
        }
        info.forEach((k, v) -> meta.put("info." + k, v));
        SafetensorsWriter.writeHost(file, t, meta);
    }

    /** Reads statistics written by {@link #save}; errors name the file and the tensor or field at fault. */
    public static ActivationStatistics load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "no statistics file here");
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> meta = f.metadata();
            String language = required(file, meta, "language");
            RecordedTensor tensor;
            try {
                tensor = RecordedTensor.parse(required(file, meta, "tensor"));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, "metadata field tensor: " + e.getMessage(), e);
            }
            long[] shape = f.entry("over_zero").shape();
            if (shape.length != 2) {
                throw new CheckpointException(file, "tensor 'over_zero' has shape " + Arrays.toString(shape)
                        + ", expected [layers, neurons]");
            }
            int layers = (int) shape[0], neurons = (int) shape[1];
            long n = (long) layers * neurons;
            String ps = required(file, meta, "percentiles");
            double[] percentiles;
            try {
                percentiles = ps.isEmpty() ? new double[0]
                        : Arrays.stream(ps.split(",")).mapToDouble(Double::parseDouble).toArray();
            } catch (NumberFormatException e) {
                throw new CheckpointException(file, "metadata field percentiles is not a list of numbers: " + ps, e);
            }
            double[] flat = f.readF64("percentile_sums", percentiles.length * n);
            double[][] sums = new double[percentiles.length][];
            for (int p = 0; p < percentiles.length; p++) {
                sums[p] = Arrays.copyOfRange(flat, (int) (p * n), (int) ((p + 1) * n));
            }
            Map<String, String> info = new LinkedHashMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith("info.")) {
                    info.put(k.substring(5), v);
                }
            });
            boolean relevance = f.entries().containsKey("thresholds");
            PercentileSketch sketch;
            try {
                sketch = meta.containsKey("sketch") ? PercentileSketch.decode(meta.get("sketch")) : null;
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, "metadata field sketch: " + e.getMessage(), e);
            }
            return new ActivationStatistics(language, tensor, layers, neurons,
                    number(file, meta, "tokens"), number(file, meta, "batches"), f.readI64("over_zero", n),
                    f.readF64("sum", n), f.readF64("sum_squares", n), f.readF32("min", n), f.readF32("max", n),
                    percentiles, sums, info,
                    relevance ? new Relevance(f.readF32("thresholds", n), f.readF64("above_threshold_sums", n)) : null,
                    sketch == null ? null : new SketchCounts(sketch, f.readI64("sketch_below", sketch.edgeCount() * n)));
        }
    }

    private static String required(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new CheckpointException(file, "metadata field " + key + " is missing");
        }
        return v;
    }

    private static long number(Path file, Map<String, String> meta, String key) {
        String v = required(file, meta, key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, "metadata field " + key + " is not an integer: " + v, e);
        }
    }

    /** Whether both hold the same values in every field (sums compared exactly). */
    public boolean sameValues(ActivationStatistics o) {
        return language.equals(o.language) && tensor == o.tensor && layers == o.layers && neurons == o.neurons
                && tokens == o.tokens && batches == o.batches && Arrays.equals(overZero, o.overZero)
                && Arrays.equals(sum, o.sum) && Arrays.equals(sumSquares, o.sumSquares) && Arrays.equals(min, o.min)
                && Arrays.equals(max, o.max) && Arrays.equals(percentiles, o.percentiles)
                && Arrays.deepEquals(percentileSums, o.percentileSums) && Arrays.equals(thresholds, o.thresholds)
                && Arrays.equals(aboveThresholdSums, o.aboveThresholdSums) && java.util.Objects.equals(sketch, o.sketch)
                && Arrays.equals(sketchBelow, o.sketchBelow);
    }

    @Override
    public String toString() {
        return "ActivationStatistics[" + language + ", " + tensor.hookSuffix() + ", " + layers + " x " + neurons
                + ", " + tokens + " tokens, " + batches + " batches]";
    }
}
