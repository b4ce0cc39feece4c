package org.langneurons.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.SafetensorsFile;
import org.langneurons.io.SafetensorsWriter;
import org.langneurons.io.TextTokenizer;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.ModelConfig;
import org.langneurons.model.Perplexity;
import org.langneurons.model.Scalars;

/**
 * Trains a Llama model from scratch with DJL autograd: AdamW, warm-up then cosine decay, gradient-norm clipping,
 * gradient accumulation, a seeded balanced data order, validation bits per character per language, and checkpoints
 * from which an interrupted run resumes to exactly the result of an uninterrupted one.
 *
 * <pre>{@code
 * Corpus corpus = Corpus.open(Path.of("corpus"));
 * Path tokenizer = Path.of("tokenizer.json");
 * TrainingData data;
 * try (TextTokenizer tok = TextTokenizer.load(tokenizer)) {
 *     data = TrainingData.tokenize(corpus.documents(Language.SET1, Split.TRAIN), tok, BpeModel.EOS_ID);
 * }
 * TrainingConfig settings = TrainingConfig.builder().optSteps(500).build();
 * try (Trainer trainer = new Trainer(config, settings, data, corpus.documents(Language.SET1, Split.VALIDATION),
 *         tokenizer, dir)) {
 *     trainer.train(System.out::println);     // resumes from dir/checkpoint when there is one
 *     trainer.export(dir.resolve("model"));   // a Hugging Face checkpoint directory
 * }
 * }</pre>
 */
public final class Trainer implements AutoCloseable {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private final ModelConfig config;
    private final TrainingConfig settings;
    private final TrainingData data;
    private final Map<String, List<String>> validation;
    private final Path tokenizerJson;
    private final Path workDir;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final AdamW optimizer;
    private final LanguageModel model;
    private final List<JsonObject> log = new ArrayList<>();
    private long step;
    private volatile boolean stopRequested;

    /**
     * @param validation    documents per language for validation (evaluated with {@code evalChars} each)
     * @param tokenizerJson the tokenizer the data was encoded with; copied into exported checkpoints
     * @param workDir       where checkpoints and logs go; a checkpoint there is resumed
     */
    public Trainer(ModelConfig config, TrainingConfig settings, TrainingData data,
            Map<String, List<String>> validation, Path tokenizerJson, Path workDir) {
        this.config = config;
        this.settings = settings;
        this.data = data;
        this.validation = validation;
        this.tokenizerJson = tokenizerJson;
        this.workDir = workDir;
        this.manager = NDManager.newBaseManager();
        this.params = LlamaParameters.initial(config, settings.seed(), manager);
        this.optimizer = new AdamW(params, manager, settings.beta1(), settings.beta2(), settings.adamEpsilon(),
                settings.weightDecay());
        resumeIfCheckpointed();
        params.values().forEach(p -> p.setRequiresGradient(true));
        this.model = LanguageModel.fromWeights(config, params, manager,
                tokenizerJson == null ? null : TextTokenizer.load(tokenizerJson));
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return step;
    }

    /** The log so far: one object per logged step or validation. */
    public List<JsonObject> log() {
        return List.copyOf(log);
    }

    /** The parameters by Hugging Face name (live arrays). */
    public Map<String, NDArray> parameters() {
        return params;
    }

    /** The model over the live parameters. */
    public LanguageModel model() {
        return model;
    }

    /**
     * Asks a running {@link #train} to return after the step in progress, with that step checkpointed: for a signal
     * handler or another thread (Ctrl-C loses no finished step). The same command resumes.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether {@link #requestStop} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Trains until {@code settings.steps()}, or until {@code stopAfter} more steps; reports lines to {@code out}. */
    public void train(Consumer<String> out) {
        train(out, Long.MAX_VALUE);
    }

    /** Trains at most {@code stopAfter} steps (then returns, as an interruption would), checkpointing on the way. */
    public void train(Consumer<String> out, long stopAfter) {
        long until = stopAfter >= settings.steps() - step ? settings.steps() : step + stopAfter;
        long started = System.nanoTime();
        long startStep = step;
        boolean stopping = stopRequested;
        while (step < until && !stopping) {
            double lr = settings.learningRate(step);
            double loss = 0;
            double norm = Double.NaN;
            try (NDManager scope = manager.newSubManager()) {
                Map<String, NDArray> grads = null;
                // A non-finite loss or gradient never reaches the parameters. Once, it is taken for a fault of the
                // moment and the step is computed again, which gives the uninterrupted result; twice, the run stops
                // with its last good state checkpointed. (The one such fault seen, a NaN gradient at a finite loss,
                // was DJL's number overloads reading freed memory in the backward pass: see Scalars.)
                for (int attempt = 1; grads == null; attempt++) {
                    loss = accumulateGradients(scope);
                    Map<String, NDArray> g = gradients(scope);
                    norm = AdamW.globalNorm(g, scope);
                    if (Double.isFinite(loss) && Double.isFinite(norm)) {
                        grads = g;
                    } else if (attempt == 1) {
                        out.accept(String.format("step %d: loss %s, gradient norm %s: computing the step again",
                                step + 1, loss, norm));
                        g.values().forEach(AdamW::zero);
                    } else {
                        checkpoint();
                        throw new IllegalStateException(String.format("training step %d gave loss %s and gradient"
                                + " norm %s twice; the parameters before it are checkpointed in %s (step %d):"
                                + " lower --lr or check the training data, then resume", step + 1, loss, norm,
                                workDir.resolve("checkpoint"), step));
                    }
                }
                double scale = Math.min(1.0, settings.clipNorm() / (norm + settings.clipEpsilon()));
                optimizer.step(params, grads, lr, scale, scope);
                grads.values().forEach(AdamW::zero);
            }
            step++;
            double seconds = (System.nanoTime() - started) / 1e9;
            double tokensPerSecond = (step - startStep) * settings.tokensPerStep() / seconds;
            JsonObject entry = new JsonObject();
            entry.addProperty("step", step);
            entry.addProperty("lr", lr);
            entry.addProperty("loss", loss);
            entry.addProperty("grad_norm", norm);
            if (step % settings.logEvery() == 0 || step == settings.steps()) {
                log.add(entry);
                long remaining = settings.steps() - step;
                out.accept(String.format("step %d/%d  loss %.4f  lr %.2e  grad-norm %.3f  %.0f tokens/s  ETA %.1f min",
                        step, settings.steps(), loss, lr, norm, tokensPerSecond,
                        remaining * settings.tokensPerStep() / tokensPerSecond / 60));
            }
            boolean last = step == settings.steps();
            if ((settings.evalEvery() > 0 && step % settings.evalEvery() == 0) || last) {
                JsonObject eval = validate(settings.evalChars());
                log.add(eval);
                out.accept("validation " + eval);
            }
            // read once, so that a stop requested from now on is seen by the next loop test, after this checkpoint
            stopping = stopRequested;
            if ((settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0) || last
                    || step == until || stopping) {
                checkpoint();
            }
        }
    }

    /** Forward and backward over the step's micro-batches; returns the mean loss. Gradients accumulate in place. */
    private double accumulateGradients(NDManager scope) {
        double loss = 0;
        for (int micro = 0; micro < settings.accumulation(); micro++) {
            var batch = data.batch(settings.seed(), step, micro, settings.batchSize(), settings.sequenceLength());
            try (NDManager forward = scope.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = model.loss(batch, forward);
                collector.backward(Scalars.div(l, settings.accumulation()));
                loss += l.getFloat() / settings.accumulation();
            }
        }
        return loss;
    }

    /** Every parameter's gradient by name, attached to {@code scope}. */
    private Map<String, NDArray> gradients(NDManager scope) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            NDArray g = p.getGradient();
            g.attach(scope);
            grads.put(name, g);
        });
        return grads;
    }

    /**
     * Validation bits per character of each language on its first {@code maxChars} characters of validation text
     * (all of it when {@code maxChars} is 0).
     */
    public JsonObject validate(int maxChars) {
        JsonObject eval = new JsonObject();
        eval.addProperty("step", step);
        JsonObject bits = new JsonObject();
        validation.forEach((lang, docs) -> {
            List<String> part = LanguageQuality.firstCharacters(docs, maxChars);
            Perplexity p = model.perplexity(part, settings.sequenceLength(), settings.batchSize());
            bits.addProperty(lang, Math.round(p.bitsPerCharacter() * 10000) / 10000.0);
        });
        eval.add("validation_bits_per_char", bits);
        return eval;
    }

    /** Writes the trained model as a Hugging Face checkpoint directory, weights stored as F32. */
    public void export(Path dir) {
        export(dir, DataType.FLOAT32);
    }

    /** Writes the trained model as a Hugging Face checkpoint directory, weights stored as {@code stored}. */
    public void export(Path dir, DataType stored) {
        LlamaCheckpointWriter.write(dir, config, params, tokenizerJson, stored);
    }

    // ---- checkpoints ----

    /**
     * Parameters, optimizer moments, step and log, written to a new folder {@code checkpoint/step-N}; only once it is
     * complete does the {@code latest} pointer move to it (atomically), and older folders go. A run killed at any
     * moment resumes from the last complete checkpoint.
     */
    void checkpoint() {
        new CheckpointFolder(workDir.resolve("checkpoint")).write(String.format("step-%08d", step), dir -> {
            SafetensorsWriter.write(dir.resolve("parameters.safetensors"), params, Map.of());
            SafetensorsWriter.write(dir.resolve("optimizer.safetensors"), optimizer.state(), Map.of());
            JsonObject state = new JsonObject();
            state.addProperty("step", step);
            state.addProperty("optimizer_steps", optimizer.steps());
            state.add("settings", GSON.toJsonTree(settings));
            state.add("config", LlamaCheckpointWriter.config(config));
            JsonArray entries = new JsonArray();
            log.forEach(entries::add);
            state.add("log", entries);
            Files.writeString(dir.resolve("state.json"), GSON.toJson(state));
        });
    }

    private void resumeIfCheckpointed() {
        Path dir = new CheckpointFolder(workDir.resolve("checkpoint")).latest();
        if (dir == null) {
            return;
        }
        Path stateFile = dir.resolve("state.json");
        JsonObject state = CheckpointFolder.readState(dir);
        if (!GSON.toJsonTree(settings).equals(completed(state.get("settings")))
                || !LlamaCheckpointWriter.config(config).equals(state.get("config"))) {
            throw new CheckpointException(stateFile, "the checkpoint was made with other settings or another model"
                    + " configuration: use another work directory, or the same settings to resume");
        }
        try (SafetensorsFile p = SafetensorsFile.open(dir.resolve("parameters.safetensors"));
                SafetensorsFile o = SafetensorsFile.open(dir.resolve("optimizer.safetensors"));
                NDManager scratch = manager.newSubManager()) {
            params.forEach((name, a) -> a.set(p.read(name, scratch, DataType.FLOAT32).toFloatArray()));
            optimizer.restore(o, state.get("optimizer_steps").getAsLong(), scratch);
        }
        step = state.get("step").getAsLong();
        state.getAsJsonArray("log").forEach(e -> log.add(e.getAsJsonObject()));
    }

    /**
     * A checkpoint's settings with the fields it predates added at the values they had before they were settings
     * (so a run checkpointed by an earlier version still resumes); other settings as they are.
     */
    private static JsonElement completed(JsonElement stored) {
        if (stored == null || !stored.isJsonObject()) {
            return stored;
        }
        JsonObject out = stored.getAsJsonObject().deepCopy();
        JsonObject defaults = GSON.toJsonTree(TrainingConfig.builder().build()).getAsJsonObject();
        for (String added : List.of("adamEpsilon", "clipEpsilon", "evalChars", "logEvery")) {
            if (!out.has(added)) {
                out.add(added, defaults.get(added));
            }
        }
        return out;
    }

    /** Frees the parameters and optimizer state. */
    @Override
    public void close() {
        model.close();
        manager.close();
    }
}
