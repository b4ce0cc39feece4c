package org.langneurons.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.langneurons.Fixtures.longs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.langneurons.Fixtures;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/** Reading and replacing activations through hook points, in forward, loss and generation. */
class HooksTest {
    private static final long[] IDS = {1, 283, 108, 148, 198, 86, 511};

    @Test
    void namesAreArchitectureNeutral() {
        assertEquals("blocks.3.mlp.hook_act", HookName.mlpAct(3).toString());
        assertEquals("blocks.0.hook_resid_pre", HookName.residPre(0).toString());
        assertEquals(HookName.mlpGate(7), HookName.parse("blocks.7.mlp.hook_gate"));
        assertEquals(HookName.mlpGate(7), HookName.parse("blocks.7.mlp.gate"));
        assertEquals(HookPoint.RESID_POST, HookPoint.parse("resid_post"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HookPoint.parse("mlp.post"));
        assertTrue(e.getMessage().contains("mlp.act"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HookName.parse("layers.3.mlp.act"));
    }

    @Test
    void hooksComposeInRegistrationOrderAndAreRemovedByTheirHandle() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"));
                NDManager m = model.manager().newSubManager()) {
            float[] baseline = model.logits(IDS)[0][6];
            List<String> order = new ArrayList<>();
            HookName at = HookName.mlpAct(1);
            float[] seenBySecond = new float[1];
            try (HookHandle first = model.hooks().add(at, (n, a, c) -> {
                order.add("first");
                return a.mul(0).add(2f); // every neuron of layer 1 set to 2
            }); HookHandle second = model.hooks().add(at, (n, a, c) -> {
                order.add("second");
                seenBySecond[0] = a.getFloat(0, 3, 17);
                return a.mul(3f); // ... then tripled: 6
            }); ActivationCache cache = ActivationCache.record(model.hooks(), m, at)) {
                model.logits(TokenBatch.of(IDS), m);
                assertEquals(List.of("first", "second"), order);
                assertEquals(2f, seenBySecond[0], "second hook sees the first one's output");
                float[] recorded = cache.get(at).toFloatArray();
                for (float v : recorded) {
                    assertEquals(6f, v, "the cache registered last sees both replacements");
                }
                assertNotEquals(baseline[0], model.logits(IDS)[0][6][0]);
            }
            assertTrue(model.hooks().isEmpty(), "closing the handles removed every hook");
            assertArrayEquals(baseline, model.logits(IDS)[0][6], "and the model is as before");
        }
    }

    @Test
    void zeroingOneNeuronChangesExactlyThatNeuron() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"));
                NDManager m = model.manager().newSubManager()) {
            HookName layer0 = HookName.mlpAct(0);
            float[] before;
            try (ActivationCache cache = ActivationCache.record(model.hooks(), m, layer0)) {
                model.logits(TokenBatch.of(IDS), m);
                before = cache.get(layer0).toFloatArray();
            }
            int neuron = 42;
            Hook zeroOne = (n, a, c) -> {
                NDArray copy = a.duplicate();
                copy.set(new NDIndex(":, :, {}", neuron), 0f);
                return copy;
            };
            try (HookHandle h = model.hooks().add(layer0, zeroOne);
                    ActivationCache cache = ActivationCache.record(model.hooks(), m, layer0)) {
                model.logits(TokenBatch.of(IDS), m);
                float[] after = cache.get(layer0).toFloatArray();
                int width = model.config().neuronsPerLayer();
                for (int i = 0; i < after.length; i++) {
                    assertEquals(i % width == neuron ? 0f : before[i], after[i], "element " + i);
                }
            }
        }
    }

    @Test
    void interventionAppliesToLossAndToEveryGenerationStepWithAndWithoutCache() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            GenerationConfig greedy = GenerationConfig.greedy(8).withStopAtEos(false);
            long[] plain = model.generate(List.of(IDS), greedy).tokens().get(0);
            float[] plainNll = model.tokenNll(TokenBatch.of(IDS))[0];
            Hook off = (n, a, c) -> a.mul(0);
            try (HookHandle h = model.hooks().addEveryLayer(HookPoint.MLP_ACT, off)) {
                long[] cached = model.generate(List.of(IDS), greedy).tokens().get(0);
                long[] uncached = model.generate(List.of(IDS), greedy.withCache(false)).tokens().get(0);
                assertArrayEquals(uncached, cached, "an intervention gives the same tokens with and without cache");
                assertFalse(Arrays.equals(plain, cached), "switching every neuron off changes the output");
                assertFalse(Arrays.equals(plainNll, model.tokenNll(TokenBatch.of(IDS))[0]), "and the loss");
            }
        }
    }

    @Test
    void contextTellsPromptFromGeneratedPositions() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            List<String> calls = new ArrayList<>();
            Hook record = (n, a, c) -> {
                calls.add(c.pastLength() + "/" + c.promptLength() + "/" + c.newPositions() + "/" + c.allGenerated()
                        + "/" + a.getShape().get(1));
                return a;
            };
            long[] shorter = {1, 5};
            try (HookHandle h = model.hooks().add(HookName.mlpAct(1), record)) {
                model.generate(List.of(IDS, shorter), GenerationConfig.greedy(3).withStopAtEos(false));
            }
            assertEquals(List.of("0/7/7/false/7", "7/7/1/true/1", "8/7/1/true/1"), calls);
        }
    }

    @Test
    void paddingIsMaskedInContext() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            long[][] mask = new long[1][];
            Hook record = (n, a, c) -> {
                mask[0] = c.newTokenMask().toLongArray();
                return a;
            };
            try (HookHandle h = model.hooks().add(HookName.mlpAct(0), record);
                    NDManager m = model.manager().newSubManager()) {
                model.logits(TokenBatch.of(TokenBatch.Padding.LEFT, new long[] {1, 2, 3}, new long[] {4}), m);
            }
            assertArrayEquals(new long[] {1, 1, 1, 0, 0, 1}, mask[0]);
        }
    }

    @Test
    void hookReturningWrongShapeIsRejected() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"));
                HookHandle h = model.hooks().add(HookName.mlpAct(0), (n, a, c) -> a.sum())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.logits(IDS));
            assertTrue(e.getMessage().contains("blocks.0.mlp.hook_act"), e.getMessage());
        }
    }

    @Test
    void hookOnAMissingLayerIsRejected() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.hooks().add(HookName.mlpAct(2), (n, a, c) -> a));
            assertTrue(e.getMessage().contains("2 layers"), e.getMessage());
        }
    }

    @Test
    void upAndGateHooksMatchTheirDefinition() {
        // mlp.act = silu(mlp.gate) for the Llama family
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("qwen2"));
                NDManager m = model.manager().newSubManager();
                ActivationCache cache = ActivationCache.record(model.hooks(), m, HookName.mlpGate(1),
                        HookName.mlpAct(1), HookName.mlpUp(1))) {
            model.logits(TokenBatch.of(longs(Fixtures.json(Fixtures.parity("qwen2").resolve("reference.json"))
                    .getAsJsonArray("sequences").get(0).getAsJsonObject().get("ids"))), m);
            float[] gate = cache.get(HookName.mlpGate(1)).toFloatArray();
            float[] act = cache.get(HookName.mlpAct(1)).toFloatArray();
            for (int i = 0; i < gate.length; i++) {
                double silu = gate[i] / (1 + Math.exp(-gate[i]));
                assertEquals(silu, act[i], 1e-5);
                assertEquals(gate[i] > 0, act[i] > 0, "act > 0 exactly when gate > 0");
            }
            assertEquals(gate.length, cache.get(HookName.mlpUp(1)).toFloatArray().length);
        }
    }
}
