package org.langneurons.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.SafetensorsWriter;
import org.langneurons.model.ModelConfig;

/**
 * Writes a trained Llama model as a Hugging Face checkpoint directory: config.json with the fields transformers'
 * LlamaConfig reads, generation_config.json, model.safetensors (F32, standard tensor names) and tokenizer.json.
 *
 * <pre>{@code
 * Map<String, NDArray> params = LlamaParameters.initial(config, 1234, manager);
 * LlamaCheckpointWriter.write(dir, config, params, Path.of("tokenizer.json"), DataType.FLOAT16);
 * }</pre>
 */
public final class LlamaCheckpointWriter {
    private LlamaCheckpointWriter() {
    }

    /** Writes {@code params} (stored as F32) into {@code dir}, with a copy of {@code tokenizerJson}. */
    public static void write(Path dir, ModelConfig c, Map<String, NDArray> params, Path tokenizerJson) {
        write(dir, c, params, tokenizerJson, DataType.FLOAT32);
    }

    /**
     * Writes {@code params} of a model of config {@code c} into {@code dir} stored as {@code stored} (FLOAT32 or
     * FLOAT16), with a copy of {@code tokenizerJson}.
     */
    public static void write(Path dir, ModelConfig c, Map<String, NDArray> params, Path tokenizerJson,
            DataType stored) {
        try {
            Files.createDirectories(dir);
            var gson = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
            JsonObject config = config(c);
            config.addProperty("torch_dtype", stored == DataType.FLOAT16 ? "float16" : "float32");
            Files.writeString(dir.resolve("config.json"), gson.toJson(config) + "\n");
            JsonObject generation = new JsonObject();
            generation.addProperty("_from_model_config", true);
            generation.addProperty("bos_token_id", c.bosTokenId());
            generation.addProperty("eos_token_id", c.eosTokenIds().get(0));
            generation.addProperty("transformers_version", "4.45.2");
            Files.writeString(dir.resolve("generation_config.json"), gson.toJson(generation) + "\n");
            if (tokenizerJson != null) {
                Files.copy(tokenizerJson, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot write checkpoint: " + e, e);
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), params, Map.of(), stored);
    }

    /** config.json of a Llama model as transformers 4.45 writes it. */
    static JsonObject config(ModelConfig c) {
        JsonObject o = new JsonObject();
        var architectures = new com.google.gson.JsonArray();
        architectures.add("LlamaForCausalLM");
        o.add("architectures", architectures);
        o.addProperty("attention_bias", false);
        o.addProperty("attention_dropout", 0.0);
        o.addProperty("bos_token_id", c.bosTokenId());
        o.addProperty("eos_token_id", c.eosTokenIds().get(0));
        o.addProperty("head_dim", c.headDim());
        o.addProperty("hidden_act", "silu");
        o.addProperty("hidden_size", c.hiddenSize());
        o.addProperty("initializer_range", LlamaParameters.STD);
        o.addProperty("intermediate_size", c.intermediateSize());
        o.addProperty("max_position_embeddings", c.maxPositions());
        o.addProperty("mlp_bias", false);
        o.addProperty("model_type", "llama");
        o.addProperty("num_attention_heads", c.heads());
        o.addProperty("num_hidden_layers", c.layers());
        o.addProperty("num_key_value_heads", c.kvHeads());
        o.addProperty("pretraining_tp", 1);
        o.addProperty("rms_norm_eps", c.normEps());
        o.add("rope_scaling", JsonNull.INSTANCE);
        o.addProperty("rope_theta", c.ropeTheta());
        o.addProperty("tie_word_embeddings", c.tieEmbeddings());
        o.addProperty("torch_dtype", "float32");
        o.addProperty("transformers_version", "4.45.2");
        o.addProperty("use_cache", true);
        o.addProperty("vocab_size", c.vocabSize());
        return o;
    }
}
