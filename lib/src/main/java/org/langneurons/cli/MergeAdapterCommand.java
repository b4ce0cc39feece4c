package org.langneurons.cli;

import java.nio.file.Path;
import org.langneurons.finetune.LoraAdapter;
import org.langneurons.finetune.MergedCheckpoint;
import org.langneurons.model.LanguageModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code langneurons merge-adapter}: a Hugging Face checkpoint with a LoRA merged into its weights. */
@Command(name = "merge-adapter", mixinStandardHelpOptions = true,
        description = "Merge a LoRA adapter (ours or PEFT's) into the model's weights, W + alpha/r (B * M) A, and write"
                + " a Hugging Face checkpoint directory (model.safetensors, config.json, tokenizer files).")
final class MergeAdapterCommand implements Runnable {
    @Mixin
    ModelOptions options;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "The adapter directory.")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The checkpoint directory to write.")
    Path out;

    @Override
    public void run() {
        try (LanguageModel model = options.load(); LoraAdapter lora = LoraAdapter.load(adapter, model)) {
            MergedCheckpoint.write(model, lora, out);
            System.out.println("wrote " + out + " (" + lora.config().targets() + " merged, scaling "
                    + lora.config().scaling() + ")");
        }
    }
}
