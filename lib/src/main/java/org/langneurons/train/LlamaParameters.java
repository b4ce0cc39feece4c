package org.langneurons.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.langneurons.model.Architecture;
import org.langneurons.model.ModelConfig;

/**
 * Fresh parameters of a Llama model, by Hugging Face name: normal(0, 0.02) matrices (the residual output
 * projections o_proj and down_proj scaled by 1/sqrt(2L), as GPT-2 does, so the residual stream does not grow with
 * depth), norm weights 1. Drawn on the host from a seed per tensor, so the same seed gives the same model anywhere.
 *
 * <pre>{@code
 * Map<String, Shape> shapes = LlamaParameters.shapes(config);                    // by Hugging Face name
 * Map<String, NDArray> fresh = LlamaParameters.initial(config, 1234, manager);   // float32
 * }</pre>
 */
public final class LlamaParameters {
    static final double STD = 0.02;

    private LlamaParameters() {
    }

    /** The tensors a {@code model_type: llama} checkpoint of {@code c} holds, each with its shape. */
    public static Map<String, Shape> shapes(ModelConfig c) {
        if (c.architecture() != Architecture.LLAMA || c.attentionBias()) {
            throw new IllegalArgumentException("training builds Llama models without biases, got "
                    + c.architecture().modelType());
        }
        long d = c.hiddenSize(), q = (long) c.heads() * c.headDim(), kv = (long) c.kvHeads() * c.headDim();
        long n = c.intermediateSize();
        Map<String, Shape> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", new Shape(c.vocabSize(), d));
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            out.put(p + "input_layernorm.weight", new Shape(d));
            out.put(p + "self_attn.q_proj.weight", new Shape(q, d));
            out.put(p + "self_attn.k_proj.weight", new Shape(kv, d));
            out.put(p + "self_attn.v_proj.weight", new Shape(kv, d));
            out.put(p + "self_attn.o_proj.weight", new Shape(d, q));
            out.put(p + "post_attention_layernorm.weight", new Shape(d));
            out.put(p + "mlp.gate_proj.weight", new Shape(n, d));
            out.put(p + "mlp.up_proj.weight", new Shape(n, d));
            out.put(p + "mlp.down_proj.weight", new Shape(d, n));
        }
        out.put("model.norm.weight", new Shape(d));
        if (!c.tieEmbeddings()) {
            out.put("lm_head.weight", new Shape(c.vocabSize(), d));
        }
        return out;
    }

    /** Freshly initialised parameters on {@code manager}, float32. */
    public static Map<String, NDArray> initial(ModelConfig c, long seed, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        double residualStd = STD / Math.sqrt(2.0 * c.layers());
        for (Map.Entry<String, Shape> e : shapes(c).entrySet()) {
            String name = e.getKey();
            Shape shape = e.getValue();
            float[] values = new float[Math.toIntExact(shape.size())];
            if (name.endsWith("norm.weight")) {
                java.util.Arrays.fill(values, 1f);
            } else {
                double std = name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight") ? residualStd : STD;
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + name.hashCode());
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * std);
                }
            }
            out.put(name, manager.create(values, shape));
        }
        return out;
    }
}
