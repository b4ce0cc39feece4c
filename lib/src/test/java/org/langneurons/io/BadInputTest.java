package org.langneurons.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.Fixtures;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * Bad input: every way a checkpoint directory, a safetensors file or an API argument can be wrong gets an exception
 * whose message names the file, the tensor or field, and what was expected. File cases copy a real tiny checkpoint
 * into a temporary directory and break one thing.
 */
class BadInputTest {
    private static final String LLAMA = "llama";
    private static final String SHARDED = "fixtures/llama31-bf16-sharded";
    private static final String UP_1 = "model.layers.1.mlp.up_proj.weight";

    // ---- writing safetensors files ----

    /** One tensor: dtype name, shape and raw little-endian bytes. */
    record Tensor(String dtype, long[] shape, byte[] data) {
    }

    /** Writes a safetensors file from a header JSON string (padded with spaces to 8 bytes) and the data bytes. */
    static void writeSafetensors(Path file, String header, byte[] data) throws IOException {
        StringBuilder h = new StringBuilder(header);
        while (h.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            h.append(' ');
        }
        byte[] hb = h.toString().getBytes(StandardCharsets.UTF_8);
        writeRaw(file, hb.length, hb, data);
    }

    /** Writes a header length (as given, not checked), header bytes and data. */
    static void writeRaw(Path file, long headerLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header).put(data);
        Files.write(file, b.array());
    }

    /** Writes tensors with contiguous data_offsets in map order. */
    static void writeTensors(Path file, Map<String, Tensor> tensors) throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        header.add("__metadata__", meta);
        var data = new java.io.ByteArrayOutputStream();
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", t.dtype());
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(data.size());
            data.write(t.data());
            offsets.add(data.size());
            entry.add("data_offsets", offsets);
            header.add(e.getKey(), entry);
        }
        writeSafetensors(file, header.toString(), data.toByteArray());
    }

    /** The header JSON and the data section of a safetensors file. */
    record Parsed(JsonObject header, byte[] data) {
    }

    static Parsed parse(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonObject header = JsonParser.parseString(new String(all, 8, (int) n, StandardCharsets.UTF_8))
                .getAsJsonObject();
        byte[] data = java.util.Arrays.copyOfRange(all, 8 + (int) n, all.length);
        return new Parsed(header, data);
    }

    /** The tensors of a safetensors file, in header order. */
    static Map<String, Tensor> readTensors(Path file) throws IOException {
        Parsed p = parse(file);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : p.header().entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject o = e.getValue().getAsJsonObject();
            JsonArray s = o.getAsJsonArray("shape");
            long[] shape = new long[s.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = s.get(i).getAsLong();
            }
            JsonArray off = o.getAsJsonArray("data_offsets");
            byte[] bytes = java.util.Arrays.copyOfRange(p.data(), off.get(0).getAsInt(), off.get(1).getAsInt());
            out.put(e.getKey(), new Tensor(o.get("dtype").getAsString(), shape, bytes));
        }
        return out;
    }

    /** Rewrites the header of a safetensors file through {@code edit}, keeping the data bytes as they are. */
    static void editHeader(Path file, java.util.function.Consumer<JsonObject> edit) throws IOException {
        Parsed p = parse(file);
        edit.accept(p.header());
        writeSafetensors(file, p.header().toString(), p.data());
    }

    static void editJson(Path file, java.util.function.Consumer<JsonObject> edit) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        edit.accept(o);
        Files.writeString(file, o.toString());
    }

    static JsonArray longs(long... values) {
        JsonArray a = new JsonArray();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
        return to;
    }

    static Path fixture(String name) {
        return name.equals(LLAMA) ? Fixtures.parity(LLAMA) : Fixtures.resource(name);
    }

    static void assertMentions(Throwable e, String... fragments) {
        String message = e.getMessage();
        for (String f : fragments) {
            assertTrue(message != null && message.contains(f), "message should name '" + f + "': " + message);
        }
    }

    // ---- broken checkpoint directories ----

    @FunctionalInterface
    interface Breaker {
        void breakIn(Path dir) throws IOException;
    }

    private static Arguments breaking(String what, String fixture, Breaker breaker, String... fragments) {
        return Arguments.of(what, fixture, breaker, fragments);
    }

    static Stream<Arguments> brokenCheckpoints() {
        String st = "model.safetensors";
        return Stream.of(
                // config.json
                breaking("no config.json", LLAMA, d -> Files.delete(d.resolve("config.json")),
                        "config.json", "missing"),
                breaking("config.json not JSON", LLAMA,
                        d -> Files.writeString(d.resolve("config.json"), "{\"model_type\": \"llama\", \"hidden_"),
                        "config.json", "not valid JSON"),
                breaking("config.json an array", LLAMA, d -> Files.writeString(d.resolve("config.json"), "[1, 2]"),
                        "config.json", "not a JSON object"),
                breaking("missing hidden_size", LLAMA, d -> editJson(d.resolve("config.json"),
                        c -> c.remove("hidden_size")), "config.json", "'hidden_size'", "missing"),
                breaking("hidden_size a string", LLAMA, d -> editJson(d.resolve("config.json"),
                        c -> c.addProperty("hidden_size", "64")), "config.json", "'hidden_size'",
                        "expected a number", "\"64\""),
                breaking("vocab_size zero", LLAMA, d -> editJson(d.resolve("config.json"),
                        c -> c.addProperty("vocab_size", 0)), "config.json", "vocab_size", "> 0"),
                breaking("unknown model_type", LLAMA, d -> editJson(d.resolve("config.json"),
                        c -> c.addProperty("model_type", "gpt2")), "config.json", "model_type", "'gpt2'",
                        "supported: llama, mistral, qwen2, bloom"),
                breaking("rope_scaling dynamic", LLAMA, d -> editJson(d.resolve("config.json"), c -> {
                    JsonObject s = new JsonObject();
                    s.addProperty("type", "dynamic");
                    s.addProperty("factor", 2.0);
                    c.add("rope_scaling", s);
                }), "config.json", "rope_scaling", "'dynamic'", "supported: linear, llama3"),
                breaking("rope_scaling linear without factor", LLAMA, d -> editJson(d.resolve("config.json"), c -> {
                    JsonObject s = new JsonObject();
                    s.addProperty("rope_type", "linear");
                    c.add("rope_scaling", s);
                }), "config.json", "rope_scaling.factor", "missing"),
                breaking("num_key_value_heads not dividing", LLAMA, d -> editJson(d.resolve("config.json"),
                        c -> c.addProperty("num_key_value_heads", 3)), "config.json", "num_key_value_heads (3)",
                        "must divide num_attention_heads (4)"),
                // weights
                breaking("no model.safetensors", LLAMA, d -> Files.delete(d.resolve(st)),
                        "no model.safetensors or model.safetensors.index.json"),
                breaking("tensor missing", LLAMA, d -> {
                    Map<String, Tensor> t = readTensors(d.resolve(st));
                    t.remove(UP_1);
                    writeTensors(d.resolve(st), t);
                }, st, "'" + UP_1 + "'", "missing", "expected shape (176, 64)", "intermediate_size, hidden_size"),
                breaking("tensor of the wrong shape", LLAMA, d -> editHeader(d.resolve(st),
                        h -> h.getAsJsonObject("model.layers.0.self_attn.k_proj.weight").add("shape", longs(64, 32))),
                        st, "'model.layers.0.self_attn.k_proj.weight'", "has shape [64, 32]", "expected [32, 64]",
                        "num_key_value_heads=2"),
                breaking("extra tensor", LLAMA, d -> {
                    Map<String, Tensor> t = readTensors(d.resolve(st));
                    t.put("model.layers.0.mlp.extra.weight", new Tensor("F32", new long[] {2}, new byte[8]));
                    writeTensors(d.resolve(st), t);
                }, st, "model.layers.0.mlp.extra.weight", "not part of the model config.json describes"),
                breaking("dtype I64 for a weight", LLAMA, d -> {
                    Map<String, Tensor> t = readTensors(d.resolve(st));
                    t.put("model.norm.weight", new Tensor("I64", new long[] {64}, new byte[64 * 8]));
                    writeTensors(d.resolve(st), t);
                }, st, "'model.norm.weight'", "unsupported dtype I64", "F32, F16 or BF16"),
                // corrupt safetensors
                breaking("file shorter than 8 bytes", LLAMA, d -> Files.write(d.resolve(st), new byte[] {1, 2, 3}),
                        st, "3 bytes", "expected at least 8"),
                breaking("empty file", LLAMA, d -> Files.write(d.resolve(st), new byte[0]),
                        st, "0 bytes", "expected at least 8"),
                breaking("header length past the end", LLAMA,
                        d -> writeRaw(d.resolve(st), 4096, "{}      ".getBytes(StandardCharsets.UTF_8), new byte[16]),
                        st, "header length 4096", "past the end of the file (32 bytes)"),
                breaking("header length 2^63", LLAMA,
                        d -> writeRaw(d.resolve(st), Long.MIN_VALUE, "{}      ".getBytes(StandardCharsets.UTF_8),
                                new byte[0]),
                        st, "header length 9223372036854775808", "out of range"),
                breaking("header length 2^64-1", LLAMA,
                        d -> writeRaw(d.resolve(st), -1L, "{}      ".getBytes(StandardCharsets.UTF_8), new byte[0]),
                        st, "header length 18446744073709551615"),
                breaking("header bad JSON", LLAMA, d -> writeSafetensors(d.resolve(st),
                        "{\"model.norm.weight\": {\"dtype\": \"F32\", \"shape\": [64], ", new byte[256]),
                        st, "header is not valid JSON"),
                breaking("header not an object", LLAMA, d -> writeSafetensors(d.resolve(st), "[1, 2, 3]",
                        new byte[0]), st, "header is not a JSON object"),
                breaking("header entry not an object", LLAMA, d -> writeSafetensors(d.resolve(st),
                        "{\"model.norm.weight\": 7}", new byte[0]), st, "'model.norm.weight'",
                        "expected {\"dtype\", \"shape\", \"data_offsets\"}"),
                breaking("data_offsets beyond the file", LLAMA, d -> editHeader(d.resolve(st),
                        h -> h.getAsJsonObject("model.norm.weight").add("data_offsets", longs(631808, 700000))),
                        st, "'model.norm.weight'", "data_offsets [631808, 700000] out of range",
                        "data section holds 632064 bytes"),
                breaking("data_offsets overflowing", LLAMA, d -> editHeader(d.resolve(st),
                        h -> h.getAsJsonObject("model.norm.weight").add("data_offsets",
                                longs(Long.MAX_VALUE - 256, Long.MAX_VALUE))),
                        st, "'model.norm.weight'", "out of range", "data section holds 632064 bytes"),
                breaking("data_offsets reversed", LLAMA, d -> editHeader(d.resolve(st),
                        h -> h.getAsJsonObject("model.norm.weight").add("data_offsets", longs(632064, 631808))),
                        st, "'model.norm.weight'", "out of range"),
                breaking("data_offsets span not dtype*shape", LLAMA, d -> editHeader(d.resolve(st),
                        h -> h.getAsJsonObject("model.norm.weight").add("shape", longs(32))),
                        st, "'model.norm.weight'", "dtype F32 and shape [32] needs 128 bytes",
                        "data_offsets span 256"),
                breaking("negative dimension", LLAMA, d -> editHeader(d.resolve(st),
                        h -> h.getAsJsonObject("model.norm.weight").add("shape", longs(-64))),
                        st, "'model.norm.weight'", "negative dimension", "[-64]"),
                breaking("shape overflowing 64 bits", LLAMA, d -> editHeader(d.resolve(st), h -> {
                    JsonObject norm = h.getAsJsonObject("model.norm.weight");
                    norm.add("shape", longs(1L << 62, 16)); // 2^68 bytes: 0 modulo 2^64
                    norm.add("data_offsets", longs(632064, 632064));
                }), st, "'model.norm.weight'", "4611686018427387904"),
                // sharded
                breaking("index points to a missing shard", SHARDED, d -> editJson(
                        d.resolve("model.safetensors.index.json"), i -> i.getAsJsonObject("weight_map")
                                .addProperty("model.norm.weight", "model-00003-of-00002.safetensors")),
                        "model.safetensors.index.json", "'model.norm.weight'", "'model-00003-of-00002.safetensors'",
                        "not a file"),
                breaking("index names a tensor the shard lacks", SHARDED, d -> editJson(
                        d.resolve("model.safetensors.index.json"), i -> i.getAsJsonObject("weight_map")
                                .addProperty("model.layers.0.mlp.bogus.weight", "model-00001-of-00002.safetensors")),
                        "model-00001-of-00002.safetensors", "'model.layers.0.mlp.bogus.weight'",
                        "listed in model.safetensors.index.json but not stored"),
                breaking("index not JSON", SHARDED, d -> Files.writeString(d.resolve("model.safetensors.index.json"),
                        "{\"weight_map\": {"), "model.safetensors.index.json", "not valid JSON"),
                breaking("index without weight_map", SHARDED, d -> Files.writeString(
                        d.resolve("model.safetensors.index.json"), "{\"metadata\": {}}"),
                        "model.safetensors.index.json", "\"weight_map\""),
                breaking("index missing a tensor", SHARDED, d -> editJson(d.resolve("model.safetensors.index.json"),
                        i -> i.getAsJsonObject("weight_map").remove(UP_1)),
                        "model.safetensors.index.json", "'" + UP_1 + "'", "missing", "expected shape (128, 64)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCheckpoints")
    void brokenCheckpointIsRejected(String what, String fixture, Breaker breaker, String[] fragments,
            @TempDir Path tmp) throws IOException {
        Path dir = copy(fixture(fixture), tmp);
        breaker.breakIn(dir);
        CheckpointException e = assertThrows(CheckpointException.class, () -> LanguageModel.load(dir).close(), what);
        assertMentions(e, fragments);
        assertTrue(e.file().startsWith(dir), "the file at fault lies in the checkpoint: " + e.file());
    }

    @Test
    void shardTruncatedMidData(@TempDir Path tmp) throws IOException {
        Path dir = copy(fixture(SHARDED), tmp);
        Path shard = dir.resolve("model-00002-of-00002.safetensors");
        Parsed p = parse(shard);
        long size = Files.size(shard);
        long dataStart = size - p.data().length;
        long cut = dataStart + p.data().length / 2;
        String firstCut = null;
        for (var e : p.header().entrySet()) {
            if (!e.getKey().equals("__metadata__") && firstCut == null
                    && dataStart + e.getValue().getAsJsonObject().getAsJsonArray("data_offsets").get(1).getAsLong()
                    > cut) {
                firstCut = e.getKey();
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.setLength(cut);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> LanguageModel.load(dir).close());
        assertMentions(e, "model-00002-of-00002.safetensors", "'" + firstCut + "'", "data_offsets", "out of range",
                "data section holds " + (cut - dataStart) + " bytes");
    }

    /** Element counts that overflow a long must not pass for a span of 0 bytes (the engine would fail unnamed). */
    @Test
    void shapeOverflowIsRejectedWhenOpening(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("overflow.safetensors");
        writeSafetensors(file, "{\"t\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904, 4],"
                + " \"data_offsets\": [0, 0]}}", new byte[0]);
        assertMentions(assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file).close()),
                "overflow.safetensors", "'t'", "[4611686018427387904,4]", "too many elements");
    }

    /** data_offsets near Long.MAX_VALUE must not wrap around the range check. */
    @Test
    void offsetOverflowIsRejectedWhenOpening(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("offsets.safetensors");
        writeSafetensors(file, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": ["
                + (Long.MAX_VALUE - 8) + ", " + Long.MAX_VALUE + "]}}", new byte[8]);
        assertMentions(assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file).close()),
                "offsets.safetensors", "'t'", "out of range", "data section holds 8 bytes");
    }

    @Test
    void loadOfSomethingThatIsNotADirectory(@TempDir Path tmp) throws IOException {
        Path missing = tmp.resolve("nope");
        assertMentions(assertThrows(CheckpointException.class, () -> LanguageModel.load(missing)), "nope",
                "not a directory");
        Path file = Files.writeString(tmp.resolve("config.json"), "{}");
        assertMentions(assertThrows(CheckpointException.class, () -> LanguageModel.load(file)), "config.json",
                "not a directory");
    }

    @Test
    void openingSafetensorsDirectlyNamesTheTensor(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("weird.safetensors");
        writeSafetensors(file, "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [8, 16]}}", new byte[16]);
        try (SafetensorsFile f = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager()) {
            assertMentions(assertThrows(CheckpointException.class, () -> f.read("c", m, DataType.FLOAT32)),
                    "weird.safetensors", "no tensor named 'c'");
            assertMentions(assertThrows(CheckpointException.class, () -> f.read("b", m, DataType.FLOAT32)),
                    "weird.safetensors", "'b'", "unsupported dtype I64");
            assertMentions(assertThrows(IllegalArgumentException.class, () -> f.read("a", m, DataType.INT32)),
                    "FLOAT32 or FLOAT16", "int32");
        }
        assertMentions(assertThrows(CheckpointException.class, () -> SafetensorsFile.open(tmp.resolve("none"))),
                "none", "cannot open");
    }

    // ---- API arguments ----

    private static LanguageModel model;

    static LanguageModel model() {
        if (model == null) {
            model = LanguageModel.load(Fixtures.parity(LLAMA));
        }
        return model;
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    static Stream<Arguments> idsOutsideTheVocabulary() {
        return Stream.of(Arguments.of(512L, 1), Arguments.of(-1L, 2), Arguments.of(Long.MAX_VALUE, 0));
    }

    @ParameterizedTest(name = "id {0} at position {1}")
    @MethodSource("idsOutsideTheVocabulary")
    void tokenIdOutsideTheVocabulary(long id, int position) {
        long[] ids = {1, 283, 108};
        ids[position] = id;
        String[] fragments = {"token id " + id, "position " + position, "sequence 0", "[0, 512)"};
        LanguageModel m = model();
        List<Executable> calls = List.of(
                () -> m.logits(ids),
                () -> m.tokenNll(TokenBatch.of(ids)),
                () -> m.generate(List.of(ids), GenerationConfig.greedy(2)));
        for (Executable call : calls) {
            assertMentions(assertThrows(IllegalArgumentException.class, call), fragments);
        }
        // The second sequence of a batch is named as such.
        assertMentions(assertThrows(IllegalArgumentException.class, () -> m.logits(new long[] {1, 2}, ids)),
                "token id " + id, "position " + position, "sequence 1");
        // The model is still usable afterwards.
        assertEquals(512, m.logits(new long[] {1, 283, 108})[0][2].length);
    }

    @Test
    void emptyInput() {
        LanguageModel m = model();
        assertMentions(assertThrows(IllegalArgumentException.class, () -> m.logits()), "empty input",
                "at least one sequence");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> m.logits(new long[0])), "empty input",
                "sequence 0 has no tokens");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> m.logits(new long[] {1}, new long[0])),
                "empty input", "sequence 1 has no tokens");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> m.generate(List.of(), GenerationConfig.greedy(2))), "empty input");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> m.tokenNll(new TokenBatch(List.of(new long[0]), TokenBatch.Padding.RIGHT))), "empty input");
    }

    @Test
    void textWithoutTokenizer() {
        LanguageModel m = model();
        assumeTrue(m.tokenizer().isEmpty(), "the llama parity fixture has no tokenizer.json");
        GenerationConfig greedy = GenerationConfig.greedy(2);
        List<Supplier<?>> calls = List.of(
                () -> m.generate("hello", greedy),
                () -> m.generateText(List.of("hello"), greedy),
                () -> m.perplexity(List.of("hello"), 16, 1),
                () -> m.generate(List.of(new long[] {1, 2}), greedy.withStopStrings(List.of("."))));
        for (Supplier<?> call : calls) {
            CheckpointException e = assertThrows(CheckpointException.class, call::get);
            assertMentions(e, "tokenizer.json");
            assertEquals(Fixtures.parity(LLAMA), e.file());
        }
    }

    @Test
    void tokenizerFileMissingOrCorrupt(@TempDir Path tmp) throws IOException {
        assertMentions(assertThrows(CheckpointException.class, () -> TextTokenizer.load(tmp)), "tokenizer.json");
        Path bad = Files.writeString(tmp.resolve("tokenizer.json"), "{\"model\": 3");
        assertMentions(assertThrows(CheckpointException.class, () -> TextTokenizer.load(bad)), "tokenizer.json",
                "cannot be read as a Hugging Face tokenizer");
    }

    static Stream<Arguments> badGenerationConfigs() {
        return Stream.<Arguments>of(
                Arguments.of((Supplier<?>) () -> GenerationConfig.greedy(0), new String[] {"max new tokens", ">= 1",
                    "got 0"}),
                Arguments.of((Supplier<?>) () -> GenerationConfig.greedy(4).withSampling(-1, 1, 0),
                        new String[] {"temperature", ">= 0", "got -1.0"}),
                Arguments.of((Supplier<?>) () -> GenerationConfig.greedy(4).withSampling(Double.NaN, 1, 0),
                        new String[] {"temperature", "NaN"}),
                Arguments.of((Supplier<?>) () -> GenerationConfig.greedy(4).withSampling(0.7, 0, 0),
                        new String[] {"top-p", "(0, 1]", "got 0.0"}),
                Arguments.of((Supplier<?>) () -> GenerationConfig.greedy(4).withSampling(0.7, 1.5, 0),
                        new String[] {"top-p", "(0, 1]", "got 1.5"}),
                Arguments.of((Supplier<?>) () -> GenerationConfig.greedy(4).withRepetitionPenalty(0),
                        new String[] {"repetition penalty", "> 0"}),
                Arguments.of((Supplier<?>) () -> GenerationConfig.greedy(4).withStopStrings(List.of("")),
                        new String[] {"stop strings", "empty"}));
    }

    @ParameterizedTest
    @MethodSource("badGenerationConfigs")
    void badGenerationConfig(Supplier<?> make, String[] fragments) {
        assertMentions(assertThrows(IllegalArgumentException.class, make::get), fragments);
    }

    // ---- reading values exactly ----

    static final float[] EXACT = {1.5f, -2.25f, 0.099609375f, 0f, -0f, 256f};

    private static byte[] encode(float[] values, String dtype) {
        ByteBuffer b = ByteBuffer.allocate(values.length * (dtype.equals("F32") ? 4 : 2))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            int bits = Float.floatToIntBits(v);
            switch (dtype) {
                case "F32" -> b.putFloat(v);
                case "BF16" -> {
                    assertEquals(0, bits & 0xFFFF, v + " is exact in bfloat16");
                    b.putShort((short) (bits >>> 16));
                }
                case "F16" -> {
                    int sign = (bits >>> 16) & 0x8000;
                    int exp = (bits >>> 23) & 0xFF;
                    int mantissa = bits & 0x7FFFFF;
                    short half;
                    if (exp == 0) {
                        assertEquals(0, mantissa, "only zero among subnormals");
                        half = (short) sign;
                    } else {
                        int e = exp - 127 + 15;
                        assertTrue(e > 0 && e < 31 && (mantissa & 0x1FFF) == 0, v + " is exact in float16");
                        half = (short) (sign | e << 10 | mantissa >>> 13);
                    }
                    b.putShort(half);
                }
                default -> throw new IllegalArgumentException(dtype);
            }
        }
        return b.array();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"F32", "F16", "BF16"})
    void valuesRoundTripExactly(String dtype, @TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("values.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("row", new Tensor(dtype, new long[] {EXACT.length}, encode(EXACT, dtype)));
        tensors.put("matrix", new Tensor(dtype, new long[] {2, 3}, encode(EXACT, dtype)));
        tensors.put("scalar", new Tensor(dtype, new long[] {}, encode(new float[] {-2.25f}, dtype)));
        writeTensors(file, tensors);
        try (SafetensorsFile f = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager()) {
            assertEquals(dtype, f.entry("row").dtype());
            NDArray row = f.read("row", m, DataType.FLOAT32);
            assertEquals(DataType.FLOAT32, row.getDataType());
            assertArrayEquals(EXACT, row.toFloatArray());
            NDArray matrix = f.read("matrix", m, DataType.FLOAT32);
            assertArrayEquals(new long[] {2, 3}, matrix.getShape().getShape());
            assertArrayEquals(EXACT, matrix.toFloatArray());
            NDArray scalar = f.read("scalar", m, DataType.FLOAT32);
            assertEquals(0, scalar.getShape().dimension());
            assertArrayEquals(new float[] {-2.25f}, scalar.toFloatArray());
            NDArray half = f.read("row", m, DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, half.getDataType());
            assertArrayEquals(EXACT, half.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    /**
     * A tensor larger than {@link SafetensorsFile#WINDOW} is read window by window into one array. The file is sparse
     * (a few rows hold values, the rest is holes), so it costs little disk; reading it needs about 0.6 GB of memory.
     */
    @Test
    void tensorLargerThanTheReadWindow(@TempDir Path tmp) throws IOException {
        int cols = 1 << 20; // 4 MiB per F32 row
        long rowBytes = 4L * cols;
        long rowsPerWindow = SafetensorsFile.WINDOW / rowBytes;
        long rows = rowsPerWindow + 3; // one full window and a partial one
        long bytes = rows * rowBytes;
        String header = "{\"big\": {\"dtype\": \"F32\", \"shape\": [" + rows + ", " + cols
                + "], \"data_offsets\": [0, " + bytes + "]}}";
        StringBuilder h = new StringBuilder(header);
        while (h.length() % 8 != 0) {
            h.append(' ');
        }
        Path file = tmp.resolve("big.safetensors");
        long dataStart = 8 + h.length();
        long[] markedRows = {0, rowsPerWindow - 1, rowsPerWindow, rows - 1};
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer head = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(h.length()).put(h.toString().getBytes(StandardCharsets.US_ASCII));
            f.write(head.array());
            f.setLength(dataStart + bytes);
            for (long r : markedRows) {
                for (int c : new int[] {0, cols - 1}) {
                    f.seek(dataStart + r * rowBytes + 4L * c);
                    f.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(r + c / (float) cols)
                            .array());
                }
            }
        }
        try (SafetensorsFile f = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager()) {
            NDArray big = f.read("big", m, DataType.FLOAT32);
            assertArrayEquals(new long[] {rows, cols}, big.getShape().getShape());
            for (long r : markedRows) {
                assertEquals(r, big.getFloat(r, 0), "row " + r + " column 0");
                assertEquals(r + (cols - 1) / (float) cols, big.getFloat(r, cols - 1), "row " + r + " last column");
                assertEquals(0f, big.getFloat(r, 1), "row " + r + " column 1");
            }
            assertEquals(0f, big.getFloat(1, 0));
            assertEquals(0f, big.getFloat(rowsPerWindow + 1, cols - 1));
            float sum = big.sum().getFloat();
            float expected = 0;
            for (long r : markedRows) {
                expected += r + r + (cols - 1) / (float) cols;
            }
            assertEquals(expected, sum, 1e-3);
        }
    }
}
