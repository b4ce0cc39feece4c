package org.langneurons.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code info}: architecture, layers, neurons per layer, parameters and dtype of a checkpoint, as JSON. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a checkpoint's architecture, layers, neurons per layer, parameters and dtype as JSON.")
final class InfoCommand implements Runnable {
    @Mixin
    ModelOptions options;

    @Override
    public void run() {
        try (LanguageModel model = options.load()) {
            ModelConfig c = model.config();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model.directory().toString());
            out.put("model_type", c.architecture().modelType());
            out.put("layers", c.layers());
            out.put("neurons_per_layer", c.neuronsPerLayer());
            out.put("neurons", (long) c.layers() * c.neuronsPerLayer());
            out.put("hidden_size", c.hiddenSize());
            out.put("heads", c.heads());
            out.put("kv_heads", c.kvHeads());
            out.put("head_dim", c.headDim());
            out.put("vocab_size", c.vocabSize());
            out.put("parameters", model.parameterCount());
            out.put("stored_dtype", String.join(",", model.storedDtypes()));
            out.put("compute_dtype", model.dtype().toString().toLowerCase());
            out.put("device", model.device().toString());
            out.put("tied_embeddings", c.tieEmbeddings());
            out.put("rope_scaling", c.ropeScaling().type().label());
            out.put("tokenizer", model.tokenizer().isPresent());
            Json.print(System.out, out);
        }
    }
}
