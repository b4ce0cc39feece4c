package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.langneurons.Fixtures.floats;
import static org.langneurons.Fixtures.longs;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.Fixtures;
import org.langneurons.TinyCheckpoints;

/** Perplexity of texts from the reference NLL of transformers (via a word-level tokenizer: word t&lt;i&gt; is id i). */
class PerplexityTest {
    private static final JsonObject REF = Fixtures.json(Fixtures.parity("llama").resolve("reference.json"));

    private static String text(long[] ids) {
        return Arrays.stream(ids).mapToObj(i -> "t" + i).collect(Collectors.joining(" "));
    }

    @Test
    void wholeTextInOneWindowIsTheReferenceLoss(@TempDir Path dir) {
        long[] ids = longs(REF.getAsJsonArray("sequences").get(1).getAsJsonObject().get("ids"));
        double meanNll = REF.getAsJsonObject("nll").get("mean_nll").getAsDouble();
        String text = text(ids);
        try (LanguageModel model = LanguageModel.load(TinyCheckpoints.llamaWithWordTokenizer(dir))) {
            Perplexity p = model.perplexity(List.of(text), 512, 8);
            assertEquals(18, p.tokens());
            assertEquals(text.length(), p.characters());
            assertEquals(meanNll, p.meanNll(), 1e-5);
            assertEquals(Math.exp(meanNll), p.perplexity(), Math.exp(meanNll) * 1e-5);
            assertEquals(meanNll * 18 / Math.log(2) / text.length(), p.bitsPerCharacter(), 1e-6);
        }
    }

    @Test
    void windowsRestartTheContext(@TempDir Path dir) {
        // 19 tokens in windows of 10: the first window scores tokens 1..9 with the reference's context; the second
        // (tokens 10..18) starts afresh, so it is scored like a sequence of its own.
        long[] ids = longs(REF.getAsJsonArray("sequences").get(1).getAsJsonObject().get("ids"));
        float[] reference = floats(REF.getAsJsonObject("nll").get("per_token_nll"));
        try (LanguageModel model = LanguageModel.load(TinyCheckpoints.llamaWithWordTokenizer(dir))) {
            double first = 0;
            for (int i = 0; i < 9; i++) {
                first += reference[i];
            }
            float[] second = model.tokenNll(TokenBatch.of(Arrays.copyOfRange(ids, 10, 19)))[0];
            double total = first;
            for (float x : second) {
                total += x;
            }
            Perplexity p = model.perplexity(List.of(text(ids)), 10, 1);
            assertEquals(17, p.tokens());
            assertEquals(total / 17, p.meanNll(), 1e-5);
            // batching windows changes nothing
            assertEquals(p.meanNll(), model.perplexity(List.of(text(ids)), 10, 8).meanNll(), 1e-6);
        }
    }

    @Test
    void textWithNothingToPredictIsAnError(@TempDir Path dir) {
        try (LanguageModel model = LanguageModel.load(TinyCheckpoints.llamaWithWordTokenizer(dir))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.perplexity(List.of("t5"), 512, 8));
            assertEquals(true, e.getMessage().contains("empty input"), e.getMessage());
        }
    }
}
