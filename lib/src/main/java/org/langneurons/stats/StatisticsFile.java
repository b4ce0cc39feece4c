package org.langneurons.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.SafetensorsFile;
import org.langneurons.io.SafetensorsWriter;
import org.langneurons.io.SafetensorsWriter.HostTensor;

/**
 * The file format of {@link ActivationStatistics}: one safetensors file with tensors {@code over_zero} I64 [L, I],
 * {@code sum}, {@code sum_squares} F64 [L, I], {@code min}, {@code max} F32 [L, I], {@code percentile_sums} F64
 * [P, L, I], and for a relevance pass {@code thresholds} F32 [L, I] and {@code above_threshold_sums} F64 [L, I], and
 * for the global percentile mode {@code sketch_below} I64 [E, L, I] (metadata {@code sketch}), and for the batch-mean
 * aggregation {@code batch_probability_sums}, {@code batch_mean_sums}, {@code batch_std_sums} F64 [L, I]; the header
 * metadata
 * holds {@code language}, {@code tensor}, {@code tokens}, {@code batches}, {@code percentiles} (comma-separated) and
 * free-form {@code info.*} strings (model, settings).
 */
final class StatisticsFile {
    private StatisticsFile() {
    }

    /** Writes {@code s} to {@code file} atomically. */
    static void write(ActivationStatistics s, Path file) {
        int layers = s.layers(), neurons = s.neurons();
        long[] shape = {layers, neurons};
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("over_zero", HostTensor.of(s.overZero().toLongArray(), shape));
        t.put("sum", HostTensor.of(s.sum().toDoubleArray(), shape));
        t.put("sum_squares", HostTensor.of(s.sumSquares().toDoubleArray(), shape));
        t.put("min", HostTensor.of(s.min().toFloatArray(), shape));
        t.put("max", HostTensor.of(s.max().toFloatArray(), shape));
        double[] ps = s.percentiles();
        int n = layers * neurons;
        double[] flat = new double[ps.length * n];
        for (int p = 0; p < ps.length; p++) {
            System.arraycopy(s.percentileSum(ps[p]).toDoubleArray(), 0, flat, p * n, n);
        }
        t.put("percentile_sums", HostTensor.of(flat, ps.length, layers, neurons));
        if (s.hasRelevance()) {
            t.put("thresholds", HostTensor.of(s.thresholds().toFloatArray(), shape));
            t.put("above_threshold_sums", HostTensor.of(s.aboveThresholdSums().toDoubleArray(), shape));
        }
        if (s.batchMeans() != null) {
            t.put("batch_probability_sums", HostTensor.of(s.batchMeans().probabilitySums().toDoubleArray(), shape));
            t.put("batch_mean_sums", HostTensor.of(s.batchMeans().meanSums().toDoubleArray(), shape));
            t.put("batch_std_sums", HostTensor.of(s.batchMeans().stdSums().toDoubleArray(), shape));
        }
        if (s.sketch() != null) {
            t.put("sketch_below", HostTensor.of(s.sketchBelow(), s.sketch().edgeCount(), layers, neurons));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("language", s.language());
        meta.put("tensor", s.tensor().hookSuffix());
        meta.put("tokens", Long.toString(s.tokens()));
        meta.put("batches", Long.toString(s.batches()));
        meta.put("percentiles", String.join(",", Arrays.stream(ps).mapToObj(Double::toString).toList()));
        if (s.sketch() != null) {
            meta.put("sketch", s.sketch().encode());
        }
        s.info().forEach((k, v) -> meta.put("info." + k, v));
        SafetensorsWriter.writeHost(file, t, meta);
    }

    /** Reads a file written by {@link #write}; errors name the file and the tensor or field at fault. */
    static ActivationStatistics read(Path file) {
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
            List<NeuronGrid> sums = new ArrayList<>();
            for (int p = 0; p < percentiles.length; p++) {
                sums.add(NeuronGrid.of(layers, neurons, Arrays.copyOfRange(flat, (int) (p * n), (int) ((p + 1) * n))));
            }
            Map<String, String> info = new LinkedHashMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith("info.")) {
                    info.put(k.substring(5), v);
                }
            });
            if (info.containsKey("tensor") && !info.containsKey("aggregation")) {
                // written before the convention settings existed: what they were collected with then
                info.put("aggregation", "pooled");
                info.put("separator", "eos");
                info.put("full_windows_only", "false");
                info.put("full_batches_only", "false");
            }
            PercentileSketch sketch;
            try {
                sketch = meta.containsKey("sketch") ? PercentileSketch.decode(meta.get("sketch")) : null;
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, "metadata field sketch: " + e.getMessage(), e);
            }
            ActivationStatistics.Builder b = ActivationStatistics.builder(language, tensor, layers, neurons)
                    .tokens(number(file, meta, "tokens")).batches(number(file, meta, "batches"))
                    .overZero(NeuronGrid.ofLongs(layers, neurons, f.readI64("over_zero", n)))
                    .sum(NeuronGrid.of(layers, neurons, f.readF64("sum", n)))
                    .sumSquares(NeuronGrid.of(layers, neurons, f.readF64("sum_squares", n)))
                    .min(NeuronGrid.ofFloats(layers, neurons, f.readF32("min", n)))
                    .max(NeuronGrid.ofFloats(layers, neurons, f.readF32("max", n)))
                    .percentiles(percentiles, sums).info(info);
            if (f.entries().containsKey("thresholds")) {
                b.relevance(new ActivationStatistics.Relevance(
                        NeuronGrid.ofFloats(layers, neurons, f.readF32("thresholds", n)),
                        NeuronGrid.of(layers, neurons, f.readF64("above_threshold_sums", n))));
            }
            if (f.entries().containsKey("batch_probability_sums")) {
                b.batchMeans(new ActivationStatistics.BatchMeans(
                        NeuronGrid.of(layers, neurons, f.readF64("batch_probability_sums", n)),
                        NeuronGrid.of(layers, neurons, f.readF64("batch_mean_sums", n)),
                        NeuronGrid.of(layers, neurons, f.readF64("batch_std_sums", n))));
            }
            if (sketch != null) {
                b.sketch(new ActivationStatistics.SketchCounts(sketch,
                        f.readI64("sketch_below", sketch.edgeCount() * n)));
            }
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, e.getMessage(), e);
            }
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
}
