package org.langneurons.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.langneurons.io.TextTokenizer;
import org.langneurons.model.LanguageModel;
import org.langneurons.tasks.ClassificationExample;
import org.langneurons.tasks.QaExample;

/** Inputs as Mondal et al. build them, checked against the tokenizer's own encodings. */
class TaskEncoderTest {
    private static TextTokenizer tok;

    @BeforeAll
    static void load() {
        tok = TextTokenizer.load(LanguageModel.defaultModelDirectory());
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    private static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    }

    @Test
    void aPairIsPremiseEosHypothesis() {
        TaskEncoder enc = new TaskEncoder(tok, 2, 256, TaskEncoder.INSTRUCTION_PROMPT);
        long[] ids = enc.classification(new ClassificationExample("x", "en", "It rained.", "It was wet.", 0));
        assertArrayEquals(concat(tok.encode("It rained.", true), new long[] {2}, tok.encode("It was wet.", false)),
                ids);
        long[] single = enc.classification(new ClassificationExample("y", "en", "It rained.", null, 0));
        assertArrayEquals(tok.encode("It rained.", true), single);
    }

    @Test
    void aLongPremiseLosesItsEndAndTheHypothesisStaysWhole() {
        TaskEncoder enc = new TaskEncoder(tok, 2, 16, TaskEncoder.INSTRUCTION_PROMPT);
        String premise = "word ".repeat(60).strip();
        long[] hypothesis = tok.encode("It was wet.", false);
        long[] ids = enc.classification(new ClassificationExample("x", "en", premise, "It was wet.", 0));
        assertEquals(16, ids.length);
        assertArrayEquals(hypothesis, Arrays.copyOfRange(ids, 16 - hypothesis.length, 16));
        assertEquals(2, ids[16 - hypothesis.length - 1]);
        long[] whole = tok.encode(premise, true);
        assertArrayEquals(Arrays.copyOf(whole, 16 - hypothesis.length - 1), Arrays.copyOf(ids, 16 - hypothesis.length
                - 1));
    }

    @Test
    void anAnswerFollowsItsPromptAndEndsWithEos() {
        TaskEncoder enc = new TaskEncoder(tok, 2, 512, "Context: {context}\nQuestion: {question}\nAnswer:");
        QaExample q = new QaExample("q", "en", "Denver won.", "Who won?", List.of(" Denver "), List.of(0));
        TaskEncoder.Answer a = enc.qa(q, q.answers().get(0));
        long[] prompt = tok.encode("Context: Denver won.\nQuestion: Who won?\nAnswer:", true);
        assertEquals(prompt.length, a.answerStart());
        assertArrayEquals(concat(prompt, tok.encode(" Denver", false), new long[] {2}), a.ids());
        assertArrayEquals(prompt, enc.qaPrompt(q, 100));
        assertArrayEquals(concat(tok.encode(" Denver", false), new long[] {2}), TaskEvaluation.goldIds(enc, q));
    }

    @Test
    void aLongContextIsCutSoPromptAndAnswerFit() {
        TaskEncoder enc = new TaskEncoder(tok, 2, 80, TaskEncoder.INSTRUCTION_PROMPT);
        String context = "The module is Writer. " + "It opens documents and prints them. ".repeat(30);
        QaExample q = new QaExample("q", "en", context, "Which module?", List.of("Writer"), List.of(14));
        TaskEncoder.Answer a = enc.qa(q, "Writer");
        assertTrue(a.ids().length <= 80 && a.ids().length > 60, "length " + a.ids().length);
        assertArrayEquals(concat(tok.encode(" Writer", false), new long[] {2}),
                Arrays.copyOfRange(a.ids(), a.answerStart(), a.ids().length));
        assertTrue(enc.qaPrompt(q, 20).length <= 60, "room for 20 new tokens");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TaskEncoder(tok, 2, 12, TaskEncoder.INSTRUCTION_PROMPT).qa(q, "Writer"));
        assertTrue(e.getMessage().contains("max length"), e.getMessage());
    }
}
