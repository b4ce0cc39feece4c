package org.langneurons.corpus;

import java.util.Locale;

/**
 * The three disjoint parts of a language's corpus.
 *
 * <pre>{@code
 * Split split = Split.parse("val");                                   // VALIDATION
 * Path file = dir.resolve("fr").resolve(split.fileStem() + ".txt");   // DIR/fr/validation.txt
 * }</pre>
 */
public enum Split {
    /** Text to train or fine-tune on; rebuilt on demand, not committed. */
    TRAIN,
    /** Held-out text for perplexity. */
    VALIDATION,
    /** Text used to compute activation statistics (language-specific neuron identification); disjoint from train. */
    IDENTIFICATION;

    /** {@code train}, {@code validation} or {@code identification}: the file stem in a corpus directory. */
    public String fileStem() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code train}, {@code validation}/{@code valid}/{@code val} or {@code identification}/{@code id}. */
    public static Split parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "validation", "valid", "val" -> VALIDATION;
            case "identification", "ident", "id" -> IDENTIFICATION;
            default -> throw new IllegalArgumentException(
                    "unknown split '" + s + "': expected train, validation or identification");
        };
    }
}
