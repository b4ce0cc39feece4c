package org.langneurons.finetune;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.io.CheckpointException;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.report.JsonFiles;
import org.langneurons.stats.StatisticsDirectory;
import org.langneurons.tasks.TaskCatalog;

/**
 * Mondal et al.'s zero-shot transfer grid: fine-tuning setups x target languages x neuron sets x test-time
 * interventions. Each fine-tuning setup trains one adapter on the task's English data (a masked setup by a neuron
 * set once per set, and once per target language other than English when the mask is the target's); each cell evaluates an adapter on
 * one target language's test set with one intervention on that language's neurons ({@code none}: no intervention)
 * and keeps every example's score in {@code cells/ADAPTER/LANG/SET/VALUE.json}, so a killed grid continues with the
 * cells it lacks (and an adapter's training resumes from its checkpoint), and every figure is recomputed from the
 * saved scores ({@link TransferResults}).
 *
 * <pre>{@code
 * TransferGrid.Config config = TransferGrid.Config.read(Path.of("grid.json"));
 * TransferGrid.run(model, config, Path.of("grid"), System.out::println);
 * TransferResults results = TransferResults.read(Path.of("grid"), config);
 * }</pre>
 */
public final class TransferGrid {
    /** The language every adapter is fine-tuned on (the tasks' training data is English). */
    public static final String SOURCE = "en";

    private TransferGrid() {
    }

    /**
     * What a grid runs, as {@code transfer --config FILE} reads it (JSON fields in brackets).
     *
     * @param model      the model: "default" or a checkpoint directory [model, default "default"]
     * @param device     cpu, gpu or gpu:N [device, default cpu]
     * @param task       a {@link TaskCatalog} name [task]
     * @param data       the task's local files, or null [data]
     * @param languages  target languages [languages]
     * @param setups     fine-tuning setups [setups]: none, source, target, both, random, all
     * @param values     test-time interventions [values]: none, zero, mean, p5 ... p95 (statistics of the target
     *                   language on {@code tensor}), or a constant
     * @param neuronSets neuron sets by name [neuron_sets: {"lape": "lape.json"}]
     * @param stats      statistics folder (of {@code stats}) for statistic values, or null [stats]
     * @param tensor     the recorded tensor statistic values come from: {@code act} or {@code gate} [tensor]
     * @param resamples  bootstrap resamples of the intervals and paired tests [resamples, default 1000]
     * @param seed       seed of fine-tuning and of the bootstrap [seed, default 42]
     * @param maxSteps   fine-tuning steps, 0 for the task's default [max_steps]
     * @param maxTest    examples per test language, 0 for all [max_test]
     */
    public record Config(String model, String device, String task, Path data, List<String> languages, List<MaskSetup> setups, List<String> values,
            Map<String, Path> neuronSets, Path stats, String tensor, int resamples, long seed, int maxSteps,
            int maxTest) {

        /** Checks the fields. */
        public Config {
            TaskCatalog.kind(task);
            languages = List.copyOf(languages);
            setups = List.copyOf(setups);
            values = List.copyOf(values);
            // by name: the same grid in the same order however the map was made
            neuronSets = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(neuronSets));
            if (languages.isEmpty() || setups.isEmpty() || values.isEmpty()) {
                throw new IllegalArgumentException("a grid needs languages, setups and values");
            }
            if (neuronSets.isEmpty() && (values.stream().anyMatch(v -> !v.equals("none"))
                    || setups.stream().anyMatch(TransferGrid::needsNeurons))) {
                throw new IllegalArgumentException("interventions and masked setups need neuron_sets");
            }
            if (!tensor.equals("act") && !tensor.equals("gate")) {
                throw new IllegalArgumentException("tensor must be act or gate, got " + tensor);
            }
            for (String v : values) {
                value(v, tensor);   // fails early on a value that does not parse
            }
            if (resamples < 1 || maxSteps < 0 || maxTest < 0) {
                throw new IllegalArgumentException("need resamples >= 1, max_steps and max_test >= 0");
            }
        }

        /**
         * A grid on the embedded default (CPU), with the act statistics, 1,000 resamples, seed 42, the task's
         * fine-tuning length and whole test sets; {@link #withBudget} and {@link #withModel} change those.
         */
        public static Config of(String task, List<String> languages, List<MaskSetup> setups, List<String> values,
                Map<String, Path> neuronSets, Path stats) {
            return new Config("default", "cpu", task, null, languages, setups, values, neuronSets, stats, "act", 1000,
                    42, 0, 0);
        }

        /** The same with at most {@code maxSteps} fine-tuning steps and {@code maxTest} examples a language. */
        public Config withBudget(int maxSteps, int maxTest) {
            return new Config(model, device, task, data, languages, setups, values, neuronSets, stats, tensor,
                    resamples, seed, maxSteps, maxTest);
        }

        /** The same on another model and device, with the task's local files. */
        public Config withModel(String model, String device, Path data) {
            return new Config(model, device, task, data, languages, setups, values, neuronSets, stats, tensor,
                    resamples, seed, maxSteps, maxTest);
        }

        /** Reads a grid file; relative paths are taken from the file's folder. Errors name the file and field. */
        public static Config read(Path file) {
            JsonObject o;
            try {
                o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException(file, "is not a readable JSON object: " + e.getMessage(), e);
            }
            Path base = file.toAbsolutePath().getParent();
            try {
                Map<String, Path> sets = new LinkedHashMap<>();
                if (o.has("neuron_sets")) {
                    o.getAsJsonObject("neuron_sets").entrySet().forEach(e -> sets.put(e.getKey(),
                            base.resolve(e.getValue().getAsString())));
                }
                String model = o.has("model") ? o.get("model").getAsString() : "default";
                return new Config(model.equals("default") ? model : base.resolve(model).toString(),
                        o.has("device") ? o.get("device").getAsString() : "cpu", o.get("task").getAsString(),
                        path(o, "data", base), strings(o, "languages"),
                        strings(o, "setups").stream().map(s -> MaskSetup.valueOf(s.toUpperCase(
                                java.util.Locale.ROOT))).toList(), strings(o, "values"), sets, path(o, "stats", base),
                        o.has("tensor") ? o.get("tensor").getAsString() : "act",
                        o.has("resamples") ? o.get("resamples").getAsInt() : 1000,
                        o.has("seed") ? o.get("seed").getAsLong() : 42,
                        o.has("max_steps") ? o.get("max_steps").getAsInt() : 0,
                        o.has("max_test") ? o.get("max_test").getAsInt() : 0);
            } catch (RuntimeException e) {
                throw new CheckpointException(file, "is not a valid grid (fields model, device, task, data,"
                        + " languages, setups, values, neuron_sets, stats, tensor, resamples, seed, max_steps,"
                        + " max_test): " + e.getMessage(), e);
            }
        }

        private static Path path(JsonObject o, String field, Path base) {
            return o.has(field) && !o.get(field).isJsonNull() ? base.resolve(o.get(field).getAsString()) : null;
        }

        private static List<String> strings(JsonObject o, String field) {
            JsonElement e = o.get(field);
            if (e == null || !e.isJsonArray()) {
                throw new IllegalArgumentException("field '" + field + "' must be a list");
            }
            List<String> out = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
            return out;
        }
    }

    private static boolean needsNeurons(MaskSetup s) {
        return s == MaskSetup.SOURCE || s == MaskSetup.TARGET || s == MaskSetup.BOTH;
    }

    /** The intervention value of a grid value name, or null for {@code none}. */
    static InterventionValue value(String name, String tensor) {
        if (name.equals("none")) {
            return null;
        }
        boolean statistic = name.equals("mean") || name.matches("p\\d+(\\.\\d+)?") || name.equals("min")
                || name.equals("max");
        return InterventionValue.parse(statistic && tensor.equals("gate") ? name + "@gate" : name);
    }

    /**
     * One adapter of the grid and the cells it serves.
     *
     * @param name      its folder under {@code adapters/}: the setup, with the neuron set and target when it depends
     *                  on them ({@code target-lape-hi})
     * @param setup     the fine-tuning setup
     * @param neuronSet the set its mask comes from, or null
     * @param target    the target language of its mask, or null
     */
    public record Adapter(String name, MaskSetup setup, String neuronSet, String target) {

        /** Whether this adapter serves target language {@code language}. */
        boolean serves(String language) {
            return target == null || target.equals(language);
        }

        /** The neuron sets whose interventions its cells run: all, or the one of its mask. */
        List<String> sets(Config config) {
            return neuronSet == null ? List.copyOf(config.neuronSets().keySet()) : List.of(neuronSet);
        }
    }

    /** The adapters a grid trains, in order. */
    public static List<Adapter> adapters(Config config) {
        List<Adapter> out = new ArrayList<>();
        for (MaskSetup s : config.setups()) {
            if (!needsNeurons(s)) {
                out.add(new Adapter(s.label(), s, null, null));
            } else {
                for (String set : config.neuronSets().keySet()) {
                    if (s == MaskSetup.SOURCE) {
                        out.add(new Adapter(s.label() + "-" + set, s, set, null));
                    } else {
                        // the source language as target would repeat the source setup
                        for (String lang : config.languages()) {
                            if (!lang.equals(SOURCE)) {
                                out.add(new Adapter(s.label() + "-" + set + "-" + lang, s, set, lang));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The folder of every adapter of the grid under {@code out}, by name. */
    public static Map<String, Path> adapterDirs(Config config, Path out) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        adapters(config).forEach(a -> dirs.put(a.name(), out.resolve("adapters").resolve(a.name())));
        return dirs;
    }

    /** The file of one cell's per-example scores. */
    public static Path cellFile(Path out, Adapter adapter, String language, String set, String value) {
        return out.resolve("cells").resolve(adapter.name()).resolve(language).resolve(set == null ? "-" : set)
                .resolve(value + ".json");
    }

    /**
     * One cell of a grid: an adapter evaluated on one target language under one intervention.
     *
     * @param adapter  the adapter
     * @param language the target language
     * @param set      the neuron set intervened on, or null when the grid has none
     * @param value    the intervention value name ({@code none}, {@code zero}, {@code mean}, ...)
     */
    public record Cell(Adapter adapter, String language, String set, String value) {

        /** Its file of per-example scores under {@code out}. */
        public Path file(Path out) {
            return cellFile(out, adapter, language, set, value);
        }
    }

    /** Every cell of the grid, in the order {@link #run} computes them. */
    public static List<Cell> cells(Config config) {
        List<Cell> out = new ArrayList<>();
        for (Adapter a : adapters(config)) {
            for (String lang : config.languages()) {
                if (a.serves(lang)) {
                    for (String set : cellSets(config, a)) {
                        for (String value : config.values()) {
                            out.add(new Cell(a, lang, set, value));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The neuron sets of an adapter's cells; a single null when the grid has none (no interventions). */
    private static List<String> cellSets(Config config, Adapter a) {
        List<String> s = a.sets(config);
        return s.isEmpty() ? java.util.Collections.singletonList(null) : s;
    }

    /**
     * Fine-tunes one adapter of the grid into {@code out/adapters/NAME} (resuming its checkpoint), or does nothing
     * when it is finished; returns its folder. A cluster job trains the adapters one task each with this.
     */
    public static Path trainAdapter(LanguageModel model, Config config, Path out, Adapter adapter,
            Consumer<String> progress) {
        return new Run(model, config, out, progress, () -> false).train(adapter);
    }

    /**
     * Computes one cell into its file unless the file exists (the adapter must be trained); returns whether it
     * computed it. A cluster job runs the cells one task each with this; the file is the one {@link #run} writes.
     */
    public static boolean runCell(LanguageModel model, Config config, Path out, Cell cell) {
        if (Files.isRegularFile(cell.file(out))) {
            return false;
        }
        Path dir = out.resolve("adapters").resolve(cell.adapter().name());
        if (!Files.isRegularFile(dir.resolve(LoraAdapter.CONFIG_FILE))) {
            throw new IllegalStateException("cell " + cell + " needs the trained adapter in " + dir);
        }
        Run run = new Run(model, config, out, line -> { }, () -> false);
        try (FineTuning.Evaluator evaluator = FineTuning.evaluator(model, dir, config.data())) {
            run.cell(cell.adapter(), evaluator, cell.language(), cell.set(), cell.value());
        }
        return true;
    }

    /**
     * Runs (or continues) the grid into {@code out}: adapters under {@code adapters/}, cells under {@code cells/}.
     * {@code progress} gets a line per adapter and per cell, with the count done and left.
     */
    public static void run(LanguageModel model, Config config, Path out, Consumer<String> progress) {
        run(model, config, out, progress, () -> false);
    }

    /**
     * The same, stopping at the next safe point (after a cell, or a few fine-tuning steps, checkpointed) once
     * {@code stop} says so; returns whether the grid is complete.
     */
    public static boolean run(LanguageModel model, Config config, Path out, Consumer<String> progress,
            java.util.function.BooleanSupplier stop) {
        return new Run(model, config, out, progress, stop).all();
    }

    /** One run of a grid: what every cell needs, and the count of cells done. */
    private static final class Run {
        private final LanguageModel model;
        private final Config config;
        private final Path out;
        private final Consumer<String> progress;
        private final java.util.function.BooleanSupplier stop;
        private final Map<String, NeuronSet> sets = new LinkedHashMap<>();
        private final StatisticsDirectory stats;
        private final List<Adapter> adapters;
        private final int total;
        private final long started = System.nanoTime();
        private int done;
        private int computed;

        Run(LanguageModel model, Config config, Path out, Consumer<String> progress,
                java.util.function.BooleanSupplier stop) {
            this.model = model;
            this.stop = stop;
            this.config = config;
            this.out = out;
            this.progress = progress;
            config.neuronSets().forEach((name, file) -> sets.put(name, NeuronSet.load(file)));
            this.stats = config.stats() == null ? null : StatisticsDirectory.at(config.stats());
            this.adapters = adapters(config);
            this.total = adapters.stream().mapToInt(a -> (int) config.languages().stream().filter(a::serves).count()
                    * cellSets(a).size() * config.values().size()).sum();
        }

        /** Every adapter and cell not done yet; false when stopped before the end. */
        boolean all() {
            for (Adapter a : adapters) {
                Path dir = train(a);
                if (dir == null) {
                    return false;
                }
                try (FineTuning.Evaluator evaluator = FineTuning.evaluator(model, dir, config.data())) {
                    for (String lang : config.languages()) {
                        if (a.serves(lang)) {
                            for (String set : cellSets(a)) {
                                for (String value : config.values()) {
                                    if (stop.getAsBoolean()) {
                                        return false;
                                    }
                                    cell(a, evaluator, lang, set, value);
                                }
                            }
                        }
                    }
                }
            }
            if (computed < done) {
                progress.accept("resumed: " + (done - computed) + " cells read back from " + out + ", " + computed
                        + " computed");
            }
            return true;
        }

        private List<String> cellSets(Adapter a) {
            return TransferGrid.cellSets(config, a);
        }

        /** Fine-tunes (or finishes fine-tuning) an adapter; returns its folder, or null when stopped. */
        private Path train(Adapter a) {
            Path dir = out.resolve("adapters").resolve(a.name());
            FineTuning.Plan plan = FineTuning.Plan.of(config.task());
            plan = plan.withData(config.data(), plan.trainFraction());
            FineTuneConfig settings = plan.settings().toBuilder().optSeed(config.seed())
                    .optMaxSteps(config.maxSteps()).build();
            plan = plan.withSettings(settings).withMask(a.setup(), a.neuronSet() == null ? null
                    : sets.get(a.neuronSet()), SOURCE, a.target() == null ? SOURCE : a.target());
            try (FineTuning.Session session = FineTuning.open(model, plan, dir)) {
                if (!Files.isRegularFile(dir.resolve(LoraAdapter.CONFIG_FILE))) {
                    progress.accept("adapter " + a.name() + ": fine-tuning " + session.tuner().totalSteps()
                            + " steps");
                    // a few steps at a time, checkpointed, so that a stop request waits for little
                    while (!session.tuner().train(line -> { }, 10).finished()) {
                        if (stop.getAsBoolean()) {
                            return null;
                        }
                    }
                }
            }
            return dir;
        }

        /** One cell, unless its file exists. */
        private void cell(Adapter a, FineTuning.Evaluator evaluator, String lang, String set, String value) {
            Path file = cellFile(out, a, lang, set, value);
            done++;
            if (Files.isRegularFile(file)) {
                return;
            }
            InterventionValue v = value(value, config.tensor());
            long cellStarted = System.nanoTime();
            TaskEvaluation.ExampleScores scores;
            try (HookHandle h = v == null ? () -> { } : Intervention.setTo(sets.get(set), lang, v,
                    language -> requireStats(stats, value).statistics(language)).apply(model)) {
                scores = evaluator.scores(lang, config.maxTest());
            }
            write(file, scores);
            computed++;
            double elapsed = (System.nanoTime() - started) / 1e9;
            // the cells left at this run's rate (fine-tuning included): a rough overall ETA
            progress.accept(String.format("cell %d/%d  %s %s %s %s  %s  %.1f s, %.0f s so far, ETA %.0f s", done,
                    total, a.name(), lang, set == null ? "-" : set, value, scores.means(), (System.nanoTime()
                    - cellStarted) / 1e9, elapsed, elapsed / computed * (total - done)));
        }
    }

    private static StatisticsDirectory requireStats(StatisticsDirectory stats, String value) {
        if (stats == null) {
            throw new IllegalArgumentException("value " + value + " is a statistic: the grid needs \"stats\"");
        }
        return stats;
    }

    /** Writes a cell whole or not at all (a kill leaves no half cell). */
    static void write(Path file, TaskEvaluation.ExampleScores scores) {
        JsonObject o = new JsonObject();
        o.addProperty("language", scores.language());
        JsonArray ids = new JsonArray();
        scores.ids().forEach(ids::add);
        o.add("ids", ids);
        JsonObject metrics = new JsonObject();
        scores.metrics().forEach((k, v) -> {
            JsonArray a = new JsonArray();
            for (double x : v) {
                a.add(x);
            }
            metrics.add(k, a);
        });
        o.add("metrics", metrics);
        try {
            JsonFiles.writeAtomically(file, o);
        } catch (java.io.UncheckedIOException e) {
            throw new CheckpointException(file, "cannot write the cell: " + e.getCause(), e);
        }
    }

    /** Reads a cell written by {@link #write}. */
    public static TaskEvaluation.ExampleScores read(Path file) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            List<String> ids = new ArrayList<>();
            o.getAsJsonArray("ids").forEach(e -> ids.add(e.getAsString()));
            Map<String, double[]> metrics = new LinkedHashMap<>();
            o.getAsJsonObject("metrics").entrySet().forEach(e -> metrics.put(e.getKey(),
                    e.getValue().getAsJsonArray().asList().stream().mapToDouble(JsonElement::getAsDouble).toArray()));
            return new TaskEvaluation.ExampleScores(o.get("language").getAsString(), ids, metrics);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "is not a readable grid cell: " + e.getMessage(), e);
        }
    }
}
