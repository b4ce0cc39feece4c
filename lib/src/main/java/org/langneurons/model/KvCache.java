package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the positions seen so far, per layer, for incremental decoding. Arrays are [B, kvHeads, S, D]
 * (BLOOM: kvHeads = heads) and live on the cache's own manager until {@link #close}.
 */
final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    /** An empty cache for {@code layers} layers on a sub-manager of {@code parent}. */
    KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions cached so far (S). */
    int length() {
        return keys[0] == null ? 0 : (int) keys[0].getShape().get(2);
    }

    /**
     * Appends this call's keys and values of {@code layer} ([B, kvHeads, T, D]) and returns the cached ones
     * ([B, kvHeads, S + T, D]), which belong to the cache: callers attach anything derived from them to their own scope.
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        keys[layer] = join(keys[layer], k);
        values[layer] = join(values[layer], v);
        return new NDArray[] {keys[layer], values[layer]};
    }

    private NDArray join(NDArray past, NDArray now) {
        NDArray full = past == null ? now.duplicate() : past.concat(now, 2);
        full.attach(manager);
        if (past != null) {
            past.close();
        }
        return full;
    }

    @Override
    public void close() {
        manager.close();
    }
}
