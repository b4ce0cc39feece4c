package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.langneurons.hooks.HookContext;
import org.langneurons.hooks.HookName;
import org.langneurons.hooks.Hooks;

/**
 * The state of one forward call shared by every block: this call's scope (a sub-manager closed when the call ends),
 * the padding mask, positions, the additive attention bias, the KV cache and the hooks. Outside autograd, each block
 * runs on a scope of its own ({@link #layer}) that is closed when the block ends, so that a forward holds one block's
 * intermediates at a time, as PyTorch's reference counting frees them.
 */
final class ForwardPass {
    final NDManager scope;
    /** Whether the call's intermediates must live until its scope closes (autograd's backward needs them). */
    final boolean differentiable;
    /** [B, T] int64 token ids of this call. */
    final NDArray ids;
    /** [B, S] int64, S = past + T: 1 for tokens, 0 for padding. */
    final NDArray attentionMask;
    /** [B, T] float32: each new token's position among the real tokens of its sequence (padding counts none). */
    final NDArray positions;
    /** [B, 1, T, S] float32: 0 where a query may attend a key, -1e30 where causality, padding or window forbid. */
    final NDArray attentionBias;
    final int pastLength;
    final KvCache cache;
    final Hooks hooks;
    final HookContext context;
    /** [1, H, 1, 1] float32 ALiBi slopes (BLOOM), or null. */
    private final NDArray alibiSlopes;
    private NDArray alibi;
    private NDArray[] cosSin;
    private NDManager layer;

    ForwardPass(NDManager scope, boolean differentiable, long[] ids, long[] mask, int batch, int pastLength,
            int promptLength, KvCache cache, Hooks hooks, int slidingWindow, NDArray alibiSlopes) {
        this.scope = scope;
        this.differentiable = differentiable;
        this.layer = scope;
        this.pastLength = pastLength;
        this.cache = cache;
        this.hooks = hooks;
        this.alibiSlopes = alibiSlopes;
        int s = mask.length / batch;
        int t = ids.length / batch;
        this.ids = scope.create(ids, new Shape(batch, t));
        this.attentionMask = scope.create(mask, new Shape(batch, s));
        // As transformers' generate(): position = number of real tokens before this one.
        NDArray counted = Scalars.maximum(Scalars.sub(attentionMask.cumSum(1), 1), 0);
        this.positions = (pastLength == 0 ? counted : counted.get(":, {}:", pastLength)).toType(DataType.FLOAT32, false);
        this.attentionBias = attentionBias(batch, t, s, slidingWindow);
        this.context = new HookContext(pastLength, promptLength, attentionMask);
    }

    private NDArray attentionBias(int batch, int t, int s, int window) {
        NDArray key = scope.arange(0, s).reshape(1, s);
        NDArray query = scope.arange(pastLength, pastLength + t).reshape(t, 1);
        NDArray allowed = key.lte(query);
        if (window > 0) {
            // Mistral: a query attends the last `window` keys, itself included.
            allowed = allowed.logicalAnd(key.gt(Scalars.sub(query, window)));
        }
        NDArray real = attentionMask.eq(1).reshape(batch, 1, 1, s);
        allowed = allowed.reshape(1, 1, t, s).logicalAnd(real);
        // A large finite negative keeps rows with no allowed key (queries at padding) free of NaN.
        return Scalars.mul(Scalars.sub(allowed.toType(DataType.FLOAT32, false), 1f), 1e30f);
    }

    /**
     * BLOOM's ALiBi bias, [B, H, 1, S] float32: slope_h times the key's position among its sequence's real tokens
     * (transformers' build_alibi_tensor), so left padding shifts nothing.
     */
    NDArray alibi() {
        if (alibi == null) {
            NDArray keyPositions = Scalars.sub(attentionMask.cumSum(1), 1).mul(attentionMask)
                    .toType(DataType.FLOAT32, false);
            long b = keyPositions.getShape().get(0), s = keyPositions.getShape().get(1);
            alibi = keyPositions.reshape(b, 1, 1, s).mul(alibiSlopes);
        }
        return alibi;
    }

    /**
     * RoPE's cos and sin of this call's positions, [B, 1, T, D] in {@code dtype}: the same for every block, so they
     * are computed once per call, on the call's scope.
     */
    NDArray[] cosSin(Rope rope, DataType dtype) {
        if (cosSin == null) {
            cosSin = rope.cosSin(positions, dtype);
        }
        return cosSin;
    }

    /** The scope of the block running now: where arrays made from other managers' arrays are attached. */
    NDManager layer() {
        return layer;
    }

    /** Marks {@code scope} as the running block's scope (the call's own scope between blocks). */
    void enter(NDManager blockScope) {
        layer = blockScope;
    }

    /** Runs the hooks at {@code name}; returns {@code value} itself when none are registered. */
    NDArray hook(HookName name, NDArray value) {
        return hooks.run(name, value, context);
    }
}
