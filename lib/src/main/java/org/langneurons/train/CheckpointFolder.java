package org.langneurons.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.FileTrees;

/**
 * A folder of training checkpoints that survives a kill at any moment: each checkpoint is written whole into a new
 * sub-folder, then the {@code latest} pointer file moves to it atomically, then older sub-folders go. A run resumes
 * from {@link #latest()}, the last complete checkpoint.
 *
 * <pre>{@code
 * CheckpointFolder folder = new CheckpointFolder(dir.resolve("checkpoint"));
 * folder.write("step-00000100", dir -> Files.writeString(dir.resolve("state.json"), "{}"));
 * Path resumeFrom = folder.latest();   // .../checkpoint/step-00000100
 * }</pre>
 */
public final class CheckpointFolder {
    private final Path root;

    /** Checkpoints under {@code root} (created on the first write). */
    public CheckpointFolder(Path root) {
        this.root = root;
    }

    /** Writes a checkpoint's files into a folder. */
    @FunctionalInterface
    public interface Writer {
        /** Writes into {@code dir}, which exists and is empty. */
        void write(Path dir) throws IOException;
    }

    /** The folder of the latest complete checkpoint, or null when there is none. */
    public Path latest() {
        Path pointer = root.resolve("latest");
        if (!Files.isRegularFile(pointer)) {
            return null;
        }
        try {
            return root.resolve(Files.readString(pointer).strip());
        } catch (IOException e) {
            throw new CheckpointException(pointer, "cannot read the checkpoint pointer: " + e, e);
        }
    }

    /** The {@code state.json} of checkpoint folder {@code dir}; an error names the file when it cannot be read. */
    public static com.google.gson.JsonObject readState(Path dir) {
        Path file = dir.resolve("state.json");
        try {
            return com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Writes checkpoint {@code name} with {@code writer}, makes it the latest, and deletes the others. */
    public void write(String name, Writer writer) {
        Path dir = root.resolve(name);
        try {
            FileTrees.delete(dir);
            Files.createDirectories(dir);
            writer.write(dir);
            Path pointer = root.resolve("latest.partial");
            Files.writeString(pointer, name);
            Files.move(pointer, root.resolve("latest"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            try (Stream<Path> old = Files.list(root)) {
                for (Path p : old.filter(p -> Files.isDirectory(p) && !p.equals(dir)).toList()) {
                    FileTrees.delete(p);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot write the training checkpoint: " + e, e);
        }
    }
}
