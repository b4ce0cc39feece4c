package org.langneurons.model;

import ai.djl.ndarray.NDArray;

/** One transformer block: residual stream in, residual stream out, with its hook points run inline. */
interface DecoderBlock {
    /** x [B, T, d] -> [B, T, d]. */
    NDArray forward(NDArray x, ForwardPass pass);
}
