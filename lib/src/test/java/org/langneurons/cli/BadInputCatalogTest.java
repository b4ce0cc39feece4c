package org.langneurons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.Fixtures;
import org.langneurons.io.TorchArchives;
import org.langneurons.io.TorchArchives.Pickle;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.RecordedTensor;

/**
 * The bad-input catalogue of the command line, one table: each case makes its files in a temporary folder, runs one
 * command in-process and expects an exit status and words on standard error. Status 1 comes with one
 * {@code error:} line naming the culprit and nothing on standard output; no case may crash the JVM (a
 * StackOverflowError or OutOfMemoryError would end the test run, not fail a case). {@code @TMP@} is the folder,
 * {@code @LLAMA@} the tiny llama checkpoint, {@code @MODEL@} a copy of it that the case may break, {@code @EMPTY@} an
 * empty argument.
 */
class BadInputCatalogTest {

    /** Makes a case's files in the temporary folder. */
    @FunctionalInterface
    interface Maker {
        void make(Path tmp) throws IOException;
    }

    private static final Maker NOTHING = tmp -> { };

    /** A fresh copy of the tiny llama checkpoint as @MODEL@ (warnings are given once per checkpoint directory). */
    private static final Maker COPY = BadInputCatalogTest::model;

    private static Arguments bad(String what, Maker make, String command, int exit, String... words) {
        return Arguments.of(what, make, command.split(" "), exit, words);
    }

    // ---- makers ----

    private static final String ST = "model.safetensors";
    private static final String IMPORT = "neurons import --tang-masks @TMP@/x.pth --langs en --neurons-per-layer 5"
            + " --out @TMP@/out.json";
    private static final String GENERATE = "generate --model @LLAMA@ --ids 1,2 --max-new-tokens 1 --neurons "
            + "@TMP@/n.json --deactivate en";

    static Path model(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        try (Stream<Path> files = Files.list(Fixtures.parity("llama"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** Rewrites the checkpoint copy's config.json through {@code edit}. */
    static Maker config(java.util.function.Consumer<JsonObject> edit) {
        return tmp -> {
            Path c = model(tmp).resolve("config.json");
            JsonObject o = Fixtures.json(c);
            edit.accept(o);
            Files.writeString(c, o.toString());
        };
    }

    /** Rewrites the checkpoint copy's safetensors header text (the data bytes stay). */
    static Maker header(java.util.function.UnaryOperator<String> edit) {
        return tmp -> {
            Path file = model(tmp).resolve(ST);
            byte[] all = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            String h = edit.apply(new String(all, 8, (int) n, StandardCharsets.UTF_8).strip());
            byte[] data = Arrays.copyOfRange(all, 8 + (int) n, all.length);
            StringBuilder padded = new StringBuilder(h);
            while (padded.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
                padded.append(' ');
            }
            byte[] hb = padded.toString().getBytes(StandardCharsets.UTF_8);
            Files.write(file, ByteBuffer.allocate(8 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(hb.length).put(hb).put(data).array());
        };
    }

    /** Edits the JSON header of the checkpoint copy's safetensors file. */
    static Maker headerJson(java.util.function.Consumer<JsonObject> edit) {
        return header(h -> {
            JsonObject o = JsonParser.parseString(h).getAsJsonObject();
            edit.accept(o);
            return o.toString();
        });
    }

    static JsonObject entry(JsonObject header, String name) {
        return header.getAsJsonObject(name);
    }

    /** A torch.save archive {@code x.pth} of {@code pickle} and storages. */
    static Maker torch(Pickle pickle, Map<String, byte[]> storages) {
        return tmp -> TorchArchives.write(tmp.resolve("x.pth"), pickle.bytes(), storages);
    }

    /** A mask file [[one LongStorage tensor]] with storage "0" of the given bytes. */
    static Maker maskTensor(long numel, long offset, long[] shape, long[] stride, byte[] storage) {
        return torch(Pickle.masks(p -> p.tensor("LongStorage", "0", numel, offset, shape, stride)),
                Map.of("0", storage));
    }

    private static final String PKL = "archive/data.pkl";
    private static final byte[] ONE_TENSOR = Pickle.masks(p -> p.tensor("LongStorage", "0", 1, 0, new long[] {1},
            new long[] {1})).bytes();

    /** A deflated archive {@code name} whose entry {@code lying} claims {@code declared} bytes. */
    static Maker bomb(String name, Map<String, byte[]> entries, String lying, long declared) {
        return tmp -> TorchArchives.writeDeflatedClaiming(tmp.resolve(name), new java.util.TreeMap<>(entries), lying,
                declared);
    }

    static Maker neuronsJson(String layers, String perLayer, String en) {
        return tmp -> Files.writeString(tmp.resolve("n.json"), "{\"method\": \"hand\", \"settings\": {}, "
                + "\"languages\": [\"en\"], \"layers\": " + layers + ", \"neurons_per_layer\": " + perLayer
                + ", \"neurons\": {\"en\": " + en + "}}");
    }

    /** Statistics of en and fr in @TMP@/stats, alike but for fr's {@code key}={@code value}. */
    static Maker statsDiffering(String key, String value, RecordedTensor frTensor) {
        return tmp -> {
            Path dir = Files.createDirectories(tmp.resolve("stats"));
            Map<String, String> info = new LinkedHashMap<>();
            info.put("tensor", "mlp.act");
            info.put("max_length", "128");
            info.put("model", "/models/llama");
            ActivationStatistics.empty("en", RecordedTensor.ACT, 2, 176, new double[0], info, null, null)
                    .save(dir.resolve("en.safetensors"));
            Map<String, String> fr = new LinkedHashMap<>(info);
            if (key != null) {
                fr.put(key, value);
            }
            ActivationStatistics.empty("fr", frTensor, 2, 176, new double[0], fr, null, null)
                    .save(dir.resolve("fr.safetensors"));
        };
    }

    static Stream<Arguments> catalog() {
        String m = "--model";
        long big = 1L << 32;
        return Stream.of(
                // ---- command-line arguments ----
                bad("missing model directory", NOTHING, "info --model @TMP@/no-such-checkpoint", 1,
                        "no-such-checkpoint", "not a directory"),
                bad("config.json not JSON", tmp -> Files.writeString(model(tmp).resolve("config.json"),
                        "{\"model_type\": \"llama\", \"hidden_"), "info --model @MODEL@", 1, "config.json",
                        "is not valid JSON"),
                bad("unknown model_type", config(c -> c.addProperty("model_type", "gpt2")), "info --model @MODEL@", 1,
                        "config.json", "gpt2", "supported: llama"),
                bad("ids not numbers", NOTHING, "logits --model @LLAMA@ --ids 1,x,3", 1,
                        "--ids 1,x,3", "'x'", "not a token id"),
                bad("empty ids", NOTHING, "logits --model @LLAMA@ --ids @EMPTY@", 1, "empty input", "--ids"),
                bad("id out of range", NOTHING, "logits --model @LLAMA@ --ids 1,512,3", 1,
                        "token id 512", "position 1", "[0, 512)"),
                bad("negative id in activations", NOTHING, "activations --model @LLAMA@ --ids -1,5", 1,
                        "token id -1", "position 0", "[0, 512)"),
                bad("id out of range in generate", NOTHING, "generate --model @LLAMA@ --ids 1,600 --json", 1,
                        "token id 600", "position 1"),
                bad("unsupported dtype", NOTHING, "info --model @LLAMA@ --dtype bf16", 1, "dtype", "'bf16'",
                        "fp32 or fp16"),
                bad("unknown device", NOTHING, "info --model @LLAMA@ --device tpu", 1, "device", "'tpu'",
                        "cpu, gpu or gpu:N"),
                bad("unknown hook point", NOTHING, "activations --model @LLAMA@ --ids 1,2 --hook mlp.nope", 1,
                        "'mlp.nope'", "mlp.act"),
                bad("hook layer out of range", NOTHING, "activations --model @LLAMA@ --ids 1,2 --hook "
                        + "blocks.7.mlp.act", 1, "blocks.7", "2 layers"),
                bad("generate without prompt", NOTHING, "generate --model @LLAMA@", 1, "--prompt", "--ids"),
                bad("negative temperature", NOTHING, "generate --model @LLAMA@ --ids 1,2 --temperature -1", 1,
                        "temperature", "-1.0"),
                bad("top-p out of range", NOTHING, "generate --model @LLAMA@ --ids 1,2 --top-p 1.5", 1,
                        "top-p", "1.5"),
                bad("zero new tokens", NOTHING, "generate --model @LLAMA@ --ids 1,2 --max-new-tokens 0", 1,
                        "max new tokens", "got 0"),
                bad("missing text file", NOTHING, "perplexity --model @LLAMA@ --text-file @TMP@/absent.txt", 1,
                        "absent.txt", "cannot be read"),
                bad("empty text file", tmp -> Files.writeString(tmp.resolve("empty.txt"), "\n  \n"),
                        "perplexity --model @LLAMA@ --text-file @TMP@/empty.txt", 1, "empty.txt", "empty input"),

                // ---- torch.save reader (Tang masks and activation files) ----
                bad("pickle list holding itself", torch(new Pickle().op(']', 'q', 0, 'h', 0, 'a'), Map.of()),
                        IMPORT, 1, "x.pth", "archive/data.pkl", "contains itself"),
                bad("pickle nested 200,000 deep", torch(new Pickle().ops("]".repeat(200_000))
                        .ops("a".repeat(199_999)), Map.of()), IMPORT, 1, "x.pth", "archive/data.pkl",
                        "nested deeper than 1000"),
                bad("pickle sharing one list 2^40 times", torch(billionLaughs(40), Map.of()), IMPORT, 1,
                        "x.pth", "archive/data.pkl", "more than 50000000 values"),
                bad("BINUNICODE of 0x7fffffff bytes", torch(new Pickle().op('X', 0xff, 0xff, 0xff, 0x7f), Map.of()),
                        IMPORT, 1, "x.pth", "archive/data.pkl", "string of 2147483647 bytes"),
                bad("dict key a list", torch(new Pickle().op('}', ']', 'K', 1, 's'), Map.of()), IMPORT, 1,
                        "x.pth", "archive/data.pkl", "dict key a list"),
                bad("APPEND to a tuple", torch(new Pickle().op(')', 'K', 1, 'a'), Map.of()), IMPORT, 1,
                        "x.pth", "archive/data.pkl", "not a list"),
                bad("tensor [2^31 - 2] of stride 0", maskTensor(1, 0, new long[] {(1L << 31) - 2}, new long[] {0},
                        TorchArchives.longs(3)), IMPORT, 1, "x.pth", "archive/data.pkl", "[2147483646]",
                        "too many"),
                bad("tensor [2^32, 2^32]", maskTensor(1, 0, new long[] {big, big}, new long[] {0, 0},
                        TorchArchives.longs(3)), IMPORT, 1, "x.pth", "[4294967296, 4294967296]", "overflows"),
                bad("tensor [2^62, 3]", maskTensor(1, 0, new long[] {1L << 62, 3}, new long[] {3, 1},
                        TorchArchives.longs(3)), IMPORT, 1, "x.pth", "[4611686018427387904, 3]", "overflows"),
                bad("storage of 2^61 bytes", maskTensor(1L << 58, 0, new long[] {1}, new long[] {1},
                        TorchArchives.longs(3)), IMPORT, 1, "x.pth", "archive/data/0", "has 8 bytes",
                        "needs 2305843009213693952"),
                bad("storage of 2^64 bytes", maskTensor(1L << 61, 0, new long[] {1}, new long[] {1},
                        TorchArchives.longs(3)), IMPORT, 1, "x.pth", "archive/data.pkl", "overflows"),
                bad("negative dimension", maskTensor(1, 0, new long[] {-1}, new long[] {1}, TorchArchives.longs(3)),
                        IMPORT, 1, "x.pth", "archive/data.pkl", "negative dimension -1"),
                bad("negative stride", maskTensor(2, 1, new long[] {2}, new long[] {-1}, TorchArchives.longs(3, 4)),
                        IMPORT, 1, "x.pth", "negative stride -1"),
                bad("element past its storage", maskTensor(2, 1, new long[] {2}, new long[] {1},
                        TorchArchives.longs(3, 4)), IMPORT, 1, "x.pth", "storage position 2", "storage of 2"),
                bad("storage entry shorter than its elements", maskTensor(4, 0, new long[] {4}, new long[] {1},
                        TorchArchives.longs(3)), IMPORT, 1, "x.pth", "archive/data/0", "has 8 bytes", "needs 32"),
                bad("data.pkl declaring 2.5 GB (zip bomb)", bomb("x.pth", Map.of(PKL, new byte[1 << 20]), PKL,
                        2_500_000_000L), IMPORT, 1, "x.pth", PKL, "2500000000", "more than a Java array holds"),
                bad("storage inflating past its declared size (zip bomb)", bomb("x.pth", Map.of(PKL, ONE_TENSOR,
                        "archive/data/0", new byte[1 << 20]), "archive/data/0", 8), IMPORT, 1, "x.pth",
                        "archive/data/0", "inflates past the 8 bytes"),
                bad("storage declaring 2.5 GB (zip bomb)", bomb("x.pth", Map.of(PKL, ONE_TENSOR, "archive/data/0",
                        new byte[1 << 20]), "archive/data/0", 2_500_000_000L), IMPORT, 1, "x.pth", "archive/data/0",
                        "declares 2500000000 bytes", "at most 8"),
                bad("activation file that is a zip bomb", bomb("a.pt", Map.of(PKL, new byte[1 << 20]), PKL,
                        2_500_000_000L), "identify --tang-activations @TMP@/a.pt --langs en --out @TMP@/o.json", 1,
                        "a.pt", PKL, "2500000000"),

                // ---- languages ----
                bad("more languages than the mask file holds", NOTHING, "neurons import --tang-masks "
                        + Fixtures.resource("fixtures/tang/masks.pth") + " --langs en,fr,zh --neurons-per-layer 5"
                        + " --out @TMP@/o.json", 1, "masks.pth", "2 languages' neurons but 3 languages",
                        "--trailing-empty"),

                // ---- neurons.json ----
                bad("neuron index 2^32 + 5", neuronsJson("2", "176", "[[" + (big + 5) + "], []]"), GENERATE, 1,
                        "n.json", "neurons.en[0][0]", "4294967301", "outside [0, 176)"),
                bad("neuron index 2^40", neuronsJson("2", "176", "[[" + (1L << 40) + "], []]"), GENERATE, 1,
                        "n.json", "neurons.en[0][0]", "1099511627776"),
                bad("neuron index 3.7", neuronsJson("2", "176", "[[3.7], []]"), GENERATE, 1, "n.json",
                        "neurons.en[0][0]", "3.7", "expected an integer"),
                bad("neuron index 1e2", neuronsJson("2", "176", "[[1e2], []]"), "neurons show @TMP@/n.json", 1,
                        "n.json", "neurons.en[0][0]", "expected an integer"),
                bad("neurons_per_layer of another model", neuronsJson("2", "11008", "[[3], []]"), GENERATE, 1,
                        "n.json", "2 layers x 11008 neurons", "2 x 176", "another model"),
                bad("layers of another model", neuronsJson("3", "176", "[[3], [], []]"), GENERATE, 1,
                        "n.json", "3 layers x 176", "2 x 176"),
                bad("neurons_per_layer 10^12", neuronsJson("2", "1000000000000", "[[3], []]"),
                        "neurons show @TMP@/n.json", 1, "n.json", "neurons_per_layer", "1000000000000"),
                bad("layers a string", neuronsJson("\"2\"", "176", "[[3], []]"), "neurons show @TMP@/n.json", 1,
                        "n.json", "field layers", "expected an integer"),
                bad("fewer layers listed than layers", neuronsJson("2", "176", "[[3]]"), "neurons show @TMP@/n.json",
                        1, "n.json", "neurons.en has 1 layers", "says 2"),
                bad("neurons.json key twice", tmp -> Files.writeString(tmp.resolve("n.json"), "{\"method\": \"a\", "
                        + "\"method\": \"b\"}"), "neurons show @TMP@/n.json", 1, "n.json", "'method' appears twice"),
                bad("neurons.json not JSON", tmp -> Files.writeString(tmp.resolve("n.json"), "{\"method\": hand"),
                        "neurons show @TMP@/n.json", 1, "n.json", "not valid JSON"),

                // ---- statistics folders ----
                bad("statistics of another window length", statsDiffering("max_length", "64", RecordedTensor.ACT),
                        "identify --stats @TMP@/stats --langs en,fr --out @TMP@/o.json", 1, "stats", "fr.safetensors",
                        "max_length=64", "max_length=128", "not one collection"),
                bad("statistics of another model", statsDiffering("model", "/models/qwen", RecordedTensor.ACT),
                        "identify --stats @TMP@/stats --langs en,fr --out @TMP@/o.json", 1, "model=/models/qwen",
                        "model=/models/llama"),
                bad("statistics of another tensor", statsDiffering(null, null, RecordedTensor.values()[1]),
                        "identify --stats @TMP@/stats --langs en,fr --out @TMP@/o.json", 1, "statistics of fr record",
                        "not one collection"),
                bad("statistics recording a setting the other lacks", statsDiffering("convention", "x",
                        RecordedTensor.ACT), "identify --stats @TMP@/stats --langs en,fr --out @TMP@/o.json", 1,
                        "convention=x", "convention=(not recorded)"),

                // ---- generation ----
                bad("max new tokens 2^31 - 1 past the context (a warning)", COPY, "generate --model @MODEL@ "
                        + "--ids 1,2 --max-new-tokens 2147483647 --ignore-eos --json", 0, "warning:",
                        "context of 128 positions", "max_position_embeddings", "generation stops at 128 positions",
                        "126 new tokens"),
                bad("prompt filling the context (a warning)", COPY, "generate --model @MODEL@ --ids "
                        + "1,".repeat(127) + "1 --max-new-tokens 2", 0, "warning:", "prompt of 128 tokens already "
                        + "fills it"),
                bad("tokenizer.json not a tokenizer", tmp -> Files.writeString(model(tmp).resolve("tokenizer.json"),
                        "{\"model\": {\"type\": \"Unigram\", \"vocab\": 7}}"), "generate --model @MODEL@ --prompt hi",
                        1, "tokenizer.json", "cannot be read as a Hugging Face tokenizer"),

                // ---- checkpoints of resumable runs ----
                bad("checkpoint of another command", tmp -> Files.writeString(Files.createDirectories(
                        tmp.resolve("ck")).resolve("settings.json"), "{\"--value\": \"mean\"}"),
                        "evaluate --model @LLAMA@ --max-chars 100 --checkpoint @TMP@/ck", 1, "ck", "another command",
                        "delete"),
                bad("checkpoint settings not JSON", tmp -> Files.writeString(Files.createDirectories(
                        tmp.resolve("ck")).resolve("settings.json"), "{\"--value\": "),
                        "evaluate --model @LLAMA@ --max-chars 100 --checkpoint @TMP@/ck", 1, "settings.json",
                        "not JSON"),

                // ---- safetensors ----
                bad("overlapping tensor bytes", headerJson(h -> entry(h, "model.norm.weight").add("data_offsets",
                        offsetsOf(h, "lm_head.weight", 256))), "info --model @MODEL@", 1, ST, "overlap",
                        "'model.norm.weight'"),
                bad("fractional dimension 512.5", header(h -> h.replace("\"shape\":[512,64]", "\"shape\":[512.5,64]")),
                        "info --model @MODEL@", 1, ST, "shape[0]", "512.5", "expected an integer"),
                bad("dimension 2^64", header(h -> h.replace("\"shape\":[512,64]",
                        "\"shape\":[18446744073709551616,64]")), "info --model @MODEL@", 1, ST, "18446744073709551616"),
                bad("non-string metadata", headerJson(h -> h.getAsJsonObject("__metadata__").addProperty("step", 5)),
                        "info --model @MODEL@", 1, ST, "__metadata__ field 'step'", "expected a string"),
                bad("duplicate tensor name", header(h -> h.replaceFirst("\\{", "{\"model.norm.weight\": "
                        + "{\"dtype\": \"F32\", \"shape\": [64], \"data_offsets\": [0, 256]}, ")),
                        "info --model @MODEL@", 1, ST, "'model.norm.weight' appears twice"),
                bad("header not JSON", header(h -> "{\"a\": nope}"), "info --model @MODEL@", 1, ST,
                        "header is not valid JSON"),
                bad("NaN weights (a warning)", tmp -> {
                    Path file = model(tmp).resolve(ST);
                    JsonObject h = headerOf(file);
                    long at = dataStart(file) + h.getAsJsonObject("model.norm.weight").getAsJsonArray("data_offsets")
                            .get(0).getAsLong();
                    try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                        f.seek(at + 4);
                        f.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).array());
                    }
                }, "info --model @MODEL@", 0, "warning:", ST, "'model.norm.weight'", "1 NaN value"));
    }

    /** {@code [[..[[x, x], [x, x]]..]]} nested {@code depth} times: a few bytes, 2^depth leaves. */
    static Pickle billionLaughs(int depth) {
        Pickle p = new Pickle().op(']', 'q', 0);
        for (int d = 1; d <= depth; d++) {
            p.op(']', 'h', d - 1, 'h', d - 1, 0x86, 'a', 'q', d);    // stack: [.., [(prev, prev)]]
        }
        return p;
    }

    static JsonObject headerOf(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return JsonParser.parseString(new String(all, 8, (int) n, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    static long dataStart(Path file) throws IOException {
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, 8);
        }
        return 8 + ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The first {@code bytes} bytes of {@code name}'s data range. */
    static JsonArray offsetsOf(JsonObject header, String name, int bytes) {
        long begin = header.getAsJsonObject(name).getAsJsonArray("data_offsets").get(0).getAsLong();
        JsonArray a = new JsonArray();
        a.add(begin);
        a.add(begin + bytes);
        return a;
    }

    /** A Unigram tokenizer.json lists its vocabulary as [token, score] pairs in id order (not token: id). */
    @org.junit.jupiter.api.Test
    void unigramVocabularySize(@TempDir Path tmp) throws IOException {
        Path unigram = Files.writeString(tmp.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Unigram\", "
                + "\"unk_id\": 0, \"vocab\": [[\"<unk>\", 0.0], [\"a\", -1.0], [\"b\", -1.5]]}, \"added_tokens\": "
                + "[{\"id\": 3, \"content\": \"<s>\"}]}");
        assertEquals(4, TrainCommand.vocabSize(unigram));
        Path bpe = Files.writeString(tmp.resolve("bpe.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": "
                + "{\"a\": 0, \"b\": 7}}, \"added_tokens\": []}");
        assertEquals(8, TrainCommand.vocabSize(bpe));
        Path odd = Files.writeString(tmp.resolve("odd.json"), "{\"model\": {\"type\": \"X\", \"vocab\": 7}}");
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.langneurons.io.CheckpointException.class,
                () -> TrainCommand.vocabSize(odd));
        assertTrue(e.getMessage().contains("odd.json") && e.getMessage().contains("model.vocab"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void badInput(String what, Maker make, String[] command, int exit, String[] words, @TempDir Path tmp)
            throws IOException {
        make.make(tmp);
        String[] args = command.clone();
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].replace("@LLAMA@", Fixtures.parity("llama").toString())
                    .replace("@MODEL@", tmp.resolve("model").toString()).replace("@TMP@", tmp.toString())
                    .replace("@EMPTY@", "");
        }
        CliTest.Result r = CliTest.run(args);
        assertEquals(exit, r.status(), what + ": " + r);
        String err = r.err();
        for (String w : words) {
            assertTrue(err.contains(w), what + ": stderr should name '" + w + "': " + r);
        }
        assertFalse(err.contains("\tat ") || err.contains("Exception") || err.contains("Error:"),
                what + ": no stack trace nor exception class on stderr: " + r);
        assertFalse(err.contains("LENIENT") || err.contains("setLenient"), what + ": no Gson advice: " + r);
        if (exit == 1) {
            assertTrue(err.startsWith("error: "), what + ": " + r);
            assertEquals(1, err.lines().filter(l -> l.startsWith("error:")).count(), what + ": one error line: " + r);
            assertEquals("", r.out(), what + ": nothing on stdout: " + r);
        }
    }
}
