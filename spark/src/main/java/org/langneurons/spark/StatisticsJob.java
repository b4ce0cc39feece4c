package org.langneurons.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.langneurons.model.LanguageModel;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.LanguageStatistics;
import org.langneurons.stats.StatisticsCollector;
import org.langneurons.stats.StatisticsDirectory;
import org.langneurons.stats.StatisticsSettings;
import scala.Tuple2;

/**
 * Activation statistics on a Spark cluster: each language's text is read from any Hadoop file system path, in
 * partitions; a task runs the library's collector over its partition (on a model loaded once per executor, see
 * {@link ExecutorModels}), and the partial statistics are merged per language, in partition order, with the library's
 * exact merge ({@link ActivationStatistics#merge}) into the same statistics folder {@code identify} reads.
 *
 * <p>What a partition counts: its documents (one a line, as the single-machine {@code stats} reads them), shuffled
 * with the settings' seed, packed and cut into windows exactly as {@link StatisticsCollector#collect} does, within
 * {@link #partitionSettings a share of the token budget} (budget / partitions, rounded up). The result is therefore
 * the single-machine collection of the same partitions merged in order, bit for bit, whatever the number of
 * executors. (One pass over all the partitions' windows counts the same tokens; its batches that straddle a partition
 * end have other padded widths, which move activations in their last bits, and its batch-mean percentiles are over
 * other batches.)
 *
 * <pre>{@code
 * JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
 * Map<String, JavaRDD<String>> docs = StatisticsJob.documents(sc, "hdfs:///corpus", List.of("en", "fr"), 64);
 * LanguageStatistics stats = StatisticsJob.collect(sc, ModelSpec.of("/shared/llama"), docs,
 *         StatisticsSettings.builder().tokenBudget(100_000_000).build(), StatisticsDirectory.at(Path.of("stats")));
 * }</pre>
 */
public final class StatisticsJob {
    private StatisticsJob() {
    }

    /**
     * The documents of each language: {@code CORPUS/LANG.txt} (one document a line) or {@code CORPUS/LANG.jsonl}
     * ({@code {"text": ...}} a line) on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:} with its
     * connector), in at least {@code partitions} partitions; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming both paths when a language has neither file
     */
    public static Map<String, JavaRDD<String>> documents(JavaSparkContext sc, String corpus, List<String> languages,
            int partitions) {
        Map<String, JavaRDD<String>> out = new LinkedHashMap<>();
        for (String lang : languages) {
            String txt = join(corpus, lang + ".txt"), jsonl = join(corpus, lang + ".jsonl");
            if (exists(sc, txt)) {
                out.put(lang, sc.textFile(txt, partitions).filter(l -> !l.isBlank()));
            } else if (exists(sc, jsonl)) {
                out.put(lang, sc.textFile(jsonl, partitions).filter(l -> !l.isBlank())
                        .map(line -> jsonText(jsonl, line)).filter(t -> !t.isBlank()));
            } else {
                throw new IllegalArgumentException("no text for language " + lang + ": expected " + txt + " or "
                        + jsonl);
            }
        }
        return out;
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static boolean exists(JavaSparkContext sc, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
            return fs.exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for " + path + ": " + e.getMessage(), e);
        }
    }

    private static String jsonText(String file, String line) {
        try {
            JsonElement t = JsonParser.parseString(line).getAsJsonObject().get("text");
            if (t == null || !t.isJsonPrimitive()) {
                throw new IllegalArgumentException("no \"text\" string field");
            }
            return t.getAsString();
        } catch (RuntimeException e) {
            String start = line.length() > 80 ? line.substring(0, 80) + "..." : line;
            throw new IllegalArgumentException(file + ": a line is not a JSON object with a \"text\" string ("
                    + e.getMessage() + "): " + start, e);
        }
    }

    /** The settings of one of {@code partitions} partitions: a budget of {@code ceil(budget / partitions)} tokens. */
    public static StatisticsSettings partitionSettings(StatisticsSettings s, int partitions) {
        long budget = (s.tokenBudget() + partitions - 1) / partitions;
        return s.toBuilder().tokenBudget(budget).build();
    }

    /**
     * What one task computes: the statistics of {@code docs} (one partition of {@code language}) with
     * {@code partitionSettings}, or null when the partition holds no token. Public so that the single-machine
     * result of the same partitions can be computed with the same call.
     */
    public static ActivationStatistics collectPartition(LanguageModel model, String language, List<String> docs,
            StatisticsSettings partitionSettings) {
        if (docs.isEmpty()) {
            return null;
        }
        List<long[]> windows = StatisticsCollector.windows(model.tokenizer().orElseThrow(() ->
                new IllegalArgumentException("the model at " + model.directory() + " has no tokenizer.json")),
                docs, partitionSettings, model.config().eosTokenIds().isEmpty() ? -1
                        : model.config().eosTokenIds().get(0));
        if (windows.isEmpty()) {
            return null;
        }
        return StatisticsCollector.collectWindows(model, language, windows, partitionSettings, null,
                StatisticsCollector.Progress.NONE);
    }

    /** One partition's statistics, as the bytes of its safetensors file, with where it came from. */
    private record Partial(String language, int partition, byte[] file) implements java.io.Serializable {
    }

    /**
     * Collects the statistics of every language of {@code docs} into {@code out} ({@code LANG.safetensors}, as the
     * single-machine {@code stats} writes them) and returns them; a language whose file exists is read back, not
     * recomputed (delete the file to collect it again).
     */
    public static LanguageStatistics collect(JavaSparkContext sc, ModelSpec model, Map<String, JavaRDD<String>> docs,
            StatisticsSettings settings, StatisticsDirectory out) {
        List<JavaRDD<Partial>> parts = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        for (Map.Entry<String, JavaRDD<String>> e : docs.entrySet()) {
            String lang = e.getKey();
            if (Files.isRegularFile(out.statisticsFile(lang))) {
                continue;
            }
            todo.add(lang);
            int n = e.getValue().getNumPartitions();
            CarriedSettings carried = CarriedSettings.of(partitionSettings(settings, n));
            parts.add(e.getValue().mapPartitionsWithIndex((index, lines) -> partial(model, lang, index, lines,
                    carried), true));
        }
        if (!todo.isEmpty()) {
            JavaRDD<Partial> all = sc.union(parts.toArray(JavaRDD[]::new));
            // computed in parallel once, then read back to the driver a partition at a time, in partition order:
            // the merge's order is fixed, so the result is the same on every run and every cluster size
            all.persist(StorageLevel.MEMORY_AND_DISK());
            try {
                all.count();
                Map<String, ActivationStatistics> merged = new LinkedHashMap<>();
                Map<String, Integer> partitions = new LinkedHashMap<>();
                for (Iterator<Partial> it = all.toLocalIterator(); it.hasNext(); ) {
                    Partial p = it.next();
                    ActivationStatistics s = fromBytes(p.file());
                    merged.merge(p.language(), s, ActivationStatistics::merge);
                    partitions.merge(p.language(), 1, Integer::sum);
                }
                create(out.path());
                for (String lang : todo) {
                    ActivationStatistics s = merged.get(lang);
                    if (s == null) {
                        throw new IllegalArgumentException("empty input: the text of " + lang
                                + " holds no token in any partition");
                    }
                    Map<String, String> info = new LinkedHashMap<>(s.info());
                    info.put("token_budget", Long.toString(settings.tokenBudget()));
                    info.put("spark_partitions", Integer.toString(docs.get(lang).getNumPartitions()));
                    info.put("spark_partitions_with_tokens", Integer.toString(partitions.get(lang)));
                    s.withInfo(info).save(out.statisticsFile(lang));
                }
            } finally {
                all.unpersist(false);
            }
        }
        return out.load(List.copyOf(docs.keySet()));
    }

    private static Iterator<Partial> partial(ModelSpec model, String lang, int index, Iterator<String> lines,
            CarriedSettings carried) {
        List<String> docs = new ArrayList<>();
        lines.forEachRemaining(docs::add);
        ActivationStatistics s;
        try (ExecutorModels.Lease lease = ExecutorModels.borrow(model)) {
            s = collectPartition(lease.model(), lang, docs, carried.settings());
        }
        return s == null ? List.<Partial>of().iterator() : List.of(new Partial(lang, index, toBytes(s))).iterator();
    }

    /** The statistics as the bytes of their file: the library's own format is their wire format too. */
    static byte[] toBytes(ActivationStatistics s) {
        try {
            Path f = Files.createTempFile("langneurons-partial", ".safetensors");
            try {
                s.save(f);
                return Files.readAllBytes(f);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write partial statistics of " + s.language() + " to a temporary "
                    + "file: " + e.getMessage(), e);
        }
    }

    static ActivationStatistics fromBytes(byte[] bytes) {
        try {
            Path f = Files.createTempFile("langneurons-partial", ".safetensors");
            try {
                Files.write(f, bytes);
                return ActivationStatistics.load(f);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read partial statistics through a temporary file: "
                    + e.getMessage(), e);
        }
    }

    private static void create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
