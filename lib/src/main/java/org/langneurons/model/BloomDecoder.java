package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * BLOOM checkpoints: {@code transformer.word_embeddings} (+ its LayerNorm), {@code transformer.h.{l}.*},
 * {@code transformer.ln_f}; the {@code transformer.} prefix is optional, as in bigscience's own files. The one place
 * that knows BLOOM's Hugging Face tensor names.
 */
final class BloomDecoder extends Decoder {
    private final NDArray embedNorm, embedNormBias, finalNorm, finalNormBias;
    private final NDArray slopes;

    private BloomDecoder(ModelConfig config, List<DecoderBlock> blocks, NDArray embedding, NDArray[] norms,
            NDArray slopes) {
        super(config, blocks, embedding, embedding);
        this.embedNorm = norms[0];
        this.embedNormBias = norms[1];
        this.finalNorm = norms[2];
        this.finalNormBias = norms[3];
        this.slopes = slopes;
    }

    static BloomDecoder load(ModelConfig c, WeightSource w, NDManager m, DataType dtype) {
        String root = w.contains("transformer.word_embeddings.weight") ? "transformer." : "";
        long d = c.hiddenSize(), vocab = c.vocabSize();
        WeightLoader in = new WeightLoader(w, root, dtype);
        NDArray embedding = in.weight("word_embeddings.weight", new Shape(vocab, d), "vocab_size, hidden_size");
        Shape hidden = new Shape(d);
        NDArray[] norms = new NDArray[4];
        norms[0] = in.norm("word_embeddings_layernorm.weight", hidden, "hidden_size");
        norms[1] = in.norm("word_embeddings_layernorm.bias", hidden, "hidden_size");
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String p = "h." + l + ".";
            BloomBlock.Weights weights = new BloomBlock.Weights(
                    in.norm(p + "input_layernorm.weight", hidden, "hidden_size"),
                    in.norm(p + "input_layernorm.bias", hidden, "hidden_size"),
                    in.projection(p + "self_attention.query_key_value", 3 * d, d, true, "hidden_size"),
                    in.projection(p + "self_attention.dense", d, d, true, "hidden_size"),
                    in.norm(p + "post_attention_layernorm.weight", hidden, "hidden_size"),
                    in.norm(p + "post_attention_layernorm.bias", hidden, "hidden_size"),
                    in.projection(p + "mlp.dense_h_to_4h", 4 * d, d, true, "4 * hidden_size"),
                    new Projection(in.weight(p + "mlp.dense_4h_to_h.weight", new Shape(d, 4 * d), "4 * hidden_size"),
                            in.weight(p + "mlp.dense_4h_to_h.bias", hidden, "hidden_size")));
            blocks.add(new BloomBlock(l, c, weights));
        }
        norms[2] = in.norm("ln_f.weight", hidden, "hidden_size");
        norms[3] = in.norm("ln_f.bias", hidden, "hidden_size");
        w.requireAllUsed(name -> name.equals("lm_head.weight"));
        return new BloomDecoder(c, blocks, embedding, norms, m.create(alibiSlopes(c.heads())).reshape(1, c.heads(), 1, 1));
    }

    /**
     * transformers' build_alibi_tensor slopes: for the largest power of two p <= heads, base^1..base^p with
     * base = 2^(-8/p); remaining heads take every other power of 2^(-4/p).
     */
    static float[] alibiSlopes(int heads) {
        int p = Integer.highestOneBit(heads);
        float[] out = new float[heads];
        double base = Math.pow(2, -Math.pow(2, -(Math.log(p) / Math.log(2) - 3)));
        for (int i = 0; i < p; i++) {
            out[i] = (float) Math.pow(base, i + 1);
        }
        double extraBase = Math.pow(2, -Math.pow(2, -(Math.log(2 * p) / Math.log(2) - 3)));
        for (int i = p; i < heads; i++) {
            out[i] = (float) Math.pow(extraBase, 2 * (i - p) + 1);
        }
        return out;
    }

    @Override
    NDArray embed(NDArray ids) {
        return Norms.layer(super.embed(ids), embedNorm, embedNormBias, (float) config.normEps());
    }

    @Override
    NDArray finalNorm(NDArray x) {
        return Norms.layer(x, finalNorm, finalNormBias, (float) config.normEps());
    }

    @Override
    NDArray alibiSlopes() {
        return slopes;
    }
}
