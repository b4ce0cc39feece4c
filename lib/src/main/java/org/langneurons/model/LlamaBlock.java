package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import org.langneurons.hooks.HookName;

/**
 * The Llama / Mistral / Qwen2 block: pre-RMSNorm grouped-query attention with RoPE, then a SiLU-gated MLP,
 * {@code down(silu(gate(x)) * up(x))}.
 */
final class LlamaBlock implements DecoderBlock {
    private final int layer;
    private final ModelConfig config;
    private final Rope rope;
    private final NDArray attnNorm;   // [d]                 input_layernorm
    private final NDArray wq, bq;     // [H * D, d], [H * D] self_attn.q_proj (bias: Qwen2)
    private final NDArray wk, bk;     // [Hkv * D, d]        self_attn.k_proj
    private final NDArray wv, bv;     // [Hkv * D, d]        self_attn.v_proj
    private final NDArray wo, bo;     // [d, H * D]          self_attn.o_proj
    private final NDArray mlpNorm;    // [d]                 post_attention_layernorm
    private final NDArray gate;       // [I, d]              mlp.gate_proj
    private final NDArray up;         // [I, d]              mlp.up_proj
    private final NDArray down;       // [d, I]              mlp.down_proj

    LlamaBlock(int layer, ModelConfig config, Rope rope, NDArray[] w) {
        this.layer = layer;
        this.config = config;
        this.rope = rope;
        this.attnNorm = w[0];
        this.wq = w[1];
        this.bq = w[2];
        this.wk = w[3];
        this.bk = w[4];
        this.wv = w[5];
        this.bv = w[6];
        this.wo = w[7];
        this.bo = w[8];
        this.mlpNorm = w[9];
        this.gate = w[10];
        this.up = w[11];
        this.down = w[12];
    }

    @Override
    public NDArray forward(NDArray x, ForwardPass pass) {
        float eps = (float) config.normEps();
        x = pass.hook(HookName.residPre(layer), x);

        // attention: x + o_proj(softmax(rope(q) rope(k)^T / sqrt(D)) v)
        NDArray attention = pass.hook(HookName.attnOut(layer), attention(Norms.rms(x, attnNorm, eps), pass));
        x = pass.hook(HookName.residMid(layer), x.add(attention));

        // SwiGLU MLP: x + down_proj(silu(gate_proj(h)) * up_proj(h)); the neurons are silu(gate_proj(h))
        NDArray h = Norms.rms(x, mlpNorm, eps);
        NDArray preActivation = pass.hook(HookName.mlpGate(layer), linear(h, gate, null));
        NDArray neurons = pass.hook(HookName.mlpAct(layer), preActivation.mul(Activation.sigmoid(preActivation)));
        NDArray upProjected = pass.hook(HookName.mlpUp(layer), linear(h, up, null));
        NDArray mlp = pass.hook(HookName.mlpOut(layer), linear(neurons.mul(upProjected), down, null));
        return pass.hook(HookName.residPost(layer), x.add(mlp));
    }

    private NDArray attention(NDArray h, ForwardPass pass) {
        NDArray q = Attention.splitHeads(linear(h, wq, bq), config.heads());
        NDArray k = Attention.splitHeads(linear(h, wk, bk), config.kvHeads());
        NDArray v = Attention.splitHeads(linear(h, wv, bv), config.kvHeads());
        NDArray[] cosSin = rope.cosSin(pass.positions, q.getDataType());
        q = rope.apply(q, cosSin);
        k = rope.apply(k, cosSin);
        if (pass.cache != null) {
            NDArray[] kv = pass.cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        return linear(Attention.attend(pass, q, k, v, null), wo, bo);
    }

    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias)).singletonOrThrow();
    }
}
