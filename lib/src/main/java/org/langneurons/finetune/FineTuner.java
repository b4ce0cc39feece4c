package org.langneurons.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.SafetensorsFile;
import org.langneurons.io.SafetensorsWriter;
import org.langneurons.model.LanguageModel;
import org.langneurons.report.JsonFiles;
import org.langneurons.train.AdamW;
import org.langneurons.train.CheckpointFolder;
import org.langneurons.model.Scalars;

/**
 * Fine-tunes an adapter (and a task's head) on a frozen model with DJL autograd: AdamW, linear warm-up and decay,
 * gradient-norm clipping, gradient accumulation, a seeded data order, validation every N steps with the best
 * adapter kept, and checkpoints from which a killed run resumes to exactly the result of an unbroken one. The base
 * model's weights get no gradient and are never copied.
 *
 * <p>{@code dir} receives: {@code checkpoint/} (resumable state), {@code best/} (the adapter of the best validation,
 * PEFT layout), {@code training-log.json}, and at the end the final adapter itself (PEFT layout, directly in dir).
 *
 * <pre>{@code
 * try (LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), null, 42);
 *         ClassificationHead head4 = ClassificationHead.create(model, modules.labels().size(), 42)) {
 *     FineTuneTask task = new ClassificationTraining(encoder, head4, modules.train(), modules.validation());
 *     FineTuner.Result r = new FineTuner(model, lora, task, FineTuneConfig.mondalXnli(), Path.of("run"))
 *             .train(System.out::println);
 * }
 * }</pre>
 */
public final class FineTuner {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private final LanguageModel model;
    private final LoraAdapter adapter;
    private final FineTuneTask task;
    private final FineTuneConfig settings;
    private final Path dir;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final AdamW optimizer;
    private final int steps;
    private final List<JsonObject> log = new ArrayList<>();
    private long step;
    private double best = Double.NEGATIVE_INFINITY;
    private long bestStep = -1;
    private volatile boolean stopRequested;

    /**
     * The outcome of a run.
     *
     * @param steps          optimizer steps taken in all
     * @param finished       whether the run reached its last step (false: stopped, resumable)
     * @param lastLoss       the last step's loss
     * @param bestValidation the best validation score (NaN when none ran)
     * @param bestStep       the step it was reached at (-1 when none)
     * @param log            the log so far
     */
    public record Result(long steps, boolean finished, double lastLoss, double bestValidation, long bestStep,
            List<JsonObject> log) {
    }

    /** A run into {@code dir}; a checkpoint there is resumed (with the same settings only). */
    public FineTuner(LanguageModel model, LoraAdapter adapter, FineTuneTask task, FineTuneConfig settings, Path dir) {
        this.model = model;
        this.adapter = adapter;
        this.task = task;
        this.settings = settings;
        this.dir = dir;
        this.params.putAll(adapter.parameters());
        this.params.putAll(task.trainableTensors());
        if (model.dtype() != DataType.FLOAT32) {
            // RMSNorm and LayerNorm compute in float32 and cast back, and DJL's casts are not differentiable: no
            // gradient would reach the adapter
            throw new IllegalArgumentException("fine-tuning needs the model in fp32 (it is " + model.dtype()
                    + "): DJL cannot differentiate the casts of its float32 norms; load it with --dtype fp32");
        }
        this.steps = settings.steps(task.size());
        this.optimizer = new AdamW(params, adapter.parameters().values().iterator().next().getManager(),
                settings.beta1(), settings.beta2(), settings.adamEpsilon(), settings.weightDecay());
        resumeIfCheckpointed();
    }

    /** Optimizer steps of the whole run. */
    public int totalSteps() {
        return steps;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** Asks a running {@link #train} to return after the step in progress, checkpointed (Ctrl-C loses nothing). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Trains to the end (or until {@link #requestStop}); progress lines go to {@code out}. */
    public Result train(Consumer<String> out) {
        return train(out, Long.MAX_VALUE);
    }

    /** Trains at most {@code stopAfter} more steps, then returns checkpointed (as an interruption would). */
    public Result train(Consumer<String> out, long stopAfter) {
        long until = Math.min(steps, step + Math.min(stopAfter, steps));
        long started = System.nanoTime();
        long startStep = step;
        long tokens = 0;
        double loss = Double.NaN;
        params.values().forEach(p -> p.setRequiresGradient(true));
        adapter.attach();
        adapter.setTraining(true);
        try {
            boolean stopping = stopRequested;
            while (step < until && !stopping) {
                double lr = settings.learningRate(step, steps);
                double norm;
                try (NDManager scope = model.manager().newSubManager()) {
                    loss = 0;
                    for (int micro = 0; micro < settings.accumulation(); micro++) {
                        int[] examples = examples(step * settings.accumulation() + micro);
                        tokens += task.tokens(examples);
                        if (adapter.config().dropout() > 0) {
                            // dropout masks depend only on the step, so a resumed run draws the same ones
                            Engine.getInstance().setRandomSeed((int) (settings.seed() * 1_000_003L + step * 31
                                    + micro));
                        }
                        try (NDManager forward = scope.newSubManager();
                                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray l = task.loss(model, examples, forward);
                            collector.backward(Scalars.div(l, settings.accumulation()));
                            loss += l.toType(DataType.FLOAT32, false).getFloat() / settings.accumulation();
                        }
                    }
                    Map<String, NDArray> grads = new LinkedHashMap<>();
                    params.forEach((name, p) -> {
                        NDArray g = p.getGradient();
                        g.attach(scope);
                        grads.put(name, g);
                    });
                    norm = AdamW.globalNorm(grads, scope);
                    if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                        grads.values().forEach(AdamW::zero);
                        checkpoint();
                        throw new IllegalStateException(String.format("fine-tuning step %d gave loss %s and gradient"
                                + " norm %s; the state before it is checkpointed in %s: lower the learning rate or"
                                + " check the data, then resume", step + 1, loss, norm, dir.resolve("checkpoint")));
                    }
                    // torch's clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is below 1
                    double scale = Math.min(1.0, settings.clipNorm() / (norm + 1e-6));
                    optimizer.step(params, grads, lr, scale, scope);
                    grads.values().forEach(AdamW::zero);
                }
                step++;
                JsonObject entry = new JsonObject();
                entry.addProperty("step", step);
                entry.addProperty("lr", lr);
                entry.addProperty("loss", loss);
                entry.addProperty("grad_norm", norm);
                boolean last = step == steps;
                if (step % settings.logEvery() == 0 || last) {
                    log.add(entry);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double perStep = seconds / (step - startStep);
                    out.accept(String.format("step %d/%d  loss %.4f  lr %.2e  grad-norm %.3f  %.0f tokens/s  %.2f s/step"
                            + "  ETA %.1f min", step, steps, loss, lr, norm, tokens / seconds, perStep,
                            (steps - step) * perStep / 60));
                }
                if ((settings.evalEvery() > 0 && step % settings.evalEvery() == 0) || last) {
                    validate(out);
                }
                stopping = stopRequested;
                if ((settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0) || last
                        || step == until || stopping) {
                    checkpoint();
                }
            }
        } finally {
            adapter.setTraining(false);
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
        if (step == steps) {
            task.save(adapter, dir);
        }
        return new Result(step, step == steps, loss, bestStep < 0 ? Double.NaN : best, bestStep, List.copyOf(log));
    }

    /** Validation now; keeps the adapter in {@code best/} when it is the best so far. */
    private void validate(Consumer<String> out) {
        adapter.setTraining(false);
        double score = task.validate(model);
        adapter.setTraining(true);
        JsonObject entry = new JsonObject();
        entry.addProperty("step", step);
        entry.addProperty("validation_" + task.metric(), score);
        log.add(entry);
        boolean better = score > best;
        if (better) {
            best = score;
            bestStep = step;
            task.save(adapter, dir.resolve("best"));
        }
        out.accept(String.format("validation at step %d: %s %.4f%s", step, task.metric(), score,
                better ? " (best so far: kept in " + dir.resolve("best") + ")" : ""));
    }

    /** Training example indices of micro-batch {@code micro}: epoch e's seeded permutation, in batches. */
    int[] examples(long micro) {
        int n = task.size();
        int batch = settings.batchSize();
        long perEpoch = (n + batch - 1) / batch;
        long epoch = micro / perEpoch;
        int from = (int) ((micro % perEpoch) * batch);
        int[] order = permutation(n, settings.seed() * 1_000_003L + epoch);
        int to = Math.min(n, from + batch);
        int[] out = new int[to - from];
        System.arraycopy(order, from, out, 0, out.length);
        return out;
    }

    private static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    // ---- checkpoints ----

    private void checkpoint() {
        new CheckpointFolder(dir.resolve("checkpoint")).write(String.format("step-%08d", step), d -> {
            SafetensorsWriter.write(d.resolve("parameters.safetensors"), params, Map.of());
            SafetensorsWriter.write(d.resolve("optimizer.safetensors"), optimizer.state(), Map.of());
            JsonObject state = new JsonObject();
            state.addProperty("step", step);
            state.addProperty("optimizer_steps", optimizer.steps());
            state.add("settings", GSON.toJsonTree(settings));
            state.addProperty("examples", task.size());
            state.addProperty("best", bestStep < 0 ? null : best);
            state.addProperty("best_step", bestStep);
            JsonArray entries = new JsonArray();
            log.forEach(entries::add);
            state.add("log", entries);
            Files.writeString(d.resolve("state.json"), GSON.toJson(state));
        });
        JsonObject out = new JsonObject();
        out.add("settings", GSON.toJsonTree(settings));
        JsonArray entries = new JsonArray();
        log.forEach(entries::add);
        out.add("log", entries);
        JsonFiles.write(dir.resolve("training-log.json"), out);
    }

    private void resumeIfCheckpointed() {
        Path latest = new CheckpointFolder(dir.resolve("checkpoint")).latest();
        if (latest == null) {
            return;
        }
        Path stateFile = latest.resolve("state.json");
        JsonObject state = CheckpointFolder.readState(latest);
        if (!GSON.toJsonTree(settings).equals(state.get("settings"))
                || state.get("examples").getAsInt() != task.size()) {
            throw new CheckpointException(stateFile, "the checkpoint was made with other settings or other training"
                    + " data: use another output directory, or the same settings to resume");
        }
        try (SafetensorsFile p = SafetensorsFile.open(latest.resolve("parameters.safetensors"));
                SafetensorsFile o = SafetensorsFile.open(latest.resolve("optimizer.safetensors"));
                NDManager scratch = model.manager().newSubManager()) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                if (!p.entries().containsKey(e.getKey())) {
                    throw new CheckpointException(p.path(), "tensor '" + e.getKey() + "' is missing: the checkpoint"
                            + " is of another adapter (targets, mask or head)");
                }
                e.getValue().set(p.read(e.getKey(), scratch, DataType.FLOAT32).toFloatArray());
            }
            optimizer.restore(o, state.get("optimizer_steps").getAsLong(), scratch);
        }
        step = state.get("step").getAsLong();
        bestStep = state.get("best_step").getAsLong();
        best = bestStep < 0 ? Double.NEGATIVE_INFINITY : state.get("best").getAsDouble();
        state.getAsJsonArray("log").forEach(e -> log.add(e.getAsJsonObject()));
    }
}
