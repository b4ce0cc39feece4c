package org.langneurons.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.eval.PerplexityEvaluation;
import org.langneurons.eval.RandomControl;
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.io.RunCheckpoint;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ppl-change}: the perplexity-change matrix of a neuron set, with a random-neuron control. */
@Command(name = "ppl-change", mixinStandardHelpOptions = true,
        description = {"PPXC(i, j) = PPL_j(neurons of language i set to --value) - PPL_j(no intervention), and the "
                + "cross-entropy change, over each language's validation text.",
            "Writes OUT/ppxc.json and OUT/ppxc.html (heatmap), and a random-neuron control: --random-draws seeded "
                + "sets of as many neurons per layer and language, each language's own change against the draws "
                + "(percentile rank, empirical one-sided p = (1 + #{draw >= observed}) / (1 + draws), the draws' "
                + "2.5-97.5%% spread), compared on the cross-entropy change.",
            "Statistic values: 'mean', 'p5' ... are the activation's own statistics (stats --tensor act, the "
                + "consistent choice); 'mean@gate', 'p5@gate' ... write gate statistics into the activation, as "
                + "Mondal et al.'s code did (stats --tensor gate: gate_proj's output, before SiLU; its P5 lies "
                + "below SiLU's minimum -0.2785).",
            "Resumable: finished columns are kept in --checkpoint until the run completes; after Ctrl-C or a kill, "
                + "the same command continues from them (and from the batches done of the column in progress, "
                + "kept every 5 s and at Ctrl-C), with results bit for bit those of an uninterrupted run."})
final class PplChangeCommand implements Runnable, Main.LongRunning {
    @Mixin
    ModelOptions options;

    @Mixin
    AdapterOption adapter;

    @Mixin
    NeuronSetOptions neuronSet;

    @Mixin
    CorpusOptions corpus;

    @Mixin
    WindowOptions windows;

    @Option(names = "--value", defaultValue = "zero", paramLabel = "V",
            converter = Converters.Value.class,
            description = "zero (Tang et al.), a number, or a statistic of the row language: mean, min, max, pN: "
                    + "the activation's own statistics (--stats of stats --tensor act; consistent), or with @gate "
                    + "(p5@gate) gate statistics written into the activation, as Mondal et al.'s code (--stats of "
                    + "stats --tensor gate) (default: ${DEFAULT-VALUE}).")
    InterventionValue value;

    @Option(names = "--max-chars", defaultValue = "0", paramLabel = "N",
            description = "Characters of text per language, 0 = all (default: ${DEFAULT-VALUE}).")
    int maxChars;

    @Option(names = "--random-draws", defaultValue = "20", paramLabel = "N",
            description = "Random-neuron control draws, seeds 1..N (0 = none; default: ${DEFAULT-VALUE}: the "
                    + "smallest p is then 1/21).")
    int draws;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where ppxc.json goes.")
    Path out;

    @Mixin
    ResumeOption resume;

    @Override
    public void run() {
        NeuronSet set = neuronSet.requireSet();
        // Perplexity is measured on validation text, never on the identification text the neurons came from.
        Map<String, List<String>> texts = LanguageQuality.firstCharacters(
                corpus.texts(set.languages(), Split.VALIDATION), maxChars);
        Function<String, ActivationStatistics> statsFor = neuronSet.statsFor("--value " + value.label());
        Intervention.setTo(set, set.languages().get(0), value, statsFor);      // fail early on a bad value
        // Ctrl-C or a kill: the batches done of the column in progress are kept, and a rerun continues from them.
        try (StopOnExit exit = new StopOnExit()) {
            RunCheckpoint checkpoint = resume.open(out, exit, Map.of("neurons-fingerprint", set.fingerprint()));
            exit.onRequest(() -> System.err.println("\nstopping after the batch in progress"));
            try (LanguageModel model = adapter.attachTo(options.load())) {
                neuronSet.requireModel(set, model);
                PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, texts, windows.maxLength,
                        windows.batchSize).resumable(checkpoint);
                PerplexityChange m = evaluation.change(set, value, statsFor, progress("matrix"));
                RandomControl control = draws > 0
                        ? evaluation.randomControl(set, value, statsFor, draws, progress("random control")) : null;
                Path json = out.resolve("ppxc.json");
                if (control == null) {
                    m.save(json);
                } else {
                    m.save(json, control);
                }
                System.out.print(m.text());
                if (control != null) {
                    System.out.print(control.text(m));
                }
                System.out.println("wrote " + json + " and " + out.resolve("ppxc.html"));
                ResumeOption.completed(checkpoint);
            } catch (RunCheckpoint.Stopped e) {
                ResumeOption.stopped(e);
            }
        }
    }

    private static PerplexityChange.Progress progress(String what) {
        ProgressLine line = new ProgressLine(System.err, what, "evaluations");
        return (done, total) -> {
            line.update(done, total);
            if (done == total) {
                line.done();
            }
        };
    }
}
