package org.langneurons.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.langneurons.Fixtures;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookName;
import org.langneurons.io.TextTokenizer;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * Statistics collected through the hook equal the same statistics computed on the host from recorded activations;
 * merged partial runs equal one run; an interrupted run resumes to the identical result.
 */
class StatisticsCollectorTest {
    static LanguageModel model;
    static final int BATCH = 3;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixtures.parity("llama"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static List<long[]> windows(int count, long seed) {
        return windows(count, seed, model);
    }

    /** {@code count} windows of 2 to 15 random token ids of {@code m}'s vocabulary (shared with the conventions). */
    static List<long[]> windows(int count, long seed, LanguageModel m) {
        Random r = new Random(seed);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long[] w = new long[2 + r.nextInt(14)];
            for (int t = 0; t < w.length; t++) {
                w[t] = r.nextInt(m.config().vocabSize());
            }
            out.add(w);
        }
        return out;
    }

    static StatisticsSettings settings(RecordedTensor tensor) {
        return StatisticsSettings.builder().tensor(tensor).batchSize(BATCH).percentiles(5, 50, 90)
                .checkpointEvery(1).build();
    }

    @ParameterizedTest
    @EnumSource(RecordedTensor.class)
    void equalsAHostComputationOverRecordedActivations(RecordedTensor tensor) {
        List<long[]> ws = windows(7, 1);       // batches of 3, 3, 1
        ActivationStatistics s = StatisticsCollector.collectWindows(model, "en", ws, settings(tensor), null,
                StatisticsCollector.Progress.NONE);
        int layers = model.config().layers(), neurons = model.config().neuronsPerLayer();
        long[] overZero = new long[layers * neurons];
        double[] sum = new double[layers * neurons];
        float[] min = new float[layers * neurons], max = new float[layers * neurons];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        double[][] pct = new double[3][layers * neurons];
        double[] ps = {5, 50, 90};
        long tokens = 0;
        for (int b = 0; b < ws.size(); b += BATCH) {
            List<long[]> part = ws.subList(b, Math.min(ws.size(), b + BATCH));
            TokenBatch batch = new TokenBatch(part, TokenBatch.Padding.RIGHT);
            try (NDManager m = model.manager().newSubManager()) {
                List<HookName> names = new ArrayList<>();
                for (int l = 0; l < layers; l++) {
                    names.add(new HookName(l, tensor.point()));
                }
                try (ActivationCache cache = ActivationCache.record(model.hooks(), m, names)) {
                    model.logits(batch, m);
                    for (int l = 0; l < layers; l++) {
                        float[] a = cache.get(names.get(l)).toFloatArray();   // [B, T, I]
                        List<float[]> rows = new ArrayList<>();            // real positions only
                        for (int i = 0; i < part.size(); i++) {
                            for (int t = 0; t < part.get(i).length; t++) {
                                int from = (i * batch.width() + t) * neurons;
                                rows.add(Arrays.copyOfRange(a, from, from + neurons));
                            }
                        }
                        for (int n = 0; n < neurons; n++) {
                            int j = l * neurons + n;
                            double[] col = new double[rows.size()];
                            for (int r = 0; r < rows.size(); r++) {
                                float v = rows.get(r)[n];
                                col[r] = v;
                                overZero[j] += v > 0 ? 1 : 0;
                                sum[j] += v;
                                min[j] = Math.min(min[j], v);
                                max[j] = Math.max(max[j], v);
                            }
                            Arrays.sort(col);
                            for (int p = 0; p < 3; p++) {
                                pct[p][j] += Percentiles.linear(col, ps[p] / 100);
                            }
                        }
                    }
                }
            }
            tokens += part.stream().mapToLong(w -> w.length).sum();
        }
        assertEquals(tokens, s.tokens());
        assertEquals(3, s.batches());
        assertArrayEquals(overZero, s.overZero().toLongArray());
        assertArrayEquals(min, s.min().toFloatArray());
        assertArrayEquals(max, s.max().toFloatArray());
        assertArrayEquals(sum, s.sum().toDoubleArray(), 1e-9);
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(pct[p], s.percentileSum(ps[p]).toDoubleArray(), 1e-9);
        }
        // the derived quantities
        NeuronGrid prob = s.activationProbability();
        assertEquals((float) overZero[neurons + 5] / tokens, (float) prob.get(1, 5));
        assertEquals(sum[7] / tokens, s.mean().get(0, 7), 1e-12);
        assertEquals(pct[2][9] / 3, s.batchMeanPercentile(90).get(0, 9), 1e-12);
        if (tensor == RecordedTensor.ACT) {
            for (float v : s.min().toFloatArray()) {
                assertTrue(v >= -0.2785f, "SiLU is bounded below by -0.2785: " + v);
            }
        }
    }

    @Test
    void withoutPercentilesTheCountsSumsAndExtremesAreTheSame() {
        // `stats --percentiles none`: no sort per batch, and exactly what LAPE and the means need
        List<long[]> ws = windows(7, 1);
        ActivationStatistics full = StatisticsCollector.collectWindows(model, "en", ws, settings(RecordedTensor.ACT),
                null, StatisticsCollector.Progress.NONE);
        ActivationStatistics counts = StatisticsCollector.collectWindows(model, "en", ws,
                settings(RecordedTensor.ACT).toBuilder().percentiles().build(), null,
                StatisticsCollector.Progress.NONE);
        assertEquals(0, counts.percentiles().length);
        assertEquals(full.overZero(), counts.overZero());
        assertEquals(full.sum(), counts.sum());
        assertEquals(full.sumSquares(), counts.sumSquares());
        assertEquals(full.min(), counts.min());
        assertEquals(full.max(), counts.max());
        assertEquals(full.tokens(), counts.tokens());
    }

    @Test
    void sketchCountsEqualABruteForceCountAndPercentilesKeepTheBound() {
        List<long[]> ws = windows(7, 11);
        PercentileSketch sketch = PercentileSketch.defaults();
        ActivationStatistics s = StatisticsCollector.collectWindows(model, "en", ws,
                settings(RecordedTensor.GATE).toBuilder().sketch(sketch).build(), null,
                StatisticsCollector.Progress.NONE);
        int layers = model.config().layers(), neurons = model.config().neuronsPerLayer(), n = layers * neurons;
        // every real position's gate values, per neuron, on the host
        List<List<Float>> values = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            values.add(new ArrayList<>());
        }
        for (int b = 0; b < ws.size(); b += BATCH) {
            List<long[]> part = ws.subList(b, Math.min(ws.size(), b + BATCH));
            TokenBatch batch = new TokenBatch(part, TokenBatch.Padding.RIGHT);
            try (NDManager m = model.manager().newSubManager()) {
                List<HookName> names = new ArrayList<>();
                for (int l = 0; l < layers; l++) {
                    names.add(HookName.mlpGate(l));
                }
                try (ActivationCache cache = ActivationCache.record(model.hooks(), m, names)) {
                    model.logits(batch, m);
                    for (int l = 0; l < layers; l++) {
                        float[] a = cache.get(names.get(l)).toFloatArray();
                        for (int i = 0; i < part.size(); i++) {
                            for (int t = 0; t < part.get(i).length; t++) {
                                for (int k = 0; k < neurons; k++) {
                                    values.get(l * neurons + k).add(a[(i * batch.width() + t) * neurons + k]);
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] edges = sketch.edges();
        long[] below = s.sketchBelow();
        for (int j = 0; j < n; j++) {
            for (int e = 0; e < edges.length; e++) {
                float edge = edges[e];
                long expected = values.get(j).stream().filter(v -> v < edge).count();
                assertEquals(expected, below[e * n + j], "neuron " + j + ", edge " + e);
            }
        }
        double[][] p90 = s.globalPercentile(90).toRows();
        for (int j = 0; j < n; j++) {
            double[] sorted = values.get(j).stream().mapToDouble(Float::doubleValue).sorted().toArray();
            double exact = sorted[(int) Math.round(0.9 * (sorted.length - 1))];
            double est = p90[j / neurons][j % neurons];
            double bound = Math.abs(exact) < sketch.minMagnitude() ? sketch.minMagnitude()
                    : sketch.alpha() * Math.abs(exact) * (1 + 1e-6);
            assertTrue(Math.abs(est - exact) <= bound, "neuron " + j + ": " + est + " vs " + exact);
        }
    }

    @Test
    void includingPaddingCountsEveryPosition() {
        List<long[]> ws = windows(4, 2);
        ActivationStatistics s = StatisticsCollector.collectWindows(model, "en", ws,
                settings(RecordedTensor.ACT).toBuilder().includePadding(true).build(), null,
                StatisticsCollector.Progress.NONE);
        long expected = 3L * ws.subList(0, 3).stream().mapToInt(w -> w.length).max().orElseThrow()
                + ws.get(3).length;
        assertEquals(expected, s.tokens());
    }

    @Test
    void partialRunsMergeIntoOneRun() {
        List<long[]> ws = windows(9, 3);
        var st = settings(RecordedTensor.ACT).toBuilder().sketch(PercentileSketch.defaults()).build();
        ActivationStatistics whole = StatisticsCollector.collectWindows(model, "fr", ws, st, null,
                StatisticsCollector.Progress.NONE);
        ActivationStatistics a = StatisticsCollector.collectWindows(model, "fr", ws.subList(0, 6), st, null,
                StatisticsCollector.Progress.NONE);
        ActivationStatistics b = StatisticsCollector.collectWindows(model, "fr", ws.subList(6, 9), st, null,
                StatisticsCollector.Progress.NONE);
        ActivationStatistics merged = a.merge(b);
        assertEquals(whole.tokens(), merged.tokens());
        assertEquals(whole.batches(), merged.batches());
        assertArrayEquals(whole.overZero().toLongArray(), merged.overZero().toLongArray());
        assertArrayEquals(whole.min().toFloatArray(), merged.min().toFloatArray());
        assertArrayEquals(whole.max().toFloatArray(), merged.max().toFloatArray());
        assertArrayEquals(whole.sum().toDoubleArray(), merged.sum().toDoubleArray(), 1e-9);
        assertArrayEquals(whole.percentileSum(90).toDoubleArray(), merged.percentileSum(90).toDoubleArray(),
                1e-9);
        assertArrayEquals(whole.sketchBelow(), merged.sketchBelow(), "sketch counts merge exactly");
        var e = assertThrows(IllegalArgumentException.class, () -> a.merge(
                StatisticsCollector.collectWindows(model, "en", ws, st, null, StatisticsCollector.Progress.NONE)));
        assertTrue(e.getMessage().contains("cannot merge statistics of fr"), e.getMessage());
    }

    @Test
    void anInterruptedRunResumesToTheIdenticalResult(@TempDir Path dir) {
        List<long[]> ws = windows(10, 4);          // 4 batches, a checkpoint after each
        var st = settings(RecordedTensor.GATE);
        ActivationStatistics unbroken = StatisticsCollector.collectWindows(model, "vi", ws, st, null,
                StatisticsCollector.Progress.NONE);
        Path out = dir.resolve("vi.safetensors");
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> StatisticsCollector.collectWindows(model, "vi", ws, st, out,
                (lang, done, total, rate) -> {
                    if (calls.incrementAndGet() == 3) {
                        throw new IllegalStateException("killed");
                    }
                }));
        assertFalse(Files.exists(out));
        assertTrue(Files.exists(dir.resolve("vi.safetensors.partial")));
        AtomicInteger resumed = new AtomicInteger();
        ActivationStatistics result = StatisticsCollector.collectWindows(model, "vi", ws, st, out,
                (lang, done, total, rate) -> resumed.incrementAndGet());
        assertEquals(2, resumed.get(), "batches 3 and 4 only");
        assertTrue(unbroken.sameValues(result));
        assertTrue(unbroken.sameValues(ActivationStatistics.load(out)));
        assertFalse(Files.exists(dir.resolve("vi.safetensors.partial")));
        // finished: returned from the file, the model is not run again
        ActivationStatistics again = StatisticsCollector.collectWindows(model, "vi", ws, st, out,
                (lang, done, total, rate) -> { throw new AssertionError("ran again"); });
        assertTrue(unbroken.sameValues(again));
        // other settings on the same file are refused, naming it
        var e = assertThrows(IllegalArgumentException.class, () -> StatisticsCollector.collectWindows(model, "vi",
                ws, st.toBuilder().seed(9).build(), out, StatisticsCollector.Progress.NONE));
        assertTrue(e.getMessage().startsWith(out.toString()), e.getMessage());
    }

    @Test
    void aStopRequestCheckpointsTheBatchesDoneAndTheSameCallResumes(@TempDir Path dir) {
        List<long[]> ws = windows(10, 4);          // 4 batches, no periodic checkpoint among them
        var st = settings(RecordedTensor.ACT).toBuilder().checkpointEvery(100).build();
        ActivationStatistics unbroken = StatisticsCollector.collectWindows(model, "ta", ws, st, null,
                StatisticsCollector.Progress.NONE);
        Path out = dir.resolve("ta.safetensors");
        AtomicInteger batches = new AtomicInteger();
        var stopAfterTwo = new StatisticsCollector.Progress() {
            @Override
            public void update(String language, long done, long total, double rate) {
                batches.incrementAndGet();
            }

            @Override
            public boolean stopRequested() {
                return batches.get() == 2;
            }
        };
        var stopped = assertThrows(StatisticsCollector.Stopped.class,
                () -> StatisticsCollector.collectWindows(model, "ta", ws, st, out, stopAfterTwo));
        Path partial = dir.resolve("ta.safetensors.partial");
        assertEquals(partial, stopped.checkpoint());
        assertTrue(stopped.getMessage().contains("ta.safetensors.partial"), stopped.getMessage());
        assertFalse(Files.exists(out));
        assertEquals("6", ActivationStatistics.load(partial).info().get("next_window"), "two batches of 3 counted");
        AtomicInteger resumed = new AtomicInteger();
        ActivationStatistics result = StatisticsCollector.collectWindows(model, "ta", ws, st, out,
                (lang, done, total, rate) -> resumed.incrementAndGet());
        assertEquals(2, resumed.get(), "batches 3 and 4 only");
        assertTrue(unbroken.sameValues(result));
        // a request during the last batch changes nothing: the result is written
        Path whole = dir.resolve("ta2.safetensors");
        var lastBatch = new StatisticsCollector.Progress() {
            int n;

            @Override
            public void update(String language, long done, long total, double rate) {
                n++;
            }

            @Override
            public boolean stopRequested() {
                return n == 4;
            }
        };
        assertTrue(unbroken.sameValues(StatisticsCollector.collectWindows(model, "ta", ws, st, whole, lastBatch)));
        assertTrue(Files.exists(whole));
    }

    @Test
    void aRelevancePassResumesAndIsSavedWithItsThresholds(@TempDir Path dir) {
        List<long[]> ws = windows(8, 5);
        var st = settings(RecordedTensor.GATE);
        ActivationStatistics first = StatisticsCollector.collectWindows(model, "hi", ws, st, null,
                StatisticsCollector.Progress.NONE);
        NeuronGrid thr = StatisticsCollector.thresholds(first, 90);
        ActivationStatistics unbroken = StatisticsCollector.collectWindows(model, "hi", ws, st, thr, null,
                StatisticsCollector.Progress.NONE);
        // the relevance of a neuron is the mean over batches of the fraction above its threshold: within [0, 1],
        // and near 0.1 on average for the batches' own 90th percentile
        double mean = 0;
        for (double[] layer : unbroken.relevance().toRows()) {
            for (double r : layer) {
                assertTrue(r >= 0 && r <= 1, "relevance " + r);
                mean += r / (layer.length * unbroken.layers());
            }
        }
        assertEquals(0.1, mean, 0.05);
        Path out = dir.resolve("hi.relevance.safetensors");
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> StatisticsCollector.collectWindows(model, "hi", ws, st, thr,
                out, (lang, done, total, rate) -> {
                    if (calls.incrementAndGet() == 2) {
                        throw new IllegalStateException("killed");
                    }
                }));
        ActivationStatistics resumed = StatisticsCollector.collectWindows(model, "hi", ws, st, thr, out,
                StatisticsCollector.Progress.NONE);
        assertTrue(unbroken.sameValues(resumed));
        assertArrayEquals(thr.toFloatArray(), ActivationStatistics.load(out).thresholds().toFloatArray());
        // other thresholds on the same file are refused
        NeuronGrid other = NeuronGrid.compute(thr.layers(), thr.neurons(),
                j -> j == 0 ? thr.get(0) + 1 : thr.get(j));
        assertThrows(IllegalArgumentException.class, () -> StatisticsCollector.collectWindows(model, "hi", ws, st,
                other, out, StatisticsCollector.Progress.NONE));
    }

    @Test
    void malformedStatisticsFilesNameTheFileAndField(@TempDir Path dir) throws Exception {
        ActivationStatistics s = StatisticsCollector.collectWindows(model, "ta", windows(3, 6),
                settings(RecordedTensor.ACT), null, StatisticsCollector.Progress.NONE);
        Path f = dir.resolve("ta.safetensors");
        s.save(f);
        assertTrue(s.sameValues(ActivationStatistics.load(f)));
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(org.langneurons.io.CheckpointException.class, () -> ActivationStatistics.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        Path g = dir.resolve("weights.safetensors");
        org.langneurons.io.SafetensorsWriter.writeHost(g, java.util.Map.of("over_zero",
                org.langneurons.io.SafetensorsWriter.HostTensor.of(new long[] {1, 2}, 1, 2)), java.util.Map.of());
        e = assertThrows(org.langneurons.io.CheckpointException.class, () -> ActivationStatistics.load(g));
        assertTrue(e.getMessage().contains("metadata field language is missing"), e.getMessage());
        var missing = assertThrows(org.langneurons.io.CheckpointException.class,
                () -> ActivationStatistics.load(dir.resolve("none.safetensors")));
        assertTrue(missing.getMessage().contains("none.safetensors"), missing.getMessage());
    }

    @Test
    void perDocumentWindowsAreShuffledCutAndBudgeted() throws Exception {
        // each document cut on its own; the budget cuts the last window
        var st = StatisticsSettings.builder().maxLength(4).tokenBudget(10).seed(5).packed(false).build();
        try (var tok = TextTokenizer.load(LanguageModel.defaultModelDirectory().resolve("tokenizer.json"))) {
            List<String> docs = List.of("the first document is here", "a second one", "and a third text");
            List<long[]> w = StatisticsCollector.windows(tok, docs, st, 2);
            assertEquals(10, w.stream().mapToInt(x -> x.length).sum());
            assertTrue(w.stream().allMatch(x -> x.length <= 4));
            assertTrue(w.stream().noneMatch(x -> Arrays.stream(x).anyMatch(id -> id == 2)), "no separator");
            assertEquals(StatisticsCollector.windows(tok, docs, st, 2).stream().map(Arrays::toString).toList(),
                    w.stream().map(Arrays::toString).toList(), "seeded: the same windows every time");
        }
    }

    @Test
    void packedWindowsCutOneStreamOfDocumentsAndSeparators() throws Exception {
        try (var tok = TextTokenizer.load(LanguageModel.defaultModelDirectory().resolve("tokenizer.json"))) {
            List<String> docs = List.of("the first document is here", "a second one", "and a third text");
            // the expected stream, by hand: the documents in shuffled order, each encoded (BOS first) then EOS
            List<String> order = new ArrayList<>(docs);
            Collections.shuffle(order, new Random(5));
            List<Long> stream = new ArrayList<>();
            for (String d : order) {
                for (long id : tok.encode(d)) {
                    stream.add(id);
                }
                stream.add(2L);
            }
            assertTrue(stream.size() > 12, "the documents give more tokens than the budget");
            var st = StatisticsSettings.builder().maxLength(5).tokenBudget(12).seed(5).build();
            List<long[]> w = StatisticsCollector.windows(tok, docs, st, 2);
            assertEquals(List.of(5, 5, 2), w.stream().map(x -> x.length).toList(), "full windows, then the rest");
            assertEquals(stream.subList(0, 12), w.stream().flatMapToLong(Arrays::stream).boxed().toList());
            assertEquals(1, w.get(0)[0], "the stream starts with the first document's BOS");

            var all = StatisticsSettings.builder().maxLength(5).seed(5).build();
            List<long[]> whole = StatisticsCollector.windows(tok, docs, all, -1);
            assertEquals(stream.stream().filter(id -> id != 2).toList(),
                    whole.stream().flatMapToLong(Arrays::stream).boxed().toList(), "no separator when negative");
        }
    }
}
