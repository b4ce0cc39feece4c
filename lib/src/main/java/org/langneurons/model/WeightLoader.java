package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Reads a decoder's tensors by Hugging Face name from a {@link WeightSource}: matrices in the compute dtype, norm
 * weights in float32 (norms are computed in float32), an optional name prefix (BLOOM's {@code transformer.}).
 * Every read checks the shape; {@code why} names the config fields the shape comes from, for error messages.
 */
final class WeightLoader {
    private final WeightSource source;
    private final String prefix;
    private final DataType dtype;

    /**
     * @param prefix prepended to every name, or ""
     * @param dtype  the compute dtype of matrices and biases
     */
    WeightLoader(WeightSource source, String prefix, DataType dtype) {
        this.source = source;
        this.prefix = prefix;
        this.dtype = dtype;
    }

    /** A tensor of exactly {@code shape} in the compute dtype. */
    NDArray weight(String name, Shape shape, String why) {
        return source.read(prefix + name, shape, why, dtype);
    }

    /** A norm's weight or bias of exactly {@code shape}, in float32. */
    NDArray norm(String name, Shape shape, String why) {
        return source.read(prefix + name, shape, why, DataType.FLOAT32);
    }

    /**
     * The linear layer {@code name}: {@code name.weight} [outDim, inDim] and, when {@code withBias},
     * {@code name.bias} [outDim], in that order.
     */
    Projection projection(String name, long outDim, long inDim, boolean withBias, String why) {
        NDArray weight = weight(name + ".weight", new Shape(outDim, inDim), why);
        NDArray bias = withBias ? weight(name + ".bias", new Shape(outDim), why) : null;
        return new Projection(weight, bias);
    }
}
