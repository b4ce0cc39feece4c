package org.langneurons.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.eval.PerplexityEvaluation;
import org.langneurons.finetune.TransferGrid;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.LanguageStatistics;
import org.langneurons.stats.StatisticsCollector;
import org.langneurons.stats.StatisticsDirectory;
import org.langneurons.stats.StatisticsSettings;

/**
 * Each Spark job in local mode (local[2]: two task slots, so two executor-side models) against the single-machine
 * library on the embedded default, with tiny budgets.
 */
class SparkJobsTest {
    private static JavaSparkContext sc;
    private static LanguageModel model;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkJobsTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
        // tasks first, as on a fresh executor where no PyTorch call has loaded the natives yet
        int layers = sc.parallelize(List.of(1, 2), 2).map(x -> {
            try (ExecutorModels.Lease lease = ExecutorModels.borrow(ModelSpec.of("default"))) {
                return lease.model().config().layers();
            }
        }).reduce(Integer::sum);
        model = LanguageModel.defaultModel();
        assertEquals(2 * model.config().layers(), layers);
    }

    @AfterAll
    static void stop() {
        sc.stop();
        model.close();
        ExecutorModels.closeIdle();
    }

    private static final StatisticsSettings SETTINGS = StatisticsSettings.builder().tokenBudget(4_000).maxLength(64)
            .batchSize(4).build();

    @Test
    void statisticsOfPartitionsMergedEqualTheSingleMachineCollectionOfTheSamePartitions(@TempDir Path dir)
            throws IOException {
        Corpus corpus = Corpus.openDefault();
        Path text = Files.createDirectories(dir.resolve("corpus"));
        List<String> en = corpus.documents("en", Split.IDENTIFICATION).subList(0, 80);
        List<String> fr = corpus.documents("fr", Split.IDENTIFICATION).subList(0, 80);
        Files.write(text.resolve("en.txt"), en);
        // fr as JSON lines, the other format the single-machine stats reads
        List<String> jsonl = new ArrayList<>();
        for (String d : fr) {
            JsonObject o = new JsonObject();
            o.addProperty("text", d);
            jsonl.add(o.toString());
        }
        Files.write(text.resolve("fr.jsonl"), jsonl);

        Map<String, JavaRDD<String>> docs = StatisticsJob.documents(sc, text.toUri().toString(), List.of("en", "fr"),
                3);
        StatisticsDirectory out = StatisticsDirectory.at(dir.resolve("stats"));
        LanguageStatistics spark = StatisticsJob.collect(sc, ModelSpec.of("default"), docs, SETTINGS, out);

        for (String lang : List.of("en", "fr")) {
            // the same partitions, computed here on one model and merged in partition order
            List<List<String>> parts = docs.get(lang).glom().collect();
            assertTrue(parts.size() >= 3, "partitions of " + lang + ": " + parts.size());
            StatisticsSettings each = StatisticsJob.partitionSettings(SETTINGS, parts.size());
            ActivationStatistics expected = null;
            List<long[]> allWindows = new ArrayList<>();
            for (List<String> part : parts) {
                ActivationStatistics s = StatisticsJob.collectPartition(model, lang, part, each);
                expected = expected == null ? s : expected.merge(s);
                allWindows.addAll(StatisticsCollector.windows(model.tokenizer().orElseThrow(), part, each,
                        model.config().eosTokenIds().get(0)));
            }
            ActivationStatistics got = spark.get(lang);
            assertTrue(got.sameValues(expected), lang + ": Spark's merged statistics differ from the single-machine"
                    + " ones: " + got + " vs " + expected);
            assertTrue(got.sameValues(out.statistics(lang)), "the file of " + lang + " reads back the same");
            assertEquals(Integer.toString(parts.size()), got.info().get("spark_partitions"));

            // one pass over all the partitions' windows, batched across partition ends: the same tokens; the
            // values to the last bits that other padded batch widths change (matrix products of other shapes)
            ActivationStatistics onePass = StatisticsCollector.collectWindows(model, lang, allWindows, each, null,
                    StatisticsCollector.Progress.NONE);
            assertEquals(onePass.tokens(), got.tokens());
            close(onePass.overZero().toDoubleArray(), got.overZero().toDoubleArray(), 1e-3 * got.tokens(), "over_zero");
            close(onePass.min().toDoubleArray(), got.min().toDoubleArray(), 1e-4, "min");
            close(onePass.max().toDoubleArray(), got.max().toDoubleArray(), 1e-4, "max");
            close(onePass.mean().toDoubleArray(), got.mean().toDoubleArray(), 1e-5, "mean");
        }
        assertTrue(ExecutorModels.loadedCount() <= 2, "models loaded: " + ExecutorModels.loadedCount());
    }

    private static void close(double[] expected, double[] got, double tolerance, String what) {
        for (int j = 0; j < expected.length; j++) {
            double scale = Math.max(1, Math.abs(expected[j]));
            assertEquals(expected[j], got[j], tolerance * scale, what + " of neuron " + j);
        }
    }

    /** 8 neurons a layer for en and fr, none for hi (its row must be exactly zero). */
    private static NeuronSet hand() {
        int layers = model.config().layers();
        NeuronSet.Builder b = NeuronSet.builder("hand", Map.of(), List.of("en", "fr", "hi"), layers,
                model.config().intermediateSize());
        for (int l = 0; l < layers; l++) {
            for (int n = 0; n < 8; n++) {
                b.add("fr", l, 3 * n).add("en", l, 3 * n + 1);
            }
        }
        return b.build();
    }

    @Test
    void thePerplexityChangeMatrixOfOneTaskPerCellIsTheSingleMachineMatrix() {
        NeuronSet set = hand();
        Map<String, List<String>> texts = LanguageQuality.firstCharacters(Corpus.texts(null, set.languages(),
                Split.VALIDATION), 1_500);
        PerplexityChange spark = PerplexityChangeJob.run(sc, ModelSpec.of("default"), set, texts, 64, 4, "zero",
                null);
        PerplexityChange local = PerplexityEvaluation.prepare(model, texts, 64, 4).deactivation(set,
                PerplexityChange.Progress.NONE);
        assertEquals(local.languages(), spark.languages());
        for (int j = 0; j < 3; j++) {
            assertEquals(local.baselinePerplexity()[j], spark.baselinePerplexity()[j],
                    1e-6 * local.baselinePerplexity()[j]);
            for (int i = 0; i < 3; i++) {
                assertEquals(local.ppxc()[i][j], spark.ppxc()[i][j], 1e-4, "PPXC(" + i + ", " + j + ")");
                assertEquals(local.crossEntropyChange()[i][j], spark.crossEntropyChange()[i][j], 1e-6);
            }
        }
        assertArrayEquals(new double[3], spark.ppxc()[2], "hi has no neurons: its row is zero");
        assertTrue(spark.ppxc()[1][1] != 0, "switching fr's 32 neurons off changes fr's perplexity");
    }

    @Test
    void theTransferGridOfOneTaskPerCellWritesTheSingleMachineCellsAndResumes(@TempDir Path dir)
            throws IOException {
        hand().save(dir.resolve("hand.json"));
        Files.writeString(dir.resolve("grid.json"), """
                {"task": "module-classification", "languages": ["fr"], "setups": ["all"],
                 "values": ["none", "zero"], "neuron_sets": {"hand": "hand.json"}, "max_steps": 2, "max_test": 8,
                 "resamples": 100}
                """);
        TransferGrid.Config config = TransferGrid.Config.read(dir.resolve("grid.json"));
        TransferGrid.run(model, config, dir.resolve("local"), line -> { });
        Path out = dir.resolve("spark");
        TransferGridJob.Summary first = TransferGridJob.run(sc, ModelSpec.of("default"), dir.resolve("grid.json"),
                out);
        assertEquals(new TransferGridJob.Summary(1, 2, 0), first);
        List<TransferGrid.Cell> cells = TransferGrid.cells(config);
        for (TransferGrid.Cell c : cells) {
            assertEquals(TransferGrid.read(c.file(dir.resolve("local"))).metrics().keySet(),
                    TransferGrid.read(c.file(out)).metrics().keySet());
            for (String metric : TransferGrid.read(c.file(out)).metrics().keySet()) {
                assertArrayEquals(TransferGrid.read(c.file(dir.resolve("local"))).metrics().get(metric),
                        TransferGrid.read(c.file(out)).metrics().get(metric), c + " " + metric);
            }
        }
        // a rerun computes only the cell whose file is gone, and trains nothing
        Files.delete(cells.get(1).file(out));
        assertEquals(new TransferGridJob.Summary(0, 1, 1), TransferGridJob.run(sc, ModelSpec.of("default"),
                dir.resolve("grid.json"), out));
        assertArrayEquals(TransferGrid.read(cells.get(1).file(dir.resolve("local"))).metrics().get("accuracy"),
                TransferGrid.read(cells.get(1).file(out)).metrics().get("accuracy"));
    }
}
