package org.langneurons.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Language;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.LanguageStatistics;
import org.langneurons.stats.RecordedTensor;
import org.langneurons.stats.StatisticsDirectory;
import org.langneurons.stats.StatisticsSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of the Spark jar: {@code stats}, {@code ppl-change} and {@code transfer}, with the single-machine
 * commands' options where they mean the same, plus the model's device ({@code auto}: the task's GPU) and the
 * partition count. Spark's master and resources come from {@code spark-submit} (or {@code --master} when the jar is
 * run with plain {@code java}).
 *
 * <pre>
 * spark-submit --class org.langneurons.spark.SparkMain spark/target/langneurons-spark.jar \
 *     stats --corpus hdfs:///corpus --langs en,fr --model /shared/llama --tokens-per-lang 100000000 --out /shared/stats
 * </pre>
 */
@Command(name = "langneurons-spark", mixinStandardHelpOptions = true,
        subcommands = {SparkMain.Stats.class, SparkMain.PplChange.class, SparkMain.Transfer.class},
        description = "LangNeurons' experiments on an Apache Spark cluster.")
public final class SparkMain {

    /** Runs a command; exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkMain()).execute(args));
    }

    /** Options every command shares: the model, its device and precision, and the master outside spark-submit. */
    static final class Common {
        @Option(names = "--model", defaultValue = "default", paramLabel = "DIR",
                description = "Checkpoint directory every executor can read, or 'default' (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--device", defaultValue = "auto", paramLabel = "DEV",
                description = "auto (the task's GPU resource, else the CPU), cpu, gpu or gpu:N "
                        + "(default: ${DEFAULT-VALUE}).")
        String device;

        @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "TYPE",
                description = "fp32 or fp16 (default: ${DEFAULT-VALUE}).")
        String dtype;

        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master when not run by spark-submit, e.g. local[2].")
        String master;

        ModelSpec spec() {
            return new ModelSpec(model, device, dtype);
        }

        JavaSparkContext context(String name) {
            SparkConf conf = new SparkConf().setAppName("langneurons " + name);
            if (master != null) {
                conf.setMaster(master);
            }
            return new JavaSparkContext(conf);
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Statistics of every neuron per language, one task per text partition, merged exactly "
                    + "into the folder 'identify' reads.")
    static final class Stats implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--corpus", required = true, paramLabel = "URI",
                description = "Folder (any Hadoop file system) with LANG.txt (a document a line) or LANG.jsonl.")
        String corpus;

        @Option(names = "--langs", required = true, paramLabel = "L,L", description = "Language codes, or all.")
        String langs;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Statistics folder (a path on the driver).")
        Path out;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
                description = "Partitions a language (default: Spark's default parallelism).")
        int partitions;

        @Option(names = "--tokens-per-lang", defaultValue = "1000000", paramLabel = "N",
                description = "Token budget a language, shared evenly by its partitions (default: ${DEFAULT-VALUE}).")
        long tokens;

        @Option(names = "--max-length", defaultValue = "512", paramLabel = "N") int maxLength;

        @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N") int batchSize;

        @Option(names = "--seed", defaultValue = "0") long seed;

        @Option(names = "--tensor", defaultValue = "act", paramLabel = "T", description = "act or gate.")
        String tensor;

        @Option(names = "--percentiles", paramLabel = "P,P",
                description = "Batch-mean percentiles kept, or none (default: 5,10,25,50,75,90,95).")
        String percentiles;

        @Override
        public Integer call() {
            StatisticsSettings.Builder b = StatisticsSettings.builder().tokenBudget(tokens).maxLength(maxLength)
                    .batchSize(batchSize).seed(seed).tensor(RecordedTensor.parse(tensor));
            if (percentiles != null) {
                b.percentiles(percentiles.equals("none") ? new double[0]
                        : Arrays.stream(percentiles.split(",")).mapToDouble(Double::parseDouble).toArray());
            }
            StatisticsSettings settings = b.build();
            List<String> codes = Language.parseCodes(langs);
            try (JavaSparkContext sc = common.context("stats")) {
                int n = partitions > 0 ? partitions : sc.defaultParallelism();
                Map<String, JavaRDD<String>> docs = StatisticsJob.documents(sc, corpus, codes, n);
                long t0 = System.nanoTime();
                LanguageStatistics stats = StatisticsJob.collect(sc, common.spec(), docs, settings,
                        StatisticsDirectory.at(out));
                double s = (System.nanoTime() - t0) / 1e9;
                long total = stats.list().stream().mapToLong(x -> x.tokens()).sum();
                System.err.printf("statistics of %d languages, %,d tokens, in %s (%.1f s, %.0f tokens/s)%n",
                        codes.size(), total, out, s, total / s);
            }
            return 0;
        }
    }

    @Command(name = "ppl-change", mixinStandardHelpOptions = true,
            description = "The perplexity-change matrix, one task per cell; writes ppxc.json and ppxc.html.")
    static final class PplChange implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--neurons", required = true, paramLabel = "FILE", description = "neurons.json.")
        Path neurons;

        @Option(names = "--corpus", paramLabel = "DIR",
                description = "Evaluation text: DIR/LANG.txt or .jsonl, or a built corpus (its validation split); "
                        + "default: the embedded corpus.")
        Path corpus;

        @Option(names = "--max-chars", defaultValue = "0", paramLabel = "N",
                description = "Characters of each language's text, 0 for all (default: ${DEFAULT-VALUE}).")
        int maxChars;

        @Option(names = "--value", defaultValue = "zero", paramLabel = "V",
                description = "zero, a constant, or a statistic: mean, p5 ... p95 (default: ${DEFAULT-VALUE}).")
        String value;

        @Option(names = "--stats", paramLabel = "DIR",
                description = "Statistics folder for a statistic value, on storage the executors share.")
        Path stats;

        @Option(names = "--max-length", defaultValue = "512", paramLabel = "N") int maxLength;

        @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N") int batchSize;

        @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

        @Override
        public Integer call() throws Exception {
            NeuronSet set = NeuronSet.load(neurons);
            Map<String, List<String>> texts = LanguageQuality.firstCharacters(
                    Corpus.texts(corpus, set.languages(), Split.VALIDATION), maxChars);
            try (JavaSparkContext sc = common.context("ppl-change")) {
                PerplexityChange m = PerplexityChangeJob.run(sc, common.spec(), set, texts, maxLength, batchSize,
                        value, stats == null ? null : stats.toAbsolutePath());
                Files.createDirectories(out);
                m.save(out.resolve("ppxc.json"));
                System.out.println(m.text());
            }
            return 0;
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true,
            description = "The zero-shot transfer grid, one task per adapter and per cell; a rerun skips what is "
                    + "done. The grid's model field is the model; --model is ignored.")
    static final class Transfer implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The grid (JSON).")
        Path config;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Grid folder, on storage the executors share.")
        Path out;

        @Override
        public Integer call() {
            String model = org.langneurons.finetune.TransferGrid.Config.read(config).model();
            try (JavaSparkContext sc = common.context("transfer")) {
                TransferGridJob.Summary s = TransferGridJob.run(sc, new ModelSpec(model, common.device,
                        common.dtype), config, out);
                System.err.printf("adapters trained %d, cells computed %d, cells already done %d%n",
                        s.adaptersTrained(), s.cellsComputed(), s.cellsSkipped());
            }
            return 0;
        }
    }
}
