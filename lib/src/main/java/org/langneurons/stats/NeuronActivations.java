package org.langneurons.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookName;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * One hook point's values over one batch, copied to the host: what a neuron did on one text, position by position.
 * For a look at a few neurons; statistics over corpora are {@link StatisticsCollector}'s job.
 *
 * <pre>{@code
 * NeuronActivations act = NeuronActivations.record(model, batch, HookName.mlpAct(3));
 * int top = act.mostActive(1)[0];          // the neuron with the highest mean value
 * double firing = act.firingShare()[top];  // share of positions where it is above zero
 * }</pre>
 *
 * @param name   the hook point
 * @param shape  [B, T, W]: sequences, positions, values per position (the neurons for {@code mlp.hook_act})
 * @param values row-major [B, T, W], float32 (padding positions included)
 */
public record NeuronActivations(HookName name, long[] shape, float[] values) {
    public NeuronActivations {
        if (shape.length != 3 || shape[0] * shape[1] * shape[2] != values.length) {
            throw new IllegalArgumentException("activations of shape " + Arrays.toString(shape) + " need "
                    + "[B, T, W] with B * T * W = " + values.length + " values");
        }
        shape = shape.clone();
        values = values.clone();
    }

    /** Runs {@code batch} through {@code model} and records {@code name} (hooks already registered run too). */
    public static NeuronActivations record(LanguageModel model, TokenBatch batch, HookName name) {
        try (NDManager scope = model.manager().newSubManager();
                ActivationCache cache = ActivationCache.record(model.hooks(), scope, name)) {
            model.logits(batch, scope);
            NDArray a = cache.get(name);
            return new NeuronActivations(name, a.getShape().getShape(), a.toFloatArray());
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** B * T. */
    public int positions() {
        return (int) (shape[0] * shape[1]);
    }

    /** W, values per position. */
    public int width() {
        return (int) shape[2];
    }

    /** The value of {@code neuron} at flat position {@code position} (sequence * T + t). */
    public float get(int position, int neuron) {
        return values[position * width() + neuron];
    }

    /** Per neuron, the mean over positions. */
    public double[] mean() {
        int n = positions(), w = width();
        double[] out = new double[w];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < w; i++) {
                out[i] += values[t * w + i] / n;    // per position, as a float share: the notebooks' arithmetic
            }
        }
        return out;
    }

    /** Per neuron, the share of positions where it is above zero. */
    public double[] firingShare() {
        int n = positions(), w = width();
        double[] out = new double[w];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < w; i++) {
                out[i] += (values[t * w + i] > 0 ? 1.0 : 0.0) / n;
            }
        }
        return out;
    }

    /** The {@code k} neurons of highest mean value, highest first (ties: lower index first). */
    public int[] mostActive(int k) {
        double[] mean = mean();
        Integer[] order = new Integer[mean.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mean[b], mean[a]));
        return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** The largest |value| of {@code neuron} over all positions. */
    public double maxAbs(int neuron) {
        double m = 0;
        for (int t = 0; t < positions(); t++) {
            m = Math.max(m, Math.abs(get(t, neuron)));
        }
        return m;
    }

    /** How many (position, neuron) values differ from {@code other}'s, not counting {@code neuron}'s. */
    public int changedExcept(NeuronActivations other, int neuron) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException("activations of shapes " + Arrays.toString(shape) + " and "
                    + Arrays.toString(other.shape));
        }
        int changed = 0;
        for (int t = 0; t < positions(); t++) {
            for (int i = 0; i < width(); i++) {
                if (i != neuron && get(t, i) != other.get(t, i)) {
                    changed++;
                }
            }
        }
        return changed;
    }
}
