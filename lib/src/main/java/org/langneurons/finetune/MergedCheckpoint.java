package org.langneurons.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.CheckpointWeights;
import org.langneurons.io.SafetensorsWriter;
import org.langneurons.model.LanguageModel;
import org.langneurons.report.JsonFiles;

/**
 * Writes a model with an adapter merged into its weights ({@code W + (alpha / r) (B * M) A}) as a Hugging Face
 * checkpoint directory: every tensor of the model's own checkpoint, the adapted ones replaced, in one
 * {@code model.safetensors}, with its config, generation config and tokenizer files copied. Weights are stored as
 * F16 when the source stored only F16, else as F32 (no BF16 writer: DJL cannot create bfloat16 arrays), and
 * config.json's dtype says which. Every tensor passes through host memory at once: about 4 bytes a parameter.
 *
 * <pre>{@code
 * try (LanguageModel model = LanguageModel.defaultModel();
 *         LoraAdapter lora = LoraAdapter.load(Path.of("run"), model)) {
 *     MergedCheckpoint.write(model, lora, Path.of("merged"));   // loads with LanguageModel.load or transformers
 * }
 * }</pre>
 */
public final class MergedCheckpoint {
    /** Files copied from the base checkpoint when present. */
    private static final List<String> COPIED = List.of("generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model");

    private MergedCheckpoint() {
    }

    /** Writes the merged checkpoint into {@code out} (created; files of the same names replaced). */
    public static void write(LanguageModel model, LoraAdapter adapter, Path out) {
        Path source = model.directory();
        if (source == null) {
            throw new IllegalArgumentException("the model was not loaded from a checkpoint directory: nothing to"
                    + " merge into (export it first)");
        }
        try (CheckpointWeights weights = CheckpointWeights.open(source);
                NDManager host = NDManager.newBaseManager()) {
            DataType stored = weights.storedDtypes().equals(java.util.Set.of("F16")) ? DataType.FLOAT16
                    : DataType.FLOAT32;
            Map<String, NDArray> merged = adapter.mergedWeights(host);
            Map<String, NDArray> all = new LinkedHashMap<>();
            for (String name : weights.names()) {
                NDArray w = merged.get(name);
                all.put(name, w != null ? w : weights.read(name, weights.shape(name), "the stored shape", host,
                        DataType.FLOAT32));
            }
            for (String name : merged.keySet()) {
                if (!all.containsKey(name)) {
                    throw new CheckpointException(source, "the adapter targets '" + name + "', which the checkpoint"
                            + " does not store");
                }
            }
            Files.createDirectories(out);
            SafetensorsWriter.write(out.resolve("model.safetensors"), all, Map.of(), stored);
            JsonObject config = JsonParser.parseString(Files.readString(source.resolve("config.json")))
                    .getAsJsonObject();
            String dtype = stored == DataType.FLOAT16 ? "float16" : "float32";
            config.addProperty(config.has("dtype") ? "dtype" : "torch_dtype", dtype);
            JsonFiles.write(out.resolve("config.json"), config);
            for (String file : COPIED) {
                if (Files.isRegularFile(source.resolve(file))) {
                    Files.copy(source.resolve(file), out.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.deleteIfExists(out.resolve("model.safetensors.index.json"));
        } catch (IOException e) {
            throw new CheckpointException(out, "cannot write the merged checkpoint: " + e, e);
        }
    }
}
