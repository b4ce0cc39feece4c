package org.langneurons.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.langneurons.Fixtures.floats;
import static org.langneurons.Fixtures.longs;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.langneurons.Fixtures;

/** The command line, run in-process through {@link Main#run}: output, exit status and error reporting. */
class CliTest {
    static final double TOLERANCE = 1e-4;

    /** What a run printed and returned. */
    record Result(int status, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + abbreviate(out) + "\n--- stderr\n" + abbreviate(err);
        }

        private static String abbreviate(String s) {
            return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
        }
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            status = Main.run(args);
            o.flush();
            e.flush();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String llama() {
        return Fixtures.parity("llama").toString();
    }

    static JsonObject reference() {
        return Fixtures.json(Fixtures.parity("llama").resolve("reference.json"));
    }

    /** The first {@code n} ids of reference sequence 0, comma separated. */
    static String referenceIds(int n) {
        long[] ids = longs(reference().getAsJsonArray("sequences").get(0).getAsJsonObject().get("ids"));
        return Arrays.stream(ids).limit(n).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    static int[] shape(JsonArray nested) {
        List<Integer> dims = new ArrayList<>();
        var x = (com.google.gson.JsonElement) nested;
        while (x.isJsonArray()) {
            dims.add(x.getAsJsonArray().size());
            x = x.getAsJsonArray().get(0);
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- help ----

    @ParameterizedTest
    @ValueSource(strings = {"info", "logits", "activations", "generate", "perplexity", "bench"})
    void helpOfEachCommand(String command) {
        Result r = run(command, "--help");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Usage: langneurons " + command), r.toString());
        assertTrue(r.out().contains("--model"), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void helpOfTheTool() {
        Result r = run("--help");
        assertEquals(0, r.status(), r.toString());
        for (String command : List.of("info", "logits", "activations", "generate", "perplexity", "bench")) {
            assertTrue(r.out().contains(command), command + " listed: " + r);
        }
        Result help = run("help", "logits");
        assertEquals(0, help.status(), help.toString());
        assertTrue(help.out().contains("Usage: langneurons logits"), help.toString());
    }

    // ---- results ----

    @Test
    void info() {
        Result r = run("info", "--model", llama());
        assertEquals(0, r.status(), r.toString());
        JsonObject json = r.json();
        assertEquals("llama", json.get("model_type").getAsString());
        assertEquals(2, json.get("layers").getAsInt());
        assertEquals(176, json.get("neurons_per_layer").getAsInt());
        assertEquals(352, json.get("neurons").getAsInt());
        assertEquals(512, json.get("vocab_size").getAsInt());
        assertEquals("F32", json.get("stored_dtype").getAsString());
        assertEquals("float32", json.get("compute_dtype").getAsString());
        assertEquals(false, json.get("tokenizer").getAsBoolean());
    }

    @Test
    void logits() {
        Result r = run("logits", "--model", llama(), "--ids", referenceIds(3));
        assertEquals(0, r.status(), r.toString());
        assertEquals("1,283,108", referenceIds(3));
        JsonArray logits = r.json().getAsJsonArray("logits");
        assertArrayEquals(new int[] {1, 3, 512}, shape(logits));
        assertEquals(2.5905983448028564, logits.get(0).getAsJsonArray().get(0).getAsJsonArray().get(0).getAsDouble(),
                TOLERANCE);
        // Logits at position p depend only on tokens 0..p: the prefix matches the reference at every position.
        JsonArray expected = reference().getAsJsonArray("sequences").get(0).getAsJsonObject().getAsJsonArray("logits");
        for (int p = 0; p < 3; p++) {
            Fixtures.assertClose(floats(expected.get(p)), floats(logits.get(0).getAsJsonArray().get(p)), TOLERANCE,
                    "logits at position " + p);
        }
    }

    @Test
    void logitsOfABatch() {
        Result r = run("logits", "--model", llama(), "--ids", "1,283,108", "--ids", "1,283");
        assertEquals(0, r.status(), r.toString());
        JsonArray logits = r.json().getAsJsonArray("logits");
        assertEquals(2, logits.size());
        assertEquals(3, logits.get(0).getAsJsonArray().size());
        assertEquals(2, logits.get(1).getAsJsonArray().size());
        Fixtures.assertClose(floats(logits.get(0).getAsJsonArray().get(1)),
                floats(logits.get(1).getAsJsonArray().get(1)), TOLERANCE, "the same prefix in a padded batch");
    }

    @Test
    void activationsOfTheNeuronsByDefault() {
        Result r = run("activations", "--model", llama(), "--ids", referenceIds(3));
        assertEquals(0, r.status(), r.toString());
        JsonObject json = r.json();
        assertEquals("mlp.act", json.get("hook").getAsString().replace("hook_", ""));
        assertArrayEquals(new long[] {0, 1}, longs(json.get("layers")));
        JsonArray acts = json.getAsJsonArray("activations");
        assertArrayEquals(new int[] {2, 3, 176}, shape(acts));
        JsonArray neurons = reference().getAsJsonObject("neurons").getAsJsonArray("values");
        for (int l = 0; l < 2; l++) {
            for (int p = 0; p < 3; p++) {
                Fixtures.assertClose(floats(neurons.get(l).getAsJsonArray().get(p)),
                        floats(acts.get(l).getAsJsonArray().get(p)), TOLERANCE, "neurons of layer " + l + " at " + p);
            }
        }
    }

    @Test
    void activationsOfOneBlock() {
        Result r = run("activations", "--model", llama(), "--ids", "1,283", "--hook", "blocks.1.resid_post");
        assertEquals(0, r.status(), r.toString());
        assertArrayEquals(new long[] {1}, longs(r.json().get("layers")));
        assertArrayEquals(new int[] {1, 2, 64}, shape(r.json().getAsJsonArray("activations")));
    }

    @Test
    void generateGreedy() {
        JsonObject ref = reference();
        Result r = run("generate", "--model", llama(), "--ids", referenceIds(Integer.MAX_VALUE), "--max-new-tokens",
                "8", "--json");
        assertEquals(0, r.status(), r.toString());
        JsonObject json = r.json();
        assertArrayEquals(longs(ref.getAsJsonObject("generation").get("generated_ids")), longs(json.get("ids")));
        assertEquals("length", json.get("stop").getAsString());
    }

    /** Plain output is streamed token by token; what it prints in the end equals the JSON's ids. */
    @Test
    void generateStreamsThePlainOutput() {
        Result plain = run("generate", "--model", llama(), "--ids", "1,5,9", "--max-new-tokens", "6", "--ignore-eos");
        Result json = run("generate", "--model", llama(), "--ids", "1,5,9", "--max-new-tokens", "6", "--ignore-eos",
                "--json");
        assertEquals(0, plain.status(), plain.toString());
        assertEquals(Arrays.toString(longs(json.json().get("ids"))) + System.lineSeparator(), plain.out());
    }

    @Test
    void perplexityWithoutTokenizer(@TempDir Path tmp) throws IOException {
        Path text = Files.writeString(tmp.resolve("text.txt"), "Bonjour le monde\n");
        Result r = run("perplexity", "--model", llama(), "--text-file", text.toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: "), r.toString());
        assertTrue(r.err().contains("tokenizer.json"), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    // ---- bad input ----

    // Bad input: the catalogue of BadInputCatalogTest (files made, command, exit status, words of the error).

    @Test
    void usageMistakesExitWithStatus2() {
        Result r = run("logits", "--model", llama());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("--ids"), r.toString());
        assertEquals("", r.out(), r.toString());
        Result unknown = run("frobnicate");
        assertEquals(2, unknown.status(), unknown.toString());
        assertTrue(unknown.err().contains("frobnicate"), unknown.toString());
        Result notInt = run("generate", "--model", llama(), "--ids", "1", "--max-new-tokens", "many");
        assertEquals(2, notInt.status(), notInt.toString());
        assertTrue(notInt.err().contains("--max-new-tokens") && notInt.err().contains("many"), notInt.toString());
    }
}
