package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/** Llama, Mistral and Qwen2 checkpoints: {@code model.embed_tokens}, {@code model.layers.{l}.*}, {@code model.norm}. */
final class LlamaFamilyDecoder extends Decoder {
    private final NDArray norm;

    private LlamaFamilyDecoder(ModelConfig config, List<DecoderBlock> blocks, NDArray embedding, NDArray unembedding,
            NDArray norm) {
        super(config, blocks, embedding, unembedding);
        this.norm = norm;
    }

    static LlamaFamilyDecoder load(ModelConfig c, WeightSource w, NDManager m, DataType dtype) {
        long d = c.hiddenSize(), qDim = (long) c.heads() * c.headDim(), kvDim = (long) c.kvHeads() * c.headDim();
        long n = c.intermediateSize(), vocab = c.vocabSize();
        String dims = "hidden_size=" + d + ", num_attention_heads=" + c.heads() + ", num_key_value_heads="
                + c.kvHeads() + ", head_dim=" + c.headDim();
        Loader in = (name, shape, why) -> w.read(name, shape, why, dtype);
        Loader norms = (name, shape, why) -> w.read(name, shape, why, DataType.FLOAT32);
        NDArray embedding = in.read("model.embed_tokens.weight", new Shape(vocab, d), "vocab_size, hidden_size");
        Rope rope = new Rope(m, c);
        boolean oBias = c.architecture() == Architecture.LLAMA && c.attentionBias();
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            NDArray[] t = {
                norms.read(p + "input_layernorm.weight", new Shape(d), "hidden_size"),
                in.read(p + "self_attn.q_proj.weight", new Shape(qDim, d), dims),
                c.attentionBias() ? in.read(p + "self_attn.q_proj.bias", new Shape(qDim), dims) : null,
                in.read(p + "self_attn.k_proj.weight", new Shape(kvDim, d), dims),
                c.attentionBias() ? in.read(p + "self_attn.k_proj.bias", new Shape(kvDim), dims) : null,
                in.read(p + "self_attn.v_proj.weight", new Shape(kvDim, d), dims),
                c.attentionBias() ? in.read(p + "self_attn.v_proj.bias", new Shape(kvDim), dims) : null,
                in.read(p + "self_attn.o_proj.weight", new Shape(d, qDim), dims),
                oBias ? in.read(p + "self_attn.o_proj.bias", new Shape(d), dims) : null,
                norms.read(p + "post_attention_layernorm.weight", new Shape(d), "hidden_size"),
                in.read(p + "mlp.gate_proj.weight", new Shape(n, d), "intermediate_size, hidden_size"),
                in.read(p + "mlp.up_proj.weight", new Shape(n, d), "intermediate_size, hidden_size"),
                in.read(p + "mlp.down_proj.weight", new Shape(d, n), "hidden_size, intermediate_size"),
            };
            blocks.add(new LlamaBlock(l, c, rope, t));
        }
        NDArray norm = norms.read("model.norm.weight", new Shape(d), "hidden_size");
        NDArray unembedding = c.tieEmbeddings() ? embedding
                : in.read("lm_head.weight", new Shape(vocab, d), "vocab_size, hidden_size (tie_word_embeddings=false)");
        // Older checkpoints store RoPE buffers, and tied ones sometimes a redundant lm_head: neither is a weight.
        w.requireAllUsed(name -> name.endsWith("rotary_emb.inv_freq")
                || (c.tieEmbeddings() && name.equals("lm_head.weight")));
        return new LlamaFamilyDecoder(c, blocks, embedding, unembedding, norm);
    }

    @Override
    NDArray finalNorm(NDArray x) {
        return Norms.rms(x, norm, (float) config.normEps());
    }

    /** Reads one named tensor of an expected shape. */
    @FunctionalInterface
    interface Loader {
        NDArray read(String name, Shape shape, String why);
    }
}
