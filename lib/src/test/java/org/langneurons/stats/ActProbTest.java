package org.langneurons.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.langneurons.hooks.HookContext;
import org.langneurons.hooks.HookName;
import org.langneurons.hooks.HookPoint;
import org.langneurons.neurons.ActProb;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;

/** Activation Probability p: the worked check of shared/PAPERS.md, and selection by hand. */
class ActProbTest {
    static final HookName LAYER0 = new HookName(0, HookPoint.MLP_ACT);

    /** One batch of [1, T, 1] values through fresh accumulators. */
    static ActivationStatistics oneBatch(NDManager m, float[] values, NeuronGrid thresholds) {
        ActivationStatistics empty = ActivationStatistics.empty("en", RecordedTensor.ACT, 1, 1, new double[] {90},
                Map.of(), thresholds, null);
        try (NeuronAccumulators acc = new NeuronAccumulators(m, empty, false)) {
            NDArray act = m.create(values, new Shape(1, values.length, 1));
            long[] ones = new long[values.length];
            java.util.Arrays.fill(ones, 1);
            HookContext ctx = new HookContext(0, values.length, m.create(ones, new Shape(1, values.length)));
            acc.beginBatch(values.length);
            acc.observe(LAYER0, act, ctx);
            acc.endBatch();
            return acc.snapshot();
        }
    }

    @Test
    void workedCheckOf2048DistinctValues() {
        // values 0..2047 in random order: the 90th percentile sits at index 0.9 * 2047 = 1842.3, value 1842.3;
        // 1843..2047 lie above it: 205 of 2048
        List<Float> v = new ArrayList<>();
        for (int i = 0; i < 2048; i++) {
            v.add((float) i);
        }
        Collections.shuffle(v, new Random(7));
        float[] values = new float[2048];
        for (int i = 0; i < 2048; i++) {
            values[i] = v.get(i);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            ActivationStatistics first = oneBatch(m, values, null);
            assertEquals(1842.3, first.batchMeanPercentile(90).get(0, 0), 1e-9);
            NeuronGrid thr = StatisticsCollector.thresholds(first, 90);
            ActivationStatistics second = oneBatch(m, values, thr);
            assertEquals(205 / 2048.0, second.relevance().get(0, 0), 0);
            assertEquals(0.10009765625, second.relevance().get(0, 0), 0);
        }
    }

    static ActivationStatistics withRelevance(String lang, double[] fractions) {
        int n = fractions.length;
        return ActivationStatistics.builder(lang, RecordedTensor.GATE, 2, n / 2).tokens(10).batches(1)
                .min(NeuronGrid.filled(2, n / 2, 0)).max(NeuronGrid.filled(2, n / 2, 0))
                .relevance(new ActivationStatistics.Relevance(NeuronGrid.filled(2, n / 2, 0),
                        NeuronGrid.of(2, n / 2, fractions))).build();
    }

    @Test
    void selectsTheTopRoundedRatePerLanguage() {
        // 2 x 4 neurons; rate 0.3: round(2.4) = 2 per language
        NeuronSet s = ActProb.select(ActivationProbabilities.relevance(List.of(
                withRelevance("en", new double[] {0.1, 0.9, 0.0, 0.2, 0.8, 0.0, 0.0, 0.3}),
                withRelevance("fr", new double[] {0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6, 0.0}))), 90, 0.3);
        assertArrayEquals(new int[] {1}, s.neurons("en", 0));
        assertArrayEquals(new int[] {0}, s.neurons("en", 1));
        assertArrayEquals(new int[] {0}, s.neurons("fr", 0));
        assertArrayEquals(new int[] {2}, s.neurons("fr", 1));
        assertEquals(2, s.settings().get("per_language"));
        // the paper's figure: round(0.00125 * 32 * 14336) = 573
        assertEquals(573, (int) Math.rint(ActProb.DEFAULT_RATE * 32 * 14336));
    }

    @Test
    void refusesStatisticsWithoutARelevancePass() {
        ActivationStatistics plain = ActivationStatistics.empty("en", RecordedTensor.ACT, 1, 2, new double[0],
                Map.of(), null, null);
        assertThrows(IllegalStateException.class,
                () -> ActProb.select(ActivationProbabilities.relevance(List.of(plain)), 90, 0.5));
    }

    @Test
    void randomNeuronsAreSeededDistinctAndSorted() {
        NeuronSet a = RandomNeurons.draw(List.of("en", "fr"), 3, 50, 10, 42);
        assertEquals(a, RandomNeurons.draw(List.of("en", "fr"), 3, 50, 10, 42));
        for (String lang : a.languages()) {
            assertArrayEquals(new int[] {10, 10, 10}, a.countPerLayer(lang));
        }
        NeuronSet like = RandomNeurons.matching(a, 3);
        assertArrayEquals(a.countPerLayer("fr"), like.countPerLayer("fr"));
        assertThrows(IllegalArgumentException.class, () -> RandomNeurons.draw(List.of("en"), 1, 5, 6, 0));
    }
}
