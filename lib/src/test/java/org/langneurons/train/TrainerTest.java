package org.langneurons.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookName;
import org.langneurons.io.CheckpointException;
import org.langneurons.model.Architecture;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.ModelConfig;
import org.langneurons.model.RopeScaling;
import org.langneurons.model.TokenBatch;

/** The trainer on a tiny model and synthetic languages whose next token is predictable. */
class TrainerTest {
    static final ModelConfig TINY = new ModelConfig(Architecture.LLAMA, 64, 32, 2, 4, 2, 8, 48, 1e-5, 10000,
            RopeScaling.NONE, true, false, 0, 256, 1, List.of(2L));

    /** Two "languages": counting up by 1 through ids 3..32, and by 2 through ids 33..63. */
    static TrainingData data() {
        Map<String, long[]> streams = new LinkedHashMap<>();
        long[] a = new long[600];
        long[] b = new long[600];
        for (int i = 0; i < 600; i++) {
            a[i] = 3 + i % 30;
            b[i] = 33 + (2 * i) % 31;
        }
        streams.put("a", a);
        streams.put("b", b);
        return new TrainingData(streams);
    }

    static TrainingConfig settings(int steps) {
        return TrainingConfig.builder().optSequenceLength(16).optBatchSize(4).optAccumulation(2).optSteps(steps)
                .optLearningRate(1e-2).optMinLearningRate(1e-3).optWarmupSteps(2).optWeightDecay(0.01).optBeta1(0.9)
                .optBeta2(0.95).optClipNorm(1.0).optSeed(7).optEvalEvery(0).optCheckpointEvery(0).build();
    }

    private static Map<String, float[]> snapshot(Trainer t) {
        Map<String, float[]> out = new LinkedHashMap<>();
        t.parameters().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** The parameters after {@code steps} steps trained without interruption in {@code dir}. */
    private static Map<String, float[]> uninterrupted(int steps, Path dir) {
        try (Trainer t = new Trainer(TINY, settings(steps), data(), Map.of(), null, dir)) {
            t.train(line -> { });
            return snapshot(t);
        }
    }

    private static void assertSameParameters(Map<String, float[]> expected, Trainer t) {
        Map<String, float[]> got = snapshot(t);
        expected.forEach((name, values) -> assertArrayEquals(values, got.get(name), name));
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path straight, @TempDir Path interrupted) {
        Map<String, float[]> expected = uninterrupted(8, straight);
        try (Trainer first = new Trainer(TINY, settings(8), data(), Map.of(), null, interrupted)) {
            first.train(line -> { }, 3); // "killed" after 3 steps, its checkpoint written
            assertEquals(3, first.step());
        }
        try (Trainer resumed = new Trainer(TINY, settings(8), data(), Map.of(), null, interrupted)) {
            assertEquals(3, resumed.step(), "resumes from the checkpoint");
            resumed.train(line -> { });
            assertEquals(8, resumed.step());
            assertSameParameters(expected, resumed);
        }
    }

    /**
     * A hook that poisons layer 0's neurons with NaN on the forward calls {@code from} .. {@code to} (1-based; two
     * calls a step, as {@link #settings} accumulates two micro-batches).
     */
    private static HookHandle poison(Trainer t, int from, int to) {
        int[] calls = {0};
        return t.model().hooks().add(HookName.mlpAct(0), (name, act, ctx) -> {
            calls[0]++;
            return calls[0] >= from && calls[0] <= to ? act.mul(Float.NaN) : act;
        });
    }

    @Test
    void aNonFiniteStepIsComputedAgainAndGivesTheUninterruptedResult(@TempDir Path clean, @TempDir Path faulty) {
        Map<String, float[]> expected = uninterrupted(4, clean);
        List<String> lines = new java.util.ArrayList<>();
        try (Trainer t = new Trainer(TINY, settings(4), data(), Map.of(), null, faulty);
                HookHandle h = poison(t, 3, 3)) {   // step 2's first micro-batch, first attempt only
            t.train(lines::add);
            assertEquals(4, t.step());
            assertSameParameters(expected, t);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("step 2: loss NaN")), lines.toString());
    }

    @Test
    void aStepNonFiniteTwiceStopsTheRunWithItsStateCheckpointed(@TempDir Path dir) {
        Map<String, float[]> beforeFault;
        try (Trainer t = new Trainer(TINY, settings(6), data(), Map.of(), null, dir);
                HookHandle h = poison(t, 5, Integer.MAX_VALUE)) {   // every forward from step 3 on
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.train(line -> { }));
            assertTrue(e.getMessage().contains("training step 3 gave loss NaN"), e.getMessage());
            assertEquals(2, t.step());
            beforeFault = snapshot(t);
        }
        try (Trainer resumed = new Trainer(TINY, settings(6), data(), Map.of(), null, dir)) {
            assertEquals(2, resumed.step(), "the two good steps are kept");
            Map<String, float[]> got = snapshot(resumed);
            beforeFault.forEach((name, values) -> {
                assertArrayEquals(values, got.get(name), name);
                for (float v : values) {
                    assertTrue(Float.isFinite(v), name + " holds " + v);
                }
            });
        }
    }

    @Test
    void aStopRequestedDuringAStepCheckpointsThatStepAndTheRunResumesToTheSameResult(@TempDir Path straight,
            @TempDir Path stopped) {
        Map<String, float[]> expected = uninterrupted(6, straight);
        try (Trainer t = new Trainer(TINY, settings(6), data(), Map.of(), null, stopped)) {
            int[] calls = {0};
            try (HookHandle h = t.model().hooks().add(HookName.mlpAct(0), (name, act, ctx) -> {
                if (++calls[0] == 5) {   // during step 3 (two forwards a step), as a Ctrl-C would
                    t.requestStop();
                }
                return act;
            })) {
                t.train(line -> { });
            }
            assertEquals(3, t.step(), "the step in progress finishes");
        }
        // settings(6) checkpoints only at the end: this checkpoint is the stop's
        try (Trainer resumed = new Trainer(TINY, settings(6), data(), Map.of(), null, stopped)) {
            assertEquals(3, resumed.step());
            resumed.train(line -> { });
            assertSameParameters(expected, resumed);
        }
    }

    @Test
    void otherSettingsDoNotResumeSilently(@TempDir Path dir) {
        try (Trainer t = new Trainer(TINY, settings(4), data(), Map.of(), null, dir)) {
            t.train(line -> { }, 2);
        }
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new Trainer(TINY, settings(5), data(), Map.of(), null, dir));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }

    @Test
    void aCheckpointWrittenBeforeTheNewerSettingsExistedStillResumes(@TempDir Path dir) throws Exception {
        try (Trainer t = new Trainer(TINY, settings(4), data(), Map.of(), null, dir)) {
            t.train(line -> { }, 2);
        }
        Path checkpoint = dir.resolve("checkpoint");
        Path stateFile = checkpoint.resolve(Files.readString(checkpoint.resolve("latest")).strip())
                .resolve("state.json");
        JsonObject state = JsonParser.parseString(Files.readString(stateFile)).getAsJsonObject();
        JsonObject stored = state.getAsJsonObject("settings");
        for (String added : List.of("adamEpsilon", "clipEpsilon", "evalChars", "logEvery")) {
            assertTrue(stored.has(added), added);
            stored.remove(added); // as a checkpoint of an earlier version, which had these values built in
        }
        Files.writeString(stateFile, state.toString());
        try (Trainer resumed = new Trainer(TINY, settings(4), data(), Map.of(), null, dir)) {
            assertEquals(2, resumed.step());
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> new Trainer(TINY,
                settings(4).toBuilder().optLogEvery(5).build(), data(), Map.of(), null, dir));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }

    @Test
    void learnsAPredictablePattern(@TempDir Path dir) {
        try (Trainer t = new Trainer(TINY, settings(60), data(), Map.of(), null, dir)) {
            TokenBatch probe = data().batch(99, 0, 0, 8, 16);
            double before = lossOf(t.model(), probe);
            assertEquals(Math.log(64), before, 0.3, "an untrained model is near uniform");
            t.train(line -> { });
            double after = lossOf(t.model(), probe);
            assertTrue(after < 0.5, "loss " + before + " -> " + after);
            JsonObject last = t.log().get(t.log().size() - 1);
            assertEquals(60, last.get("step").getAsInt());
        }
    }

    @Test
    void exportedCheckpointLoadsAndAgrees(@TempDir Path work, @TempDir Path out) {
        try (Trainer t = new Trainer(TINY, settings(3), data(), Map.of(), null, work)) {
            t.train(line -> { });
            t.export(out);
            long[] ids = {3, 4, 5, 6, 7};
            float[] live = t.model().logits(ids)[0][4];
            try (LanguageModel loaded = LanguageModel.load(out)) {
                assertEquals(TINY.layers(), loaded.config().layers());
                assertEquals(TINY.tieEmbeddings(), loaded.config().tieEmbeddings());
                assertArrayEquals(live, loaded.logits(ids)[0][4], 1e-6f);
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifference() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = LlamaParameters.initial(TINY, 3, m);
            params.values().forEach(p -> p.setRequiresGradient(true));
            TokenBatch batch = data().batch(1, 0, 0, 2, 12);
            try (LanguageModel model = LanguageModel.fromWeights(TINY, params, m, null)) {
                String name = "model.layers.1.mlp.gate_proj.weight";
                NDArray w = params.get(name);
                float analytic;
                try (NDManager scope = m.newSubManager();
                        GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(model.loss(batch, scope));
                    analytic = w.getGradient().getFloat(5, 7);
                }
                float original = w.getFloat(5, 7);
                double h = 1e-2;
                w.set(new ai.djl.ndarray.index.NDIndex("5, 7"), (float) (original + h));
                double up = lossOf(model, batch);
                w.set(new ai.djl.ndarray.index.NDIndex("5, 7"), (float) (original - h));
                double down = lossOf(model, batch);
                w.set(new ai.djl.ndarray.index.NDIndex("5, 7"), original);
                assertEquals((up - down) / (2 * h), analytic, 2e-4 + 0.02 * Math.abs(analytic));
                assertTrue(Math.abs(analytic) > 1e-5, "a gradient reaches the MLP");
            }
        }
    }

    private static double lossOf(LanguageModel model, TokenBatch batch) {
        try (NDManager scope = model.manager().newSubManager()) {
            return model.loss(batch, scope).getFloat();
        }
    }
}
