package org.langneurons.cli;

import java.nio.file.Path;
import org.langneurons.finetune.LoraAdapter;
import org.langneurons.model.LanguageModel;
import picocli.CommandLine.Option;

/** {@code --adapter DIR}: the commands that run a model run it with a LoRA adapter attached. */
final class AdapterOption {
    @Option(names = "--adapter", paramLabel = "DIR",
            description = "Run the model with this LoRA adapter: a directory in PEFT's layout (adapter_config.json,"
                    + " adapter_model.safetensors), made by 'finetune' or by PEFT; its neuron_mask.json is applied.")
    Path dir;

    /** {@code model} with the adapter attached when one is given (it lives as long as the model). */
    LanguageModel attachTo(LanguageModel model) {
        if (dir != null) {
            try {
                LoraAdapter.load(dir, model).attach();
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
        return model;
    }
}
