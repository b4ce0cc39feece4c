package org.langneurons.tasks;

/**
 * Classification accuracy of one language: how many examples, how many predicted right, from
 * {@link TaskScores#accuracy}.
 *
 * <pre>{@code
 * AccuracyScore vi = new AccuracyScore("vi", 4, 3);
 * double percent = vi.accuracy();   // 75.0
 * }</pre>
 *
 * @param language ISO 639-1 code
 * @param count    the number of examples scored
 * @param correct  how many of them were predicted right
 */
public record AccuracyScore(String language, int count, int correct) {

    /** Checks that {@code 0 <= correct <= count} and that there are examples. */
    public AccuracyScore {
        if (count <= 0 || correct < 0 || correct > count) {
            throw new IllegalArgumentException("an accuracy of " + language + " with " + correct + " right of "
                    + count);
        }
    }

    /** The accuracy in percent. */
    public double accuracy() {
        return 100.0 * correct / count;
    }
}
