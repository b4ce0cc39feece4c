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
                + "own language hurt more than the others' mean: 2 of 2" + nl, m.text());
        Path json = dir.resolve("sub/ppxc.json");
        m.save(json);
        var o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("p95", o.get("value").getAsString());
        assertEquals(-0.5, o.getAsJsonArray("ppxc").get(1).getAsJsonArray().get(0).getAsDouble(), 0);
        assertTrue(Files.readString(dir.resolve("sub/ppxc.html")).contains("Plotly.relayout"));
    }

    @Test
    void randomControlByHand(@TempDir Path dir) throws Exception {
        // own changes of en over 3 draws: 1, 2, 3 -> mean 2, sd 1, interval 2 -/+ 1.96 / sqrt(3)
        List<PerplexityChange> draws = List.of(matrix(new double[][] {{1, 0}, {0, 0}}),
                matrix(new double[][] {{2, 0}, {0, 1}}), matrix(new double[][] {{3, 0}, {0, 1}}));
        RandomControl c = RandomControl.of(draws);
        double half = 1.96 / Math.sqrt(3);
        assertArrayEquals(new double[] {2, 2 / 3.0}, c.own(), 1e-12);
        assertEquals(2 - half, c.low()[0], 1e-12);
        assertEquals(2 + half, c.high()[0], 1e-12);
        PerplexityChange observed = matrix(new double[][] {{3.5, 0}, {0, 0.5}});
        assertEquals(1, c.aboveInterval(observed));      // en's 3.5 > 3.13; fr's 0.5 is inside
        NeuronSet set = new NeuronSet("lape", Map.of(), List.of("en", "fr"), 1, 4,
                Map.of("en", new int[][] {{0, 1}}, "fr", new int[][] {{3}}));
        Table t = c.table(observed, set);
        assertEquals("Own-language PPL change: LAPE neurons vs random neurons (same count per layer)", t.name());
        assertEquals(List.of(2, 1), t.intColumn("neurons").asList());
        assertEquals(3.5, t.doubleColumn("own change").get(0), 0);
        observed.save(dir.resolve("ppxc.json"), c);
        var rc = JsonParser.parseString(Files.readString(dir.resolve("ppxc.json"))).getAsJsonObject()
                .getAsJsonObject("random_control");
        assertEquals(3, rc.get("draws").getAsInt());
        assertTrue(c.text(observed).endsWith("own change above the random control's interval: 1 of 2"
                + System.lineSeparator()), c.text(observed));
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
