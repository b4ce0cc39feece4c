package org.langneurons.finetune;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.langneurons.model.LanguageModel;
import org.langneurons.report.JsonFiles;
import org.langneurons.tasks.AccuracyScore;
import org.langneurons.tasks.ClassificationExample;
import org.langneurons.tasks.QaExample;
import org.langneurons.tasks.QaScore;
import org.langneurons.tasks.TaskScores;

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
     * Accuracy per language of a classification head (with whatever adapter is attached).
     *
     * @param progress called after each language with its code and test size
     */
    public static Scores classification(LanguageModel model, ClassificationHead head, TaskEncoder encoder,
            String task, Map<String, List<ClassificationExample>> test, int batchSize,
            BiConsumer<String, Integer> progress) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        test.forEach((lang, examples) -> {
            int[] predicted = ClassificationTraining.predict(model, head, encoder, examples, batchSize);
            AccuracyScore s = TaskScores.accuracy(examples, predicted).get(lang);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("count", (double) s.count());
            m.put("accuracy", s.accuracy());
            out.put(lang, m);
            progress.accept(lang, examples.size());
        });
        return new Scores(task, out);
    }

    /** EM and F1 per language, both ways, of greedy answers of up to {@code maxNewTokens} tokens. */
    public static Scores qa(LanguageModel model, TaskEncoder encoder, String task,
            Map<String, List<QaExample>> test, int maxNewTokens, int batchSize, BiConsumer<String, Integer> progress) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        test.forEach((lang, questions) -> {
            GenerativeTraining.Answers answers = GenerativeTraining.answer(model, encoder, questions, maxNewTokens,
                    batchSize);
            QaScore words = TaskScores.squad(questions, answers.texts()).get(lang);
            List<long[]> gold = questions.stream().map(q -> goldIds(encoder, q)).toList();
            QaScore ids = TaskScores.tokenIds(questions.stream().map(QaExample::language).toList(), answers.ids(),
                    gold).get(lang);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("count", (double) words.count());
            m.put("exact_match", words.exactMatch());
            m.put("f1", words.f1());
            m.put("exact_match_ids", ids.exactMatch());
            m.put("f1_ids", ids.f1());
            out.put(lang, m);
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
