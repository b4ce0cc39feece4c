package org.langneurons.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.intervention.Intervention;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.notebook.NeuronCharts;
import org.langneurons.notebook.Plotly;
import org.langneurons.stats.ActivationStatistics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ppl-change}: the perplexity-change matrix of a neuron set, with a random-neuron control. */
@Command(name = "ppl-change", mixinStandardHelpOptions = true,
        description = {"PPXC(i, j) = PPL_j(neurons of language i set to --value) - PPL_j(no intervention), and the "
                + "cross-entropy change, over each language's validation text.",
            "Writes OUT/ppxc.json and OUT/ppxc.html (heatmap); with --random-draws N also the same for random "
                + "neurons (as many per layer and language), with a 95% interval of the own-language change."})
final class PplChangeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions options;

    @Option(names = "--neurons", required = true, paramLabel = "FILE", description = "neurons.json")
    Path neurons;

    @Option(names = "--corpus", paramLabel = "DIR",
            description = "Evaluation text per language (LANG.txt / LANG.jsonl, or a `corpus build` directory's "
                    + "validation split; default: embedded validation set).")
    Path corpus;

    @Option(names = "--stats", paramLabel = "DIR", description = "Statistics (of `stats`) for --value mean/pN.")
    Path stats;

    @Option(names = "--value", defaultValue = "zero", paramLabel = "V",
            description = "zero (Tang et al.), a number, or a statistic of the row language: mean, min, max, pN "
                    + "(Mondal et al.) (default: ${DEFAULT-VALUE}).")
    String value;

    @Option(names = "--max-chars", defaultValue = "0", paramLabel = "N",
            description = "Characters of text per language, 0 = all (default: ${DEFAULT-VALUE}).")
    int maxChars;

    @Option(names = "--max-length", defaultValue = "512", description = "Window (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "8", description = "Windows per forward (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--random-draws", defaultValue = "0", paramLabel = "N",
            description = "Random-neuron control draws (0 = none; default: ${DEFAULT-VALUE}).")
    int draws;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where ppxc.json goes.")
    Path out;

    @Override
    public void run() {
        NeuronSet set = NeuronSet.load(neurons);
        // Perplexity is measured on validation text, never on the identification text the neurons came from.
        Map<String, List<String>> texts = new LinkedHashMap<>();
        Corpus.texts(corpus, set.languages(), Split.VALIDATION)
                .forEach((lang, docs) -> texts.put(lang, LanguageQuality.firstCharacters(docs, maxChars)));
        java.util.function.BiFunction<NeuronSet, String, Intervention> intervention = intervention(set);
        try (LanguageModel model = options.load()) {
            PerplexityChange m = PerplexityChange.compute(model, set, texts, lang -> intervention.apply(set, lang),
                    maxLength, batchSize, progress("matrix"), value);
            Map<String, Object> json = m.toJson();
            PerplexityChange.Control control = null;
            if (draws > 0) {
                control = PerplexityChange.randomControl(model, set, texts, intervention, draws, maxLength,
                        batchSize, progress("random control"), value);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("draws", draws);
                c.put("own_ppxc_mean", control.own());
                c.put("own_ppxc_ci95_low", control.low());
                c.put("own_ppxc_ci95_high", control.high());
                c.put("ppxc", control.matrices().stream().map(PerplexityChange::ppxc).toList());
                json.put("random_control", c);
            }
            System.err.println();
            Files.createDirectories(out);
            Files.writeString(out.resolve("ppxc.json"), Json.GSON.toJson(json) + "\n");
            Plotly.save(NeuronCharts.perplexityChange(m), out.resolve("ppxc.html"));
            print(m, control);
            System.out.println("wrote " + out.resolve("ppxc.json") + " and " + out.resolve("ppxc.html"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write to " + out + ": " + e.getMessage(), e);
        }
    }

    /** How row language {@code lang}'s neurons of a set are intervened on, per --value. */
    private java.util.function.BiFunction<NeuronSet, String, Intervention> intervention(NeuronSet set) {
        Map<String, ActivationStatistics> byLang = new LinkedHashMap<>();
        java.util.function.Function<String, ActivationStatistics> statsFor = lang -> byLang.computeIfAbsent(lang,
                l -> InterventionOptions.statistics(stats, l, "--value " + value));
        Intervention.setTo(set, set.languages().get(0), value, statsFor);      // fail early on a bad value
        return (s, lang) -> Intervention.setTo(s, lang, value, statsFor);
    }

    private static PerplexityChange.Progress progress(String what) {
        return (done, total) -> System.err.printf("\r%s: %d / %d evaluations   ", what, done, total);
    }

    private static void print(PerplexityChange m, PerplexityChange.Control control) {
        List<String> l = m.languages();
        StringBuilder head = new StringBuilder(String.format("%-8s", "PPXC"));
        l.forEach(lang -> head.append(String.format(" %8s", lang)));
        System.out.println(head);
        for (int i = 0; i < l.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("%-8s", l.get(i)));
            for (int j = 0; j < l.size(); j++) {
                row.append(String.format(" %8.2f", m.ppxc()[i][j]));
            }
            System.out.println(row);
        }
        StringBuilder base = new StringBuilder(String.format("%-8s", "base PPL"));
        for (double b : m.baselinePerplexity()) {
            base.append(String.format(" %8.2f", b));
        }
        System.out.println(base);
        System.out.printf("own language hurt more than the others' mean: %d of %d%n", m.languagesHurtMostThemselves(),
                l.size());
        if (control != null) {
            int above = 0;
            for (int i = 0; i < l.size(); i++) {
                System.out.printf("%-4s own %+9.3f   random %+9.3f  95%% CI [%+.3f, %+.3f]%n", l.get(i),
                        m.ppxc()[i][i], control.own()[i], control.low()[i], control.high()[i]);
                if (m.ppxc()[i][i] > control.high()[i]) {
                    above++;
                }
            }
            System.out.printf("own change above the random control's interval: %d of %d%n", above, l.size());
        }
    }
}
