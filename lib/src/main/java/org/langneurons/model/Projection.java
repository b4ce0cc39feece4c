package org.langneurons.model;

import ai.djl.ndarray.NDArray;

/**
 * One linear layer of a block, {@code y = x W^T + b}, optionally with an adapter whose output is added to y: the unit
 * a fine-tuning method such as LoRA targets. The arrays are the model's own weights (not copies).
 *
 * <pre>{@code
 * Projection q = new Projection(manager.randomNormal(new Shape(64, 64)), null);
 * NDArray y = q.apply(manager.ones(new Shape(1, 3, 64)));                     // [1, 3, 64]
 * Projection tuned = q.withAdapter(x -> x.mul(0.1f));                          // y + 0.1 x
 * }</pre>
 *
 * @param weight  [out, in]
 * @param bias    [out], or null
 * @param adapter adds its output to the projection's, or null for none
 */
public record Projection(NDArray weight, NDArray bias, Adapter adapter) {

    /**
     * A trainable change of a projection's output, given the projection's input: LoRA comes next, e.g.
     * {@code x -> B(A(x)) * alpha / r}.
     *
     * <pre>{@code
     * Projection.Adapter half = x -> x.mul(0.5f);   // for a square projection: y + x / 2
     * }</pre>
     */
    @FunctionalInterface
    public interface Adapter {
        /**
         * @param x the projection's input, [..., in]
         * @return the delta added to the projection's output, [..., out] in x's dtype
         */
        NDArray apply(NDArray x);
    }

    /** Checks that the shapes fit together: a [out, in] weight and, when present, an [out] bias. */
    public Projection {
        if (weight == null || weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("a projection's weight must be [out, in], got "
                    + (weight == null ? "null" : weight.getShape()));
        }
        if (bias != null && (bias.getShape().dimension() != 1 || bias.getShape().get(0) != weight.getShape().get(0))) {
            throw new IllegalArgumentException("a projection's bias must be [" + weight.getShape().get(0) + "], got "
                    + bias.getShape());
        }
    }

    /** A projection without an adapter. */
    public Projection(NDArray weight, NDArray bias) {
        this(weight, bias, null);
    }

    /** Output features (the weight's rows). */
    public long outFeatures() {
        return weight.getShape().get(0);
    }

    /** Input features (the weight's columns). */
    public long inFeatures() {
        return weight.getShape().get(1);
    }

    /** x [..., in] -> [..., out]: {@code x W^T + b}, plus the adapter's output when there is one. */
    public NDArray apply(NDArray x) {
        NDArray y = Ops.linear(x, weight, bias);
        return adapter == null ? y : y.add(adapter.apply(x));
    }

    /** The same weights with {@code adapter} (null removes it). */
    public Projection withAdapter(Adapter adapter) {
        return new Projection(weight, bias, adapter);
    }
}
