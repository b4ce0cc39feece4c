package org.langneurons.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookName;
import org.langneurons.io.CheckpointException;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * Adapters made by PEFT 0.21 on transformers 5.18 (test resources peft/, see its README.txt) load here and give
 * PEFT's outputs; adapters saved here load back to the same outputs.
 */
class PeftInteropTest {
    private static final Path ROOT = Path.of("src/test/resources/peft");
    private static LanguageModel model;
    private static JsonObject reference;

    @BeforeAll
    static void load() throws IOException {
        model = LanguageModel.load(ROOT.resolve("llama-tiny"));
        reference = JsonParser.parseString(Files.readString(ROOT.resolve("reference.json"))).getAsJsonObject();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static long[][] inputs() {
        JsonArray seqs = reference.getAsJsonObject("inputs").getAsJsonArray("sequences");
        long[][] out = new long[seqs.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray s = seqs.get(i).getAsJsonArray();
            out[i] = new long[s.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = s.get(j).getAsLong();
            }
        }
        return out;
    }

    /** Largest |ours - reference| over the section's per-sequence logits. */
    private static double maxDiff(String section, float[][][] ours) {
        JsonArray seqs = reference.getAsJsonObject(section).getAsJsonArray("sequences");
        double max = 0;
        for (int i = 0; i < seqs.size(); i++) {
            JsonArray rows = seqs.get(i).getAsJsonObject().getAsJsonArray("logits");
            assertEquals(rows.size(), ours[i].length);
            for (int p = 0; p < rows.size(); p++) {
                JsonArray row = rows.get(p).getAsJsonArray();
                for (int v = 0; v < row.size(); v++) {
                    max = Math.max(max, Math.abs(row.get(v).getAsDouble() - ours[i][p][v]));
                }
            }
        }
        return max;
    }

    @Test
    void peftCausalAdapterGivesPeftLogits() {
        assertTrue(maxDiff("base", model.logits(inputs())) < 1e-5, "base model parity");
        try (LoraAdapter lora = LoraAdapter.load(ROOT.resolve("lora-causal"), model)) {
            assertEquals(List.of("q", "k", "v", "o", "gate"), lora.config().targets());
            assertEquals(2.0, lora.config().scaling());
            assertEquals(20, lora.parameters().size());
            lora.attach();
            double diff = maxDiff("lora_causal", model.logits(inputs()));
            assertTrue(diff < 1e-5, "adapter logits differ from PEFT's by " + diff);
            lora.detach();
            assertTrue(maxDiff("base", model.logits(inputs())) < 1e-5, "detached: base again");
        }
    }

    @Test
    void mergedWeightsMatchPeftMergeAndUnload() {
        try (LoraAdapter lora = LoraAdapter.load(ROOT.resolve("lora-causal"), model);
                NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> merged = lora.mergedWeights(m);
            JsonObject ref = reference.getAsJsonObject("merged_causal");
            for (String[] pair : new String[][] {{"model.layers.0.self_attn.q_proj.weight", "layer0_q_proj_weight"},
                    {"model.layers.0.mlp.gate_proj.weight", "layer0_gate_proj_weight"}}) {
                JsonArray values = ref.getAsJsonObject(pair[1]).getAsJsonArray("values");
                float[] ours = merged.get(pair[0]).toFloatArray();
                assertEquals(values.size(), ours.length);
                for (int i = 0; i < ours.length; i++) {
                    assertEquals(values.get(i).getAsDouble(), ours[i], 1e-6, pair[0] + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void mergedCheckpointLoadsAndGivesPeftMergedLogits(@TempDir Path out) {
        try (LoraAdapter lora = LoraAdapter.load(ROOT.resolve("lora-causal"), model)) {
            MergedCheckpoint.write(model, lora, out.resolve("merged"));
        }
        try (LanguageModel merged = LanguageModel.load(out.resolve("merged"))) {
            double diff = maxDiff("merged_causal", merged.logits(inputs()));
            assertTrue(diff < 1e-5, "merged checkpoint logits differ from PEFT's merge_and_unload by " + diff);
        }
    }

    @Test
    void maskedAdapterChangesOnlyItsNeuronsRows() {
        try (LoraAdapter lora = LoraAdapter.load(ROOT.resolve("lora-masked"), model);
                NDManager m = NDManager.newBaseManager()) {
            assertEquals(4, lora.mask().count());
            assertArrayEquals(new int[] {0, 5, 7}, lora.mask().trainable(0));
            lora.attach();
            assertTrue(maxDiff("lora_masked", model.logits(inputs())) < 1e-5);
            lora.detach();
            for (int layer = 0; layer < 2; layer++) {
                float[] base = model.projection(layer, "gate").weight().toFloatArray();
                float[] merged = lora.mergedWeights(m).get("model.layers." + layer + ".mlp.gate_proj.weight")
                        .toFloatArray();
                int in = 32;
                List<Integer> changed = new ArrayList<>();
                for (int row = 0; row < 48; row++) {
                    boolean same = true;
                    for (int c = 0; c < in; c++) {
                        same &= Float.floatToIntBits(base[row * in + c]) == Float.floatToIntBits(merged[row * in + c]);
                    }
                    if (!same) {
                        changed.add(row);
                    }
                }
                assertEquals(layer == 0 ? List.of(0, 5, 7) : List.of(3), changed, "layer " + layer);
            }
        }
    }

    @Test
    void hooksSeeTheAdaptedGateAndFrozenNeuronsBitForBit() {
        HookName gate = HookName.mlpGate(0);
        try (NDManager m = NDManager.newBaseManager();
                LoraAdapter lora = LoraAdapter.load(ROOT.resolve("lora-masked"), model)) {
            float[] base;
            try (ActivationCache cache = ActivationCache.record(model.hooks(), m, gate)) {
                model.run(TokenBatch.of(inputs()[0]));
                base = cache.get(gate).toFloatArray();
            }
            lora.attach();
            float[] adapted;
            try (ActivationCache cache = ActivationCache.record(model.hooks(), m, gate)) {
                model.run(TokenBatch.of(inputs()[0]));
                adapted = cache.get(gate).toFloatArray();
            }
            lora.detach();
            // layer 0's input is the embedding (the adapter is on the gate only): only neurons 0, 5, 7 may move
            List<Integer> moved = new ArrayList<>();
            for (int n = 0; n < 48; n++) {
                for (int p = 0; p < 7; p++) {
                    if (Float.floatToIntBits(base[p * 48 + n]) != Float.floatToIntBits(adapted[p * 48 + n])) {
                        moved.add(n);
                        break;
                    }
                }
            }
            assertEquals(List.of(0, 5, 7), moved);
        }
    }

    @Test
    void sequenceClassificationHeadGivesPeftLogitsWithPaddingOnEitherSide() {
        try (LoraAdapter lora = LoraAdapter.load(ROOT.resolve("lora-seqcls"), model);
                ClassificationHead head = ClassificationHead.load(ROOT.resolve("lora-seqcls"), model);
                NDManager m = NDManager.newBaseManager()) {
            assertEquals(3, head.classes());
            lora.attach();
            JsonArray expected = reference.getAsJsonObject("lora_seqcls").getAsJsonArray("logits");
            for (TokenBatch.Padding side : TokenBatch.Padding.values()) {
                float[] ours = head.logits(model, new TokenBatch(List.of(inputs()), side), m, false).toFloatArray();
                for (int i = 0; i < 2; i++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(expected.get(i).getAsJsonArray().get(c).getAsDouble(), ours[i * 3 + c], 1e-5,
                                side + " padding, sequence " + i + " class " + c);
                    }
                }
            }
        }
    }

    @Test
    void savedAdapterLoadsBackToTheSameOutputs(@TempDir Path dir) throws IOException {
        float[][][] before;
        try (LoraAdapter lora = LoraAdapter.load(ROOT.resolve("lora-masked"), model);
                ClassificationHead head = ClassificationHead.create(model, 3, 5)) {
            lora.attach();
            before = model.logits(inputs());
            lora.save(dir, head.tensors(), "SEQ_CLS", ClassificationHead.modules());
        }
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("adapter_config.json")))
                .getAsJsonObject();
        assertEquals("LORA", config.get("peft_type").getAsString());
        assertEquals(4, config.get("r").getAsInt());
        assertEquals("[\"gate_proj\"]", config.get("target_modules").toString());
        assertTrue(Files.isRegularFile(dir.resolve("neuron_mask.json")));
        try (LoraAdapter again = LoraAdapter.load(dir, model)) {
            assertEquals(GateMask.load(ROOT.resolve("lora-masked/neuron_mask.json")).trainable(0).length,
                    again.mask().trainable(0).length);
            again.attach();
            float[][][] after = model.logits(inputs());
            for (int i = 0; i < before.length; i++) {
                for (int p = 0; p < before[i].length; p++) {
                    assertArrayEquals(before[i][p], after[i][p]);
                }
            }
        }
        assertTrue(ClassificationHead.isSavedIn(dir));
    }

    @Test
    void malformedAdaptersNameTheFileAndField(@TempDir Path dir) throws IOException {
        Files.copy(ROOT.resolve("lora-causal/adapter_model.safetensors"), dir.resolve("adapter_model.safetensors"));
        String good = Files.readString(ROOT.resolve("lora-causal/adapter_config.json"));
        Files.writeString(dir.resolve("adapter_config.json"), good.replace("\"r\": 4", "\"r\": 8"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> LoraAdapter.load(dir, model));
        assertTrue(e.getMessage().contains("adapter_model.safetensors") && e.getMessage().contains("lora_A")
                && e.getMessage().contains("[8, 32]"), e.getMessage());
        Files.writeString(dir.resolve("adapter_config.json"), good.replace("\"q_proj\"", "\"c_attn\""));
        e = assertThrows(CheckpointException.class, () -> LoraAdapter.load(dir, model));
        assertTrue(e.getMessage().contains("adapter_config.json") && e.getMessage().contains("c_attn"),
                e.getMessage());
        // a target the file lacks: PEFT would warn and run without it; we stop
        Files.writeString(dir.resolve("adapter_config.json"), good.replace("\"gate_proj\"", "\"up_proj\""));
        e = assertThrows(CheckpointException.class, () -> LoraAdapter.load(dir, model));
        assertTrue(e.getMessage().contains("up_proj.lora_A.weight' is missing"), e.getMessage());
        Files.writeString(dir.resolve("adapter_config.json"), good.replace("\"LORA\"", "\"IA3\""));
        e = assertThrows(CheckpointException.class, () -> LoraAdapter.load(dir, model));
        assertTrue(e.getMessage().contains("peft_type"), e.getMessage());
        Files.delete(dir.resolve("adapter_config.json"));
        e = assertThrows(CheckpointException.class, () -> LoraAdapter.load(dir, model));
        assertTrue(e.getMessage().contains("adapter_config.json"), e.getMessage());
        assertFalse(ClassificationHead.isSavedIn(ROOT.resolve("lora-causal")));
    }
}
