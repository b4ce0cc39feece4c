package org.langneurons.finetune;

import java.util.Arrays;
import org.langneurons.io.TextTokenizer;
import org.langneurons.tasks.ClassificationExample;
import org.langneurons.tasks.QaExample;

/**
 * Turns task examples into token ids as Mondal et al. feed them: a pair as {@code premise <eos> hypothesis} (the
 * tokenizer's special tokens around the premise), a question as an instruction prompt ending where the answer begins.
 * Inputs longer than {@code maxLength} tokens lose the end of their first text (the premise, the context), so the
 * hypothesis or question and the answer are always whole.
 *
 * <pre>{@code
 * TaskEncoder enc = new TaskEncoder(tokenizer, 2, 256, TaskEncoder.INSTRUCTION_PROMPT);
 * long[] ids = enc.classification(modules.train().get(0));
 * QaExample question = headings.train().get(0);
 * TaskEncoder.Answer qa = enc.qa(question, question.answers().get(0));   // ids and where the answer starts
 * long[] prompt = enc.qaPrompt(question, 100);                            // room for 100 new tokens
 * }</pre>
 *
 * @param tokenizer the model's tokenizer
 * @param eosId     the end-of-sequence id, between the two texts of a pair and after an answer
 * @param maxLength most tokens of an encoded input (prompt and answer together)
 * @param prompt    the question template, with {@code {context}} and {@code {question}}; the answer follows it
 */
public record TaskEncoder(TextTokenizer tokenizer, long eosId, int maxLength, String prompt) {

    /**
     * The default question template; this wording is ours. Mondal et al.'s code ({@code dataset.py},
     * {@code XQADatasetHF}) uses a longer Alpaca-style template (instruction, input with context and question,
     * response): pass it as {@code prompt} to match them.
     */
    public static final String INSTRUCTION_PROMPT = "Answer the question with a span of the context.\n"
            + "Context: {context}\nQuestion: {question}\nAnswer:";

    /** Checks the template and the length. */
    public TaskEncoder {
        if (maxLength < 8) {
            throw new IllegalArgumentException("max length must be >= 8 tokens, got " + maxLength);
        }
        if (!prompt.contains("{context}") || !prompt.contains("{question}")) {
            throw new IllegalArgumentException("the prompt template needs {context} and {question}: " + prompt);
        }
    }

    /** The ids of a classification example, at most {@code maxLength}. */
    public long[] classification(ClassificationExample e) {
        long[] first = tokenizer.encode(e.text(), true);
        long[] second = e.pair() == null ? new long[0] : concat(new long[] {eosId}, tokenizer.encode(e.pair(), false));
        second = second.length > maxLength / 2 && first.length + second.length > maxLength
                ? Arrays.copyOf(second, maxLength / 2) : second;
        int keep = Math.min(first.length, maxLength - second.length);
        return concat(Arrays.copyOf(first, keep), second);
    }

    /** The prompt of a question for decoding, its context cut so that {@code answerRoom} new tokens fit. */
    public long[] qaPrompt(QaExample e, int answerRoom) {
        return fit(e, Math.max(8, maxLength - answerRoom));
    }

    /** The prompt, dropping the end of the context until it has at most {@code budget} tokens. */
    private long[] fit(QaExample e, int budget) {
        String context = e.context();
        long[] ids = encodePrompt(e, context);
        while (ids.length > budget && !context.isEmpty()) {
            // a proportional cut, at most 90% kept, so the loop ends in a few steps
            context = context.substring(0, (int) (context.length() * Math.min(0.9, (double) budget / ids.length)));
            ids = encodePrompt(e, context);
        }
        if (ids.length > budget) {
            throw new IllegalArgumentException("question " + e.id() + ": the prompt without its context is "
                    + ids.length + " tokens, more than the " + budget + " the max length (" + maxLength
                    + ") leaves: raise the max length or shorten the template");
        }
        return ids;
    }

    private long[] encodePrompt(QaExample e, String context) {
        return tokenizer.encode(prompt.replace("{question}", e.question()).replace("{context}", context), true);
    }

    /**
     * An encoded prompt followed by its answer and EOS.
     *
     * @param ids         prompt, answer, EOS
     * @param answerStart index of the answer's first token: the first target of the answer-only loss
     */
    public record Answer(long[] ids, int answerStart) {
    }

    /**
     * {@code answer} after the question's prompt: the prompt and the answer are encoded apart (the answer with a
     * leading space, as it follows "Answer:"), so the answer's tokens are exactly those a greedy decoder must emit.
     */
    public Answer qa(QaExample e, String answer) {
        long[] answerIds = concat(tokenizer.encode(" " + answer.strip(), false), new long[] {eosId});
        if (answerIds.length >= maxLength - 4) {
            answerIds = concat(Arrays.copyOf(answerIds, maxLength / 2 - 1), new long[] {eosId});
        }
        long[] prompt = fit(e, maxLength - answerIds.length);
        return new Answer(concat(prompt, answerIds), prompt.length);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
