package org.langneurons.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-neuron grid, the selection input and the per-language collection, on values worked out by hand. */
class NeuronGridTest {
    @Test
    void rowMajorAccessAndExactRoundTrips() {
        NeuronGrid g = NeuronGrid.of(2, 3, new double[] {0, 1, 2, 10, 11, 12});
        assertEquals(11, g.get(1, 1));
        assertEquals(12, g.get(5));
        assertArrayEquals(new float[] {10, 11, 12}, g.layer(1));
        assertArrayEquals(new float[] {12, 10}, g.at(1, new int[] {2, 0}));
        assertArrayEquals(new double[][] {{0, 1, 2}, {10, 11, 12}}, g.toRows());
        assertEquals(NeuronGrid.ofRows(new double[][] {{0, 1, 2}, {10, 11, 12}}), g);
        assertEquals(6.0, g.average(), 0);
        // counts up to 2^53 and float32 values come back exactly
        long big = (1L << 53) - 1;
        assertArrayEquals(new long[] {big, 0, 7}, NeuronGrid.ofLongs(1, 3, new long[] {big, 0, 7}).toLongArray());
        float[] f = {0.1f, -0.2785f, Float.MIN_VALUE};
        assertArrayEquals(f, NeuronGrid.ofFloats(1, 3, f).toFloatArray());
        assertThrows(IndexOutOfBoundsException.class, () -> g.get(2, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> NeuronGrid.of(2, 3, new double[5]));
        assertTrue(e.getMessage().contains("needs 6 values, got 5"), e.getMessage());
    }

    @Test
    void mapCombineAndOrder() {
        NeuronGrid a = NeuronGrid.of(1, 4, new double[] {3, 1, 3, 2});
        NeuronGrid b = NeuronGrid.filled(1, 4, 1);
        assertEquals(NeuronGrid.of(1, 4, new double[] {4, 2, 4, 3}), a.combine(b, Double::sum));
        assertEquals(NeuronGrid.of(1, 4, new double[] {6, 2, 6, 4}), a.map(v -> 2 * v));
        // descending, ties in index order
        assertArrayEquals(new int[] {0, 2, 3, 1}, a.descendingOrder());
        assertThrows(IllegalArgumentException.class, () -> a.combine(NeuronGrid.filled(2, 2, 0), Double::sum));
        assertNotEquals(a, b);
    }

    @Test
    void activationProbabilitiesDivideInFloat32AndCheckTheirInput() {
        // 1 / 3 in float32 differs from 1 / 3 in float64: the grid holds the float32 value
        ActivationCounts en = new ActivationCounts("en", 3, NeuronGrid.ofLongs(1, 2, new long[] {1, 3}));
        ActivationProbabilities p = ActivationProbabilities.aboveZero(List.of(en));
        assertEquals((double) (1f / 3f), p.of("en").get(0), 0);
        assertNotEquals(1.0 / 3, p.of("en").get(0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ActivationCounts("fr", 3, NeuronGrid.ofLongs(1, 2, new long[] {4, 0})));
        assertTrue(e.getMessage().contains("over_zero of fr at (0, 0) is 4, outside [0, n = 3]"), e.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> new ActivationProbabilities(
                List.of("en", "fr"), List.of(NeuronGrid.filled(1, 2, 0), NeuronGrid.filled(2, 1, 0))));
        assertTrue(shape.getMessage().contains("not one model"), shape.getMessage());
        ActivationProbabilities arrays = ActivationProbabilities.ofArray(new float[][][] {{{0.5f, 0.25f}}},
                List.of("en", "fr"));
        assertEquals(0.25, arrays.of("fr").get(0, 0), 0);
    }

    static ActivationStatistics counted(String lang, int layers, int neurons, long tokens, long[] overZero) {
        return ActivationStatistics.builder(lang, RecordedTensor.ACT, layers, neurons).tokens(tokens).batches(1)
                .overZero(NeuronGrid.ofLongs(layers, neurons, overZero)).info(Map.of("model", "m")).build();
    }

    @Test
    void languageStatisticsKeepOrderAndRefuseMixtures() {
        ActivationStatistics en = counted("en", 1, 2, 4, new long[] {1, 4});
        ActivationStatistics fr = counted("fr", 1, 2, 2, new long[] {2, 0});
        LanguageStatistics s = LanguageStatistics.of(List.of(fr, en));
        assertEquals(List.of("fr", "en"), s.languages());
        assertEquals(6, s.tokens());
        assertEquals(ActivationProbabilities.aboveZero(List.of(fr.counts(), en.counts())),
                s.activationProbabilities());
        assertEquals(0.25, s.activationProbabilities().of("en").get(0), 0);
        assertEquals(List.of("en"), s.subset(List.of("en", "zh")).languages());
        assertEquals(List.of("fr", "en"), s.subset(List.of("zh")).languages(), "none of them: all");
        assertThrows(IllegalArgumentException.class, () -> LanguageStatistics.of(List.of(en, en)));
        assertThrows(IllegalArgumentException.class,
                () -> LanguageStatistics.of(List.of(en, counted("zh", 2, 1, 2, new long[] {0, 0}))));
        assertThrows(IllegalArgumentException.class, () -> s.get("zh"));
        // the order of the provenance strings is kept, so files are written the same way every time
        var info = new java.util.LinkedHashMap<String, String>();
        for (String k : List.of("z", "a", "m", "b")) {
            info.put(k, k);
        }
        assertEquals(List.of("z", "a", "m", "b"), List.copyOf(en.withInfo(info).info().keySet()));
    }

    @Test
    void settingsBuilderDefaultsAndPercentiles() {
        StatisticsSettings d = StatisticsSettings.defaults();
        assertEquals(RecordedTensor.ACT, d.tensor());
        assertEquals(1_000_000, d.tokenBudget());
        assertEquals(512, d.maxLength());
        assertEquals(8, d.batchSize());
        assertTrue(d.packed());
        assertArrayEquals(new double[] {5, 10, 25, 50, 75, 90, 95}, d.percentiles());
        assertEquals(50, d.checkpointEvery());
        assertEquals(d, d.toBuilder().build());
        StatisticsSettings s = d.toBuilder().percentiles(90).build();
        assertEquals(s, s.withPercentile(90), "already collected: unchanged");
        assertArrayEquals(new double[] {90, 80}, s.withPercentile(80).percentiles());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().maxLength(1).build());
        assertThrows(IllegalArgumentException.class, () -> d.toBuilder().percentiles(100).build());
    }
}
