package org.langneurons.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.langneurons.eval.Bootstrap;

class TransferResultsTest {

    private static TransferResults.Cell cell(String value, double p) {
        return new TransferResults.Cell("all", "fr", "lape", value, "accuracy",
                new Bootstrap.Interval(50, 40, 60, 1000),
                p < 0 ? null : new Bootstrap.PairedDifference(1, -1, 3, p, 1000));
    }

    @Test
    void significanceCountsUncorrectedAndHolmCorrectedTests() {
        List<TransferResults.Cell> cells = new ArrayList<>();
        cells.add(cell("none", -1));
        // five tests; Holm at 0.05 compares the sorted p-values with 0.05/5, 0.05/4, 0.05/3, ...:
        // 0.004 < 0.01 passes, 0.011 < 0.0125 passes, 0.02 >= 0.0167 stops; uncorrected: 0.004, 0.011, 0.02, 0.04
        for (double p : new double[] {0.04, 0.004, 0.2, 0.011, 0.02}) {
            cells.add(cell("v" + p, p));
        }
        TransferResults.Significance s = new TransferResults(cells).significance("accuracy");
        assertEquals(5, s.interventions());
        assertEquals(4, s.uncorrected());
        assertEquals(0.25, s.expected(), 1e-12);
        assertEquals(2, s.holm());
        assertEquals(0, new TransferResults(cells).significance("f1").interventions());
    }
}
