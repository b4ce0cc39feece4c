package org.langneurons.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The matrix's bookkeeping by hand. */
class PerplexityChangeTest {
    @Test
    void ownMinusOthersByHand() {
        PerplexityChange m = new PerplexityChange(List.of("a", "b", "c"), new double[3], new double[3],
                new double[][] {{3, 1, 2}, {0, -1, 1}, {5, 5, 5}}, new double[3][3],
                org.langneurons.intervention.InterventionValue.ZERO);
        assertArrayEquals(new double[] {1.5, -1.5, 0}, m.ownMinusOthers(), 1e-12);
        assertEquals(1, m.languagesHurtMostThemselves());
    }
}
