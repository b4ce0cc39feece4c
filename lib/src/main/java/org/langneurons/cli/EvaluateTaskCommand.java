package org.langneurons.cli;

import java.nio.file.Path;
import java.util.List;
import org.langneurons.finetune.FineTuning;
import org.langneurons.finetune.TaskEvaluation;
import org.langneurons.model.LanguageModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code langneurons evaluate-task}: per-language test scores of a fine-tuned adapter. */
@Command(name = "evaluate-task", mixinStandardHelpOptions = true,
        description = "Score a model with an adapter of 'finetune' on the test sets of the task it was trained for,"
                + " language by language: accuracy (classification); exact match and F1 as SQuAD's script and as"
                + " Mondal et al.'s token-id code compute them (QA). Interventions (--intervene, --deactivate, --activate"
                + " with --neurons) apply during the evaluation: the test-time interventions of Mondal et al.")
final class EvaluateTaskCommand implements Runnable, Main.LongRunning {
    @Mixin
    ModelOptions options;

    @Mixin
    InterventionOptions interventions;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "An output directory of"
            + " finetune (adapter, head, task.json).")
    Path adapter;

    @Option(names = "--data", paramLabel = "DIR", description = "The task's local files (xnli, xquad).")
    Path data;

    @Option(names = "--langs", split = ",", paramLabel = "L", description = "Test languages (default: all of the"
            + " task's).")
    List<String> langs;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the scores as JSON.")
    Path json;

    @Override
    public void run() {
        try (LanguageModel model = options.load(); var h = interventions.apply(model)) {
            TaskEvaluation.Scores scores = FineTuning.evaluate(model, adapter, data, langs == null ? List.of() : langs,
                    (lang, n) -> System.err.printf("evaluated %s (%d examples)%n", lang, n));
            scores.lines().forEach(System.out::println);
            if (json != null) {
                scores.save(json);
            }
        }
    }
}
