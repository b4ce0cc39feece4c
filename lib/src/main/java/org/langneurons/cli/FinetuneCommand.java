package org.langneurons.cli;

import java.nio.file.Path;
import java.util.List;
import org.langneurons.finetune.FineTuneConfig;
import org.langneurons.finetune.FineTuner;
import org.langneurons.finetune.FineTuning;
import org.langneurons.finetune.LoraConfig;
import org.langneurons.finetune.MaskSetup;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code langneurons finetune}: LoRA or neuron-masked LoRA fine-tuning on a task, resumable. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a LoRA (q, k, v, o and gate projections; Mondal et al.) and, for classification, a"
                + " head on a task's English training data. --out DIR receives the adapter in PEFT's layout"
                + " (adapter_config.json, adapter_model.safetensors), the head, neuron_mask.json, task.json,"
                + " best/ (best validation) and checkpoint/ (the same command resumes after a kill).",
            "Tasks: module-classification and heading-extraction (the embedded default's, no files needed), xnli"
                + " (--data DIR with multinli_1.0_train.jsonl, xnli.dev.tsv, xnli.test.tsv), xquad (--data DIR"
                + " with xquad.LANG.json; Mondal et al.'s 80/20 split) and squad-xquad (SQuAD v1.1's"
                + " train-v1.1.json and dev-v1.1.json beside them)."})
final class FinetuneCommand implements Runnable, Main.LongRunning {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions options;

    @Option(names = "--task", required = true, paramLabel = "T", description = "module-classification,"
            + " heading-extraction, xnli, xquad or squad-xquad.")
    String task;

    @Option(names = "--data", paramLabel = "DIR", description = "The task's local files (xnli, xquad).")
    Path data;

    @Option(names = "--train-fraction", paramLabel = "F", description = "Share of the training examples used, the"
            + " first ones in file order (default: 0.25 for xnli as Mondal et al., else 1).")
    Double trainFraction;

    @Option(names = "--train-lang", defaultValue = "en", paramLabel = "L",
            description = "Training (source) language; the tasks' training data is English (default: ${DEFAULT-VALUE}).")
    String trainLang;

    @Option(names = "--target-lang", paramLabel = "L",
            description = "Target language, whose neurons --mask target / both train.")
    String targetLang;

    @Option(names = "--adapter", defaultValue = "lora", paramLabel = "KIND",
            description = "lora (gate LoRA on every neuron) or masked (gate LoRA on --mask's neurons only)"
                    + " (default: ${DEFAULT-VALUE}).")
    String adapter;

    @Option(names = "--mask", paramLabel = "SETUP", description = "With --adapter masked: none (no gate LoRA),"
            + " source, target, both (language-specific neurons of --neurons), random (10 a layer) or all.")
    MaskSetup mask;

    @Option(names = "--neurons", paramLabel = "FILE", description = "neurons.json (from identify) for --mask"
            + " source, target, both.")
    Path neurons;

    @Option(names = "--rank", paramLabel = "R", description = "LoRA rank (default: 8; 64 for QA tasks).")
    Integer rank;

    @Option(names = "--alpha", paramLabel = "A", description = "LoRA alpha (default: 2 x rank).")
    Double alpha;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P", description = "LoRA dropout"
            + " (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--targets", split = ",", paramLabel = "NAMES", description = "Projections to adapt (default:"
            + " q,k,v,o,gate; BLOOM: qkv,o,gate).")
    List<String> targets;

    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default: the task's).")
    Double lr;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the task's).")
    Integer epochs;

    @Option(names = "--max-steps", paramLabel = "N", description = "Steps in all, overriding --epochs.")
    Integer maxSteps;

    @Option(names = "--batch", paramLabel = "N", description = "Examples per micro-batch (default: the task's).")
    Integer batch;

    @Option(names = "--accumulation", paramLabel = "N", description = "Micro-batches per step (default: 1).")
    Integer accumulation;

    @Option(names = "--max-length", paramLabel = "N", description = "Most tokens per input (default: the task's).")
    Integer maxLength;

    @Option(names = "--eval-every", paramLabel = "N", description = "Steps between validations (default: the"
            + " task's).")
    Integer evalEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Steps between checkpoints; a kill loses"
            + " at most these (default: 100; Ctrl-C checkpoints the step in progress).")
    Integer checkpointEvery;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the adapter, head, data order (default: 42).")
    Long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public void run() {
        FineTuning.Plan plan = FineTuning.Plan.of(task);
        plan = plan.withData(data, trainFraction != null ? trainFraction : plan.trainFraction());
        MaskSetup setup = switch (adapter) {
            case "lora" -> {
                if (mask != null && mask != MaskSetup.ALL && mask != MaskSetup.NONE) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--mask " + mask.label()
                            + " needs --adapter masked");
                }
                yield mask == null ? MaskSetup.ALL : mask;
            }
            case "masked" -> {
                if (mask == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--adapter masked needs --mask"
                            + " none|source|target|both|random|all");
                }
                yield mask;
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--adapter must be lora or"
                    + " masked, got " + adapter);
        };
        NeuronSet set = neurons == null ? null : NeuronSet.load(neurons);
        if ((setup == MaskSetup.TARGET || setup == MaskSetup.BOTH) && targetLang == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mask " + setup.label()
                    + " needs --target-lang");
        }
        plan = plan.withMask(setup, set, trainLang, targetLang == null ? trainLang : targetLang);
        LoraConfig lora = plan.lora();
        int r = rank != null ? rank : lora.rank();
        plan = plan.withLora(new LoraConfig(r, alpha != null ? alpha : (rank != null ? 2.0 * r : lora.alpha()),
                dropout, targets != null ? targets : lora.targets()));
        FineTuneConfig.Builder b = plan.settings().toBuilder();
        if (lr != null) {
            b.optLearningRate(lr);
        }
        if (epochs != null) {
            b.optEpochs(epochs);
        }
        if (maxSteps != null) {
            b.optMaxSteps(maxSteps);
        }
        if (batch != null) {
            b.optBatchSize(batch);
        }
        if (accumulation != null) {
            b.optAccumulation(accumulation);
        }
        if (maxLength != null) {
            b.optMaxLength(maxLength);
        }
        if (evalEvery != null) {
            b.optEvalEvery(evalEvery);
        }
        if (seed != null) {
            b.optSeed(seed);
        }
        if (checkpointEvery != null) {
            b.optCheckpointEvery(checkpointEvery);
        }
        plan = plan.withSettings(b.build());
        // Ctrl-C or a kill: the step in progress finishes and is checkpointed before the JVM exits.
        try (StopOnExit exit = new StopOnExit();
                LanguageModel model = options.load();
                FineTuning.Session run = FineTuning.open(model, plan, out)) {
            exit.onRequest(run.tuner()::requestStop);
            System.out.printf("fine-tuning %s: %d steps, %s, %,d trainable LoRA parameters%s%n", task,
                    run.tuner().totalSteps(), setup == MaskSetup.ALL ? "plain LoRA" : "gate mask " + setup.label()
                    + (run.adapter().mask() == null ? "" : " (" + run.adapter().mask().count() + " neurons)"),
                    run.adapter().parameterCount(), run.tuner().step() > 0 ? ", resuming at step "
                    + run.tuner().step() : "");
            FineTuner.Result result = run.train(System.out::println);
            if (!result.finished()) {
                System.out.println("stopped at step " + result.steps() + ", checkpointed in " + out
                        + ": run the same command to resume");
                return;
            }
            System.out.printf("done: best validation %.4f at step %d (adapter in %s, best in %s)%n",
                    result.bestValidation(), result.bestStep(), out, out.resolve("best"));
        }
    }
}
