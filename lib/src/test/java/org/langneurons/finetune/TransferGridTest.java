package org.langneurons.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.io.CheckpointException;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;

/** The transfer grid on the default with tiny budgets: cells, resume, figures recomputed from saved scores. */
class TransferGridTest {
    private static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** 8 neurons of every layer for fr and en: enough for zeroing them to matter. */
    private static Path neurons(Path dir) {
        int layers = model.config().layers();
        NeuronSet.Builder b = NeuronSet.builder("hand", Map.of(), List.of("en", "fr"), layers,
                model.config().intermediateSize());
        for (int l = 0; l < layers; l++) {
            for (int n = 0; n < 8; n++) {
                b.add("fr", l, 3 * n).add("en", l, 3 * n + 1);
            }
        }
        Path file = dir.resolve("hand.json");
        b.build().save(file);
        return file;
    }

    @Test
    void aGridWritesItsCellsResumesAndItsScoresAreThoseOfADirectEvaluation(@TempDir Path dir) throws IOException {
        Path hand = neurons(dir);
        Files.writeString(dir.resolve("grid.json"), """
                {"task": "module-classification", "languages": ["fr"], "setups": ["all", "target"],
                 "values": ["none", "zero"], "neuron_sets": {"hand": "hand.json"}, "max_steps": 2, "max_test": 12,
                 "resamples": 200}
                """);
        TransferGrid.Config config = TransferGrid.Config.read(dir.resolve("grid.json"));
        assertEquals(hand, config.neuronSets().get("hand"));
        assertEquals(List.of("all", "target-hand-fr"), TransferGrid.adapters(config).stream()
                .map(TransferGrid.Adapter::name).toList());
        Path out = dir.resolve("out");
        List<String> lines = new ArrayList<>();
        TransferGrid.run(model, config, out, lines::add);
        assertEquals(2, lines.stream().filter(l -> l.startsWith("adapter ")).count(), String.join("\n", lines));
        assertEquals(4, lines.stream().filter(l -> l.startsWith("cell ")).count(), String.join("\n", lines));
        TransferGrid.Adapter all = TransferGrid.adapters(config).get(0);
        Path zero = TransferGrid.cellFile(out, all, "fr", "hand", "zero");
        TaskEvaluation.ExampleScores saved = TransferGrid.read(zero);
        assertEquals(12, saved.ids().size());

        // the saved scores are those of the adapter evaluated directly under the same intervention
        NeuronSet set = NeuronSet.load(hand);
        try (FineTuning.Evaluator ev = FineTuning.evaluator(model, out.resolve("adapters/all"), null);
                HookHandle h = Intervention.set(set, "fr", 0f).apply(model)) {
            assertArrayEquals(saved.metrics().get("accuracy"), ev.scores("fr", 12).metrics().get("accuracy"));
        }

        // killed after three cells: the run computes the fourth only, and trains nothing again
        Files.delete(zero);
        lines.clear();
        TransferGrid.run(model, config, out, lines::add);
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("adapter ")).toList());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("cell ")).count(), String.join("\n", lines));
        assertArrayEquals(saved.metrics().get("accuracy"), TransferGrid.read(zero).metrics().get("accuracy"));

        // the figures are recomputed from the saved scores: the means by hand, the paired test on the same examples
        TransferResults results = TransferResults.read(out, config);
        assertEquals(4, results.cells().size());
        double[] none = TransferGrid.read(TransferGrid.cellFile(out, all, "fr", "hand", "none")).metrics()
                .get("accuracy");
        double[] zeroed = saved.metrics().get("accuracy");
        TransferResults.Cell zeroCell = results.cells().stream().filter(c -> c.adapter().equals("all")
                && c.value().equals("zero")).findFirst().orElseThrow();
        assertEquals(100 * java.util.Arrays.stream(zeroed).average().orElseThrow(), zeroCell.mean().estimate(),
                1e-9);
        assertEquals(100 * (java.util.Arrays.stream(zeroed).average().orElseThrow()
                - java.util.Arrays.stream(none).average().orElseThrow()), zeroCell.vsNone().difference(), 1e-9);
        org.langneurons.eval.Bootstrap.PairedDifference expected = org.langneurons.eval.Bootstrap.paired(
                java.util.Arrays.stream(none).map(x -> 100 * x).toArray(),
                java.util.Arrays.stream(zeroed).map(x -> 100 * x).toArray(), 200, 42);
        assertEquals(expected, zeroCell.vsNone());
        tech.tablesaw.api.Table table = results.table("accuracy");
        assertEquals(List.of("fine-tuning", "language", "neurons", "No Int", "zero"), table.columnNames());
        assertEquals(2, table.rowCount());
        results.save(out.resolve("results.json"));
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"vsNone\""));
    }

    @Test
    void aQuestionAnsweringGridScoresEveryCellWithBothKindsOfExactMatchAndF1(@TempDir Path dir) throws IOException {
        neurons(dir);
        Files.writeString(dir.resolve("qa.json"), """
                {"task": "heading-extraction", "languages": ["fr"], "setups": ["none"],
                 "values": ["none", "zero"], "neuron_sets": {"hand": "hand.json"}, "max_steps": 1, "max_test": 4,
                 "resamples": 100}
                """);
        TransferGrid.Config config = TransferGrid.Config.read(dir.resolve("qa.json"));
        Path out = dir.resolve("out");
        TransferGrid.run(model, config, out, line -> { });
        TransferResults results = TransferResults.read(out, config);
        assertEquals(List.of("exact_match", "f1", "exact_match_ids", "f1_ids"), results.metrics());
        TransferGrid.Adapter none = TransferGrid.adapters(config).get(0);
        TaskEvaluation.ExampleScores zero = TransferGrid.read(TransferGrid.cellFile(out, none, "fr", "hand", "zero"));
        assertEquals(4, zero.ids().size());
        for (String metric : results.metrics()) {
            TransferResults.Cell cell = results.cells().stream().filter(c -> c.metric().equals(metric)
                    && c.value().equals("zero")).findFirst().orElseThrow();
            // each metric's figure is the mean of the saved per-example scores, and a score is within [0, 1]
            double[] saved = zero.metrics().get(metric);
            assertTrue(java.util.Arrays.stream(saved).allMatch(x -> x >= 0 && x <= 1), metric);
            assertEquals(100 * java.util.Arrays.stream(saved).average().orElseThrow(), cell.mean().estimate(), 1e-9);
            assertEquals(List.of("fine-tuning", "language", "neurons", "No Int", "zero"),
                    results.table(metric).columnNames(), metric);
        }
    }

    @Test
    void badGridFilesNameTheFileAndField(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("g.json"), "{\"task\": \"module-classification\", \"languages\": \"fr\"}");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TransferGrid.Config.read(dir.resolve("g.json")));
        assertTrue(e.getMessage().contains("g.json") && e.getMessage().contains("'languages'"), e.getMessage());
        Files.writeString(dir.resolve("g.json"), "{\"task\": \"module-classification\", \"languages\": [\"fr\"],"
                + " \"setups\": [\"all\"], \"values\": [\"mean\"]}");
        e = assertThrows(CheckpointException.class, () -> TransferGrid.Config.read(dir.resolve("g.json")));
        assertTrue(e.getMessage().contains("neuron_sets"), e.getMessage());
    }
}
