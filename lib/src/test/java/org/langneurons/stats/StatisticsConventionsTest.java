package org.langneurons.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.Fixtures;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookName;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * The papers' statistics conventions as options: pooled vs per-batch-averaged probability, mean and std; padding
 * counted or not; the separator between documents; full windows and batches only. Hand-computed cases, then the
 * collector against the same quantities computed on the host.
 */
class StatisticsConventionsTest {
    static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixtures.parity("llama"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** {@code count} windows of 2 to 15 random token ids. */
    static List<long[]> windows(int count, long seed) {
        return StatisticsCollectorTest.windows(count, seed, model);
    }

    static final StatisticsSettings BATCH_MEAN = StatisticsSettings.builder().batchSize(3).percentiles()
            .checkpointEvery(1).aggregation(StatisticsSettings.Aggregation.BATCH_MEAN).build();

    @Test
    void pooledAndBatchMeanByHandOnTwoBatchesOfDifferentSizes() {
        // one neuron; batch 1: [1, -1], batch 2: [1, 1, 1, -1]
        //   pooled:     P = 4 / 6, mean = 2 / 6, population std = sqrt(1 - 1/9)
        //   batch-mean: P = (1/2 + 3/4) / 2, mean = (0 + 1/2) / 2, unbiased std = (sqrt(2) + sqrt(3/3)) / 2
        ActivationStatistics start = ActivationStatistics.empty("en", RecordedTensor.ACT, 1, 1, new double[0],
                Map.of(), null, null).toBuilder().batchMeans(ActivationStatistics.BatchMeans.zeros(1, 1)).build();
        ActivationStatistics s;
        try (NDManager m = NDManager.newBaseManager();
                NeuronAccumulators acc = new NeuronAccumulators(m, start, true)) {
            for (float[] batch : new float[][] {{1, -1}, {1, 1, 1, -1}}) {
                acc.beginBatch(batch.length);
                acc.observe(HookName.mlpAct(0), m.create(batch, new Shape(1, batch.length, 1)), null);
                acc.endBatch();
            }
            s = acc.snapshot();
        }
        assertEquals(StatisticsSettings.Aggregation.BATCH_MEAN, s.aggregation());
        assertEquals(0.625, s.activationProbability().get(0, 0), 1e-15);
        assertEquals(0.25, s.mean().get(0, 0), 1e-15);
        assertEquals((Math.sqrt(2) + 1) / 2, s.std().get(0, 0), 1e-15);
        ActivationStatistics pooled = s.toBuilder().batchMeans(null).build();
        assertEquals(StatisticsSettings.Aggregation.POOLED, pooled.aggregation());
        assertEquals((float) (4 / 6.0), pooled.activationProbability().get(0, 0), 0);
        assertEquals(1 / 3.0, pooled.mean().get(0, 0), 1e-15);
        assertEquals(Math.sqrt(8 / 9.0), pooled.std().get(0, 0), 1e-15);
        // the batch-mean probability is what LAPE gets
        var p = LanguageStatistics.of(List.of(s)).activationProbabilities();
        assertEquals(0.625, p.of("en").get(0, 0), 1e-15);
    }

    /** Per batch on the host: fraction above zero, mean and unbiased std of the counted positions, averaged. */
    static double[][] batchMeansOnHost(List<long[]> ws, int batchSize, boolean padding) {
        int layers = model.config().layers(), neurons = model.config().neuronsPerLayer(), n = layers * neurons;
        double[][] out = new double[3][n];
        int batches = 0;
        for (int b = 0; b < ws.size(); b += batchSize) {
            List<long[]> part = ws.subList(b, Math.min(ws.size(), b + batchSize));
            TokenBatch batch = new TokenBatch(part, TokenBatch.Padding.RIGHT);
            batches++;
            try (NDManager m = model.manager().newSubManager()) {
                List<HookName> names = new ArrayList<>();
                for (int l = 0; l < layers; l++) {
                    names.add(HookName.mlpAct(l));
                }
                try (ActivationCache cache = ActivationCache.record(model.hooks(), m, names)) {
                    model.logits(batch, m);
                    for (int l = 0; l < layers; l++) {
                        float[] a = cache.get(names.get(l)).toFloatArray();     // [B, T, I]
                        for (int k = 0; k < neurons; k++) {
                            List<Double> col = new ArrayList<>();
                            for (int i = 0; i < part.size(); i++) {
                                int len = padding ? batch.width() : part.get(i).length;
                                for (int t = 0; t < len; t++) {
                                    col.add((double) a[(i * batch.width() + t) * neurons + k]);
                                }
                            }
                            double mean = col.stream().mapToDouble(x -> x).average().orElseThrow();
                            double ss = col.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
                            out[0][l * neurons + k] += col.stream().filter(x -> x > 0).count() / (double) col.size();
                            out[1][l * neurons + k] += mean;
                            out[2][l * neurons + k] += Math.sqrt(ss / (col.size() - 1));
                        }
                    }
                }
            }
        }
        for (double[] row : out) {
            for (int j = 0; j < n; j++) {
                row[j] /= batches;
            }
        }
        return out;
    }

    @Test
    void batchMeanEqualsAHostComputationWithAndWithoutPadding() {
        List<long[]> ws = windows(5, 21);      // batches of 3 and 2, padded
        for (boolean padding : new boolean[] {false, true}) {
            ActivationStatistics s = StatisticsCollector.collectWindows(model, "en", ws,
                    BATCH_MEAN.toBuilder().includePadding(padding).build(), null, StatisticsCollector.Progress.NONE);
            double[][] host = batchMeansOnHost(ws, 3, padding);
            assertArrayEquals(host[0], s.activationProbability().toDoubleArray(), 1e-12, "padding " + padding);
            assertArrayEquals(host[1], s.mean().toDoubleArray(), 1e-6, "padding " + padding);
            assertArrayEquals(host[2], s.std().toDoubleArray(), 1e-5, "padding " + padding);
        }
        // padding counted: every one of the B x T positions, per batch
        int w1 = ws.subList(0, 3).stream().mapToInt(w -> w.length).max().orElseThrow();
        int w2 = ws.subList(3, 5).stream().mapToInt(w -> w.length).max().orElseThrow();
        ActivationStatistics padded = StatisticsCollector.collectWindows(model, "en", ws,
                BATCH_MEAN.toBuilder().includePadding(true).build(), null, StatisticsCollector.Progress.NONE);
        assertEquals(3L * w1 + 2L * w2, padded.tokens());
    }

    @Test
    void fullBatchesOnlyDropsTheShortLastBatch() {
        List<long[]> ws = windows(7, 22);      // 3, 3 and 1: the 1 is dropped
        ActivationStatistics s = StatisticsCollector.collectWindows(model, "en", ws,
                BATCH_MEAN.toBuilder().fullBatchesOnly(true).build(), null, StatisticsCollector.Progress.NONE);
        assertEquals(2, s.batches());
        assertEquals(ws.subList(0, 6).stream().mapToLong(w -> w.length).sum(), s.tokens());
        var e = assertThrows(IllegalArgumentException.class, () -> StatisticsCollector.collectWindows(model, "fr",
                ws.subList(0, 2), BATCH_MEAN.toBuilder().fullBatchesOnly(true).build(), null,
                StatisticsCollector.Progress.NONE));
        assertTrue(e.getMessage().contains("fr has 2 windows, fewer than one full batch of 3"), e.getMessage());
    }

    @Test
    void filesWrittenBeforeTheConventionSettingsReadAsThePooledEosDefaults(@TempDir Path dir) {
        StatisticsSettings pooled = StatisticsSettings.builder().maxLength(8).batchSize(3).build();
        ActivationStatistics s = StatisticsCollector.collectWindows(model, "en", windows(4, 24), pooled, null,
                StatisticsCollector.Progress.NONE);
        Map<String, String> old = new java.util.LinkedHashMap<>(s.info());
        for (String key : List.of("aggregation", "separator", "full_windows_only", "full_batches_only")) {
            assertTrue(old.remove(key) != null, key + " is recorded");
        }
        Path file = dir.resolve("en.safetensors");
        s.withInfo(old).save(file);
        assertEquals(s.info(), ActivationStatistics.load(file).info());
    }

    @Test
    void batchMeansMergeAndResumeExactly(@TempDir Path dir) {
        List<long[]> ws = windows(10, 23);     // 4 batches, a checkpoint after each
        ActivationStatistics whole = StatisticsCollector.collectWindows(model, "vi", ws, BATCH_MEAN, null,
                StatisticsCollector.Progress.NONE);
        ActivationStatistics merged = StatisticsCollector.collectWindows(model, "vi", ws.subList(0, 6), BATCH_MEAN,
                null, StatisticsCollector.Progress.NONE).merge(StatisticsCollector.collectWindows(model, "vi",
                        ws.subList(6, 10), BATCH_MEAN, null, StatisticsCollector.Progress.NONE));
        assertEquals(whole.batches(), merged.batches());
        assertArrayEquals(whole.activationProbability().toDoubleArray(),
                merged.activationProbability().toDoubleArray(), 1e-12);
        assertArrayEquals(whole.std().toDoubleArray(), merged.std().toDoubleArray(), 1e-12);
        ActivationStatistics pooled = StatisticsCollector.collectWindows(model, "vi", ws,
                BATCH_MEAN.toBuilder().aggregation(StatisticsSettings.Aggregation.POOLED).build(), null,
                StatisticsCollector.Progress.NONE);
        var e = assertThrows(IllegalArgumentException.class, () -> whole.merge(pooled));
        assertTrue(e.getMessage().contains("batch-mean") && e.getMessage().contains("pooled"), e.getMessage());

        Path out = dir.resolve("vi.safetensors");
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> StatisticsCollector.collectWindows(model, "vi", ws,
                BATCH_MEAN, out, (lang, done, total, rate) -> {
                    if (calls.incrementAndGet() == 3) {
                        throw new IllegalStateException("killed");
                    }
                }));
        ActivationStatistics resumed = StatisticsCollector.collectWindows(model, "vi", ws, BATCH_MEAN, out,
                StatisticsCollector.Progress.NONE);
        assertTrue(whole.sameValues(resumed));
        ActivationStatistics read = ActivationStatistics.load(out);
        assertTrue(whole.sameValues(read), "the per-batch sums are saved");
        assertEquals("batch-mean", read.info().get("aggregation"));
        assertEquals("eos", read.info().get("separator"));
        assertEquals("false", read.info().get("full_windows_only"));
        // languages collected under different conventions are not compared
        var mixed = assertThrows(IllegalArgumentException.class, () -> LanguageStatistics.of(List.of(read,
                StatisticsCollector.collectWindows(model, "fr", ws, BATCH_MEAN.toBuilder().includePadding(true)
                        .build(), null, StatisticsCollector.Progress.NONE))));
        assertTrue(mixed.getMessage().contains("include_padding=true"), mixed.getMessage());
    }

    @Test
    void separatorAndFullWindowsShapeThePackedStream() throws Exception {
        List<String> docs = List.of("the first document is here", "a second one", "and a third text");
        try (LanguageModel def = LanguageModel.defaultModel()) {
            long eos = def.config().eosTokenIds().get(0);
            var eosWindows = StatisticsCollector.windows(def, docs,
                    StatisticsSettings.builder().maxLength(5).build());
            var none = StatisticsCollector.windows(def, docs, StatisticsSettings.builder().maxLength(5)
                    .separator(StatisticsSettings.Separator.NONE).build());
            long[] withEos = eosWindows.stream().flatMapToLong(Arrays::stream).toArray();
            long[] without = none.stream().flatMapToLong(Arrays::stream).toArray();
            assertEquals(3, Arrays.stream(withEos).filter(id -> id == eos).count(), "one EOS after each document");
            assertArrayEquals(Arrays.stream(withEos).filter(id -> id != eos).toArray(), without);
            // 12 tokens in windows of 5: 5, 5 and a short 2, dropped with fullWindowsOnly (both papers' code)
            var full = StatisticsCollector.windows(def, docs, StatisticsSettings.builder().maxLength(5)
                    .tokenBudget(12).fullWindowsOnly(true).build());
            assertEquals(List.of(5, 5), full.stream().map(w -> w.length).toList());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> StatisticsSettings.builder().packed(false)
                .fullWindowsOnly(true).build());
        assertTrue(e.getMessage().contains("fullWindowsOnly"), e.getMessage());
        assertEquals(StatisticsSettings.Aggregation.BATCH_MEAN, StatisticsSettings.Aggregation.parse("batch-mean"));
        var bad = assertThrows(IllegalArgumentException.class, () -> StatisticsSettings.Separator.parse("bos"));
        assertTrue(bad.getMessage().contains("eos or none"), bad.getMessage());
    }
}
