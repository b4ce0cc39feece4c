package org.langneurons.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.model.LanguageModel;

/**
 * A text longer than {@link TextTokenizer#PIECE_CHARS} is encoded in pieces; its ids must be those of one call to
 * the Rust tokenizer on the whole text, for the three tokenizer kinds in use: byte-level BPE (the embedded default,
 * Llama 3), and SentencePiece BPE as transformers converts Llama 2's (a normalizer that prepends "▁" to every text,
 * no pre-tokenizer; the fixture's merges even cross spaces, so many cuts are refused).
 */
class LongTextTokenizationTest {

    static Stream<Path> tokenizers() {
        Path llama3 = TokenizerParityTest.tokenizerFolder().resolve("llama3-bos/tokenizer.json");
        return Stream.of(LanguageModel.defaultModelDirectory().resolve("tokenizer.json"),
                Path.of("src/test/resources/tokenizers/llama2-style/tokenizer.json"), llama3);
    }

    /** Every language's validation text on one line, repeated past three pieces: many scripts, one long line. */
    static String longLine() {
        Map<String, List<String>> texts = Corpus.texts(null, List.of("en", "zh", "hi", "ja", "ur", "fr", "ta"),
                Split.VALIDATION);
        StringBuilder b = new StringBuilder();
        while (b.length() < 3 * TextTokenizer.PIECE_CHARS + 1000) {
            texts.values().forEach(docs -> docs.forEach(d -> b.append(d).append(' ')));
        }
        return b.toString();
    }

    @ParameterizedTest
    @MethodSource("tokenizers")
    void piecesGiveTheWholeTextsIds(Path file) {
        assumeTrue(Files.isRegularFile(file), file + " is not installed (env/test-tokenizers.sh)");
        String line = longLine();
        try (TextTokenizer tok = TextTokenizer.load(file)) {
            for (boolean special : new boolean[] {true, false}) {
                long[] whole = tok.encodeWhole(line, special);
                assertTrue(whole.length > 1000);
                assertArrayEquals(whole, tok.encode(line, special), file + ", special tokens " + special);
            }
            String short1 = "Bonjour le monde";
            assertArrayEquals(tok.encodeWhole(short1, true), tok.encode(short1, true));
        }
    }
}
