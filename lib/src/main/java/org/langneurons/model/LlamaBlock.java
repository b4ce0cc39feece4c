package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.langneurons.hooks.HookName;

/**
 * The Llama / Mistral / Qwen2 block: pre-RMSNorm grouped-query attention with RoPE, then a SiLU-gated MLP,
 * {@code down(silu(gate(x)) * up(x))}.
 */
final class LlamaBlock implements DecoderBlock {
    private final int layer;
    private final ModelConfig config;
    private final Rope rope;
    private final Weights w;

    /**
     * One block's weights (d hidden size, H heads, Hkv key/value heads, D head size, I neurons), named as in the
     * paper; {@link LlamaFamilyDecoder} fills them from the Hugging Face names in the comments.
     *
     * @param attnNorm [d] float32                              input_layernorm
     * @param q        [H * D, d], bias [H * D] for Qwen2       self_attn.q_proj
     * @param k        [Hkv * D, d], bias [Hkv * D] for Qwen2   self_attn.k_proj
     * @param v        [Hkv * D, d], bias [Hkv * D] for Qwen2   self_attn.v_proj
     * @param o        [d, H * D], bias [d] for Llama's attention_bias   self_attn.o_proj
     * @param mlpNorm  [d] float32                              post_attention_layernorm
     * @param gate     [I, d]                                   mlp.gate_proj
     * @param up       [I, d]                                   mlp.up_proj
     * @param down     [d, I]                                   mlp.down_proj
     */
    record Weights(NDArray attnNorm, Projection q, Projection k, Projection v, Projection o, NDArray mlpNorm,
            Projection gate, Projection up, Projection down) {

        /** The projections by short name, in forward order: q, k, v, o, gate, up, down. */
        Map<String, Projection> projections() {
            Map<String, Projection> out = new LinkedHashMap<>();
            out.put("q", q);
            out.put("k", k);
            out.put("v", v);
            out.put("o", o);
            out.put("gate", gate);
            out.put("up", up);
            out.put("down", down);
            return out;
        }

        /** These weights with projection {@code name} replaced. */
        Weights with(String name, Projection p) {
            return switch (name) {
                case "q" -> new Weights(attnNorm, p, k, v, o, mlpNorm, gate, up, down);
                case "k" -> new Weights(attnNorm, q, p, v, o, mlpNorm, gate, up, down);
                case "v" -> new Weights(attnNorm, q, k, p, o, mlpNorm, gate, up, down);
                case "o" -> new Weights(attnNorm, q, k, v, p, mlpNorm, gate, up, down);
                case "gate" -> new Weights(attnNorm, q, k, v, o, mlpNorm, p, up, down);
                case "up" -> new Weights(attnNorm, q, k, v, o, mlpNorm, gate, p, down);
                case "down" -> new Weights(attnNorm, q, k, v, o, mlpNorm, gate, up, p);
                default -> throw new IllegalArgumentException("no projection '" + name + "' in a Llama block (it has:"
                        + " q, k, v, o, gate, up, down)");
            };
        }
    }

    LlamaBlock(int layer, ModelConfig config, Rope rope, Weights w) {
        this.layer = layer;
        this.config = config;
        this.rope = rope;
        this.w = w;
    }

    @Override
    public NDArray forward(NDArray x, ForwardPass pass) {
        float eps = (float) config.normEps();
        x = pass.hook(HookName.residPre(layer), x);

        // attention: x + o_proj(softmax(rope(q) rope(k)^T / sqrt(D)) v)
        NDArray attention = pass.hook(HookName.attnOut(layer), attention(Norms.rms(x, w.attnNorm(), eps), pass));
        x = pass.hook(HookName.residMid(layer), x.add(attention));

        // SwiGLU MLP: x + down_proj(silu(gate_proj(h)) * up_proj(h)); the neurons are silu(gate_proj(h))
        NDArray h = Norms.rms(x, w.mlpNorm(), eps);
        NDArray preActivation = pass.hook(HookName.mlpGate(layer), w.gate().apply(h));
        NDArray neurons = pass.hook(HookName.mlpAct(layer), preActivation.mul(Activation.sigmoid(preActivation)));
        NDArray upProjected = pass.hook(HookName.mlpUp(layer), w.up().apply(h));
        NDArray mlp = pass.hook(HookName.mlpOut(layer), w.down().apply(neurons.mul(upProjected)));
        return pass.hook(HookName.residPost(layer), x.add(mlp));
    }

    private NDArray attention(NDArray h, ForwardPass pass) {
        NDArray q = Attention.splitHeads(w.q().apply(h), config.heads());
        NDArray k = Attention.splitHeads(w.k().apply(h), config.kvHeads());
        NDArray v = Attention.splitHeads(w.v().apply(h), config.kvHeads());
        NDArray[] cosSin = pass.cosSin(rope, q.getDataType());
        q = rope.apply(q, cosSin);
        k = rope.apply(k, cosSin);
        if (pass.cache != null) {
            NDArray[] kv = pass.cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        return w.o().apply(Attention.attend(pass, q, k, v, null));
    }

    @Override
    public Map<String, Projection> projections() {
        return w.projections();
    }

    @Override
    public DecoderBlock withProjection(String name, Projection projection) {
        return new LlamaBlock(layer, config, rope, w.with(name, projection));
    }
}
