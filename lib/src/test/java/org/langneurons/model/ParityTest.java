package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.langneurons.Fixtures.assertClose;
import static org.langneurons.Fixtures.floats;
import static org.langneurons.Fixtures.longs;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.Fixtures;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookName;

/**
 * Agreement with what transformers 4.45.2 computes for tiny reference checkpoints: logits, neurons, hidden states,
 * token NLL and greedy generations (../shared/fixtures/parity, and this repo's extra fixtures).
 */
class ParityTest {
    static final double TOLERANCE = 1e-4;

    static Stream<Path> checkpoints() {
        List<Path> dirs = new ArrayList<>(List.of(Fixtures.parity("llama"), Fixtures.parity("qwen2"),
                Fixtures.parity("bloom")));
        for (String extra : new String[] {"fixtures/mistral-headdim", "fixtures/llama31-bf16-sharded"}) {
            if (ParityTest.class.getResource("/" + extra + "/reference.json") != null) {
                dirs.add(Fixtures.resource(extra));
            }
        }
        return dirs.stream();
    }

    private static float[] flatten(JsonArray rows) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (var row : rows) {
            float[] f = row.getAsJsonArray().get(0).isJsonArray() ? flatten(row.getAsJsonArray()) : floats(row);
            parts.add(f);
            n += f.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static float[] flatten(float[][] rows) {
        int n = 0;
        for (float[] r : rows) {
            n += r.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("checkpoints")
    void logitsOfEachSequence(Path dir) {
        JsonObject ref = Fixtures.json(dir.resolve("reference.json"));
        try (LanguageModel model = LanguageModel.load(dir)) {
            for (var seq : ref.getAsJsonArray("sequences")) {
                long[] ids = longs(seq.getAsJsonObject().get("ids"));
                float[][][] logits = model.logits(ids);
                assertClose(flatten(seq.getAsJsonObject().getAsJsonArray("logits")), flatten(logits[0]), TOLERANCE,
                        dir.getFileName() + " logits of " + ids.length + " tokens");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("checkpoints")
    void paddedBatchesEqualSingleSequences(Path dir) {
        JsonObject ref = Fixtures.json(dir.resolve("reference.json"));
        JsonArray seqs = ref.getAsJsonArray("sequences");
        long[] a = longs(seqs.get(0).getAsJsonObject().get("ids"));
        long[] b = longs(seqs.get(1).getAsJsonObject().get("ids"));
        try (LanguageModel model = LanguageModel.load(dir); NDManager m = model.manager().newSubManager()) {
            for (TokenBatch.Padding side : TokenBatch.Padding.values()) {
                TokenBatch batch = TokenBatch.of(side, a, b);
                float[] all = model.logits(batch, m).toFloatArray();
                int v = model.config().vocabSize(), t = batch.width();
                for (int i = 0; i < 2; i++) {
                    long[] ids = i == 0 ? a : b;
                    int from = (i * t + batch.offset(i)) * v;
                    float[] got = java.util.Arrays.copyOfRange(all, from, from + ids.length * v);
                    assertClose(flatten(seqs.get(i).getAsJsonObject().getAsJsonArray("logits")), got, TOLERANCE,
                            dir.getFileName() + " " + side + "-padded sequence " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("checkpoints")
    void neuronsAndHiddenStates(Path dir) {
        JsonObject ref = Fixtures.json(dir.resolve("reference.json"));
        long[] ids = longs(ref.getAsJsonArray("sequences").get(0).getAsJsonObject().get("ids"));
        JsonArray neurons = ref.getAsJsonObject("neurons").getAsJsonArray("values");
        JsonArray hidden = ref.getAsJsonObject("hidden_states").getAsJsonArray("values");
        try (LanguageModel model = LanguageModel.load(dir); NDManager m = model.manager().newSubManager()) {
            int layers = model.config().layers();
            List<HookName> names = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                names.add(HookName.mlpAct(l));
                names.add(HookName.residPre(l));
                names.add(HookName.residPost(l));
            }
            try (ActivationCache cache = ActivationCache.record(model.hooks(), m, names)) {
                model.logits(TokenBatch.of(ids), m);
                for (int l = 0; l < layers; l++) {
                    assertClose(flatten(neurons.get(l).getAsJsonArray()),
                            cache.get(HookName.mlpAct(l)).toFloatArray(), TOLERANCE, "neurons of layer " + l);
                    assertClose(flatten(hidden.get(l).getAsJsonArray()),
                            cache.get(HookName.residPre(l)).toFloatArray(), TOLERANCE, "hidden state into layer " + l);
                    if (l + 1 < layers) {
                        assertClose(flatten(hidden.get(l + 1).getAsJsonArray()),
                                cache.get(HookName.residPost(l)).toFloatArray(), TOLERANCE,
                                "hidden state out of layer " + l);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("checkpoints")
    void tokenNll(Path dir) {
        JsonObject ref = Fixtures.json(dir.resolve("reference.json"));
        long[] ids = longs(ref.getAsJsonArray("sequences").get(1).getAsJsonObject().get("ids"));
        JsonObject nll = ref.getAsJsonObject("nll");
        try (LanguageModel model = LanguageModel.load(dir)) {
            float[] got = model.tokenNll(TokenBatch.of(ids))[0];
            assertEquals(nll.get("num_predicted_tokens").getAsInt(), got.length);
            assertClose(floats(nll.get("per_token_nll")), got, TOLERANCE, "per-token NLL");
            double mean = 0;
            for (float x : got) {
                mean += x / got.length;
            }
            assertEquals(nll.get("mean_nll").getAsDouble(), mean, TOLERANCE);
        }
    }

    @ParameterizedTest
    @MethodSource("checkpoints")
    void greedyGenerationWithAndWithoutCache(Path dir) {
        JsonObject ref = Fixtures.json(dir.resolve("reference.json"));
        long[] prompt = longs(ref.getAsJsonArray("sequences").get(0).getAsJsonObject().get("ids"));
        long[] expected = longs(ref.getAsJsonObject("generation").get("generated_ids"));
        try (LanguageModel model = LanguageModel.load(dir)) {
            GenerationConfig greedy = GenerationConfig.greedy(expected.length).withStopAtEos(false);
            assertArrayEquals(expected, model.generate(List.of(prompt), greedy).tokens().get(0), "cached");
            assertArrayEquals(expected, model.generate(List.of(prompt), greedy.withCache(false)).tokens().get(0),
                    "uncached");
        }
    }
}
