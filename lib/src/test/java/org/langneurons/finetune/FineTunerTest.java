package org.langneurons.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.io.CheckpointException;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;
import org.langneurons.tasks.ClassificationExample;
import org.langneurons.tasks.QaExample;

/** Fine-tuning the embedded default on tiny tasks: masks hold bit for bit, resume is exact, the model learns. */
class FineTunerTest {
    private static LanguageModel model;
    private static TaskEncoder encoder;

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
        encoder = new TaskEncoder(model.tokenizer().orElseThrow(), 2, 64, TaskEncoder.INSTRUCTION_PROMPT);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Label 1 when the text speaks of the spreadsheet, 0 of the text document: separable by one word. */
    private static List<ClassificationExample> toyTask(int n) {
        String[] subjects = {"cells", "rows", "columns", "sheets", "formulas", "charts", "pages", "tables"};
        List<ClassificationExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            String where = label == 1 ? "spreadsheet" : "text document";
            out.add(new ClassificationExample("toy:" + i, "en", "Select the " + subjects[i % subjects.length]
                    + " of the " + where + " and click OK.", null, label));
        }
        return out;
    }

    private static FineTuneConfig fast(int steps) {
        return FineTuneConfig.builder().optLearningRate(5e-3).optMaxSteps(steps).optBatchSize(4)
                .optWarmupRatio(0.1).optCheckpointEvery(0).optLogEvery(1000).optSeed(3).build();
    }

    private static Map<String, float[]> snapshot(Map<String, NDArray> tensors) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    @Test
    void learningRateFollowsTransformersLinearScheduleWithWarmup() {
        FineTuneConfig c = FineTuneConfig.builder().optLearningRate(1e-3).optWarmupRatio(0.1).build();
        // 100 steps: ceil(10) warm-up steps; lr(s) = 1e-3 * s / 10, then 1e-3 * (100 - s) / 90
        assertEquals(10, c.warmupSteps(100));
        assertEquals(0.0, c.learningRate(0, 100));
        assertEquals(5e-4, c.learningRate(5, 100), 1e-15);
        assertEquals(1e-3, c.learningRate(10, 100), 1e-15);
        assertEquals(1e-3 * 45 / 90, c.learningRate(55, 100), 1e-15);
        assertEquals(1e-3 / 90, c.learningRate(99, 100), 1e-15);
        // Mondal's 1% of 4 steps rounds up to one warm-up step
        assertEquals(1, FineTuneConfig.mondalXnli().warmupSteps(4));
        assertEquals(8, FineTuneConfig.builder().optBatchSize(4).optEpochs(2).build().steps(13));  // 2 x ceil(13/4)
        assertEquals(4, FineTuneConfig.builder().optBatchSize(4).optEpochs(2).optAccumulation(2).build().steps(13));
    }

    @Test
    void answerOnlyLossIsTheMeanNllOfTheAnswerTokens() {
        long[] a = {1, 40, 41, 42, 7, 8, 2};
        long[] b = {1, 50, 51, 9, 2};
        float[][] nll = model.tokenNll(TokenBatch.of(a, b));
        // targets from index 4 of a (tokens 7 8 2: nll entries 3..5) and 3 of b (9 2: entries 2..3)
        double expected = (nll[0][3] + nll[0][4] + nll[0][5] + nll[1][2] + nll[1][3]) / 5;
        try (NDManager scope = model.manager().newSubManager()) {
            for (TokenBatch.Padding side : TokenBatch.Padding.values()) {
                float loss = model.loss(new TokenBatch(List.of(a, b), side), new int[] {4, 3}, scope).getFloat();
                assertEquals(expected, loss, 1e-5, side.toString());
            }
            assertThrows(IllegalArgumentException.class,
                    () -> model.loss(TokenBatch.of(a, b), new int[] {7, 3}, scope));
        }
    }

    @Test
    void maskedGateLoraLeavesEveryFrozenNeuronBitForBit(@TempDir Path dir) {
        int layers = model.config().layers();
        int neurons = model.config().intermediateSize();
        GateMask mask = GateMask.random(layers, neurons, 5, 11);
        Map<String, float[]> base = new java.util.LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            for (String p : model.config().architecture().projectionNames()) {
                base.put(l + p, model.projection(l, p).weight().toFloatArray());
            }
        }
        try (LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), mask, 1);
                ClassificationHead head = ClassificationHead.create(model, 2, 1);
                NDManager m = NDManager.newBaseManager()) {
            FineTuneTask task = new ClassificationTraining(encoder, head, toyTask(16), List.of());
            new FineTuner(model, lora, task, fast(3), dir).train(s -> { });
            int d = model.config().hiddenSize();
            for (int l = 0; l < layers; l++) {
                float[] merged = lora.mergedWeights(m).get("model.layers." + l + ".mlp.gate_proj.weight")
                        .toFloatArray();
                float[] b = lora.parameters().get(lora.key(l, "gate", "lora_B")).toFloatArray();
                java.util.Set<Integer> trainable = new java.util.HashSet<>();
                for (int n : mask.trainable(l)) {
                    trainable.add(n);
                }
                int changed = 0;
                for (int n = 0; n < neurons; n++) {
                    boolean same = true;
                    for (int c = 0; c < d; c++) {
                        same &= Float.floatToIntBits(merged[n * d + c]) == Float.floatToIntBits(base.get(l + "gate")[
                                n * d + c]);
                    }
                    if (!trainable.contains(n)) {
                        assertTrue(same, "frozen neuron " + n + " of layer " + l + " changed");
                        for (int r = 0; r < 8; r++) {
                            assertEquals(0, Float.floatToIntBits(b[n * 8 + r]), "B row of frozen neuron " + n);
                        }
                    } else if (!same) {
                        changed++;
                    }
                }
                assertTrue(changed > 0, "no trainable neuron of layer " + l + " moved");
            }
            // the base weights got no gradient and no update
            for (int l = 0; l < layers; l++) {
                for (String p : model.config().architecture().projectionNames()) {
                    assertArrayEquals(base.get(l + p), model.projection(l, p).weight().toFloatArray(), l + p);
                    assertFalse(model.projection(l, p).weight().hasGradient(), l + p);
                }
            }
        }
    }

    @Test
    void aResumedRunEndsBitForBitWhereAnUnbrokenOneDoes(@TempDir Path dir) {
        Map<String, float[]> unbroken;
        try (LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), null, 5);
                ClassificationHead head = ClassificationHead.create(model, 2, 5)) {
            FineTuneTask task = new ClassificationTraining(encoder, head, toyTask(12), toyTask(6));
            new FineTuner(model, lora, task, fast(6), dir.resolve("a")).train(s -> { });
            unbroken = snapshot(lora.parameters());
            unbroken.putAll(snapshot(head.tensors()));
        }
        try (LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), null, 5);
                ClassificationHead head = ClassificationHead.create(model, 2, 5)) {
            FineTuneTask task = new ClassificationTraining(encoder, head, toyTask(12), toyTask(6));
            FineTuner.Result r = new FineTuner(model, lora, task, fast(6), dir.resolve("b")).train(s -> { }, 4);
            assertFalse(r.finished());
            assertFalse(Files.exists(dir.resolve("b/adapter_config.json")));
        }
        try (LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), null, 5);
                ClassificationHead head = ClassificationHead.create(model, 2, 5)) {
            FineTuneTask task = new ClassificationTraining(encoder, head, toyTask(12), toyTask(6));
            FineTuner resumed = new FineTuner(model, lora, task, fast(6), dir.resolve("b"));
            assertEquals(4, resumed.step());
            assertTrue(resumed.train(s -> { }).finished());
            Map<String, float[]> after = snapshot(lora.parameters());
            after.putAll(snapshot(head.tensors()));
            unbroken.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
            // other settings in the same directory: refused, nothing overwritten
            FineTuneConfig other = fast(6).toBuilder().optLearningRate(1e-2).build();
            assertThrows(CheckpointException.class, () -> new FineTuner(model, lora, task, other, dir.resolve("b")));
        }
        assertTrue(Files.isRegularFile(dir.resolve("b/adapter_config.json")));
        assertTrue(Files.isRegularFile(dir.resolve("b/best/adapter_model.safetensors")));
    }

    @Test
    void theHeadAndAdapterLearnASeparableTask(@TempDir Path dir) {
        try (LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), null, 2);
                ClassificationHead head = ClassificationHead.create(model, 2, 2)) {
            List<ClassificationExample> train = toyTask(32);
            ClassificationTraining task = new ClassificationTraining(encoder, head, train, toyTask(16));
            FineTuner.Result r = new FineTuner(model, lora, task, fast(24), dir).train(s -> { });
            assertEquals(1.0, r.bestValidation(), "validation accuracy " + r.bestValidation());
            // the saved adapter and head reproduce the predictions
            int[] before = ClassificationTraining.predict(model, head, encoder, train, 8);
            lora.detach();
            try (LoraAdapter again = LoraAdapter.load(dir, model);
                    ClassificationHead h = ClassificationHead.load(dir, model)) {
                again.attach();
                assertArrayEquals(before, ClassificationTraining.predict(model, h, encoder, train, 8));
            }
        }
    }

    @Test
    void generativeTrainingLowersTheAnswerLoss(@TempDir Path dir) {
        List<QaExample> qa = new ArrayList<>();
        String[] words = {"Writer", "Calc", "Impress", "Draw", "Math", "Base"};
        for (int i = 0; i < 12; i++) {
            String w = words[i % words.length];
            String context = "The module is " + w + ". It opens documents.";
            qa.add(new QaExample("q" + i, "en", context, "Which module?", List.of(w),
                    List.of(context.indexOf(w))));
        }
        try (LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), null, 4)) {
            GenerativeTraining task = new GenerativeTraining(encoder, qa, qa.subList(0, 3), 8);
            double before;
            try (NDManager scope = model.manager().newSubManager()) {
                before = task.loss(model, new int[] {0, 1, 2, 3, 4, 5}, scope).getFloat();
            }
            FineTuner.Result r = new FineTuner(model, lora, task, fast(20), dir).train(s -> { });
            double after;
            try (NDManager scope = model.manager().newSubManager()) {
                lora.attach();
                after = task.loss(model, new int[] {0, 1, 2, 3, 4, 5}, scope).getFloat();
            }
            assertTrue(after < before / 2, "answer loss " + before + " -> " + after);
            assertTrue(r.finished());
            GenerativeTraining.Answers answers = GenerativeTraining.answer(model, encoder, qa.subList(0, 2), 8, 2);
            assertEquals(2, answers.texts().size());
            lora.detach();
        }
    }

    /** Next-token loss on fixed id sequences: a task without a tokenizer. */
    private record IdsTask(List<long[]> sequences) implements FineTuneTask {
        @Override
        public int size() {
            return sequences.size();
        }

        @Override
        public NDArray loss(LanguageModel m, int[] examples, NDManager scope) {
            return m.loss(new TokenBatch(java.util.Arrays.stream(examples).mapToObj(sequences::get).toList(),
                    TokenBatch.Padding.RIGHT), scope);
        }

        @Override
        public long tokens(int[] examples) {
            return examples.length * 8L;
        }

        @Override
        public Map<String, NDArray> trainableTensors() {
            return Map.of();
        }

        @Override
        public double validate(LanguageModel m) {
            return 0;
        }

        @Override
        public String metric() {
            return "none";
        }

        @Override
        public void save(LoraAdapter adapter, Path dir) {
            adapter.save(dir, Map.of(), "CAUSAL_LM", List.of());
        }
    }

    @Test
    void aHalfPrecisionModelIsRefusedWithTheReason(@TempDir Path dir) {
        Path tiny = Path.of("src/test/resources/peft/llama-tiny");
        try (LanguageModel half = LanguageModel.load(tiny, org.langneurons.model.LoadOptions.parse("cpu", "fp16"));
                LoraAdapter lora = LoraAdapter.create(half, new LoraConfig(4, 8, 0, List.of("q", "v")), null, 1)) {
            IdsTask task = new IdsTask(List.of(new long[] {1, 5, 9, 13}));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FineTuner(half, lora, task, fast(2), dir));
            assertTrue(e.getMessage().contains("fp32"), e.getMessage());
        }
    }
}
