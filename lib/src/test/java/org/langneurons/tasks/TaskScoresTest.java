package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-language aggregation of accuracy and of both EM / F1 flavours, against sums worked out by hand. */
class TaskScoresTest {
    private static final double EPS = 1e-9;

    private static ClassificationExample nli(String language, int label) {
        return new ClassificationExample("x", language, "premise", "hypothesis", label);
    }

    private static QaExample qa(String language, String... answers) {
        return new QaExample("q", language, "context", "question?", List.of(answers),
                java.util.Collections.nCopies(answers.length, 0));
    }

    @Test
    void accuracyPerLanguage() {
        List<ClassificationExample> examples = List.of(nli("vi", 0), nli("en", 1), nli("en", 2), nli("en", 0));
        Map<String, AccuracyScore> scores = TaskScores.accuracy(examples, new int[] {1, 1, 2, 1});
        assertEquals(List.of("en", "vi"), List.copyOf(scores.keySet()));
        assertEquals(new AccuracyScore("en", 3, 2), scores.get("en"));
        assertEquals(200.0 / 3, scores.get("en").accuracy(), EPS);
        assertEquals(0.0, scores.get("vi").accuracy(), EPS);
        assertThrows(IllegalArgumentException.class, () -> TaskScores.accuracy(examples, new int[3]));
    }

    @Test
    void squadScoresAreMeansTimesHundredPerLanguage() {
        List<QaExample> questions = List.of(qa("vi", "Denver Broncos"), qa("vi", "the Denver Broncos"),
                qa("en", "Broncos", "Denver Broncos"));
        List<String> predictions = List.of("the Denver Broncos!", "Denver Broncos won", "Denver");
        Map<String, QaScore> scores = TaskScores.squad(questions, predictions);
        // vi: EM 1 and 0, F1 1 and 0.8 -> EM 50, F1 90
        assertEquals(new QaScore("vi", 2, 50.0, 90.0), round(scores.get("vi")));
        // en: "denver" vs [broncos] 0, vs [denver, broncos]: P = 1, R = 1/2, F1 = 2/3
        assertEquals(0.0, scores.get("en").exactMatch(), EPS);
        assertEquals(200.0 / 3, scores.get("en").f1(), EPS);
    }

    @Test
    void tokenIdScoresPerLanguage() {
        Map<String, QaScore> scores = TaskScores.tokenIds(List.of("hi", "hi", "ur"),
                List.of(new long[] {5, 7, 2}, new long[] {5, 7}, new long[] {3}),
                List.of(new long[] {5, 7, 2}, new long[] {5, 7, 2}, new long[] {4}));
        // hi: EM 1 and 0; F1 1 and 0.8 -> EM 50, F1 90; ur: nothing shared
        assertEquals(new QaScore("hi", 2, 50.0, 90.0), round(scores.get("hi")));
        assertEquals(new QaScore("ur", 1, 0.0, 0.0), scores.get("ur"));
    }

    private static QaScore round(QaScore s) {
        return new QaScore(s.language(), s.count(), Math.round(s.exactMatch() * 1e9) / 1e9,
                Math.round(s.f1() * 1e9) / 1e9);
    }
}
