package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** One transformer block: residual stream in, residual stream out, with its hook points run inline. */
interface DecoderBlock {
    /** x [B, T, d] -> [B, T, d]. */
    NDArray forward(NDArray x, ForwardPass pass);

    /**
     * The block's linear layers by architecture-neutral short name, in forward order, for adapters (LoRA) to target:
     * Llama family {@code q, k, v, o, gate, up, down}; BLOOM {@code qkv, o, gate, down}. See each block's
     * {@code Weights} for the Hugging Face module of each name.
     */
    Map<String, Projection> projections();

    /** This block with projection {@code name} replaced by {@code projection} (the same weights, another adapter). */
    DecoderBlock withProjection(String name, Projection projection);

    /** The linear layer {@code name} (see {@link #projections}). */
    default Projection projection(String name) {
        Map<String, Projection> all = projections();
        Projection p = all.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no projection '" + name + "' in this block (it has: "
                    + String.join(", ", all.keySet()) + ")");
        }
        return p;
    }
}
