package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Llama, Mistral and Qwen2 checkpoints: {@code model.embed_tokens}, {@code model.layers.{l}.*}, {@code model.norm},
 * {@code lm_head} unless tied. The one place that knows these architectures' Hugging Face tensor names.
 */
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
        WeightLoader in = new WeightLoader(w, "", dtype);
        NDArray embedding = in.weight("model.embed_tokens.weight", new Shape(vocab, d), "vocab_size, hidden_size");
        Rope rope = new Rope(m, c);
        String mlp = "intermediate_size, hidden_size";
        // Qwen2 has q/k/v biases; Llama's attention_bias gives o_proj one too.
        boolean qkvBias = c.attentionBias();
        boolean oBias = c.architecture() == Architecture.LLAMA && c.attentionBias();
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            LlamaBlock.Weights weights = new LlamaBlock.Weights(
                    in.norm(p + "input_layernorm.weight", new Shape(d), "hidden_size"),
                    in.projection(p + "self_attn.q_proj", qDim, d, qkvBias, dims),
                    in.projection(p + "self_attn.k_proj", kvDim, d, qkvBias, dims),
                    in.projection(p + "self_attn.v_proj", kvDim, d, qkvBias, dims),
                    in.projection(p + "self_attn.o_proj", d, qDim, oBias, dims),
                    in.norm(p + "post_attention_layernorm.weight", new Shape(d), "hidden_size"),
                    in.projection(p + "mlp.gate_proj", n, d, false, mlp),
                    in.projection(p + "mlp.up_proj", n, d, false, mlp),
                    in.projection(p + "mlp.down_proj", d, n, false, "hidden_size, intermediate_size"));
            blocks.add(new LlamaBlock(l, c, rope, weights));
        }
        NDArray norm = in.norm("model.norm.weight", new Shape(d), "hidden_size");
        NDArray unembedding = c.tieEmbeddings() ? embedding : in.weight("lm_head.weight", new Shape(vocab, d),
                "vocab_size, hidden_size (tie_word_embeddings=false)");
        // Older checkpoints store RoPE buffers, and tied ones sometimes a redundant lm_head: neither is a weight.
        w.requireAllUsed(name -> name.endsWith("rotary_emb.inv_freq")
                || (c.tieEmbeddings() && name.equals("lm_head.weight")));
        return new LlamaFamilyDecoder(c, blocks, embedding, unembedding, norm);
    }

    @Override
    NDArray finalNorm(NDArray x) {
        return Norms.rms(x, norm, (float) config.normEps());
    }
}
