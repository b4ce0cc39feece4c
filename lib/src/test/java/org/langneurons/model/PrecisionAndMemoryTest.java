package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.langneurons.Fixtures.assertClose;
import static org.langneurons.Fixtures.longs;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.langneurons.Fixtures;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookName;
import org.langneurons.hooks.HookPoint;

/** FP16 inference, and that forward calls leave nothing behind on the weights' manager. */
class PrecisionAndMemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "bloom"})
    void fp16AgreesWithTheReference(String name) {
        Path dir = Fixtures.parity(name);
        JsonObject ref = Fixtures.json(dir.resolve("reference.json"));
        long[] ids = longs(ref.getAsJsonArray("sequences").get(0).getAsJsonObject().get("ids"));
        try (LanguageModel model = LanguageModel.load(dir, new LoadOptions(Device.cpu(), DataType.FLOAT16))) {
            assertEquals(DataType.FLOAT16, model.dtype());
            float[][] logits = model.logits(ids)[0];
            float[] flat = new float[logits.length * logits[0].length];
            for (int p = 0; p < logits.length; p++) {
                System.arraycopy(logits[p], 0, flat, p * logits[0].length, logits[0].length);
            }
            float[] expected = new float[flat.length];
            var rows = ref.getAsJsonArray("sequences").get(0).getAsJsonObject().getAsJsonArray("logits");
            for (int p = 0; p < rows.size(); p++) {
                float[] row = Fixtures.floats(rows.get(p));
                System.arraycopy(row, 0, expected, p * row.length, row.length);
            }
            // half precision: about 3 decimal digits on logits of magnitude ~5
            assertClose(expected, flat, 3e-2, name + " fp16 logits");
            // every greedy choice of the reference wins by >= 0.15, far above fp16 error
            assertArrayEquals(longs(ref.getAsJsonObject("generation").get("generated_ids")),
                    model.generate(List.of(ids), GenerationConfig.greedy(8).withStopAtEos(false)).tokens().get(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "fp16"})
    void forwardCallsLeaveNothingOnTheWeightsManager(String dtype) throws Exception {
        for (String name : List.of("llama", "bloom")) {
            try (LanguageModel model = LanguageModel.load(Fixtures.parity(name), LoadOptions.parse("cpu", dtype))) {
                long[] ids = {1, 5, 9, 14};
                model.logits(ids); // first call may create lazily cached state
                int before = resources(model.manager());
                try (NDManager m = model.manager().newSubManager();
                        ActivationCache c = ActivationCache.record(model.hooks(), m, HookName.mlpAct(0));
                        HookHandle h = model.hooks().addEveryLayer(HookPoint.MLP_ACT, (n, a, ctx) -> a.mul(1f))) {
                    for (int i = 0; i < 3; i++) {
                        model.logits(ids);
                        model.tokenNll(TokenBatch.of(TokenBatch.Padding.LEFT, ids, new long[] {3, 4}));
                        model.generate(List.of(ids), GenerationConfig.greedy(4).withStopAtEos(false));
                        model.generate(List.of(ids), GenerationConfig.greedy(4).withCache(false));
                        model.generate(List.of(ids), GenerationConfig.greedy(4).withSampling(1, 0.9, 1)
                                .withRepetitionPenalty(1.2));
                    }
                }
                assertEquals(before, resources(model.manager()), name + " " + dtype
                        + ": arrays or sub-managers left on the weights' manager");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static int resources(NDManager manager) throws Exception {
        Field f = BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        return ((Map<String, ?>) f.get(manager)).size();
    }
}
