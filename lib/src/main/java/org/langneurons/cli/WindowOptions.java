package org.langneurons.cli;

import picocli.CommandLine.Option;

/** {@code --max-length} and {@code --batch-size}: how text is cut into windows and batched for a forward. */
final class WindowOptions {
    @Option(names = "--max-length", defaultValue = "512", paramLabel = "N",
            description = "Tokens per window (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "Windows per forward (default: ${DEFAULT-VALUE}).")
    int batchSize;
}
