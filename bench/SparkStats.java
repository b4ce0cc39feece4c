import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.model.LanguageModel;
import org.langneurons.spark.ModelSpec;
import org.langneurons.spark.StatisticsJob;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.NeuronGrid;
import org.langneurons.stats.RecordedTensor;
import org.langneurons.stats.StatisticsDirectory;
import org.langneurons.stats.StatisticsSettings;

/**
 * The Spark statistics job in local mode on the embedded default (bench/spark-stats.sh runs it in one JVM per
 * setting, since PyTorch's thread count is fixed when its engine starts):
 *
 *   stats MASTER PARTITIONS TOKENS_PER_LANG   the job on en, fr, hi from the identification text; prints tokens/s
 *   single TOKENS_PER_LANG                    the library's single-machine collection of the same text, no Spark
 *   merge LAYERS NEURONS PARTIALS             the driver's part per partial: read its file bytes back and merge
 */
public class SparkStats {
    static final List<String> LANGS = List.of("en", "fr", "hi");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "stats" -> stats(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
            case "single" -> single(Long.parseLong(args[1]));
            case "merge" -> merge(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static StatisticsSettings settings(long tokens) {
        return StatisticsSettings.builder().tokenBudget(tokens).maxLength(256).batchSize(8).build();
    }

    static Path corpus() throws Exception {
        Path dir = Files.createTempDirectory("spark-bench-corpus");
        Corpus c = Corpus.openDefault();
        for (String l : LANGS) {
            Files.write(dir.resolve(l + ".txt"), c.documents(l, Split.IDENTIFICATION).stream()
                    .map(d -> d.replace('\n', ' ')).toList());
        }
        return dir;
    }

    static void stats(String master, int partitions, long tokens) throws Exception {
        Path text = corpus();
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(master).setAppName("bench")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            sc.setLogLevel("WARN");
            // warm-up: every task slot loads its model once (the default loads in about a second)
            Map<String, JavaRDD<String>> warm = StatisticsJob.documents(sc, text.toUri().toString(), List.of("en"),
                    sc.defaultParallelism());
            StatisticsJob.collect(sc, ModelSpec.of("default"), warm, settings(2_000),
                    StatisticsDirectory.at(Files.createTempDirectory("warm")));
            Map<String, JavaRDD<String>> docs = StatisticsJob.documents(sc, text.toUri().toString(), LANGS,
                    partitions);
            long t0 = System.nanoTime();
            var out = StatisticsJob.collect(sc, ModelSpec.of("default"), docs, settings(tokens),
                    StatisticsDirectory.at(Files.createTempDirectory("stats")));
            double s = (System.nanoTime() - t0) / 1e9;
            long total = out.list().stream().mapToLong(ActivationStatistics::tokens).sum();
            System.out.printf("%s partitions %d torch-threads %s: %,d tokens in %.1f s = %.0f tokens/s%n", master,
                    partitions, System.getProperty("ai.djl.pytorch.num_threads", "all"), total, s, total / s);
        }
    }

    static void single(long tokens) throws Exception {
        Corpus c = Corpus.openDefault();
        try (LanguageModel model = LanguageModel.defaultModel()) {
            StatisticsDirectory.at(Files.createTempDirectory("warm")).collect(model, "en",
                    c.documents("en", Split.IDENTIFICATION), settings(2_000), (l, d, t, r) -> { });
            StatisticsDirectory dir = StatisticsDirectory.at(Files.createTempDirectory("stats"));
            long t0 = System.nanoTime(), total = 0;
            for (String l : LANGS) {
                total += dir.collect(model, l, c.documents(l, Split.IDENTIFICATION), settings(tokens),
                        (x, d, t, r) -> { }).tokens();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("single machine (library, no Spark): %,d tokens in %.1f s = %.0f tokens/s%n", total, s,
                    total / s);
        }
    }

    /** Random statistics of L x I neurons with the default 7 percentiles, as one partition's would be. */
    static ActivationStatistics partial(int layers, int neurons, long seed) {
        Random r = new Random(seed);
        int n = layers * neurons;
        double[] a = new double[n];
        for (int j = 0; j < n; j++) {
            a[j] = r.nextGaussian();
        }
        NeuronGrid g = NeuronGrid.of(layers, neurons, a);
        List<NeuronGrid> sums = new ArrayList<>();
        double[] ps = StatisticsSettings.DEFAULT_PERCENTILES;
        for (double p : ps) {
            sums.add(g);
        }
        return ActivationStatistics.builder("en", RecordedTensor.ACT, layers, neurons).tokens(1000).batches(10)
                .overZero(NeuronGrid.filled(layers, neurons, 7)).sum(g).sumSquares(g).min(g.map(v -> (float) v))
                .max(g.map(v -> (float) v)).percentiles(ps, sums).build();
    }

    static void merge(int layers, int neurons, int partials) throws Exception {
        Path f = Files.createTempFile("partial", ".safetensors");
        partial(layers, neurons, 0).save(f);
        byte[] bytes = Files.readAllBytes(f);
        long t0 = System.nanoTime();
        ActivationStatistics acc = null;
        for (int p = 0; p < partials; p++) {
            // what the driver does per partial: the bytes to a file, read back, merged in partition order
            Path g = Files.createTempFile("partial", ".safetensors");
            Files.write(g, bytes);
            ActivationStatistics s = ActivationStatistics.load(g);
            Files.delete(g);
            acc = acc == null ? s : acc.merge(s);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("merge of %d partials of %d x %d neurons (%.1f MB each): %.2f s, %.3f s a partial%n",
                partials, layers, neurons, bytes.length / 1e6, s, s / partials);
        Files.delete(f);
    }
}
