package org.langneurons.intervention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.NeuronGrid;
import org.langneurons.stats.RecordedTensor;

/** Intervention values: parsed once at the edge, written back as they were given, resolved against statistics. */
class InterventionValueTest {
    @ParameterizedTest
    @ValueSource(strings = {"zero", "0", "50", "-1", "0.5", "mean", "min", "max", "p5", "p95", "p2.5", "mean@gate",
        "p90@gate"})
    void labelsGiveBackTheText(String text) {
        assertEquals(text, InterventionValue.parse(text).label());
    }

    @Test
    void kinds() {
        assertEquals(InterventionValue.ZERO, InterventionValue.parse("ZERO"));
        assertEquals(new InterventionValue.Constant(50f), InterventionValue.parse("50.0"));
        assertEquals("50", InterventionValue.parse("50.0").label());
        assertEquals(InterventionValue.Statistic.percentile(95, RecordedTensor.ACT), InterventionValue.parse("p95"));
        assertEquals(InterventionValue.Statistic.mean(RecordedTensor.GATE), InterventionValue.parse("mean@gate"));
        assertEquals(InterventionValue.parse("p95"), InterventionValue.parse("p95@act"));
        assertTrue(InterventionValue.parse("max").isStatistic());
        assertFalse(InterventionValue.parse("3").isStatistic());
        var e = assertThrows(IllegalArgumentException.class, () -> InterventionValue.parse("median"));
        assertTrue(e.getMessage().contains("unknown statistic 'median'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InterventionValue.parse("p90@up"));
        assertThrows(IllegalArgumentException.class, () -> InterventionValue.parse("p100"));
    }

    @Test
    void aStatisticIsTakenFromItsTensorOnly() {
        // 4 tokens, 2 batches: mean = sum / 4, batch-mean P90 = sum of batch P90s / 2
        ActivationStatistics gate = ActivationStatistics.builder("vi", RecordedTensor.GATE, 1, 2).tokens(4)
                .batches(2).sum(NeuronGrid.of(1, 2, new double[] {2, -6}))
                .min(NeuronGrid.of(1, 2, new double[] {-1, -3})).max(NeuronGrid.of(1, 2, new double[] {2, 0}))
                .percentiles(new double[] {90}, List.of(NeuronGrid.of(1, 2, new double[] {3, 1}))).build();
        assertEquals(NeuronGrid.of(1, 2, new double[] {0.5, -1.5}), InterventionValue.parse("mean@gate").values(gate));
        assertEquals(NeuronGrid.of(1, 2, new double[] {1.5, 0.5}), InterventionValue.parse("p90@gate").values(gate));
        assertEquals(NeuronGrid.of(1, 2, new double[] {-1, -3}), InterventionValue.parse("min@gate").values(gate));
        assertEquals(NeuronGrid.of(1, 2, new double[] {2, 0}), InterventionValue.parse("max@gate").values(gate));
        var e = assertThrows(IllegalArgumentException.class, () -> InterventionValue.parse("mean").values(gate));
        assertTrue(e.getMessage().contains("statistic of mlp.hook_act, but the statistics of vi are of "
                + "mlp.hook_gate (write mean@gate"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> InterventionValue.parse("p50@gate").values(gate));
        assertTrue(missing.getMessage().contains("percentile 50.0 was not collected"), missing.getMessage());
    }
}
