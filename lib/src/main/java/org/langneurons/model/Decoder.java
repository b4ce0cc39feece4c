package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only transformer as data flows through it: token embedding, blocks, final norm, unembedding. Subclasses
 * map one architecture's Hugging Face tensor names onto it.
 */
abstract class Decoder {
    final ModelConfig config;
    /** Replaced, never mutated, when an adapter is attached (see {@link #setBlock}). */
    final List<DecoderBlock> blocks;
    /** [vocab, d] input embedding. */
    final NDArray embedding;
    /** [vocab, d] output projection (the embedding itself when tied). */
    final NDArray unembedding;

    Decoder(ModelConfig config, List<DecoderBlock> blocks, NDArray embedding, NDArray unembedding) {
        this.config = config;
        this.blocks = new ArrayList<>(blocks);
        this.embedding = embedding;
        this.unembedding = unembedding;
    }

    /** Puts {@code block} in place of block {@code l} (the same weights with other adapters). */
    void setBlock(int l, DecoderBlock block) {
        blocks.set(l, block);
    }

    /** Token ids [B, T] -> input of block 0 [B, T, d]. */
    NDArray embed(NDArray ids) {
        // The result belongs to the ids' manager (the call's scope), not to the weights'.
        return Embedding.embedding(ids, embedding, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Residual stream after the last block -> normed hidden state [B, T, d]. */
    abstract NDArray finalNorm(NDArray x);

    /** [H] ALiBi slopes, or null for rotary models. */
    NDArray alibiSlopes() {
        return null;
    }

    /** The residual stream after every block: [B, T, d]. */
    NDArray run(ForwardPass pass) {
        return runFrom(pass, embed(pass.ids), 0, false);
    }

    /**
     * The residual stream after the last block, from {@code x} entering block {@code from}; with {@code keepInput},
     * {@code x} outlives the call (several continuations share it).
     */
    NDArray runFrom(ForwardPass pass, NDArray x, int from, boolean keepInput) {
        for (int l = from; l < blocks.size(); l++) {
            x = block(pass, l, x, keepInput && l == from);
        }
        return x;
    }

    /** Block {@code l} on {@code x}; with {@code keepInput}, {@code x} outlives the call. */
    NDArray block(ForwardPass pass, int l, NDArray x, boolean keepInput) {
        DecoderBlock block = blocks.get(l);
        return pass.differentiable ? block.forward(x, pass) : forwardScoped(block, x, pass, keepInput);
    }

    /**
     * One block on a scope of its own, closed when the block ends: only its output lives on. Its input goes with
     * it (nothing reads it afterwards; hooks copy what they keep) unless {@code keepInput}.
     */
    private static NDArray forwardScoped(DecoderBlock block, NDArray x, ForwardPass pass, boolean keepInput) {
        try (NDManager blockScope = pass.scope.newSubManager()) {
            // ops put their results on their first operand's manager: a kept input is copied onto the block's scope
            x = keepInput ? x.duplicate() : x;
            x.attach(blockScope);
            pass.enter(blockScope);
            NDArray out = block.forward(x, pass);
            out.attach(pass.scope);
            return out;
        } finally {
            pass.enter(pass.scope);
        }
    }

    /** Normed hidden states [B, T, d] -> logits [B, T, vocab] float32. */
    NDArray logits(NDArray hidden) {
        return Ops.linear(hidden, unembedding, null).toType(DataType.FLOAT32, false);
    }
}
