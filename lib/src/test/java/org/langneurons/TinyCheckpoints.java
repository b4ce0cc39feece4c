package org.langneurons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the reference checkpoints with things added, for tests that need text. */
public final class TinyCheckpoints {
    private TinyCheckpoints() {
    }

    /**
     * The llama parity checkpoint copied into {@code dir} with a word-level tokenizer.json whose token i is the word
     * {@code t<i>} (so text "t1 t283" is ids [1, 283], and decoding joins words with spaces).
     */
    public static Path llamaWithWordTokenizer(Path dir) {
        Path source = Fixtures.parity("llama");
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
            StringBuilder vocab = new StringBuilder();
            for (int i = 0; i < 512; i++) {
                vocab.append(i > 0 ? "," : "").append("\"t").append(i).append("\":").append(i);
            }
            Files.writeString(dir.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"truncation\":null,"
                    + "\"padding\":null,\"added_tokens\":[],\"normalizer\":null,"
                    + "\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,\"decoder\":null,"
                    + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab + "},\"unk_token\":\"t0\"}}");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
