package org.langneurons.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.langneurons.intervention.InterventionValue;

/** The matrix's bookkeeping by hand. */
class PerplexityChangeTest {
    @Test
    void ownMinusOthersByHand() {
        PerplexityChange m = new PerplexityChange(List.of("a", "b", "c"), new double[3], new double[3],
                new double[3][3], new double[][] {{3, 1, 2}, {0, -1, 1}, {5, 5, 5}}, InterventionValue.ZERO);
        assertArrayEquals(new double[] {1.5, -1.5, 0}, m.ownMinusOthers(), 1e-12);
        assertEquals(1, m.languagesHurtMostThemselves());
    }

    @Test
    void ownLanguageHurtMostIsJudgedOnCrossEntropyNotOnPerplexity() {
        // a: baseline PPL 10; b: baseline PPL 50. Row a: a's PPL 10 -> 11 (+1), b's 50 -> 53 (+3). In PPL b is hurt
        // more; in cross-entropy a is: ln(11/10) = 0.0953 > ln(53/50) = 0.0583. Row b: a's 10 -> 10.5 (+0.5,
        // ln 1.05 = 0.0488), b's 50 -> 52 (+2, ln 1.04 = 0.0392): PPL says b most, cross-entropy says a.
        double[] base = {10, 50};
        double[][] ppl = {{11, 53}, {10.5, 52}};
        double[][] ppxc = new double[2][2], ce = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                ppxc[i][j] = ppl[i][j] - base[j];
                ce[i][j] = Math.log(ppl[i][j]) - Math.log(base[j]);
            }
        }
        PerplexityChange m = new PerplexityChange(List.of("a", "b"), base, new double[] {Math.log(10),
                Math.log(50)}, ppxc, ce, InterventionValue.ZERO);
        assertArrayEquals(new double[] {1 - 3, 2 - 0.5}, m.ppxcOwnMinusOthers(), 1e-12);
        assertArrayEquals(new double[] {Math.log(1.1) - Math.log(1.06), Math.log(1.04) - Math.log(1.05)},
                m.ownMinusOthers(), 1e-12);
        assertEquals(0.0953 - 0.0583, m.ownMinusOthers()[0], 1e-4);
        assertEquals(1, m.languagesHurtMostThemselves(), "a only; on PPL it would be b only");
    }
}
