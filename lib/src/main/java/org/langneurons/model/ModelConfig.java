package org.langneurons.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.langneurons.io.CheckpointException;

/**
 * The architecture hyper-parameters of a checkpoint, read from its Hugging Face {@code config.json} with the keys and
 * defaults that transformers uses for each {@code model_type}.
 *
 * <pre>{@code
 * ModelConfig config = ModelConfig.read(Path.of("Llama-3.1-8B"));
 * long neurons = (long) config.layers() * config.neuronsPerLayer();
 * }</pre>
 *
 * @param architecture       which block the model uses
 * @param vocabSize          {@code vocab_size}
 * @param hiddenSize         {@code hidden_size} (d)
 * @param layers             {@code num_hidden_layers} / BLOOM {@code n_layer} (L)
 * @param heads              {@code num_attention_heads} / BLOOM {@code n_head}
 * @param kvHeads            {@code num_key_value_heads} (= heads without grouped-query attention)
 * @param headDim            {@code head_dim} when given (Mistral Nemo), else hidden / heads
 * @param intermediateSize   neurons per layer (I): {@code intermediate_size}, BLOOM 4 * hidden
 * @param normEps            {@code rms_norm_eps} / {@code layer_norm_epsilon}
 * @param ropeTheta          {@code rope_theta} (unused by BLOOM)
 * @param ropeScaling        {@code rope_scaling}
 * @param tieEmbeddings      {@code tie_word_embeddings}: the output projection is the input embedding matrix
 * @param attentionBias      q/k/v (and, for Llama's {@code attention_bias}, o) projections carry biases
 * @param slidingWindow      Mistral's attention window in tokens, or 0 for none
 * @param maxPositions       {@code max_position_embeddings} (0 when unknown, as BLOOM)
 * @param bosTokenId         {@code bos_token_id}, or -1
 * @param eosTokenIds        {@code eos_token_id} (one or several), possibly empty
 */
public record ModelConfig(Architecture architecture, int vocabSize, int hiddenSize, int layers, int heads, int kvHeads,
        int headDim, int intermediateSize, double normEps, double ropeTheta, RopeScaling ropeScaling,
        boolean tieEmbeddings, boolean attentionBias, int slidingWindow, int maxPositions, long bosTokenId,
        List<Long> eosTokenIds) {

    public ModelConfig {
        require(vocabSize > 0, "vocab_size must be > 0, got " + vocabSize);
        require(hiddenSize > 0, "hidden_size must be > 0, got " + hiddenSize);
        require(layers > 0, "num_hidden_layers must be > 0, got " + layers);
        require(heads > 0, "num_attention_heads must be > 0, got " + heads);
        require(kvHeads > 0 && heads % kvHeads == 0, "num_key_value_heads (" + kvHeads
                + ") must divide num_attention_heads (" + heads + ")");
        require(headDim > 0 && headDim % 2 == 0, "head_dim must be a positive even number, got " + headDim);
        require(intermediateSize > 0, "intermediate_size must be > 0, got " + intermediateSize);
        require(normEps > 0, "the norm epsilon must be > 0, got " + normEps);
        require(architecture == Architecture.BLOOM || ropeTheta > 0, "rope_theta must be > 0, got " + ropeTheta);
        require(architecture != Architecture.BLOOM || headDim * heads == hiddenSize,
                "BLOOM needs hidden_size divisible by n_head");
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Neurons per layer: the MLP's intermediate size. */
    public int neuronsPerLayer() {
        return intermediateSize;
    }

    /** Reads {@code config.json} of a checkpoint directory (or the file itself). */
    public static ModelConfig read(Path fileOrDirectory) {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve("config.json") : fileOrDirectory;
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "missing: a Hugging Face checkpoint directory needs config.json");
        }
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file));
            if (!parsed.isJsonObject()) {
                throw new CheckpointException(file, "is not a JSON object");
            }
            json = parsed.getAsJsonObject();
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e, e);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "is not valid JSON: " + org.langneurons.io.StrictJson.syntaxError(e),
                    e);
        }
        return fromJson(file, json);
    }

    /** Parses a config.json object; {@code file} names the source in error messages. */
    public static ModelConfig fromJson(Path file, JsonObject json) {
        Fields f = new Fields(file, json);
        String modelType = f.string("model_type");
        Architecture arch = Architecture.ofModelType(modelType);
        if (arch == null) {
            throw new CheckpointException(file, "model_type '" + modelType + "' is not supported (supported: "
                    + Architecture.supported() + ")");
        }
        try {
            return arch == Architecture.BLOOM ? bloom(f) : llamaFamily(arch, f);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
    }

    private static ModelConfig llamaFamily(Architecture arch, Fields f) {
        int hidden = f.integer("hidden_size");
        int heads = f.integer("num_attention_heads");
        int kvHeads = f.has("num_key_value_heads") ? f.integer("num_key_value_heads") : heads;
        int headDim = f.has("head_dim") ? f.integer("head_dim") : hidden / heads;
        if (!f.has("head_dim") && hidden % heads != 0) {
            throw f.error("hidden_size", "hidden_size " + hidden + " is not divisible by num_attention_heads "
                    + heads + " and no head_dim is given");
        }
        boolean qkvBias = arch == Architecture.QWEN2 || (f.has("attention_bias") && f.bool("attention_bias"));
        boolean useWindow = switch (arch) {
            case MISTRAL -> true;
            case QWEN2 -> f.has("use_sliding_window") && f.bool("use_sliding_window");
            default -> false;
        };
        int window = useWindow && f.has("sliding_window") ? f.integer("sliding_window") : 0;
        if (f.has("mlp_bias") && f.bool("mlp_bias")) {
            throw f.error("mlp_bias", "mlp_bias=true is not supported");
        }
        String act = f.has("hidden_act") ? f.string("hidden_act") : "silu";
        if (!act.equals("silu")) {
            throw f.error("hidden_act", "hidden_act '" + act + "' is not supported (silu)");
        }
        return new ModelConfig(arch, f.integer("vocab_size"), hidden, f.integer("num_hidden_layers"), heads, kvHeads,
                headDim, f.integer("intermediate_size"), f.has("rms_norm_eps") ? f.number("rms_norm_eps") : 1e-6,
                ropeTheta(f), ropeScaling(f),
                // LlamaConfig, MistralConfig and Qwen2Config all default to untied embeddings.
                f.has("tie_word_embeddings") && f.bool("tie_word_embeddings"),
                qkvBias, window, f.has("max_position_embeddings") ? f.integer("max_position_embeddings") : 0,
                f.has("bos_token_id") ? f.integer("bos_token_id") : -1, f.ids("eos_token_id"));
    }

    private static ModelConfig bloom(Fields f) {
        int hidden = f.has("hidden_size") ? f.integer("hidden_size") : f.integer("n_embed");
        int heads = f.has("n_head") ? f.integer("n_head") : f.integer("num_attention_heads");
        int layers = f.has("n_layer") ? f.integer("n_layer") : f.integer("num_hidden_layers");
        if (hidden % heads != 0) {
            throw f.error("n_head", "hidden_size " + hidden + " is not divisible by n_head " + heads);
        }
        if (f.has("apply_residual_connection_post_layernorm") && f.bool("apply_residual_connection_post_layernorm")) {
            throw f.error("apply_residual_connection_post_layernorm", "true is not supported");
        }
        return new ModelConfig(Architecture.BLOOM, f.integer("vocab_size"), hidden, layers, heads, heads,
                hidden / heads, 4 * hidden, f.has("layer_norm_epsilon") ? f.number("layer_norm_epsilon") : 1e-5, 0,
                RopeScaling.NONE, !f.has("tie_word_embeddings") || f.bool("tie_word_embeddings"), true, 0, 0,
                f.has("bos_token_id") ? f.integer("bos_token_id") : -1, f.ids("eos_token_id"));
    }

    /**
     * {@code rope_theta}: top-level (transformers 4), or inside {@code rope_parameters} (transformers 5 writes both
     * theta and the scaling there).
     */
    private static double ropeTheta(Fields f) {
        if (f.has("rope_parameters") && f.object("rope_parameters").has("rope_theta")) {
            return f.object("rope_parameters").number("rope_theta");
        }
        return f.has("rope_theta") ? f.number("rope_theta") : 10000.0;
    }

    private static RopeScaling ropeScaling(Fields f) {
        String field = f.has("rope_parameters") ? "rope_parameters" : "rope_scaling";
        if (!f.has(field)) {
            return RopeScaling.NONE;
        }
        Fields s = f.object(field);
        String type = s.has("rope_type") ? s.string("rope_type") : s.string("type");
        if (type.equals("default")) {
            return RopeScaling.NONE;
        }
        try {
            return switch (type) {
                case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, s.number("factor"), 0, 0, 0);
                case "llama3" -> new RopeScaling(RopeScaling.Type.LLAMA3, s.number("factor"),
                        s.number("low_freq_factor"), s.number("high_freq_factor"),
                        s.number("original_max_position_embeddings"));
                default -> throw new IllegalArgumentException("type '" + type + "' is not supported"
                        + " (supported: linear, llama3, or null)");
            };
        } catch (IllegalArgumentException e) {
            throw f.error(field, e.getMessage());
        }
    }

    /** Typed access to config.json fields with errors that name the file and field. */
    private record Fields(Path file, JsonObject json, String prefix) {
        Fields(Path file, JsonObject json) {
            this(file, json, "");
        }

        boolean has(String key) {
            return json.has(key) && !json.get(key).isJsonNull();
        }

        CheckpointException error(String key, String message) {
            return new CheckpointException(file, "field '" + prefix + key + "': " + message);
        }

        private JsonElement get(String key) {
            if (!has(key)) {
                throw error(key, "missing (required for this model_type)");
            }
            return json.get(key);
        }

        String string(String key) {
            JsonElement e = get(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw error(key, "expected a string, got " + e);
            }
            return e.getAsString();
        }

        double number(String key) {
            JsonElement e = get(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw error(key, "expected a number, got " + e);
            }
            return e.getAsDouble();
        }

        int integer(String key) {
            double v = number(key);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw error(key, "expected an integer, got " + json.get(key));
            }
            return (int) v;
        }

        boolean bool(String key) {
            JsonElement e = get(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw error(key, "expected true or false, got " + e);
            }
            return e.getAsBoolean();
        }

        Fields object(String key) {
            JsonElement e = get(key);
            if (!e.isJsonObject()) {
                throw error(key, "expected an object, got " + e);
            }
            return new Fields(file, e.getAsJsonObject(), prefix + key + ".");
        }

        List<Long> ids(String key) {
            List<Long> out = new ArrayList<>();
            if (!has(key)) {
                return out;
            }
            JsonElement e = json.get(key);
            if (e.isJsonArray()) {
                for (JsonElement x : e.getAsJsonArray()) {
                    out.add(x.getAsLong());
                }
            } else {
                out.add((long) integer(key));
            }
            return out;
        }
    }
}
