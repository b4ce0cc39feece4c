package org.langneurons.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import org.langneurons.model.Scalars;

/**
 * AdamW (Loshchilov and Hutter), exactly as {@code torch.optim.AdamW}: decoupled weight decay
 * {@code p -= lr * wd * p}, then {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}. Weight decay applies to matrices only (not
 * to norm weights). Moments live on the parameters' device.
 *
 * <pre>{@code
 * Map<String, NDArray> params = LlamaParameters.initial(config, 1234, manager);
 * AdamW adam = new AdamW(params, manager, 0.9, 0.95, 1e-8, 0.1);
 * // after a backward pass: one update at learning rate 3e-3 from the gradients, unclipped (scale 1)
 * Map<String, NDArray> grads = new LinkedHashMap<>();
 * params.forEach((name, p) -> grads.put(name, p.getGradient()));
 * try (NDManager scope = manager.newSubManager()) {
 *     adam.step(params, grads, 3e-3, 1.0, scope);
 * }
 * }</pre>
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long steps;

    /** An optimizer with no state yet; moments are created on {@code manager} for each parameter. */
    public AdamW(Map<String, NDArray> params, NDManager manager, double beta1, double beta2, double eps,
            double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        params.forEach((name, p) -> {
            first.put(name, manager.zeros(p.getShape(), p.getDataType()));
            second.put(name, manager.zeros(p.getShape(), p.getDataType()));
        });
    }

    /** Steps taken so far (t). */
    public long steps() {
        return steps;
    }

    /** The moment estimates by name, "m." and "v." prefixed (for checkpoints). */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        first.forEach((k, v) -> out.put("m." + k, v));
        second.forEach((k, v) -> out.put("v." + k, v));
        return out;
    }

    /** Restores moments (from {@link #state}) and the step count. */
    public void restore(Map<String, NDArray> state, long steps) {
        first.forEach((k, m) -> m.set(require(state, "m." + k).toFloatArray()));
        second.forEach((k, v) -> v.set(require(state, "v." + k).toFloatArray()));
        this.steps = steps;
    }

    /** Restores moments and the step count from an optimizer file written from {@link #state}. */
    public void restore(org.langneurons.io.SafetensorsFile file, long steps, NDManager scratch) {
        Map<String, NDArray> moments = new LinkedHashMap<>();
        for (String name : file.entries().keySet()) {
            moments.put(name, file.read(name, scratch, ai.djl.ndarray.types.DataType.FLOAT32));
        }
        restore(moments, steps);
    }

    private static NDArray require(Map<String, NDArray> state, String name) {
        NDArray a = state.get(name);
        if (a == null) {
            throw new IllegalArgumentException("optimizer state lacks '" + name + "'");
        }
        return a;
    }

    /**
     * One update of every parameter from its gradient times {@code gradScale} (gradient clipping), at learning rate
     * {@code lr}. Call outside a gradient collector. Parameters and moments are attached to {@code scope} for the
     * call, so every temporary is freed with it and they return to their own managers.
     */
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, double gradScale,
            NDManager scope) {
        // PyTorch's grad mode is per thread and DJL turns it off only in the thread that started the engine: in any
        // other (a Spark task, a kernel's worker) it is on, and the in-place updates of leaf weights below fail
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            update(params, grads, lr, gradScale, scope);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private void update(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, double gradScale,
            NDManager scope) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        scope.tempAttachAll(params.values().toArray(NDArray[]::new));
        scope.tempAttachAll(first.values().toArray(NDArray[]::new));
        scope.tempAttachAll(second.values().toArray(NDArray[]::new));
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = Scalars.mul(grads.get(e.getKey()), (float) gradScale);
            NDArray m = first.get(e.getKey());
            NDArray v = second.get(e.getKey());
            if (weightDecay > 0 && p.getShape().dimension() >= 2) {
                Scalars.muli(p, (float) (1 - lr * weightDecay));
            }
            Scalars.muli(m, (float) beta1).addi(Scalars.mul(g, (float) (1 - beta1)));
            Scalars.muli(v, (float) beta2).addi(Scalars.mul(g.square(), (float) (1 - beta2)));
            NDArray denominator = Scalars.add(Scalars.div(v.sqrt(), (float) Math.sqrt(bc2)), (float) eps);
            p.subi(Scalars.mul(m.div(denominator), (float) (lr / bc1)));
        }
    }

    /** The global L2 norm of all gradients (what clipping scales by). */
    public static double globalNorm(Map<String, NDArray> grads, NDManager scope) {
        NDArray squares = scope.zeros(new ai.djl.ndarray.types.Shape(), ai.djl.ndarray.types.DataType.FLOAT32);
        grads.values().forEach(g -> squares.addi(g.square().sum().toType(ai.djl.ndarray.types.DataType.FLOAT32,
                false)));
        return Math.sqrt(squares.getFloat());
    }

    /** Sets a gradient to zeros in place, for the next accumulation (multiplying by 0 would keep a NaN). */
    public static void zero(NDArray gradient) {
        gradient.set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
    }
}
