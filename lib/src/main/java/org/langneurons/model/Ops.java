package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/** Tensor operations every architecture shares, written once so that each runs the same DJL ops everywhere. */
final class Ops {
    private Ops() {
    }

    /**
     * x W^T + b, as torch.nn.functional.linear (without a bias DJL's two-argument form, so no zero bias is added).
     *
     * @param x      [..., in]
     * @param weight [out, in]
     * @param bias   [out], or null
     * @return [..., out]
     */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias)).singletonOrThrow();
    }
}
