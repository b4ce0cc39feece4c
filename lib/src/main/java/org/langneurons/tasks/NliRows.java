package org.langneurons.tasks;

import java.nio.file.Path;

/** What XNLI and MultiNLI rows share: a premise / hypothesis pair becomes a {@link ClassificationExample}. */
final class NliRows {
    private NliRows() {
    }

    /** The example of one row; an empty premise, hypothesis or pair id is an error at {@code location}. */
    static ClassificationExample example(Path file, String location, String id, String language, String premise,
            String hypothesis, int label) {
        if (premise.isEmpty()) {
            throw new TaskDataException(file, location, "empty sentence1 (the premise)");
        }
        if (hypothesis.isEmpty()) {
            throw new TaskDataException(file, location, "empty sentence2 (the hypothesis)");
        }
        if (id.endsWith(":")) {
            throw new TaskDataException(file, location, "empty pairID");
        }
        return new ClassificationExample(id, language, premise, hypothesis, label);
    }
}
