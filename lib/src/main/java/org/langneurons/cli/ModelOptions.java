package org.langneurons.cli;

import java.nio.file.Path;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.LoadOptions;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares: which checkpoint, device and precision. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face checkpoint directory (config.json, model.safetensors or its index), or"
                    + " 'default' for the embedded default model.")
    Path model;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV",
            description = "cpu, gpu or gpu:N (GPU needs DJL's CUDA natives; default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "TYPE",
            description = "fp32 or fp16 (default: ${DEFAULT-VALUE}).")
    String dtype;

    LanguageModel load() {
        return LanguageModel.open(model.toString(), LoadOptions.parse(device, dtype));
    }
}
