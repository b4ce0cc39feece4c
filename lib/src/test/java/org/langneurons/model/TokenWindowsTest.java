package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.TinyCheckpoints;

/** Windowing of token sequences, and tokenizing once for several perplexity runs. */
class TokenWindowsTest {

    static Stream<Arguments> cuts() {
        return Stream.of(
                Arguments.of(5, 2, 2, "[[1, 2], [3, 4]]"),               // a last window of 1 token is dropped
                Arguments.of(5, 2, 1, "[[1, 2], [3, 4], [5]]"),          // ... or kept
                Arguments.of(6, 2, 2, "[[1, 2], [3, 4], [5, 6]]"),
                Arguments.of(5, 3, 2, "[[1, 2, 3], [4, 5]]"),
                Arguments.of(5, 3, 3, "[[1, 2, 3]]"),
                Arguments.of(3, 10, 2, "[[1, 2, 3]]"),
                Arguments.of(1, 10, 2, "[]"),
                Arguments.of(0, 10, 1, "[]"),
                Arguments.of(3, Integer.MAX_VALUE, 1, "[[1, 2, 3]]"));   // no overflow of the window start
    }

    @ParameterizedTest
    @MethodSource("cuts")
    void consecutiveWindowsWithoutAShortLastOne(int tokens, int maxLength, int minLength, String expected) {
        long[] ids = new long[tokens];
        Arrays.setAll(ids, i -> i + 1);
        assertEquals(expected, TokenWindows.cut(ids, maxLength, minLength).stream().map(Arrays::toString).toList()
                .toString());
    }

    @Test
    void windowLengthsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> TokenWindows.cut(new long[] {1}, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> TokenWindows.cut(new long[] {1}, 2, 3));
    }

    @Test
    void tokenizedTextIsCheckedAndCopied() {
        long[] window = {1, 2};
        List<long[]> windows = new ArrayList<>(List.of(window));
        TokenizedText text = new TokenizedText(windows, 3);
        window[0] = 99;
        windows.add(new long[] {3});
        assertEquals(1, text.windows().size());
        assertArrayEquals(new long[] {1, 2}, text.windows().get(0));
        assertThrows(UnsupportedOperationException.class, () -> text.windows().add(new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new TokenizedText(List.of(new long[0]), 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenizedText(List.of(), -1));
    }

    @Test
    void perplexityOfTokenizedTextEqualsPerplexityOfTheTexts(@TempDir Path dir) {
        // word t<i> is token i; 19 + 3 + 1 tokens in windows of 8: [8, 8, 3] + [3] + [] (one token: nothing to predict)
        List<String> texts = List.of("t1 t283 t108 t148 t198 t86 t511 t129 t79 t129 t215 t413 t129 t330 t129 t7 t8 t9"
                + " t10", "t5 t6 t7", "t5");
        try (LanguageModel model = LanguageModel.load(TinyCheckpoints.llamaWithWordTokenizer(dir))) {
            TokenizedText text = model.tokenize(texts, 8);
            assertEquals(List.of(8, 8, 3, 3), text.windows().stream().map(w -> w.length).toList());
            assertEquals(texts.stream().mapToLong(String::length).sum(), text.characters());
            for (int batchSize : new int[] {1, 3, 8}) {
                Perplexity once = model.perplexity(text, batchSize);
                assertEquals(model.perplexity(texts, 8, batchSize), once, "batch size " + batchSize);
                assertEquals(once, model.perplexity(text, batchSize), "the same tokens score the same again");
            }
            assertEquals(7 + 7 + 2 + 2, model.perplexity(text, 2).tokens());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.perplexity(model.tokenize(List.of("t5"), 8), 1));
            assertTrue(e.getMessage().contains("empty input"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.tokenize(texts, 1));
            assertThrows(IllegalArgumentException.class, () -> model.perplexity(text, 0));
        }
    }
}
