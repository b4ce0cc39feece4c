package org.langneurons.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.neurons.NeuronSet;
import tech.tablesaw.api.Table;

/** The result types render and save themselves: hand-made results, expected text written out. */
class EvaluationResultsTest {
    static PerplexityChange matrix(double[][] ppxc) {
        return new PerplexityChange(List.of("en", "fr"), new double[] {10, 20}, new double[] {2.3, 3.0}, ppxc,
                new double[][] {{0.1, 0}, {0, 0.2}}, InterventionValue.parse("p95"));
    }

    @Test
    void perplexityChangeTextJsonAndPage(@TempDir Path dir) throws Exception {
        PerplexityChange m = matrix(new double[][] {{1.5, 0.25}, {-0.5, 2}});
        String nl = System.lineSeparator();
        assertEquals("PPXC           en       fr" + nl
                + "en           1.50     0.25" + nl
                + "fr          -0.50     2.00" + nl
                + "base PPL    10.00    20.00" + nl
                + "own language hurt more than the others' mean (cross-entropy change): 2 of 2" + nl, m.text());
        Path json = dir.resolve("sub/ppxc.json");
        m.save(json);
        var o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("p95", o.get("value").getAsString());
        assertEquals(-0.5, o.getAsJsonArray("ppxc").get(1).getAsJsonArray().get(0).getAsDouble(), 0);
        assertTrue(Files.readString(dir.resolve("sub/ppxc.html")).contains("Plotly.relayout"));
    }

    @Test
    void randomControlByHand(@TempDir Path dir) throws Exception {
        // own cross-entropy changes over 4 draws: en 0.1, 0.3, 0.2, 0.4; fr 0, 0.1, 0.1, 0.2
        double[][] ce = {{0.1, 0}, {0.3, 0.1}, {0.2, 0.1}, {0.4, 0.2}};
        double[][] ppl = {{1, 0}, {3, 1}, {2, 1}, {4, 2}};
        RandomControl c = new RandomControl(List.of("en", "fr"), new int[] {2, 1}, ppl, ce, InterventionValue.ZERO);
        assertEquals(4, c.draws());
        assertArrayEquals(new double[] {0.1, 0.3, 0.2, 0.4}, c.drawsOf(0), 0);
        // sorted en 0.1 0.2 0.3 0.4: P2.5 at 0.075 -> 0.1075, P50 at 1.5 -> 0.25, P97.5 at 2.925 -> 0.3925
        assertEquals(0.1075, c.quantile(0, 2.5), 1e-12);
        assertEquals(0.25, c.quantile(0, 50), 1e-12);
        assertEquals(0.3925, c.quantile(0, 97.5), 1e-12);
        // observed en 0.35: one draw >= it -> p = (1 + 1) / (1 + 4) = 0.4, rank 3 of 4 below = 75%
        // observed fr 0.1: three draws >= it -> p = 4 / 5 = 0.8, rank (1 below + 2 ties / 2) / 4 = 50%
        PerplexityChange observed = new PerplexityChange(List.of("en", "fr"), new double[] {10, 20},
                new double[] {2.3, 3.0}, new double[][] {{3.5, 0}, {0, 2}}, new double[][] {{0.35, 0}, {0, 0.1}},
                InterventionValue.ZERO);
        assertEquals(0.4, c.pValue(observed, 0), 1e-12);
        assertEquals(75, c.percentileRank(observed, 0), 1e-12);
        assertEquals(0.8, c.pValue(observed, 1), 1e-12);
        assertEquals(50, c.percentileRank(observed, 1), 1e-12);
        assertEquals(1, c.significant(observed, 0.4));
        assertEquals(0, c.significant(observed, 0.39));
        // above every draw: the smallest p R draws allow, 1 / (R + 1)
        assertEquals(0.2, RandomControl.pValue(new double[] {0.1, 0.3, 0.2, 0.4}, 0.5), 1e-12);
        assertEquals(100, RandomControl.percentileRank(new double[] {0.1, 0.3, 0.2, 0.4}, 0.5), 1e-12);
        NeuronSet set = new NeuronSet("lape", Map.of(), List.of("en", "fr"), 1, 4,
                Map.of("en", new int[][] {{0, 1}}, "fr", new int[][] {{3}}));
        Table t = c.table(observed, set);
        assertTrue(t.name().startsWith("Own-language change: LAPE neurons vs 4 draws of random neurons"), t.name());
        assertEquals(List.of(2, 1), t.intColumn("neurons").asList());
        assertEquals(3.5, t.doubleColumn("own PPL change").get(0), 0);
        assertEquals(0.4, t.doubleColumn("p (one-sided)").get(0), 1e-12);
        assertEquals(0.3925, t.doubleColumn("random 97.5%").get(0), 1e-12);
        observed.save(dir.resolve("ppxc.json"), c);
        var rc = JsonParser.parseString(Files.readString(dir.resolve("ppxc.json"))).getAsJsonObject()
                .getAsJsonObject("random_control");
        assertEquals(4, rc.get("draws").getAsInt());
        assertEquals(0.8, rc.getAsJsonArray("observed_p_value").get(1).getAsDouble(), 1e-12);
        assertEquals(0.3, rc.getAsJsonArray("own_cross_entropy_change").get(1).getAsJsonArray().get(0)
                .getAsDouble(), 0);
        assertTrue(c.text(observed).endsWith("own change beyond the random draws (empirical p <= 0.05): 0 of 2"
                + System.lineSeparator()), c.text(observed));
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomControl(List.of("en", "fr"),
                new int[] {2, 1}, ppl, new double[][] {{0.1, 0}}, InterventionValue.ZERO));
        assertTrue(e.getMessage().contains("same number (>= 1) of PPL and cross-entropy draws"), e.getMessage());
    }

    @Test
    void sweepSummarisesOwnAndOtherLanguagesByHand() {
        // rows: en, fr intervened; hi has no neurons (its row is exactly zero and left out of the means)
        List<String> l = List.of("en", "fr", "hi");
        PerplexityChange zero = new PerplexityChange(l, new double[3], new double[3], new double[3][3],
                new double[][] {{0.4, 0.1, 0.0}, {0.2, 0.6, 0.1}, {0, 0, 0}}, InterventionValue.ZERO);
        PerplexityChange p90 = new PerplexityChange(l, new double[3], new double[3], new double[3][3],
                new double[][] {{0.1, 0.3, 0.2}, {0.0, 0.2, 0.0}, {0, 0, 0}}, InterventionValue.parse("p90"));
        PerplexitySweep s = new PerplexitySweep(List.of(zero, p90));
        // zero: own (0.4 + 0.6) / 2 = 0.5, others (0.1 + 0 + 0.2 + 0.1) / 4 = 0.1; p90: own 0.15, others 0.125
        assertArrayEquals(new double[] {0.5, 0.15}, s.ownMean(), 1e-12);
        assertArrayEquals(new double[] {0.1, 0.125}, s.othersMean(), 1e-12);
        Table t = s.table();
        assertEquals(List.of("zero", "p90"), t.stringColumn("value").asList());
        // p90: en 0.1 - mean(0.3, 0.2) < 0, fr 0.2 - 0 > 0
        assertEquals(List.of("2 of 2", "1 of 2"), t.stringColumn("own hurt most").asList());
        assertEquals(0.6, s.ownTable().doubleColumn("zero").get(1), 0);
        assertEquals(0.2, s.get("p90").crossEntropyChange()[0][2], 0);
        assertTrue(s.figure().asJavascript("d").contains("other languages"));
    }

    @Test
    void steeringMatrixRendersBeforeAndAfter() {
        Steering.Matrix m = new Steering.Matrix(List.of("en"), List.of("en", "fr"),
                new double[][] {{Double.NaN, 0.25}}, new double[][] {{Double.NaN, 0.75}},
                Map.of("en", List.of("The file", "Click")), Map.of("en", Map.of("en", List.of(),
                        "fr", List.of("le fichier", "the end"))),
                Map.of("en", Map.of("en", List.of(), "fr", List.of("fr", "en"))));
        assertEquals("| from \\ to | en | fr |\n|---|---:|---:|\n| en | - | 0.25->0.75 |\n", m.markdown());
        assertTrue(m.text("50").startsWith("share of continuations in the target language, before -> after "
                + "(target neurons = 50, source neurons = 0)"), m.text("50"));
        assertEquals("0.25 -> 0.75", m.table().stringColumn("fr").get(0));
        assertEquals("-", m.table().stringColumn("en").get(0));
        Table ex = m.examples(4, 1);
        assertEquals(1, ex.rowCount());
        assertEquals("fr", ex.stringColumn("identified as").get(0));
        assertEquals("\nen -> fr  prompt: The file\n  steered: le fichier  [fr]\n", m.examplesText(1));
    }

    @Test
    void promptsFromOpenings() {
        String longDoc = "Ceci est un document assez long pour servir de prompt, vraiment.";
        Map<String, List<String>> texts = Map.of("fr", List.of("court", longDoc, longDoc + " 2"));
        assertEquals(Map.of("fr", List.of("Ceci est un document ass")), Prompts.openings(texts, 1));
        assertEquals(2, Prompts.openings(texts, 5).get("fr").size());
        // the first document of 60 characters or more, its first 24 cut at the last space
        assertEquals(List.of("Ceci est un document"), Prompts.firstWords(texts));
        assertThrows(IllegalArgumentException.class, () -> Prompts.firstWords(Map.of("en", List.of())));
    }
}
