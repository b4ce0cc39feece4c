package org.langneurons.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.langneurons.hooks.HookPoint;

/**
 * The decoder-only architectures this library runs, by their Hugging Face {@code model_type}.
 *
 * <p>{@code llama}, {@code mistral} and {@code qwen2} share one block (RMSNorm, RoPE, grouped-query attention, SiLU-gated
 * MLP; Qwen2 adds q/k/v biases, Mistral an optional sliding window); {@code bloom} has ALiBi, LayerNorms with bias, a
 * fused query_key_value projection and a GELU MLP (so no {@code mlp.up} hook point).
 *
 * <pre>{@code
 * Architecture a = config.architecture();
 * boolean hasUp = a.hookPoints().contains(HookPoint.MLP_UP);   // false for BLOOM
 * }</pre>
 */
public enum Architecture {
    LLAMA("llama"),
    MISTRAL("mistral"),
    QWEN2("qwen2"),
    BLOOM("bloom");

    private final String modelType;

    Architecture(String modelType) {
        this.modelType = modelType;
    }

    /** The {@code model_type} string of config.json. */
    public String modelType() {
        return modelType;
    }

    /** Whether this is one of the RoPE + SwiGLU architectures (everything but BLOOM). */
    public boolean isLlamaFamily() {
        return this != BLOOM;
    }

    /** The hook points its blocks run: every {@link HookPoint} but {@code mlp.up} for BLOOM. */
    public Set<HookPoint> hookPoints() {
        return this == BLOOM ? EnumSet.complementOf(EnumSet.of(HookPoint.MLP_UP)) : EnumSet.allOf(HookPoint.class);
    }

    /**
     * The short names of a block's linear layers, in forward order (what adapters target): {@code q, k, v, o, gate,
     * up, down} for the Llama family, {@code qkv, o, gate, down} for BLOOM.
     */
    public List<String> projectionNames() {
        return List.copyOf(modules().keySet());
    }

    /**
     * The Hugging Face module of projection {@code projection} of block {@code layer}, as named inside the
     * {@code *ForCausalLM} model: {@code model.layers.3.self_attn.q_proj}, {@code transformer.h.3.mlp.dense_h_to_4h}.
     *
     * @throws IllegalArgumentException when the architecture has no such projection
     */
    public String modulePath(int layer, String projection) {
        String module = modules().get(projection);
        if (module == null) {
            throw new IllegalArgumentException(name() + " has no projection '" + projection + "' (it has: "
                    + String.join(", ", projectionNames()) + ")");
        }
        return (this == BLOOM ? "transformer.h." : "model.layers.") + layer + "." + module;
    }

    /** The module's last name component, which PEFT's {@code target_modules} lists: {@code q_proj}, {@code dense}. */
    public String moduleLeaf(String projection) {
        String path = modulePath(0, projection);
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private Map<String, String> modules() {
        Map<String, String> m = new LinkedHashMap<>();
        if (this == BLOOM) {
            m.put("qkv", "self_attention.query_key_value");
            m.put("o", "self_attention.dense");
            m.put("gate", "mlp.dense_h_to_4h");
            m.put("down", "mlp.dense_4h_to_h");
        } else {
            m.put("q", "self_attn.q_proj");
            m.put("k", "self_attn.k_proj");
            m.put("v", "self_attn.v_proj");
            m.put("o", "self_attn.o_proj");
            m.put("gate", "mlp.gate_proj");
            m.put("up", "mlp.up_proj");
            m.put("down", "mlp.down_proj");
        }
        return m;
    }

    /** The error for a hook on {@code point} when this architecture lacks it. */
    String missingHookPoint(HookPoint point) {
        String why = point == HookPoint.MLP_UP ? " (its MLP has no up projection)" : "";
        return name() + " has no " + point.shortName() + " hook point" + why;
    }

    /** The architecture of a {@code model_type}, or null when it is not supported. */
    public static Architecture ofModelType(String modelType) {
        for (Architecture a : values()) {
            if (a.modelType.equals(modelType)) {
                return a;
            }
        }
        return null;
    }

    /** The supported {@code model_type} strings, comma separated, for error messages. */
    public static String supported() {
        return Arrays.stream(values()).map(Architecture::modelType).collect(Collectors.joining(", "));
    }
}
