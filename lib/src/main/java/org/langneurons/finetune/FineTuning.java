package org.langneurons.finetune;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.langneurons.io.CheckpointException;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.report.JsonFiles;
import org.langneurons.tasks.ParallelClassificationTask;
import org.langneurons.tasks.ParallelQaTask;
import org.langneurons.tasks.TaskCatalog;

/**
 * One entry point for Mondal et al.'s fine-tuning experiments, as {@code finetune} and {@code evaluate-task} run
 * them: a named task ({@link TaskCatalog}), a LoRA with one of their mask setups, a head when the task classifies,
 * trained by {@link FineTuner} into a directory that then holds the adapter in PEFT's layout, the head, the mask,
 * and {@code task.json} (the task, its labels, the input settings), which {@link #evaluate} reads back.
 *
 * <pre>{@code
 * FineTuning.Plan plan = FineTuning.Plan.of("module-classification").withMask(MaskSetup.TARGET, lape, "en", "hi");
 * try (FineTuning.Session run = FineTuning.open(model, plan, Path.of("run"))) {
 *     run.train(System.out::println);
 * }
 * TaskEvaluation.Scores scores = FineTuning.evaluate(model, Path.of("run"), null, List.of("en", "hi"), (l, n) -> { });
 * }</pre>
 */
public final class FineTuning {
    /** The file beside the adapter that says what it was trained for. */
    public static final String TASK_FILE = "task.json";

    private FineTuning() {
    }

    /**
     * What to fine-tune.
     *
     * @param task          a {@link TaskCatalog} name
     * @param data          the task's local files (xnli, xquad), or null
     * @param trainFraction the share of the training examples used (first ones, in file order)
     * @param lora          LoRA settings (the gate target is dropped for {@link MaskSetup#NONE})
     * @param mask          the gate's mask setup
     * @param neurons       language-specific neurons for source / target / both, or null
     * @param source        the training (source) language
     * @param target        the target language of the mask
     * @param settings      the optimiser and schedule
     * @param prompt        the question template of QA tasks ({@link TaskEncoder#INSTRUCTION_PROMPT})
     * @param maxNewTokens  most answer tokens decoded (QA)
     */
    public record Plan(String task, Path data, double trainFraction, LoraConfig lora, MaskSetup mask,
            NeuronSet neurons, String source, String target, FineTuneConfig settings, String prompt,
            int maxNewTokens) {

        /** Task {@code task} with the defaults: Mondal et al.'s settings for xnli / xquad, quicker ones for the
         * default's tasks (see {@link #defaultSettings}), a plain LoRA on q, k, v, o and gate. */
        public static Plan of(String task) {
            boolean qa = TaskCatalog.kind(task) == TaskCatalog.Kind.QA;
            return new Plan(task, null, task.equals("xnli") ? 0.25 : 1.0,
                    qa ? LoraConfig.mondalXquad() : LoraConfig.mondalXnli(), MaskSetup.ALL, null, "en", "en",
                    defaultSettings(task), TaskEncoder.INSTRUCTION_PROMPT, switch (task) {
                        case "xquad", "squad-xquad" -> 100;
                        default -> 32;
                    });
        }

        /**
         * The fine-tuning settings of a task: Mondal et al.'s for xnli and xquad (and squad-xquad); for the embedded default's tasks
         * (a 4M-parameter model, minutes on a CPU) a higher learning rate, 2 epochs, batch 16, 128 tokens (256 for
         * heading extraction, whose prompt alone is about 60), 5% warm-up, validation every 50 steps; their AdamW and
         * clipping otherwise.
         */
        public static FineTuneConfig defaultSettings(String task) {
            return switch (task) {
                case "xnli" -> FineTuneConfig.mondalXnli();
                case "xquad", "squad-xquad" -> FineTuneConfig.mondalXquad();
                default -> FineTuneConfig.builder().optLearningRate(2e-3).optEpochs(2).optBatchSize(16)
                        .optWarmupRatio(0.05).optMaxLength(task.equals("heading-extraction") ? 256 : 128)
                        .optEvalEvery(50).optCheckpointEvery(50).build();
            };
        }

        /** The same with local data files. */
        public Plan withData(Path data, double trainFraction) {
            return new Plan(task, data, trainFraction, lora, mask, neurons, source, target, settings, prompt,
                    maxNewTokens);
        }

        /** The same with a mask setup (neurons needed by source, target and both). */
        public Plan withMask(MaskSetup mask, NeuronSet neurons, String source, String target) {
            return new Plan(task, data, trainFraction, lora, mask, neurons, source, target, settings, prompt,
                    maxNewTokens);
        }

        /** The same with other LoRA settings. */
        public Plan withLora(LoraConfig lora) {
            return new Plan(task, data, trainFraction, lora, mask, neurons, source, target, settings, prompt,
                    maxNewTokens);
        }

        /** The same with other optimiser settings. */
        public Plan withSettings(FineTuneConfig settings) {
            return new Plan(task, data, trainFraction, lora, mask, neurons, source, target, settings, prompt,
                    maxNewTokens);
        }
    }

    /** A prepared run: the adapter, the head (classification), the trainer. Close it to free them. */
    public static final class Session implements AutoCloseable {
        private final LoraAdapter adapter;
        private final ClassificationHead head;
        private final FineTuner tuner;

        private Session(LoraAdapter adapter, ClassificationHead head, FineTuner tuner) {
            this.adapter = adapter;
            this.head = head;
            this.tuner = tuner;
        }

        /** The trainer (steps so far, {@link FineTuner#requestStop}). */
        public FineTuner tuner() {
            return tuner;
        }

        /** The adapter being trained. */
        public LoraAdapter adapter() {
            return adapter;
        }

        /** Trains to the end or until stopped; progress lines go to {@code out}. */
        public FineTuner.Result train(Consumer<String> out) {
            return tuner.train(out);
        }

        @Override
        public void close() {
            adapter.close();
            if (head != null) {
                head.close();
            }
        }
    }

    /** Prepares a run into {@code dir} (resuming a checkpoint there); writes {@code task.json}. */
    public static Session open(LanguageModel model, Plan plan, Path dir) {
        if (!plan.source().equals("en")) {
            throw new IllegalArgumentException("the tasks' training data is English: --train-lang must be en, got "
                    + plan.source());
        }
        long eos = model.config().eosTokenIds().isEmpty() ? 2 : model.config().eosTokenIds().get(0);
        TaskEncoder encoder = new TaskEncoder(model.tokenizer().orElseThrow(() -> new IllegalArgumentException(
                "fine-tuning on text needs the model's tokenizer.json")), eos, plan.settings().maxLength(),
                plan.prompt());
        GateMask mask = plan.mask().mask(plan.neurons(), plan.source(), plan.target(), plan.settings().seed(),
                model.config().layers(), model.config().intermediateSize());
        LoraConfig lora = plan.mask() == MaskSetup.NONE
                ? plan.lora().withTargets(plan.lora().targets().stream().filter(t -> !t.equals("gate")).toList())
                : plan.lora();
        LoraAdapter adapter = LoraAdapter.create(model, lora, mask, plan.settings().seed());
        ClassificationHead head = null;
        try {
            FineTuneTask task;
            JsonObject info = new JsonObject();
            info.addProperty("task", plan.task());
            info.addProperty("max_length", plan.settings().maxLength());
            info.addProperty("eos_token_id", eos);
            info.addProperty("mask", plan.mask().label());
            info.addProperty("source", plan.source());
            info.addProperty("target", plan.target());
            if (TaskCatalog.kind(plan.task()) == TaskCatalog.Kind.CLASSIFICATION) {
                ParallelClassificationTask data = TaskCatalog.classification(plan.task(), plan.data(),
                        plan.trainFraction());
                head = ClassificationHead.create(model, data.labels().size(), plan.settings().seed());
                task = new ClassificationTraining(encoder, head, data.train(), data.validation());
                info.add("labels", JsonFiles.GSON.toJsonTree(data.labels()));
            } else {
                ParallelQaTask data = TaskCatalog.qa(plan.task(), plan.data());
                task = new GenerativeTraining(encoder, data.train(), data.validation(), plan.maxNewTokens());
                info.addProperty("prompt", plan.prompt());
                info.addProperty("max_new_tokens", plan.maxNewTokens());
            }
            Files.createDirectories(dir);
            JsonFiles.write(dir.resolve(TASK_FILE), info);
            return new Session(adapter, head, new FineTuner(model, adapter, task, plan.settings(), dir));
        } catch (IOException e) {
            adapter.close();
            throw new CheckpointException(dir, "cannot create the output directory: " + e, e);
        } catch (RuntimeException e) {
            adapter.close();
            if (head != null) {
                head.close();
            }
            throw e;
        }
    }

    /**
     * Scores {@code model} with the adapter (and head) of {@code adapterDir} on the test sets of the task it was
     * trained for, for {@code languages} (all of the task's when empty). Hooks registered on the model (test-time
     * interventions) apply.
     *
     * @param data the task's local files (xnli, xquad), or null
     */
    public static TaskEvaluation.Scores evaluate(LanguageModel model, Path adapterDir, Path data,
            List<String> languages, BiConsumer<String, Integer> progress) {
        try (Evaluator evaluator = evaluator(model, adapterDir, data)) {
            Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
            for (String lang : languages.isEmpty() ? evaluator.languages() : languages) {
                TaskEvaluation.ExampleScores s = evaluator.scores(lang, 0);
                out.put(lang, s.means());
                progress.accept(lang, s.ids().size());
            }
            return new TaskEvaluation.Scores(evaluator.task(), out);
        }
    }

    /**
     * The adapter (and head) of a fine-tuning output directory attached to {@code model}, ready to score test
     * languages one at a time (with whatever hooks are registered meanwhile); closing it detaches them.
     */
    public static Evaluator evaluator(LanguageModel model, Path adapterDir, Path data) {
        Path infoFile = adapterDir.resolve(TASK_FILE);
        JsonObject info;
        try {
            info = JsonParser.parseString(Files.readString(infoFile)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(infoFile, "cannot be read (a fine-tuning output directory has it): "
                    + e.getMessage(), e);
        }
        String name = info.get("task").getAsString();
        TaskEncoder encoder = new TaskEncoder(model.tokenizer().orElseThrow(), info.get("eos_token_id").getAsLong(),
                info.get("max_length").getAsInt(), info.has("prompt") ? info.get("prompt").getAsString()
                : TaskEncoder.INSTRUCTION_PROMPT);
        LoraAdapter adapter = LoraAdapter.load(adapterDir, model).attach();
        try {
            if (TaskCatalog.kind(name) == TaskCatalog.Kind.CLASSIFICATION) {
                Map<String, List<org.langneurons.tasks.ClassificationExample>> test =
                        TaskCatalog.classificationTest(name, data);
                ClassificationHead head = ClassificationHead.load(adapterDir, model);
                return new Evaluator(name, adapter, head, List.copyOf(test.keySet()), (lang, n) ->
                        TaskEvaluation.classificationScores(model, head, encoder, lang, first(test(test, lang, name),
                                n), 16));
            }
            ParallelQaTask task = TaskCatalog.qa(name, data);
            int maxNew = info.get("max_new_tokens").getAsInt();
            return new Evaluator(name, adapter, null, List.copyOf(task.test().keySet()), (lang, n) ->
                    TaskEvaluation.qaScores(model, encoder, lang, first(test(task.test(), lang, name), n), maxNew,
                            8));
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
    }

    /** Scores test languages with an attached adapter; see {@link #evaluator}. */
    public static final class Evaluator implements AutoCloseable {
        private final String task;
        private final LoraAdapter adapter;
        private final ClassificationHead head;
        private final List<String> languages;
        private final java.util.function.BiFunction<String, Integer, TaskEvaluation.ExampleScores> scorer;

        private Evaluator(String task, LoraAdapter adapter, ClassificationHead head, List<String> languages,
                java.util.function.BiFunction<String, Integer, TaskEvaluation.ExampleScores> scorer) {
            this.task = task;
            this.adapter = adapter;
            this.head = head;
            this.languages = languages;
            this.scorer = scorer;
        }

        /** The task's name. */
        public String task() {
            return task;
        }

        /** The task's test languages. */
        public List<String> languages() {
            return languages;
        }

        /** Per-example scores on the first {@code maxExamples} (0: all) of {@code language}'s test set. */
        public TaskEvaluation.ExampleScores scores(String language, int maxExamples) {
            return scorer.apply(language, maxExamples);
        }

        @Override
        public void close() {
            if (head != null) {
                head.close();
            }
            adapter.close();
        }
    }

    private static <T> List<T> first(List<T> examples, int n) {
        return n <= 0 || n >= examples.size() ? examples : examples.subList(0, n);
    }

    private static <T> List<T> test(Map<String, List<T>> test, String language, String task) {
        List<T> examples = test.get(language);
        if (examples == null) {
            throw new IllegalArgumentException("task " + task + " has no test set in '" + language + "' (it has: "
                    + String.join(", ", test.keySet()) + ")");
        }
        return examples;
    }

    /**
     * Perplexity of each language's texts with the model alone ({@code base}) and with each adapter attached in turn:
     * what fine-tuning did to the language modelling of the target language and the others. Rows: languages;
     * columns: base, then the adapters by name.
     */
    public static tech.tablesaw.api.Table perplexities(LanguageModel model, Map<String, Path> adapters,
            Map<String, List<String>> texts, int maxLength, int batchSize) {
        Map<String, org.langneurons.model.TokenizedText> tokenized = new java.util.LinkedHashMap<>();
        texts.forEach((lang, docs) -> tokenized.put(lang, model.tokenize(docs, maxLength)));
        tech.tablesaw.api.Table t = tech.tablesaw.api.Table.create("perplexity per language, without and with each"
                + " adapter", tech.tablesaw.api.StringColumn.create("language", List.copyOf(texts.keySet())));
        t.addColumns(column("base", model, tokenized, batchSize));
        adapters.forEach((name, dir) -> {
            try (LoraAdapter a = LoraAdapter.load(dir, model).attach()) {
                t.addColumns(column(name, model, tokenized, batchSize));
            }
        });
        return t;
    }

    private static tech.tablesaw.api.DoubleColumn column(String name, LanguageModel model,
            Map<String, org.langneurons.model.TokenizedText> texts, int batchSize) {
        tech.tablesaw.api.DoubleColumn c = tech.tablesaw.api.DoubleColumn.create(name);
        texts.values().forEach(text -> c.append(Math.round(model.perplexity(text, batchSize).perplexity() * 100)
                / 100.0));
        return c;
    }
}
