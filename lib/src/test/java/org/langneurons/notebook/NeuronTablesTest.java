package org.langneurons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.LanguageSetComparison;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationProbabilities;
import org.langneurons.report.Plotly;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.LanguageStatistics;
import org.langneurons.stats.NeuronGrid;
import org.langneurons.stats.RecordedTensor;
import tech.tablesaw.api.Table;

/** Tables by hand from small neuron sets and statistics; figures as offline pages. */
class NeuronTablesTest {
    static NeuronSet a() {
        return new NeuronSet("lape", Map.of(), List.of("en", "fr"), 2, 10,
                Map.of("en", new int[][] {{1, 2, 3}, {}}, "fr", new int[][] {{3}, {4, 9}}));
    }

    static NeuronSet b() {
        return new NeuronSet("actprob", Map.of(), List.of("en", "fr"), 2, 10,
                Map.of("en", new int[][] {{2, 3, 4}, {5}}, "fr", new int[][] {{}, {}}));
    }

    @Test
    void countsOverlapLayersAndComparison() {
        Table n = NeuronTables.neuronsPerLanguage(a());
        assertEquals(3, n.intColumn("neurons").get(0));
        assertEquals(15.0, n.doubleColumn("% of neurons").get(1), 1e-12);    // 3 of 20
        Table o = NeuronTables.overlap(a());
        assertEquals(3, o.intColumn("en").get(0));
        assertEquals(1, o.intColumn("fr").get(0));
        assertEquals(3, o.intColumn("fr").get(1));
        Table l = NeuronTables.layerDistribution(a());
        assertEquals(List.of(0, 1), l.intColumn("layer").asList());
        assertEquals(List.of(1, 2), l.intColumn("fr").asList());
        Table c = NeuronTables.compare(a(), b());
        assertEquals(2, c.intColumn("both").get(0));
        assertEquals(0.4, c.doubleColumn("Jaccard").get(0), 1e-12);
        assertEquals(0.0, c.doubleColumn("Jaccard").get(1), 0);
    }

    @Test
    void activationSummaryAveragesOverNeurons() {
        // one layer of two neurons, 4 tokens, 2 batches: sums 2 and -6 -> means 0.5, -1.5, averaged -0.5;
        // P50 sums 1 and -1 over 2 batches -> 0.5 and -0.5, averaged 0
        ActivationStatistics s = ActivationStatistics.builder("en", RecordedTensor.GATE, 1, 2).tokens(4).batches(2)
                .overZero(NeuronGrid.of(1, 2, new double[] {2, 0})).sum(NeuronGrid.of(1, 2, new double[] {2, -6}))
                .sumSquares(NeuronGrid.of(1, 2, new double[] {4, 12}))
                .min(NeuronGrid.of(1, 2, new double[] {-1, -3})).max(NeuronGrid.of(1, 2, new double[] {2, 0}))
                .percentiles(new double[] {50}, List.of(NeuronGrid.of(1, 2, new double[] {1, -1}))).build();
        Table t = NeuronTables.activationSummary(LanguageStatistics.of(List.of(s)));
        assertEquals(-0.5, t.doubleColumn("mean").get(0), 1e-12);
        assertEquals(0.0, t.doubleColumn("P50").get(0), 1e-12);
        // std: sqrt(4/4 - 0.25) = 0.866, sqrt(12/4 - 2.25) = 0.866
        assertEquals(Math.sqrt(0.75), t.doubleColumn("std").get(0), 1e-12);
    }

    @Test
    void table6OnGateBesideMondalsPublishedValues() {
        // P10 and P50 collected: P10 sums -2, -4 over 2 batches -> -1, -2, averaged -1.5; P50 as above, 0
        ActivationStatistics s = ActivationStatistics.builder("en", RecordedTensor.GATE, 1, 2).tokens(4).batches(2)
                .overZero(NeuronGrid.of(1, 2, new double[] {2, 0})).sum(NeuronGrid.of(1, 2, new double[] {2, -6}))
                .sumSquares(NeuronGrid.of(1, 2, new double[] {4, 12}))
                .min(NeuronGrid.of(1, 2, new double[] {-1, -3})).max(NeuronGrid.of(1, 2, new double[] {2, 0}))
                .percentiles(new double[] {10, 50}, List.of(NeuronGrid.of(1, 2, new double[] {-2, -4}),
                        NeuronGrid.of(1, 2, new double[] {1, -1}))).build();
        Table t = NeuronTables.activationSummaryBesidePublished(LanguageStatistics.of(List.of(s)), "tiny");
        assertEquals(List.of("tiny", "Llama 3.1 8B (Mondal et al., Table 6)"), t.stringColumn("model").asList());
        assertEquals(-1.5, t.doubleColumn("P10").get(0), 1e-12);
        assertEquals(-0.6801, t.doubleColumn("P10").get(1), 0);       // their en P10 (PAPERS.md)
        assertEquals(-0.2621, t.doubleColumn("mean").get(1), 0);
        assertTrue(t.doubleColumn("P50").isMissing(1), "no published P50");
        ActivationStatistics act = ActivationStatistics.builder("en", RecordedTensor.ACT, 1, 2).tokens(4).batches(2)
                .overZero(NeuronGrid.of(1, 2, new double[] {2, 0})).sum(NeuronGrid.of(1, 2, new double[] {2, -6}))
                .sumSquares(NeuronGrid.of(1, 2, new double[] {4, 12}))
                .min(NeuronGrid.of(1, 2, new double[] {-1, -3})).max(NeuronGrid.of(1, 2, new double[] {2, 0}))
                .build();
        var e = assertThrows(IllegalArgumentException.class, () -> NeuronTables.activationSummaryBesidePublished(
                LanguageStatistics.of(List.of(act)), "tiny"));
        assertTrue(e.getMessage().contains("are of mlp.hook_act"), e.getMessage());
    }

    @Test
    void figuresArePagesWithPlotlyInline(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("layers.html");
        Plotly.save(NeuronCharts.layerDistribution(a()), f);
        String html = Files.readString(f);
        assertTrue(html.contains("plotly.js v" + Plotly.VERSION), "plotly.js is inline");
        assertFalse(html.contains("<script src"), "no external script");
        assertTrue(html.contains("Plotly.newPlot"), html.substring(html.length() - 500));
        assertTrue(html.contains("lape: neurons per layer"));
        String page = Plotly.page("all", NeuronCharts.neuronsPerLanguage(a()), NeuronCharts.overlap(a()),
                NeuronCharts.jaccard(a(), b()), NeuronCharts.probabilityHistogram(ActivationProbabilities.ofArray(
                        new float[][][] {{{.1f}, {.3f}}}, List.of("en")), List.of("en"), "relevance"));
        String body = page.substring(page.indexOf("</head>"));
        assertEquals(4, body.split("Plotly.newPlot", -1).length - 1);
        assertTrue(body.contains("\"type\":\"log\"") || body.contains("type: 'log'"), "log count axis");
    }

    @Test
    void languageSetsListEveryLanguageOfEitherSet() {
        // LapeTest's grid: on {en, fr} en has neuron 1, on {en, hi} neuron 0; de has no statistics
        float[][][] p = {{{.8f, .8f, 0f}, {.8f, 0f, .8f}, {.1f, .1f, .1f}, {0f, .9f, .9f}}};
        var c = LanguageSetComparison.lape(ActivationProbabilities.ofArray(p, List.of("en", "fr", "hi")),
                new Lape.Settings(0.5, 0.5, 0.5), "A", List.of("en", "fr", "de"), "B", List.of("en", "hi"));
        Table t = NeuronTables.languageSets(c);
        assertEquals(List.of("en", "fr", "hi"), t.stringColumn("language").asList());
        assertEquals(1, t.intColumn("on A").get(0));
        assertEquals(1, t.intColumn("on B").get(0));
        assertEquals(0, t.intColumn("both").get(0));
        assertEquals(0.0, t.doubleColumn("Jaccard").get(0));
        assertTrue(t.intColumn("on B").isMissing(1));                  // fr is not in B
        assertTrue(t.doubleColumn("Jaccard").isMissing(2));
        assertTrue(t.name().contains("without statistics: de"), t.name());
    }

    @Test
    void relevanceSummaryByHand() {
        // one layer of 4 neurons; en relevance .1 .1 .3 .5, fr .2 .0 .1 .1; Act Prob: en {2, 3}, fr {0}; LAPE: en {1}
        var rel = ActivationProbabilities.ofArray(new float[][][] {{{.1f, .2f}, {.1f, 0f}, {.3f, .1f}, {.5f, .1f}}},
                List.of("en", "fr"));
        NeuronSet act = new NeuronSet("actprob", Map.of(), List.of("en", "fr"), 1, 4,
                Map.of("en", new int[][] {{2, 3}}, "fr", new int[][] {{0}}));
        NeuronSet lape = new NeuronSet("lape", Map.of(), List.of("en", "fr"), 1, 4,
                Map.of("en", new int[][] {{1}}, "fr", new int[][] {{}}));
        Table t = NeuronTables.relevanceSummary(rel, act, lape);
        assertEquals(0.25, t.doubleColumn("mean, all neurons").get(0), 1e-6);
        assertEquals(0.1, t.doubleColumn("mean, all neurons").get(1), 1e-6);
        assertEquals(0.3, t.doubleColumn("lowest selected").get(0), 1e-6);
        assertEquals(0.4, t.doubleColumn("mean, Act Prob neurons").get(0), 1e-6);
        assertEquals(0.1, t.doubleColumn("mean, LAPE neurons").get(0), 1e-6);
        assertTrue(t.doubleColumn("mean, LAPE neurons").isMissing(1));   // fr has no LAPE neuron
    }
}
