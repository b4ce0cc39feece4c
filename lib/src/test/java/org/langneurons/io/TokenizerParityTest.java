package org.langneurons.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TextTokenizer} (DJL / Rust tokenizers) against ids from an independent JavaScript implementation
 * (@lenml/tokenizers), on the real Llama 3 and Qwen3 tokenizer.json files. The expected ids are in
 * {@code tokenizers/expected-ids.json} (made by env/make-tokenizer-fixture.mjs); the tokenizer files are installed by
 * env/test-tokenizers.sh into the folder given by {@code -Dlangneurons.tokenizers=DIR}, else
 * {@code $LANGNEURONS_CACHE/tokenizers}, else {@code ~/.cache/langneurons/tokenizers}. Without them the parity cases
 * are skipped.
 */
class TokenizerParityTest {
    private static final JsonObject FIXTURE = readFixture();
    private static final Map<String, TextTokenizer> LOADED = new HashMap<>();

    static Path tokenizerFolder() {
        String property = System.getProperty("langneurons.tokenizers");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String cache = System.getenv("LANGNEURONS_CACHE");
        Path base = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "langneurons");
        return base.resolve("tokenizers");
    }

    static Stream<Arguments> cases() {
        return FIXTURE.getAsJsonArray("cases").asList().stream().map(JsonElement::getAsJsonObject).flatMap(c ->
                c.getAsJsonObject("expect").entrySet().stream().map(e -> Arguments.of(
                        e.getKey(), c.get("name").getAsString(), c.get("text").getAsString(), e.getValue())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesJavaScriptTokenizer(String tokenizer, String name, String text, JsonObject expected) {
        TextTokenizer tok = tokenizer(tokenizer);
        assertArrayEquals(ids(expected, "withSpecial"), tok.encode(text), "ids with special tokens");
        assertArrayEquals(ids(expected, "withoutSpecial"), tok.encode(text, false), "ids without special tokens");
        String decoded = tok.decode(tok.encode(text));
        assertEquals(expected.get("decoded").getAsString(), decoded, "decode(encode(text))");
        assertEquals(expected.get("roundTrip").getAsBoolean(), text.equals(decoded), "decode(encode(text)) == text");
    }

    @Test
    void missingFileIsACheckpointException(@TempDir Path dir) {
        Path missing = dir.resolve("absent-tokenizer.json");
        CheckpointException e = assertThrows(CheckpointException.class, () -> TextTokenizer.load(missing));
        assertTrue(e.getMessage().contains("absent-tokenizer.json"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{bad json", "{\"not\": \"a tokenizer\"}", ""})
    void unreadableFileIsACheckpointException(String content, @TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("broken-tokenizer.json"), content);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().contains("broken-tokenizer.json"), e.getMessage());
        assertEquals(file, e.file());
    }

    @AfterAll
    static void close() {
        LOADED.values().forEach(TextTokenizer::close);
        LOADED.clear();
    }

    private static synchronized TextTokenizer tokenizer(String name) {
        JsonObject info = FIXTURE.getAsJsonObject("tokenizers").getAsJsonObject(name);
        Path file = tokenizerFolder().resolve(info.get("file").getAsString());
        Assumptions.assumeTrue(Files.isRegularFile(file), () -> "tokenizer files absent (" + file
                + "): run env/test-tokenizers.sh, or pass -Dlangneurons.tokenizers=DIR");
        return LOADED.computeIfAbsent(name, n -> {
            assertEquals(info.get("sha256").getAsString(), sha256(file),
                    file + " is not the file the expected ids were made from; rerun env/test-tokenizers.sh");
            return TextTokenizer.load(file);
        });
    }

    private static long[] ids(JsonObject expected, String key) {
        JsonArray array = expected.getAsJsonArray(key);
        return array.asList().stream().mapToLong(JsonElement::getAsLong).toArray();
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject readFixture() {
        try (InputStream in = TokenizerParityTest.class.getResourceAsStream("/tokenizers/expected-ids.json")) {
            if (in == null) {
                throw new IllegalStateException("test resource tokenizers/expected-ids.json is missing");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
