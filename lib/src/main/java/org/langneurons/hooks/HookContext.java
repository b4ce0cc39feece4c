package org.langneurons.hooks;

import ai.djl.ndarray.NDArray;

/**
 * Where a forward call is when a hook runs: which positions of the (padded) sequences its activations cover, and which
 * of them are real tokens.
 *
 * <p>Positions are indices into the padded sequence: the activation's position t is padded index
 * {@code pastLength + t}. During generation the prompt occupies padded indices {@code [0, promptLength)}; later indices
 * are generated tokens.
 *
 * @param pastLength    positions already in the KV cache before this call (0 without a cache)
 * @param promptLength  padded length of the prompt; equal to the sequence length outside generation
 * @param attentionMask [B, pastLength + T] int64, 1 for real tokens and 0 for padding
 */
public record HookContext(int pastLength, int promptLength, NDArray attentionMask) {

    /** Number of positions the activations cover (T). */
    public int newPositions() {
        return (int) attentionMask.getShape().get(1) - pastLength;
    }

    /** [B, T] mask of the real (non-padding) tokens among this call's positions, int64. */
    public NDArray newTokenMask() {
        return pastLength == 0 ? attentionMask : attentionMask.get(":, {}:", pastLength);
    }

    /** Whether this call's positions are all generated tokens (a cached generation step past the prompt). */
    public boolean allGenerated() {
        return pastLength >= promptLength;
    }
}
