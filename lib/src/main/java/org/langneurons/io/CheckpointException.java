package org.langneurons.io;

import java.nio.file.Path;

/**
 * A checkpoint, configuration or input that cannot be used, with a message naming the file (and the tensor or field)
 * at fault and what was expected.
 *
 * <pre>{@code
 * try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
 *     System.out.println(file.entries().size() + " tensors");
 * } catch (CheckpointException e) {
 *     System.err.println("cannot use " + e.file() + ": " + e.getMessage());
 * }
 * }</pre>
 */
public class CheckpointException extends RuntimeException {
    private final Path file;

    /** A problem with {@code file}; the message is prefixed with the file's path. */
    public CheckpointException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** A problem with {@code file} caused by {@code cause}. */
    public CheckpointException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
