package org.langneurons.tasks;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Scores of predictions per language: XNLI accuracy, and XQuAD exact match and F1 in both flavours (the SQuAD v1.1
 * script's on normalised words, {@link SquadMetric}; Mondal et al.'s on token ids, {@link TokenIdMetric}). The
 * predictions are given in the order of the examples; each map is sorted by language code.
 *
 * <pre>{@code
 * List<QaExample> questions = Squad.read(Path.of("xquad/xquad.vi.json")).examples();
 * List<String> answers = questions.stream().map(q -> "...").toList();   // the model's answers, in order
 * QaScore vi = TaskScores.squad(questions, answers).get("vi");
 * }</pre>
 */
public final class TaskScores {
    private TaskScores() {
    }

    /** Accuracy per language of {@code predicted[i]} against {@code examples.get(i).label()}. */
    public static SortedMap<String, AccuracyScore> accuracy(List<ClassificationExample> examples, int[] predicted) {
        requireSameSize(examples.size(), predicted.length, "examples", "predictions");
        SortedMap<String, int[]> tally = new TreeMap<>();   // language -> {count, correct}
        for (int i = 0; i < predicted.length; i++) {
            int[] t = tally.computeIfAbsent(examples.get(i).language(), l -> new int[2]);
            t[0]++;
            t[1] += predicted[i] == examples.get(i).label() ? 1 : 0;
        }
        SortedMap<String, AccuracyScore> out = new TreeMap<>();
        tally.forEach((language, t) -> out.put(language, new AccuracyScore(language, t[0], t[1])));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * SQuAD v1.1 EM and F1 per language of {@code predictions.get(i)} against all the answers of
     * {@code questions.get(i)} (the best of them), as the official script computes them.
     */
    public static SortedMap<String, QaScore> squad(List<QaExample> questions, List<String> predictions) {
        requireSameSize(questions.size(), predictions.size(), "questions", "predictions");
        Means means = new Means();
        for (int i = 0; i < questions.size(); i++) {
            List<String> golds = questions.get(i).answers();
            means.add(questions.get(i).language(), SquadMetric.exactMatch(predictions.get(i), golds),
                    SquadMetric.f1(predictions.get(i), golds));
        }
        return means.scores();
    }

    /**
     * Mondal et al.'s token-id EM and F1 per language of {@code predicted.get(i)} against {@code gold.get(i)}, the
     * question being in {@code languages.get(i)}.
     */
    public static SortedMap<String, QaScore> tokenIds(List<String> languages, List<long[]> predicted,
            List<long[]> gold) {
        requireSameSize(languages.size(), predicted.size(), "languages", "predictions");
        requireSameSize(languages.size(), gold.size(), "languages", "gold answers");
        Means means = new Means();
        for (int i = 0; i < languages.size(); i++) {
            means.add(languages.get(i), TokenIdMetric.exactMatch(predicted.get(i), gold.get(i)) ? 1 : 0,
                    TokenIdMetric.f1(predicted.get(i), gold.get(i)));
        }
        return means.scores();
    }

    private static void requireSameSize(int a, int b, String what, String against) {
        if (a != b) {
            throw new IllegalArgumentException(a + " " + what + " but " + b + " " + against);
        }
    }

    /** Sums of EM and F1 per language. */
    private static final class Means {
        private final SortedMap<String, double[]> sums = new TreeMap<>();   // language -> {count, em, f1}

        void add(String language, double exactMatch, double f1) {
            double[] s = sums.computeIfAbsent(language, l -> new double[3]);
            s[0]++;
            s[1] += exactMatch;
            s[2] += f1;
        }

        SortedMap<String, QaScore> scores() {
            SortedMap<String, QaScore> out = new TreeMap<>();
            sums.forEach((language, s) -> out.put(language,
                    new QaScore(language, (int) s[0], 100 * s[1] / s[0], 100 * s[2] / s[0])));
            return Collections.unmodifiableSortedMap(out);
        }
    }
}
