package org.langneurons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Language;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageIdentifier;
import org.langneurons.eval.Prompts;
import org.langneurons.eval.Steering;
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.io.RunCheckpoint;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code steer}: the share of continuations in the target language, before and after steering, per pair. */
@Command(name = "steer", mixinStandardHelpOptions = true,
        description = {"Generate from prompts with a source language's neurons switched off and a target's set to "
                + "--value, and report the share of continuations identified as the target (character n-gram "
                + "identifier trained on the embedded corpus), before and after: one pair, or a source x target "
                + "table when --from or --to name several languages.",
            "--prompts FILE: one prompt a line (default: the first words of each source's validation documents).",
            "Resumable: each batch of continuations is kept in --checkpoint until the run completes; after Ctrl-C "
                + "or a kill, the same command continues after the last finished batch."})
final class SteerCommand implements Runnable, Main.LongRunning {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions options;

    @Mixin
    AdapterOption adapter;

    @Mixin
    NeuronSetOptions neuronSet;

    @Option(names = "--from", required = true, paramLabel = "LANGS",
            description = "Source language(s) switched off, comma-separated, or 'all' (those in --neurons).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "LANGS",
            description = "Target language(s) switched on, comma-separated, or 'all' (those with neurons).")
    String to;

    @Option(names = "--value", defaultValue = "p95", paramLabel = "V",
            converter = Converters.Value.class,
            description = "What --to's neurons are set to: a number, or a statistic of the target: mean, min, max, "
                    + "pN, the activation's own statistics (--stats of stats --tensor act; consistent), or with "
                    + "@gate (p95@gate) gate statistics written into the activation, as Mondal et al.'s code "
                    + "(--stats of stats --tensor gate) (default: ${DEFAULT-VALUE}).")
    InterventionValue value;

    @Option(names = "--prompts", paramLabel = "FILE",
            description = "One prompt a line (one source language only).")
    Path prompts;

    @Option(names = "--prompts-per-language", defaultValue = "12",
            description = "Default prompts per source language (default: ${DEFAULT-VALUE}).")
    int promptsPerLanguage;

    @Option(names = "--max-new-tokens", defaultValue = "24", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--show", defaultValue = "3", description = "Examples printed (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--markdown", description = "Print the source x target table as Markdown.")
    boolean markdown;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write DIR/steering.json: the shares before "
            + "and after, and every prompt's continuations and identified languages.")
    Path out;

    @Mixin
    ResumeOption resume;

    @Override
    public void run() {
        NeuronSet set = neuronSet.requireSet();
        List<String> sources = languages(set, from, false);
        List<String> targets = languages(set, to, true);
        if (prompts != null && sources.size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prompts needs exactly one --from "
                    + "language, got " + sources);
        }
        Map<String, List<String>> promptsBySource = new LinkedHashMap<>();
        if (prompts != null) {
            promptsBySource.put(sources.get(0), PerplexityCommand.readDocuments(prompts));
        } else {
            promptsBySource.putAll(Prompts.openings(Corpus.texts(null, sources, Split.VALIDATION),
                    promptsPerLanguage));
        }
        var statsFor = neuronSet.statsFor("--value " + value.label());
        targets.forEach(t -> Intervention.setTo(set, t, value, statsFor));     // fail early on a bad value
        LanguageIdentifier id = LanguageIdentifier.embedded();
        // Ctrl-C or a kill: the batch of generations in progress is the most that is lost.
        try (StopOnExit exit = new StopOnExit()) {
            RunCheckpoint checkpoint = resume.open(out, exit, Map.of("neurons-fingerprint", set.fingerprint(),
                    "prompts-fingerprint", ResumeOption.fingerprint(promptsBySource)));
            exit.onRequest(() -> System.err.println("\nstopping after the generations in progress"));
            try (LanguageModel model = adapter.attachTo(options.load())) {
                neuronSet.requireModel(set, model);
                ProgressLine line = new ProgressLine(System.err, "steering", "generations");
                Steering.Matrix m = Steering.sourceTarget(model, set, promptsBySource, targets, value, statsFor,
                        GenerationConfig.greedy(maxNewTokens), id, line::update, checkpoint);
                line.done();
                System.out.print(markdown ? m.markdown() : m.text(value.label()));
                System.out.print(m.examplesText(show));
                if (out != null) {
                    m.save(out.resolve("steering.json"));
                    System.out.println("wrote " + out.resolve("steering.json"));
                }
                ResumeOption.completed(checkpoint);
            } catch (RunCheckpoint.Stopped e) {
                ResumeOption.stopped(e);
            }
        }
    }

    private List<String> languages(NeuronSet set, String list, boolean withNeurons) {
        List<String> out = new ArrayList<>();
        for (String l : list.equals("all") ? set.languages() : Language.parseCodes(list)) {
            if (!set.languages().contains(l)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "language " + l + " is not in "
                        + neuronSet.neurons + " " + set.languages());
            }
            if (!(list.equals("all") && withNeurons && set.count(l) == 0)) {
                out.add(l);
            }
        }
        return out;
    }
}
