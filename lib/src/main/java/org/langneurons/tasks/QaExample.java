package org.langneurons.tasks;

import java.util.List;

/**
 * One extractive question-answering example (SQuAD v1.1 / XQuAD): a context, a question about it, and the accepted
 * answers, each a span of the context.
 *
 * <pre>{@code
 * QaExample e = new QaExample("56be4db0acb8001400a502ec", "en", "Denver won.", "Who won?", List.of("Denver"),
 *         List.of(0));
 * String first = e.answers().get(0);   // "Denver"
 * }</pre>
 *
 * @param id           the question's id
 * @param language     ISO 639-1 code
 * @param context      the paragraph
 * @param question     the question
 * @param answers      accepted answer texts (at least one)
 * @param answerStarts the character offset of each answer in the context (same length as answers)
 */
public record QaExample(String id, String language, String context, String question, List<String> answers,
        List<Integer> answerStarts) {

    /** Checks that there is a context, a question and as many offsets as answers; copies the lists. */
    public QaExample {
        if (context == null || context.isEmpty() || question == null || question.isEmpty()) {
            throw new IllegalArgumentException("question " + id + " lacks a context or a question");
        }
        if (answers == null || answers.isEmpty()) {
            throw new IllegalArgumentException("question " + id + " has no answer");
        }
        if (answerStarts == null || answerStarts.size() != answers.size()) {
            throw new IllegalArgumentException("question " + id + " has " + answers.size() + " answers but "
                    + (answerStarts == null ? 0 : answerStarts.size()) + " answer offsets");
        }
        answers = List.copyOf(answers);
        answerStarts = List.copyOf(answerStarts);
    }
}
