package org.langneurons.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.LoadOptions;

/**
 * The models of this JVM (an executor, or the driver in local mode), loaded on first use and kept for the JVM's life:
 * a task borrows one for itself and gives it back, so the next task on the executor reuses it instead of reading the
 * checkpoint again. A model is lent to one task at a time because its hooks are the model's (two tasks' hooks on one
 * model would see each other's activations); with one task slot per GPU ({@code spark.task.resource.gpu.amount=1},
 * as the README sets up) that is one model per executor, and in local mode with N slots at most N copies.
 *
 * <pre>{@code
 * try (ExecutorModels.Lease lease = ExecutorModels.borrow(spec)) {
 *     Perplexity p = lease.model().perplexity(texts, 512, 8);
 * }
 * }</pre>
 */
public final class ExecutorModels {
    /** Idle models by (checkpoint, resolved device, dtype). */
    private static final Map<String, Deque<LanguageModel>> IDLE = new HashMap<>();
    private static int loaded;

    private ExecutorModels() {
    }

    /** A model lent to one task; closing the lease gives it back (the model stays loaded). */
    public static final class Lease implements AutoCloseable {
        private final String key;
        private LanguageModel model;

        private Lease(String key, LanguageModel model) {
            this.key = key;
            this.model = model;
        }

        /** The borrowed model. */
        public LanguageModel model() {
            if (model == null) {
                throw new IllegalStateException("the lease of " + key + " is closed");
            }
            return model;
        }

        @Override
        public void close() {
            if (model != null) {
                giveBack(key, model);
                model = null;
            }
        }
    }

    /** An idle model of {@code spec} on the task's device, loading one when none is idle. */
    public static Lease borrow(ModelSpec spec) {
        // PyTorch's grad mode is per thread, and DJL turns it off only in the thread that started the engine: in a
        // task thread it is on, every forward would build an autograd graph, and the fine-tuner's in-place optimizer
        // step on leaf weights fails. Off here, as in the thread of a single-machine run (the fine-tuner's gradient
        // collector turns it on for its own steps).
        Engine.getEngine("PyTorch");       // loads the natives on a fresh executor; the call below needs them
        JniUtils.setGradMode(false);
        LoadOptions options = spec.loadOptions();
        String key = spec.model() + "|" + options.device() + "|" + options.dtype();
        synchronized (ExecutorModels.class) {
            Deque<LanguageModel> idle = IDLE.get(key);
            if (idle != null && !idle.isEmpty()) {
                return new Lease(key, idle.pop());
            }
        }
        // outside the lock: a 70B checkpoint takes minutes to read, and another task may want another model
        LanguageModel model = LanguageModel.open(spec.model(), options);
        synchronized (ExecutorModels.class) {
            loaded++;
        }
        return new Lease(key, model);
    }

    private static synchronized void giveBack(String key, LanguageModel model) {
        IDLE.computeIfAbsent(key, k -> new ArrayDeque<>()).push(model);
    }

    /** How many models this JVM has loaded so far (a test checks that tasks reuse them). */
    public static synchronized int loadedCount() {
        return loaded;
    }

    /** Closes every idle model (frees their memory; a later task loads again). */
    public static synchronized void closeIdle() {
        IDLE.values().forEach(d -> d.forEach(LanguageModel::close));
        IDLE.clear();
    }
}
