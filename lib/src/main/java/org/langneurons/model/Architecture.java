package org.langneurons.model;

import java.util.Arrays;
import java.util.EnumSet;
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
