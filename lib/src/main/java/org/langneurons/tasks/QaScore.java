package org.langneurons.tasks;

/**
 * Question-answering scores of one language: how many questions, and the mean exact match and F1 in percent (the
 * SQuAD script's scale), from {@link TaskScores#squad} or {@link TaskScores#tokenIds}.
 *
 * <pre>{@code
 * QaScore vi = new QaScore("vi", 2, 50.0, 75.0);
 * System.out.printf("%s EM %.1f F1 %.1f over %d%n", vi.language(), vi.exactMatch(), vi.f1(), vi.count());
 * }</pre>
 *
 * @param language   ISO 639-1 code
 * @param count      the number of questions scored
 * @param exactMatch the mean exact match times 100
 * @param f1         the mean F1 times 100
 */
public record QaScore(String language, int count, double exactMatch, double f1) {

    /** Checks that there are questions and that the scores are percentages. */
    public QaScore {
        if (count <= 0) {
            throw new IllegalArgumentException("a score of " + language + " over " + count + " questions");
        }
        if (!(exactMatch >= 0 && exactMatch <= 100 && f1 >= 0 && f1 <= 100)) {
            throw new IllegalArgumentException("scores of " + language + " out of [0, 100]: EM " + exactMatch
                    + ", F1 " + f1);
        }
    }
}
