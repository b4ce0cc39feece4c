package org.langneurons.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder-only architectures this library runs, by their Hugging Face {@code model_type}.
 *
 * <p>{@code llama}, {@code mistral} and {@code qwen2} share one block (RMSNorm, RoPE, grouped-query attention, SiLU-gated
 * MLP; Qwen2 adds q/k/v biases, Mistral an optional sliding window); {@code bloom} has ALiBi, LayerNorms with bias, a
 * fused query_key_value projection and a GELU MLP.
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
