package org.langneurons.intervention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.langneurons.Fixtures;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookName;
import org.langneurons.model.Generation;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.NeuronGrid;
import org.langneurons.stats.RecordedTensor;

/**
 * Through cached activations: exactly the targeted neurons change, at the targeted positions, to the intended
 * values, and nothing else of the layer does; generation with and without the KV cache agrees under an
 * intervention.
 */
class InterventionTest {
    static LanguageModel model;
    static final long[] IDS = {1, 283, 108, 148, 198, 86, 511, 20};
    static final int I = 176;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixtures.parity("llama"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Neurons 3 and 7 of layer 1 for "fr"; nothing for "en". */
    static NeuronSet set() {
        return new NeuronSet("test", Map.of(), List.of("fr", "en"), 2, I,
                Map.of("fr", new int[][] {{}, {3, 7}}, "en", new int[][] {{}, {}}));
    }

    /** Layer {@code l}'s neurons [T][I] of one forward of IDS, with whatever hooks are registered. */
    static float[][] neurons(int l) {
        try (NDManager m = model.manager().newSubManager();
                ActivationCache c = ActivationCache.record(model.hooks(), m, HookName.mlpAct(l))) {
            model.logits(TokenBatch.of(IDS), m);
            float[] flat = c.get(HookName.mlpAct(l)).toFloatArray();
            float[][] out = new float[IDS.length][I];
            for (int t = 0; t < IDS.length; t++) {
                System.arraycopy(flat, t * I, out[t], 0, I);
            }
            return out;
        }
    }

    interface Expected {
        float value(float before, int t, int neuron);
    }

    static void assertOnlyTargetsChanged(Intervention iv, Expected expected) {
        float[][] before = neurons(1);
        float[][] before0 = neurons(0);
        float[][] after;
        try (HookHandle h = iv.apply(model)) {
            after = neurons(1);
            assertArrayEquals(before0[2], neurons(0)[2], "layer 0 is untouched");
        }
        for (int t = 0; t < IDS.length; t++) {
            for (int n = 0; n < I; n++) {
                float want = (n == 3 || n == 7) ? expected.value(before[t][n], t, n) : before[t][n];
                assertEquals(want, after[t][n], 0f, "position " + t + ", neuron " + n);
            }
        }
        // removed: back to the original
        assertArrayEquals(before[4], neurons(1)[4]);
    }

    @Test
    void setScaleAndAddChangeExactlyTheTargets() {
        assertOnlyTargetsChanged(Intervention.set(set(), "fr", 0f), (a, t, n) -> 0f);
        assertOnlyTargetsChanged(Intervention.set(set(), "fr", 2.5f), (a, t, n) -> 2.5f);
        assertOnlyTargetsChanged(Intervention.scale(set(), "fr", 3f), (a, t, n) -> a * 3f);
        assertOnlyTargetsChanged(Intervention.add(set(), "fr", -0.75f), (a, t, n) -> a + -0.75f);
    }

    @Test
    void oneNeuronOfOneLayer() {
        float[][] before = neurons(1);
        float[][] after;
        try (HookHandle h = Intervention.setOne(model.config().layers(), 1, 3, 4f).apply(model)) {
            after = neurons(1);
        }
        for (int t = 0; t < IDS.length; t++) {
            for (int n = 0; n < I; n++) {
                assertEquals(n == 3 ? 4f : before[t][n], after[t][n], 0f, "position " + t + ", neuron " + n);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Intervention.setOne(2, 2, 0, 1f));
    }

    @Test
    void statisticsGivePerNeuronValues() {
        // a language's mean: neuron (1, 3) -> 0.25, (1, 7) -> -1.5 (sums over 4 tokens)
        double[] sum = new double[2 * I];
        sum[I + 3] = 1.0;
        sum[I + 7] = -6.0;
        float[] zeros = new float[2 * I];
        ActivationStatistics s = ActivationStatistics.builder("fr", RecordedTensor.GATE, 2, I).tokens(4).batches(1)
                .sum(NeuronGrid.of(2, I, sum)).min(NeuronGrid.ofFloats(2, I, zeros))
                .max(NeuronGrid.ofFloats(2, I, zeros))
                .percentiles(new double[] {90}, List.of(NeuronGrid.filled(2, I, 0))).build();
        assertOnlyTargetsChanged(Intervention.setToStatistic(set(), "fr", s, InterventionValue.Statistic.mean(
                RecordedTensor.GATE)), (a, t, n) -> n == 3 ? 0.25f : -1.5f);
        assertOnlyTargetsChanged(Intervention.setToStatistic(set(), "fr", s,
                InterventionValue.Statistic.percentile(90, RecordedTensor.GATE)), (a, t, n) -> 0f);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Intervention.setTo(set(), "fr", InterventionValue.parse("median"), lang -> s));
        assertTrue(e.getMessage().contains("unknown statistic 'median'"), e.getMessage());
    }

    @Test
    void interventionsComposeInOrder() {
        float[][] before = neurons(1);
        try (HookHandle h = Intervention.applyAll(model, List.of(Intervention.set(set(), "fr", 2f),
                Intervention.scale(set(), "fr", 3f)))) {
            float[][] after = neurons(1);
            assertEquals(6f, after[5][3], 0f);
            assertEquals(before[5][4], after[5][4], 0f);
        }
        try (HookHandle h = Intervention.set(set(), "en", 9f).apply(model)) {
            assertArrayEquals(before[1], neurons(1)[1], "a language without neurons changes nothing");
        }
    }

    @Test
    void positionsDuringCachedAndUncachedGeneration() {
        long[] prompt = {1, 283, 108, 148};
        for (Intervention.Positions where : Intervention.Positions.values()) {
            Intervention iv = Intervention.set(set(), "fr", 4f).at(where);
            List<long[]> tokens = new java.util.ArrayList<>();
            for (boolean cache : new boolean[] {true, false}) {
                try (HookHandle h = iv.apply(model); NDManager m = model.manager().newSubManager();
                        ActivationCache c = ActivationCache.record(model.hooks(), m, HookName.mlpAct(1))) {
                    Generation g = model.generate(List.of(prompt), GenerationConfig.greedy(5).withStopAtEos(false)
                            .withCache(cache));
                    tokens.add(g.tokens().get(0));
                    if (cache) {
                        // prompt (4 positions), then one position per step: 4 + 4 recorded (the 5th token is not fed)
                        float[] a = c.get(HookName.mlpAct(1)).toFloatArray();
                        int positions = a.length / I;
                        assertEquals(8, positions);
                        for (int t = 0; t < positions; t++) {
                            boolean targeted = where == Intervention.Positions.ALL
                                    || (where == Intervention.Positions.PROMPT) == (t < prompt.length);
                            if (targeted) {
                                assertEquals(4f, a[t * I + 3], 0f, where + " position " + t);
                            } else {
                                assertNotEquals(4f, a[t * I + 3], where + " position " + t);
                            }
                        }
                    }
                }
            }
            assertArrayEquals(tokens.get(0), tokens.get(1), where + ": cached and uncached generation agree");
        }
    }
}
