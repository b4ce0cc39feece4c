package org.langneurons.tasks;

import java.nio.file.Path;

/**
 * A task data file (XNLI, MultiNLI, SQuAD, XQuAD) that cannot be used: the message names the file, where in it (a
 * line of a TSV or JSONL file; a JSON path and question id of a SQuAD file) and what was expected.
 *
 * <pre>{@code
 * try {
 *     List<ClassificationExample> dev = Xnli.read(Path.of("XNLI-1.0/xnli.dev.tsv"), Set.of("vi"));
 * } catch (TaskDataException e) {
 *     System.err.println(e.file() + " (" + e.location() + "): " + e.getMessage());
 * }
 * }</pre>
 */
public class TaskDataException extends RuntimeException {
    private final Path file;
    private final String location;

    /**
     * A problem at {@code location} of {@code file} ("line 17", "data[0].paragraphs[2].qas[1] (question 5733be28)",
     * or "" for the file as a whole); the message starts with the file and the location.
     */
    public TaskDataException(Path file, String location, String message) {
        this(file, location, message, null);
    }

    /** The same, caused by {@code cause}. */
    public TaskDataException(Path file, String location, String message, Throwable cause) {
        super(file + (location.isEmpty() ? "" : " " + location) + ": " + message, cause);
        this.file = file;
        this.location = location;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** Where in the file ("line 17", a JSON path with the question id), or "" for the file as a whole. */
    public String location() {
        return location;
    }
}
