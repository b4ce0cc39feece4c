package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Scaled dot-product attention with grouped-query heads, shared by every architecture. */
final class Attention {
    private Attention() {
    }

    /**
     * softmax(q k^T / sqrt(D) + extraBias + mask) v, with the softmax in float32.
     *
     * @param q         [B, H, T, D]
     * @param k         [B, Hkv, S, D]; H is a multiple of Hkv and query head h reads key head h / (H / Hkv)
     * @param v         [B, Hkv, S, D]
     * @param extraBias [B or 1, H, 1 or T, S] float32 added to the scores (BLOOM's ALiBi), or null
     * @return [B, T, H * D]
     */
    static NDArray attend(ForwardPass pass, NDArray q, NDArray k, NDArray v, NDArray extraBias) {
        Shape qs = q.getShape();
        long b = qs.get(0), h = qs.get(1), t = qs.get(2), d = qs.get(3);
        long kvHeads = k.getShape().get(1);
        long s = k.getShape().get(2);
        long groups = h / kvHeads;
        // Query heads of one group share a key head: fold them into the position axis instead of copying keys.
        NDArray keysT = k.transpose(0, 1, 3, 2);
        keysT.attach(pass.layer());
        NDArray scores = Scalars.div(q.reshape(b, kvHeads, groups * t, d).matMul(keysT).reshape(b, h, t, s)
                .toType(DataType.FLOAT32, false), (float) Math.sqrt(d));
        if (extraBias != null) {
            scores = scores.add(extraBias);
        }
        NDArray probs = scores.add(pass.attentionBias).softmax(-1).toType(q.getDataType(), false);
        return probs.reshape(b, kvHeads, groups * t, s).matMul(v).reshape(b, h, t, d)
                .transpose(0, 2, 1, 3).reshape(b, t, h * d);
    }

    /** [B, T, heads * D] -> [B, heads, T, D]. */
    static NDArray splitHeads(NDArray x, long heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }
}
