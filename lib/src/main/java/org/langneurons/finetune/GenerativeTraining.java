package org.langneurons.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.langneurons.model.Generation;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;
import org.langneurons.tasks.QaExample;
import org.langneurons.tasks.SquadMetric;

/**
 * A generative (question-answering) task for {@link FineTuner}: the causal-LM loss on the answer tokens only (its
 * first accepted answer, then EOS, after the instruction prompt); validation by greedy decoding, scored with SQuAD's
 * F1. Examples are encoded once, here.
 *
 * <pre>{@code
 * GenerativeTraining task = new GenerativeTraining(encoder, headings.train(), headings.validation(), 100);
 * GenerativeTraining.Answers a = GenerativeTraining.answer(model, encoder, headings.test().get("vi"), 100, 8);
 * }</pre>
 */
public final class GenerativeTraining implements FineTuneTask {
    /** Questions per decoding batch when validating. */
    private static final int EVAL_BATCH = 8;

    private final TaskEncoder encoder;
    private final List<TaskEncoder.Answer> encoded = new ArrayList<>();
    private final List<QaExample> validation;
    private final int maxNewTokens;

    /**
     * @param maxNewTokens most tokens decoded per answer when validating (Mondal et al.: 100)
     */
    public GenerativeTraining(TaskEncoder encoder, List<QaExample> train, List<QaExample> validation,
            int maxNewTokens) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.encoder = encoder;
        train.forEach(e -> encoded.add(encoder.qa(e, e.answers().get(0))));
        this.validation = List.copyOf(validation);
        this.maxNewTokens = maxNewTokens;
    }

    @Override
    public int size() {
        return encoded.size();
    }

    @Override
    public NDArray loss(LanguageModel model, int[] examples, NDManager scope) {
        List<long[]> ids = new ArrayList<>();
        int[] first = new int[examples.length];
        for (int i = 0; i < examples.length; i++) {
            TaskEncoder.Answer a = encoded.get(examples[i]);
            ids.add(a.ids());
            first[i] = a.answerStart();
        }
        return model.loss(new TokenBatch(ids, TokenBatch.Padding.RIGHT), first, scope);
    }

    @Override
    public long tokens(int[] examples) {
        long n = 0;
        for (int e : examples) {
            n += encoded.get(e).ids().length;
        }
        return n;
    }

    @Override
    public Map<String, NDArray> trainableTensors() {
        return Map.of();
    }

    @Override
    public double validate(LanguageModel model) {
        if (validation.isEmpty()) {
            return 0;
        }
        Answers answers = answer(model, encoder, validation, maxNewTokens, EVAL_BATCH);
        double f1 = 0;
        for (int i = 0; i < validation.size(); i++) {
            f1 += SquadMetric.f1(answers.texts().get(i), validation.get(i).answers());
        }
        return f1 / validation.size();
    }

    @Override
    public String metric() {
        return "f1";
    }

    @Override
    public void save(LoraAdapter adapter, Path dir) {
        adapter.save(dir, Map.of(), "CAUSAL_LM", List.of());
    }

    /**
     * Greedy answers to questions.
     *
     * @param texts the decoded answers, stripped, without EOS
     * @param ids   the generated ids, with a final EOS when one ended the answer (what Mondal et al.'s token-id
     *              metric compares)
     */
    public record Answers(List<String> texts, List<long[]> ids) {
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens per question, in batches of {@code batchSize}. */
    public static Answers answer(LanguageModel model, TaskEncoder encoder, List<QaExample> questions,
            int maxNewTokens, int batchSize) {
        List<String> texts = new ArrayList<>();
        List<long[]> ids = new ArrayList<>();
        GenerationConfig greedy = GenerationConfig.greedy(maxNewTokens);
        for (int from = 0; from < questions.size(); from += batchSize) {
            List<long[]> prompts = questions.subList(from, Math.min(questions.size(), from + batchSize)).stream()
                    .map(q -> encoder.qaPrompt(q, maxNewTokens)).toList();
            Generation g = model.generate(prompts, greedy);
            for (int i = 0; i < prompts.size(); i++) {
                long[] out = g.tokens().get(i);
                ids.add(out);
                texts.add(encoder.tokenizer().decode(out, true).strip());
            }
        }
        return new Answers(texts, ids);
    }
}
