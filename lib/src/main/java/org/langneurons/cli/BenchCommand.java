package org.langneurons.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.langneurons.hooks.Hook;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookPoint;
import org.langneurons.model.GenerationConfig;
import org.langneurons.finetune.ClassificationHead;
import org.langneurons.finetune.FineTuneConfig;
import org.langneurons.finetune.FineTuneTask;
import org.langneurons.finetune.FineTuner;
import org.langneurons.finetune.LoraAdapter;
import org.langneurons.finetune.LoraConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;
import org.langneurons.stats.StatisticsCollector;
import org.langneurons.stats.StatisticsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: tokens per second of a batched forward, of the same forward with a statistics-reading hook on every
 * layer's neurons (counts of activation > 0 and sums, accumulated on the device), of the statistics pass as
 * {@code stats} runs it (counts only, as {@code --percentiles none}, and full: counts, sums, extremes, the seven
 * batch-mean percentiles), and of greedy generation with the KV cache. Prints figures and settings; asserts nothing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Tokens/s of batched forward, forward with a statistics hook on every layer's neurons, and"
                + " greedy generation. Figures only.")
final class BenchCommand implements Runnable, Main.LongRunning {
    @Mixin
    ModelOptions options;

    @Option(names = "--batch", defaultValue = "8", description = "Sequences per forward (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--length", defaultValue = "128", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--new-tokens", defaultValue = "32", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--prompt-length", defaultValue = "16", description = "Generation prompt (default: ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed repeats after one warm-up (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--json", description = "Print the figures as JSON.")
    boolean json;

    @Option(names = "--finetune", description = "Also time fine-tuning steps: LoRA r 8 on q, k, v, o, gate and a"
            + " 4-class head, forward, backward and AdamW on --batch x --length (the peer: bench/peft_finetune.py).")
    boolean finetune;

    @Override
    public void run() {
        if (batch < 1 || length < 2 || newTokens < 1 || promptLength < 1 || repeats < 1) {
            throw new IllegalArgumentException("--batch, --new-tokens, --prompt-length, --repeats must be >= 1,"
                    + " --length >= 2");
        }
        try (LanguageModel model = options.load()) {
            Random random = new Random(42);
            TokenBatch forwardBatch = randomBatch(random, model.config().vocabSize(), batch, length);
            List<long[]> prompts = randomBatch(random, model.config().vocabSize(), batch, promptLength).sequences();

            double forward = tokensPerSecond(batch * length, () -> logits(model, forwardBatch));
            double withStats;
            int layers = model.config().layers();
            try (NDManager stats = model.manager().newSubManager()) {
                NDArray[] positives = new NDArray[layers];
                NDArray[] sums = new NDArray[layers];
                for (int l = 0; l < layers; l++) {
                    positives[l] = stats.zeros(new ai.djl.ndarray.types.Shape(model.config().neuronsPerLayer()),
                            DataType.FLOAT32);
                    sums[l] = positives[l].duplicate();
                }
                Hook accumulate = (name, act, ctx) -> {
                    positives[name.layer()].addi(act.gt(0).toType(DataType.FLOAT32, false).sum(new int[] {0, 1}));
                    sums[name.layer()].addi(act.toType(DataType.FLOAT32, false).sum(new int[] {0, 1}));
                    return act;
                };
                try (HookHandle h = model.hooks().addEveryLayer(HookPoint.MLP_ACT, accumulate)) {
                    withStats = tokensPerSecond(batch * length, () -> logits(model, forwardBatch));
                }
            }
            // the statistics pass itself (the collector, its masking and accumulators), as `stats` runs it
            List<long[]> windows = randomBatch(random, model.config().vocabSize(), batch, length).sequences();
            StatisticsSettings counts = StatisticsSettings.builder().maxLength(length).batchSize(batch)
                    .percentiles().build();
            StatisticsSettings full = counts.toBuilder().percentiles(StatisticsSettings.DEFAULT_PERCENTILES).build();
            double statsCounts = tokensPerSecond(batch * length, () -> StatisticsCollector.collectWindows(model,
                    "bench", windows, counts, null, StatisticsCollector.Progress.NONE));
            double statsFull = tokensPerSecond(batch * length, () -> StatisticsCollector.collectWindows(model,
                    "bench", windows, full, null, StatisticsCollector.Progress.NONE));
            GenerationConfig greedy = GenerationConfig.greedy(newTokens).withStopAtEos(false);
            double generation = tokensPerSecond(batch * newTokens, () -> model.generate(prompts, greedy));

            double finetuneStep = finetune ? tokensPerSecond(batch * length, finetuneStep(model, forwardBatch))
                    : Double.NaN;

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model.directory().toString());
            out.put("device", model.device().toString());
            out.put("dtype", model.dtype().toString().toLowerCase());
            out.put("threads", Runtime.getRuntime().availableProcessors());
            out.put("batch", batch);
            out.put("length", length);
            out.put("prompt_length", promptLength);
            out.put("new_tokens", newTokens);
            out.put("repeats", repeats);
            out.put("forward_tokens_per_s", round(forward));
            out.put("forward_with_neuron_stats_tokens_per_s", round(withStats));
            out.put("statistics_counts_tokens_per_s", round(statsCounts));
            out.put("statistics_full_tokens_per_s", round(statsFull));
            out.put("generation_tokens_per_s", round(generation));
            if (finetune) {
                out.put("finetune_step_tokens_per_s", round(finetuneStep));
            }
            if (json) {
                Json.print(System.out, out);
            } else {
                out.forEach((k, v) -> System.out.printf("%-40s %s%n", k, v));
            }
        }
    }

    /** One fine-tuning step a run: the library's FineTuner on a task of one fixed batch, checkpoints in a temp dir. */
    private Runnable finetuneStep(LanguageModel model, TokenBatch fixed) {
        // both live on sub-managers of the model's, freed with it
        ClassificationHead head = ClassificationHead.create(model, 4, 1);
        LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), null, 1);
        FineTuneTask task = new FineTuneTask() {
            @Override
            public int size() {
                return fixed.size();
            }

            @Override
            public NDArray loss(LanguageModel m, int[] examples, NDManager scope) {
                // mean of the first class's log-probability: any differentiable scalar of the head costs the same
                return head.logits(m, fixed, scope, true).logSoftmax(-1).get(":, 0").mean().neg();
            }

            @Override
            public long tokens(int[] examples) {
                return (long) fixed.size() * fixed.width();
            }

            @Override
            public Map<String, NDArray> trainableTensors() {
                return head.tensors();
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
            public void save(LoraAdapter adapter, java.nio.file.Path dir) {
            }
        };
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("langneurons-bench");
            dir.toFile().deleteOnExit();
            FineTuner tuner = new FineTuner(model, lora, task, FineTuneConfig.builder().optMaxSteps(repeats + 1)
                    .optBatchSize(fixed.size()).optCheckpointEvery(0).build(), dir);
            return () -> tuner.train(line -> { }, 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void logits(LanguageModel model, TokenBatch batch) {
        try (NDManager m = model.manager().newSubManager()) {
            model.logits(batch, m).getFloat(0, 0, 0); // waits for the device
        }
    }

    private double tokensPerSecond(long tokensPerRun, Runnable run) {
        run.run(); // warm-up
        long start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            run.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return tokensPerRun * repeats / seconds;
    }

    private static TokenBatch randomBatch(Random random, int vocab, int n, int length) {
        List<long[]> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] s = new long[length];
            for (int t = 0; t < length; t++) {
                s[t] = random.nextInt(vocab);
            }
            seqs.add(s);
        }
        return new TokenBatch(seqs, TokenBatch.Padding.RIGHT);
    }

    private static double round(double x) {
        return Math.round(x * 10) / 10.0;
    }
}
