package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.langneurons.Fixtures;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookName;

/** The hooks-only forward ({@link LanguageModel#run}) and the model's one-paragraph description. */
class RunTest {
    private static final TokenBatch BATCH = TokenBatch.of(TokenBatch.Padding.LEFT, new long[] {1, 5, 9, 14},
            new long[] {3, 4});

    @ParameterizedTest
    @ValueSource(strings = {"llama", "bloom"})
    void hooksSeeWhatTheySeeInAFullForwardAndNothingIsLeft(String name) throws Exception {
        List<HookName> names = List.of(HookName.mlpAct(0), HookName.residPost(1));
        try (LanguageModel model = LanguageModel.load(Fixtures.parity(name));
                NDManager m = model.manager().newSubManager()) {
            float[][] full = new float[names.size()][];
            try (ActivationCache cache = ActivationCache.record(model.hooks(), m, names)) {
                model.logits(BATCH, m);
                for (int i = 0; i < names.size(); i++) {
                    full[i] = cache.get(names.get(i)).toFloatArray();
                }
            }
            int before = resources(model.manager());
            try (ActivationCache cache = ActivationCache.record(model.hooks(), m, names)) {
                model.run(BATCH);
                for (int i = 0; i < names.size(); i++) {
                    assertArrayEquals(full[i], cache.get(names.get(i)).toFloatArray(), names.get(i).toString());
                }
                // the last block's output is the hidden state lastHiddenState returns
                assertArrayEquals(full[1], model.lastHiddenState(BATCH, m).toFloatArray());
            }
            assertEquals(before, resources(model.manager()), "run left arrays on the model's manager");
            assertThrows(IllegalArgumentException.class, () -> model.run(TokenBatch.of(new long[] {1, 100_000})));
        }
    }

    @Test
    void describeNamesTheCheckpointAndItsSizes() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            // hidden 64, 2 layers of 176 neurons, vocabulary 512; parameters: untied embedding and LM head
            // 2 * 512 * 64, per layer q 64*64, k and v 32*64 each, o 64*64, two norms of 64, gate and up 176*64,
            // down 64*176, and the final norm 64
            long perLayer = 64 * 64 + 2 * 32 * 64 + 64 * 64 + 2 * 64 + 3 * 176 * 64;
            long parameters = 2 * 512 * 64 + 2 * perLayer + 64;
            assertEquals(parameters, model.parameterCount());
            assertEquals(Fixtures.parity("llama") + System.lineSeparator() + "LLAMA: 2 layers x 176 neurons, hidden"
                    + " size 64, vocabulary 512, " + String.format("%,d", parameters) + " parameters, on cpu()",
                    model.describe());
        }
    }

    @SuppressWarnings("unchecked")
    private static int resources(NDManager manager) throws Exception {
        Field f = BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        return ((Map<String, ?>) f.get(manager)).size();
    }
}
