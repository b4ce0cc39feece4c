package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookName;
import org.langneurons.hooks.HookPoint;

/**
 * {@link LanguageModel#tokenNll(TokenBatch, List)}: several hook settings on one batch, sharing the blocks below
 * each one's first hooked layer, give bit for bit what separate forwards give.
 */
class SharedPrefixTest {
    static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Sets neuron {@code neuron} of {@code layer} to {@code value} at every position. */
    private static Supplier<HookHandle> set(int layer, int neuron, float value) {
        return () -> model.hooks().add(HookName.mlpAct(layer), (name, act, ctx) -> {
            act.set(new ai.djl.ndarray.index.NDIndex(":, :, {}", neuron), value);
            return act;
        });
    }

    @Test
    void variantsEqualSeparateForwardsExactly() {
        TokenBatch batch = new TokenBatch(List.of(new long[] {5, 17, 300, 42, 9, 8, 1000},
                new long[] {7, 12, 13}), TokenBatch.Padding.RIGHT);
        List<Supplier<HookHandle>> variants = List.of(set(3, 5, 4f), () -> () -> { }, set(0, 1, -2f),
                set(2, 9, 10f), set(3, 600, 0f));
        // a reading hook registered before the call: it runs in the shared blocks and in each variant's own
        AtomicInteger layer1Calls = new AtomicInteger();
        try (HookHandle reading = model.hooks().add(HookName.mlpAct(1), (name, act, ctx) -> {
            layer1Calls.incrementAndGet();
            return act;
        })) {
            List<float[][]> shared = model.tokenNll(batch, variants);
            assertEquals(1 + 1, layer1Calls.get(), "once shared, once in the layer-0 variant's own blocks");
            assertEquals(variants.size(), shared.size());
            for (int v = 0; v < variants.size(); v++) {
                try (HookHandle h = variants.get(v).get()) {
                    float[][] alone = model.tokenNll(batch);
                    for (int i = 0; i < alone.length; i++) {
                        assertArrayEquals(alone[i], shared.get(v)[i], 0f, "variant " + v + ", sequence " + i);
                    }
                }
            }
        }
        assertFalse(java.util.Arrays.equals(model.tokenNll(batch)[0], model.tokenNll(batch, List.of(set(3, 5, 40f)))
                .get(0)[0]), "an intervention changes the NLL");
        assertTrue(model.hooks().isEmpty(), "every variant's hooks are removed");
    }

    @Test
    void theFirstLayerAVariantChangesIsFoundFromTheRegistry() {
        Map<HookName, Integer> before = model.hooks().counts();
        try (HookHandle a = model.hooks().add(HookName.mlpAct(2), (n, x, c) -> x)) {
            assertEquals(2, model.hooks().firstLayerAddedSince(before));
            Map<HookName, Integer> withA = model.hooks().counts();
            assertEquals(model.config().layers(), model.hooks().firstLayerAddedSince(withA), "nothing added");
            try (HookHandle b = model.hooks().add(HookName.mlpAct(2), (n, x, c) -> x);
                    HookHandle c = model.hooks().add(new HookName(3, HookPoint.RESID_POST), (n, x, ctx) -> x)) {
                assertEquals(2, model.hooks().firstLayerAddedSince(withA), "a second hook at a hooked name counts");
            }
        }
    }
}
