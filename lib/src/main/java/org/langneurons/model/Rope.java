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

    /**
     * cos and the signed sin of position * frequency, each [B, 1, T, D] in {@code dtype}, for positions [B, T]
     * float32: the sin's first half negated, so that {@link #apply} multiplies [x2, x1] by it instead of negating x2
     * in every block (-x2 sin and x2 (-sin) are the same float, sign included).
     */
    NDArray[] cosSin(NDArray positions, DataType dtype) {
        NDArray angles = positions.expandDims(-1).mul(inverseFrequencies);
        NDArray cos = angles.concat(angles, -1).expandDims(1).cos();
        NDArray sin = angles.sin();
        NDArray signedSin = sin.neg().concat(sin, -1).expandDims(1);
        return new NDArray[] {cos.toType(dtype, false), signedSin.toType(dtype, false)};
    }

    /** Rotates x [B, heads, T, D]: x cos + [x2, x1] (signed sin) = x cos + rotate_half(x) sin. */
    NDArray apply(NDArray x, NDArray[] cosSin) {
        NDArray x1 = x.get("..., :{}", half);
        NDArray x2 = x.get("..., {}:", half);
        return x.mul(cosSin[0]).add(x2.concat(x1, -1).mul(cosSin[1]));
    }
}
