package org.langneurons.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Result files as JSON: one Gson setting for every result the library and the CLI write (no HTML escaping; NaN and
 * infinities written as such, as Python's json does).
 *
 * <pre>{@code
 * JsonFiles.write(Path.of("out/result.json"), Map.of("ppxc", new double[][] {{0.5}}));
 * }</pre>
 */
public final class JsonFiles {
    private JsonFiles() {
    }

    /** The Gson every result is written with. */
    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .create();

    /** Writes {@code value} as one line of JSON (and a newline) to {@code file}, creating its folder. */
    public static void write(Path file, Object value) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, GSON.toJson(value) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #write} through a temporary file moved into place: a kill leaves the old file or none, never half of
     * one (checkpoints and cells of resumable runs).
     */
    public static void writeAtomically(Path file, Object value) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        write(partial, value);
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
    }
}
