package org.langneurons.tasks;

/**
 * One labelled example of a sequence-classification task: a text, or a pair of texts (XNLI's premise and
 * hypothesis), and the index of its label in the task's label list.
 *
 * <pre>{@code
 * ClassificationExample e = new ClassificationExample("xnli:vi:17", "vi", "Anh ấy đã đi.", "Anh ấy ở nhà.", 2);
 * boolean paired = e.pair() != null;   // true: the model sees premise <eos> hypothesis
 * }</pre>
 *
 * @param id       where it comes from ({@code file:line}, or an alignment id), unique within its split
 * @param language ISO 639-1 code
 * @param text     the text (the premise of a pair)
 * @param pair     the second text (the hypothesis), or null for single-text tasks
 * @param label    0-based index into the task's labels
 */
public record ClassificationExample(String id, String language, String text, String pair, int label) {

    /** Checks that there is a text and a non-negative label. */
    public ClassificationExample {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("example " + id + " has no text");
        }
        if (label < 0) {
            throw new IllegalArgumentException("example " + id + " has a negative label " + label);
        }
    }
}
