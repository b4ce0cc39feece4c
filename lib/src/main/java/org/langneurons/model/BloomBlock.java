package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.langneurons.hooks.HookName;

/**
 * The BLOOM block: pre-LayerNorm attention with a fused per-head-interleaved query_key_value projection and ALiBi,
 * then a GELU (tanh approximation) MLP. Every projection has a bias.
 */
final class BloomBlock implements DecoderBlock {
    private final int layer;
    private final ModelConfig config;
    private final Weights w;

    /**
     * One block's weights (d hidden size, I = 4d neurons), named as in the paper; {@link BloomDecoder} fills them
     * from the Hugging Face names in the comments. The MLP's first projection is {@code gate} because its output is
     * what the {@code mlp.hook_gate} point shows (the neurons' pre-activation); BLOOM has no up projection.
     *
     * @param attnNorm     [d] float32        input_layernorm.weight
     * @param attnNormBias [d] float32        input_layernorm.bias
     * @param qkv          [3d, d], [3d]      self_attention.query_key_value (per head [q | k | v])
     * @param o            [d, d], [d]        self_attention.dense
     * @param mlpNorm      [d] float32        post_attention_layernorm.weight
     * @param mlpNormBias  [d] float32        post_attention_layernorm.bias
     * @param gate         [I, d], [I]        mlp.dense_h_to_4h
     * @param down         [d, I], [d]        mlp.dense_4h_to_h
     */
    record Weights(NDArray attnNorm, NDArray attnNormBias, Projection qkv, Projection o, NDArray mlpNorm,
            NDArray mlpNormBias, Projection gate, Projection down) {

        /** The projections by short name, in forward order: qkv, o, gate, down. */
        Map<String, Projection> projections() {
            Map<String, Projection> out = new LinkedHashMap<>();
            out.put("qkv", qkv);
            out.put("o", o);
            out.put("gate", gate);
            out.put("down", down);
            return out;
        }

        /** These weights with projection {@code name} replaced. */
        Weights with(String name, Projection p) {
            return switch (name) {
                case "qkv" -> new Weights(attnNorm, attnNormBias, p, o, mlpNorm, mlpNormBias, gate, down);
                case "o" -> new Weights(attnNorm, attnNormBias, qkv, p, mlpNorm, mlpNormBias, gate, down);
                case "gate" -> new Weights(attnNorm, attnNormBias, qkv, o, mlpNorm, mlpNormBias, p, down);
                case "down" -> new Weights(attnNorm, attnNormBias, qkv, o, mlpNorm, mlpNormBias, gate, p);
                default -> throw new IllegalArgumentException("no projection '" + name + "' in a BLOOM block (it has:"
                        + " qkv, o, gate, down)");
            };
        }
    }

    BloomBlock(int layer, ModelConfig config, Weights w) {
        this.layer = layer;
        this.config = config;
        this.w = w;
    }

    @Override
    public NDArray forward(NDArray x, ForwardPass pass) {
        float eps = (float) config.normEps();
        x = pass.hook(HookName.residPre(layer), x);

        NDArray attention = pass.hook(HookName.attnOut(layer),
                attention(Norms.layer(x, w.attnNorm(), w.attnNormBias(), eps), pass));
        x = pass.hook(HookName.residMid(layer), x.add(attention));

        // MLP: x + dense_4h_to_h(gelu(dense_h_to_4h(h))); the neurons are the GELU output
        NDArray h = Norms.layer(x, w.mlpNorm(), w.mlpNormBias(), eps);
        NDArray preActivation = pass.hook(HookName.mlpGate(layer), w.gate().apply(h));
        NDArray neurons = pass.hook(HookName.mlpAct(layer), gelu(preActivation));
        NDArray mlp = pass.hook(HookName.mlpOut(layer), w.down().apply(neurons));
        return pass.hook(HookName.residPost(layer), x.add(mlp));
    }

    private NDArray attention(NDArray h, ForwardPass pass) {
        long b = h.getShape().get(0), t = h.getShape().get(1);
        int heads = config.heads(), d = config.headDim();
        // The fused projection is laid out per head as [q | k | v]: view it as [B, T, H, 3, D].
        NDArray fused = w.qkv().apply(h).reshape(b, t, heads, 3, d);
        NDArray q = fused.get(":, :, :, 0, :").transpose(0, 2, 1, 3);
        NDArray k = fused.get(":, :, :, 1, :").transpose(0, 2, 1, 3);
        NDArray v = fused.get(":, :, :, 2, :").transpose(0, 2, 1, 3);
        if (pass.cache != null) {
            NDArray[] kv = pass.cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        return w.o().apply(Attention.attend(pass, q, k, v, pass.alibi()));
    }

    /** bloom_gelu: u * 0.5 * (1 + tanh(0.79788456 * u * (1 + 0.044715 * u^2))). */
    static NDArray gelu(NDArray u) {
        NDArray inner = Scalars.mul(u, 0.79788456f).mul(Scalars.add(Scalars.mul(u.square(), 0.044715f), 1f));
        return Scalars.mul(u, 0.5f).mul(Scalars.add(inner.tanh(), 1f));
    }

    @Override
    public Map<String, Projection> projections() {
        return w.projections();
    }

    @Override
    public DecoderBlock withProjection(String name, Projection projection) {
        return new BloomBlock(layer, config, w.with(name, projection));
    }
}
