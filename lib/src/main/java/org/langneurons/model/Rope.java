package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embedding in transformers' rotate_half convention: frequency j rotates dimensions j and j + D/2,
 * {@code x' = x cos + rotate_half(x) sin} with {@code rotate_half([x1, x2]) = [-x2, x1]}.
 */
final class Rope {
    /** [D/2] float32 effective inverse frequencies (after any rope_scaling). */
    private final NDArray inverseFrequencies;
    private final int half;

    Rope(NDManager manager, ModelConfig config) {
        float[] inv = config.ropeScaling().inverseFrequencies(config.headDim(), config.ropeTheta());
        this.inverseFrequencies = manager.create(inv);
        this.half = inv.length;
    }

    /** cos and sin of position * frequency, each [B, 1, T, D] in {@code dtype}, for positions [B, T] float32. */
    NDArray[] cosSin(NDArray positions, DataType dtype) {
        NDArray angles = positions.expandDims(-1).mul(inverseFrequencies);
        NDArray both = angles.concat(angles, -1).expandDims(1);
        return new NDArray[] {both.cos().toType(dtype, false), both.sin().toType(dtype, false)};
    }

    /** Rotates x [B, heads, T, D]. */
    NDArray apply(NDArray x, NDArray[] cosSin) {
        NDArray x1 = x.get("..., :{}", half);
        NDArray x2 = x.get("..., {}:", half);
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cosSin[0]).add(rotated.mul(cosSin[1]));
    }
}
