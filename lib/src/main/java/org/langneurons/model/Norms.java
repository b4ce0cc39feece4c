package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/**
 * Normalisations, computed in float32 with float32 weights and returned in the input's dtype (transformers does the
 * same, up to where the weight multiplication is rounded).
 */
final class Norms {
    private Norms() {
    }

    /** RMSNorm: weight * x / sqrt(mean(x^2) + eps). */
    static NDArray rms(NDArray x, NDArray weight, float eps) {
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray normed = x32.div(Scalars.add(x32.square().mean(new int[] {-1}, true), eps).sqrt());
        return normed.mul(weight).toType(x.getDataType(), false);
    }

    /** LayerNorm with bias over the last axis. */
    static NDArray layer(NDArray x, NDArray weight, NDArray bias, float eps) {
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray out = LayerNorm.layerNorm(x32, new Shape(x.getShape().getShape()[x.getShape().dimension() - 1]),
                weight, bias, eps).singletonOrThrow();
        return out.toType(x.getDataType(), false);
    }
}
