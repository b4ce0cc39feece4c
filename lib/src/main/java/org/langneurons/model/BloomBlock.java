package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import org.langneurons.hooks.HookName;

/**
 * The BLOOM block: pre-LayerNorm attention with a fused per-head-interleaved query_key_value projection and ALiBi,
 * then a GELU (tanh approximation) MLP. Every projection has a bias.
 */
final class BloomBlock implements DecoderBlock {
    private final int layer;
    private final ModelConfig config;
    private final NDArray ln1, ln1b;  // [d]               input_layernorm
    private final NDArray wqkv, bqkv; // [3d, d], [3d]     self_attention.query_key_value
    private final NDArray wo, bo;     // [d, d], [d]       self_attention.dense
    private final NDArray ln2, ln2b;  // [d]               post_attention_layernorm
    private final NDArray w1, b1;     // [4d, d], [4d]     mlp.dense_h_to_4h
    private final NDArray w2, b2;     // [d, 4d], [d]      mlp.dense_4h_to_h

    BloomBlock(int layer, ModelConfig config, NDArray[] w) {
        this.layer = layer;
        this.config = config;
        this.ln1 = w[0];
        this.ln1b = w[1];
        this.wqkv = w[2];
        this.bqkv = w[3];
        this.wo = w[4];
        this.bo = w[5];
        this.ln2 = w[6];
        this.ln2b = w[7];
        this.w1 = w[8];
        this.b1 = w[9];
        this.w2 = w[10];
        this.b2 = w[11];
    }

    @Override
    public NDArray forward(NDArray x, ForwardPass pass) {
        float eps = (float) config.normEps();
        x = pass.hook(HookName.residPre(layer), x);

        NDArray attention = pass.hook(HookName.attnOut(layer), attention(Norms.layer(x, ln1, ln1b, eps), pass));
        x = pass.hook(HookName.residMid(layer), x.add(attention));

        // MLP: x + dense_4h_to_h(gelu(dense_h_to_4h(h))); the neurons are the GELU output
        NDArray h = Norms.layer(x, ln2, ln2b, eps);
        NDArray preActivation = pass.hook(HookName.mlpGate(layer), LlamaBlock.linear(h, w1, b1));
        NDArray neurons = pass.hook(HookName.mlpAct(layer), gelu(preActivation));
        NDArray mlp = pass.hook(HookName.mlpOut(layer), LlamaBlock.linear(neurons, w2, b2));
        return pass.hook(HookName.residPost(layer), x.add(mlp));
    }

    private NDArray attention(NDArray h, ForwardPass pass) {
        long b = h.getShape().get(0), t = h.getShape().get(1);
        int heads = config.heads(), d = config.headDim();
        // The fused projection is laid out per head as [q | k | v]: view it as [B, T, H, 3, D].
        NDArray fused = LlamaBlock.linear(h, wqkv, bqkv).reshape(b, t, heads, 3, d);
        NDArray q = fused.get(":, :, :, 0, :").transpose(0, 2, 1, 3);
        NDArray k = fused.get(":, :, :, 1, :").transpose(0, 2, 1, 3);
        NDArray v = fused.get(":, :, :, 2, :").transpose(0, 2, 1, 3);
        if (pass.cache != null) {
            NDArray[] kv = pass.cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        return LlamaBlock.linear(Attention.attend(pass, q, k, v, pass.alibi()), wo, bo);
    }

    /** bloom_gelu: u * 0.5 * (1 + tanh(0.79788456 * u * (1 + 0.044715 * u^2))). */
    static NDArray gelu(NDArray u) {
        NDArray inner = u.mul(0.79788456f).mul(u.square().mul(0.044715f).add(1f));
        return u.mul(0.5f).mul(inner.tanh().add(1f));
    }
}
