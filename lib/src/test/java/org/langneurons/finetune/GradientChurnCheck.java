package org.langneurons.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Scalars;
import org.langneurons.model.TokenBatch;
import org.langneurons.tasks.ClassificationExample;

/**
 * Run in a JVM of its own by {@link GradientsUnderGarbageCollectionTest}, with the allocator's thread caches off:
 * computes gradients twice, once plainly and once with a garbage collection and a flood of small direct buffers (so
 * that memory Java frees is handed out again, filled with NaN) between the forward and the backward pass. Prints one
 * line per check; the test reads them. Arguments: the BLOOM and Llama reference checkpoints.
 */
public final class GradientChurnCheck {
    private static final int TRIALS = 10;
    private static final List<ByteBuffer> FLOOD = new ArrayList<>();

    private GradientChurnCheck() {
    }

    public static void main(String[] args) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            // the premise: DJL's own number overloads, whose scalar autograd keeps in Java memory
            System.out.println("djl-overloads-wrong " + wrongGradients(m, x -> x.mul(3f).div(7f)) + " of " + TRIALS);
            System.out.println("scalars-wrong " + wrongGradients(m, x -> Scalars.div(Scalars.mul(x, 3f), 7f))
                    + " of " + TRIALS);
        }
        try (LanguageModel model = LanguageModel.defaultModel()) {
            TaskEncoder encoder = new TaskEncoder(model.tokenizer().orElseThrow(), 2, 64,
                    TaskEncoder.INSTRUCTION_PROMPT);
            compare("default-classification", model, lora -> {
                try (ClassificationHead head = ClassificationHead.create(model, 2, 3)) {
                    FineTuneTask task = new ClassificationTraining(encoder, head, toyTask(8), List.of());
                    return gradients(model, lora, head.tensors(), s -> task.loss(model, new int[] {0, 1, 2, 3}, s));
                }
            });
        }
        for (String dir : args) {
            try (LanguageModel model = LanguageModel.load(Path.of(dir))) {
                TokenBatch batch = TokenBatch.of(TokenBatch.Padding.LEFT, new long[] {1, 5, 9, 14, 30},
                        new long[] {3, 4, 8});
                compare(Path.of(dir).getFileName() + "-lm-loss", model,
                        lora -> gradients(model, lora, Map.of(), s -> model.loss(batch, s)));
            }
        }
    }

    /** In how many trials the gradient of sum(f(x)) at x = 1 differs when memory is churned before the backward. */
    private static int wrongGradients(NDManager m, java.util.function.UnaryOperator<NDArray> f) throws Exception {
        float[] plain = gradient(m, f, false);
        int wrong = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            wrong += Arrays.equals(plain, gradient(m, f, true)) ? 0 : 1;
        }
        return wrong;
    }

    private static float[] gradient(NDManager m, java.util.function.UnaryOperator<NDArray> f, boolean churned)
            throws Exception {
        try (NDManager s = m.newSubManager()) {
            NDArray x = s.ones(new Shape(4));
            x.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x);
                if (churned) {
                    churn();
                }
                c.backward(y.sum());
            }
            return x.getGradient().toFloatArray();
        } finally {
            FLOOD.clear();
        }
    }

    private interface Loss {
        NDArray of(NDManager scope);
    }

    /** Whether {@link #gradients} churns memory between forward and backward (set by {@link #compare}). */
    private static boolean churning;

    /** Gradients of the adapter's (and the head's) tensors, by name, computed plainly or churned. */
    private static Map<String, float[]> gradients(LanguageModel model, LoraAdapter lora, Map<String, NDArray> head,
            Loss loss) {
        Map<String, NDArray> params = new LinkedHashMap<>(lora.parameters());
        params.putAll(head);
        params.values().forEach(p -> p.setRequiresGradient(true));
        lora.attach();
        try (NDManager scope = model.manager().newSubManager();
                GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.of(scope);
            if (churning) {
                churn();
            }
            c.backward(l);
            Map<String, float[]> out = new LinkedHashMap<>();
            params.forEach((k, p) -> out.put(k, p.getGradient().toFloatArray()));
            return out;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            lora.detach();
            params.values().forEach(p -> p.setRequiresGradient(false));
            FLOOD.clear();
        }
    }

    /**
     * Prints how many tensors' gradients differ between the plain and three churned computations, each with a fresh
     * LoRA adapter whose gate is masked (5 trainable neurons a layer).
     */
    private static void compare(String name, LanguageModel model, Function<LoraAdapter, Map<String, float[]>> grads) {
        List<Map<String, float[]>> runs = new ArrayList<>();
        for (boolean churned : new boolean[] {false, true, true, true}) {
            churning = churned;
            GateMask mask = GateMask.random(model.config().layers(), model.config().intermediateSize(), 5, 11);
            try (LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), mask, 7)) {
                // B starts at zero, which makes A's gradient zero: give B values so that every gradient is non-zero
                Engine.getInstance().setRandomSeed(5);
                lora.parameters().forEach((k, p) -> {
                    if (k.contains("lora_B")) {
                        p.addi(Scalars.mul(p.getManager().randomNormal(p.getShape()), 0.02f));
                    }
                });
                runs.add(grads.apply(lora));
            }
        }
        int differing = 0, total = 0, nonzero = 0;
        for (Map<String, float[]> run : runs.subList(1, runs.size())) {
            for (Map.Entry<String, float[]> e : runs.get(0).entrySet()) {
                total++;
                differing += Arrays.equals(e.getValue(), run.get(e.getKey())) ? 0 : 1;
            }
        }
        for (float[] g : runs.get(0).values()) {
            for (float v : g) {
                if (v != 0) {
                    nonzero++;
                    break;
                }
            }
        }
        System.out.println("case " + name + " differing " + differing + " of " + total + " nonzero " + nonzero
                + " of " + runs.get(0).size());
    }

    /** Collects garbage (so Java frees unreachable direct buffers), then takes small blocks again, filled with NaN. */
    private static void churn() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(i % 2 == 0 ? 4 : 8);
            b.putInt(0, 0x7fc00000 | i);
            if (b.capacity() == 8) {
                b.putInt(4, 0x7ff80000 | i);
            }
            FLOOD.add(b);
        }
    }

    private static List<ClassificationExample> toyTask(int n) {
        List<ClassificationExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ClassificationExample("toy:" + i, "en", "Select the cells of the "
                    + (i % 2 == 1 ? "spreadsheet" : "text document") + " and click OK.", null, i % 2));
        }
        return out;
    }
}
