package org.langneurons.hooks;

/**
 * The kinds of activation every block exposes, with one architecture-neutral name each. Shapes are per forward call:
 * B sequences, T new positions (the whole sequence, or one token per generation step with a KV cache), d hidden size,
 * I neurons per layer.
 *
 * <table>
 * <caption>Hook points and the Hugging Face modules they correspond to</caption>
 * <tr><th>point</th><th>shape</th><th>Llama / Mistral / Qwen2</th><th>BLOOM</th></tr>
 * <tr><td>{@code hook_resid_pre}</td><td>[B, T, d]</td><td>input of {@code model.layers[l]}</td>
 *     <td>input of {@code transformer.h[l]}</td></tr>
 * <tr><td>{@code hook_attn_out}</td><td>[B, T, d]</td><td>output of {@code self_attn.o_proj}</td>
 *     <td>output of {@code self_attention.dense} (with its bias)</td></tr>
 * <tr><td>{@code hook_resid_mid}</td><td>[B, T, d]</td><td>residual after attention, input of
 *     {@code post_attention_layernorm}</td><td>the same</td></tr>
 * <tr><td>{@code mlp.hook_gate}</td><td>[B, T, I]</td><td>output of {@code mlp.gate_proj} (pre-activation)</td>
 *     <td>output of {@code mlp.dense_h_to_4h} (pre-GELU)</td></tr>
 * <tr><td>{@code mlp.hook_act}</td><td>[B, T, I]</td><td>the neurons: {@code act_fn(gate_proj(x))}</td>
 *     <td>the neurons: {@code bloom_gelu(dense_h_to_4h(x))}</td></tr>
 * <tr><td>{@code mlp.hook_up}</td><td>[B, T, I]</td><td>output of {@code mlp.up_proj}</td><td>absent</td></tr>
 * <tr><td>{@code mlp.hook_out}</td><td>[B, T, d]</td><td>output of {@code mlp.down_proj}</td>
 *     <td>output of {@code mlp.dense_4h_to_h} (with its bias)</td></tr>
 * <tr><td>{@code hook_resid_post}</td><td>[B, T, d]</td><td>output of {@code model.layers[l]}</td>
 *     <td>output of {@code transformer.h[l]}</td></tr>
 * </table>
 *
 * <pre>{@code
 * HookPoint neurons = HookPoint.parse("mlp.act");          // MLP_ACT
 * HookName layer3 = new HookName(3, neurons);              // blocks.3.mlp.hook_act
 * }</pre>
 */
public enum HookPoint {
    RESID_PRE("hook_resid_pre"),
    ATTN_OUT("hook_attn_out"),
    RESID_MID("hook_resid_mid"),
    MLP_GATE("mlp.hook_gate"),
    MLP_ACT("mlp.hook_act"),
    MLP_UP("mlp.hook_up"),
    MLP_OUT("mlp.hook_out"),
    RESID_POST("hook_resid_post");

    private final String suffix;

    HookPoint(String suffix) {
        this.suffix = suffix;
    }

    /** The name after {@code blocks.{l}.}, e.g. {@code mlp.hook_act}. */
    public String suffix() {
        return suffix;
    }

    /** The suffix without {@code hook_}, as the CLI takes it and errors name it, e.g. {@code mlp.act}. */
    public String shortName() {
        return suffix.replace("hook_", "");
    }

    /**
     * The point named by {@code text}: its suffix ({@code mlp.hook_act}), the suffix without {@code hook_}
     * ({@code mlp.act}, {@code resid_post}) or the enum name ({@code MLP_ACT}).
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static HookPoint parse(String text) {
        for (HookPoint p : values()) {
            if (p.suffix.equals(text) || p.shortName().equals(text) || p.name().equals(text)) {
                return p;
            }
        }
        StringBuilder valid = new StringBuilder();
        for (HookPoint p : values()) {
            valid.append(valid.length() == 0 ? "" : ", ").append(p.shortName());
        }
        throw new IllegalArgumentException("unknown hook point '" + text + "' (valid: " + valid + ")");
    }
}
