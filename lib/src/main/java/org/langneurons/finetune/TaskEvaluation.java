package org.langneurons.finetune;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.langneurons.model.LanguageModel;
import org.langneurons.report.JsonFiles;
import org.langneurons.tasks.ClassificationExample;
import org.langneurons.tasks.QaExample;
import org.langneurons.tasks.SquadMetric;
import org.langneurons.tasks.TokenIdMetric;

/**
 * Scores a (fine-tuned) model on a task's test sets, language by language: accuracy for classification; for
 * question answering both exact match and F1 as SQuAD's script computes them (normalised words) and as Mondal et
 * al.'s code does (token ids of the first answer plus EOS against the generated ids). Hooks and interventions
 * registered on the model apply, so the same call measures test-time interventions.
 *
 * <pre>{@code
 * TaskEvaluation.Scores s = TaskEvaluation.classification(model, head, encoder, modules.name(), modules.test(), 16,
 *         (l, n) -> { });
 * double vi = s.languages().get("vi").get("accuracy");
 * s.save(Path.of("scores.json"));
 * }</pre>
 */
public final class TaskEvaluation {
    private TaskEvaluation() {
    }

    /**
     * Scores per language.
     *
     * @param task      the task's name
     * @param languages per language (in the order evaluated): metric name -> value ({@code count}, {@code accuracy}
     *                  in percent; or {@code exact_match}, {@code f1}, {@code exact_match_ids}, {@code f1_ids})
     */
    public record Scores(String task, Map<String, Map<String, Double>> languages) {

        /** Writes {@code {"task": ..., "languages": {...}}} as JSON. */
        public void save(Path file) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task", task);
            out.put("languages", languages);
            JsonFiles.write(file, out);
        }

        /** One line a language: {@code lang  n  metric value ...}. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            languages.forEach((lang, m) -> {
                StringBuilder line = new StringBuilder(String.format("%-4s", lang));
                m.forEach((k, v) -> line.append(k.equals("count") ? String.format("  n=%d", v.intValue())
                        : String.format("  %s %.2f", k, v)));
                out.add(line.toString());
            });
            return out;
        }
    }

    /**
     * One language's per-example scores, in the test set's order: metric name -> a value per example in [0, 1]
     * ({@code accuracy}: 1 when right; QA: {@code exact_match}, {@code f1}, {@code exact_match_ids}, {@code f1_ids}).
     * What a grid keeps per cell, so that every figure can be recomputed and bootstrapped from it.
     *
     * @param language the test language
     * @param ids      the examples' ids
     * @param metrics  per metric, one value per example
     */
    public record ExampleScores(String language, List<String> ids, Map<String, double[]> metrics) {

        /** Checks that every metric has a value per example. */
        public ExampleScores {
            ids = List.copyOf(ids);
            Map<String, double[]> copy = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : metrics.entrySet()) {
                if (e.getValue().length != ids.size()) {
                    throw new IllegalArgumentException("metric " + e.getKey() + " has " + e.getValue().length
                            + " values for " + ids.size() + " examples");
                }
                copy.put(e.getKey(), e.getValue().clone());
            }
            metrics = java.util.Collections.unmodifiableMap(copy);
        }

        /** {@code count}, then each metric's mean in percent. */
        public Map<String, Double> means() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("count", (double) ids.size());
            metrics.forEach((k, v) -> m.put(k, 100 * java.util.Arrays.stream(v).average().orElse(Double.NaN)));
            return m;
        }
    }

    /** Per-example accuracy of a classification head (with whatever adapter and hooks are on the model). */
    public static ExampleScores classificationScores(LanguageModel model, ClassificationHead head,
            TaskEncoder encoder, String language, List<ClassificationExample> examples, int batchSize) {
        int[] predicted = ClassificationTraining.predict(model, head, encoder, examples, batchSize);
        double[] right = new double[predicted.length];
        for (int i = 0; i < right.length; i++) {
            right[i] = predicted[i] == examples.get(i).label() ? 1 : 0;
        }
        return new ExampleScores(language, examples.stream().map(ClassificationExample::id).toList(),
                Map.of("accuracy", right));
    }

    /** Per-question EM and F1, both ways, of greedy answers of up to {@code maxNewTokens} tokens. */
    public static ExampleScores qaScores(LanguageModel model, TaskEncoder encoder, String language,
            List<QaExample> questions, int maxNewTokens, int batchSize) {
        GenerativeTraining.Answers answers = GenerativeTraining.answer(model, encoder, questions, maxNewTokens,
                batchSize);
        int n = questions.size();
        double[] em = new double[n];
        double[] f1 = new double[n];
        double[] emIds = new double[n];
        double[] f1Ids = new double[n];
        for (int i = 0; i < n; i++) {
            QaExample q = questions.get(i);
            em[i] = SquadMetric.exactMatch(answers.texts().get(i), q.answers());
            f1[i] = SquadMetric.f1(answers.texts().get(i), q.answers());
            long[] gold = goldIds(encoder, q);
            emIds[i] = TokenIdMetric.exactMatch(answers.ids().get(i), gold) ? 1 : 0;
            f1Ids[i] = TokenIdMetric.f1(answers.ids().get(i), gold);
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("exact_match", em);
        m.put("f1", f1);
        m.put("exact_match_ids", emIds);
        m.put("f1_ids", f1Ids);
        return new ExampleScores(language, questions.stream().map(QaExample::id).toList(), m);
    }

    /**
     * Accuracy per language of a classification head (with whatever adapter is attached).
     *
     * @param progress called after each language with its code and test size
     */
    public static Scores classification(LanguageModel model, ClassificationHead head, TaskEncoder encoder,
            String task, Map<String, List<ClassificationExample>> test, int batchSize,
            BiConsumer<String, Integer> progress) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        test.forEach((lang, examples) -> {
            out.put(lang, classificationScores(model, head, encoder, lang, examples, batchSize).means());
            progress.accept(lang, examples.size());
        });
        return new Scores(task, out);
    }

    /** EM and F1 per language, both ways, of greedy answers of up to {@code maxNewTokens} tokens. */
    public static Scores qa(LanguageModel model, TaskEncoder encoder, String task,
            Map<String, List<QaExample>> test, int maxNewTokens, int batchSize, BiConsumer<String, Integer> progress) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        test.forEach((lang, questions) -> {
            out.put(lang, qaScores(model, encoder, lang, questions, maxNewTokens, batchSize).means());
            progress.accept(lang, questions.size());
        });
        return new Scores(task, out);
    }

    /** Mondal et al.'s gold ids: {@code " " + first answer (stripped)}, no special tokens, then EOS. */
    static long[] goldIds(TaskEncoder encoder, QaExample q) {
        long[] a = encoder.tokenizer().encode(" " + q.answers().get(0).strip(), false);
        long[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = encoder.eosId();
        return out;
    }
}
