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
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.Steering;
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
            "--prompts FILE: one prompt a line (default: the first words of each source's validation documents)."})
final class SteerCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions options;

    @Option(names = "--neurons", required = true, paramLabel = "FILE", description = "neurons.json")
    Path neurons;

    @Option(names = "--stats", paramLabel = "DIR", description = "Statistics for --value mean/pN.")
    Path stats;

    @Option(names = "--from", required = true, paramLabel = "LANGS",
            description = "Source language(s) switched off, comma-separated, or 'all' (those in --neurons).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "LANGS",
            description = "Target language(s) switched on, comma-separated, or 'all' (those with neurons).")
    String to;

    @Option(names = "--value", defaultValue = "p95", paramLabel = "V",
            description = "What --to's neurons are set to: a number or a statistic (default: ${DEFAULT-VALUE}).")
    String value;

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

    @Override
    public void run() {
        NeuronSet set = NeuronSet.load(neurons);
        List<String> sources = languages(set, from, false);
        List<String> targets = languages(set, to, true);
        if (prompts != null && sources.size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prompts needs exactly one --from "
                    + "language, got " + sources);
        }
        Map<String, List<String>> promptsBySource = new LinkedHashMap<>();
        for (String s : sources) {
            promptsBySource.put(s, prompts != null ? PerplexityCommand.readDocuments(prompts)
                    : defaultPrompts(s, promptsPerLanguage));
        }
        Map<String, Intervention> on = new LinkedHashMap<>();
        for (String t : targets) {
            on.put(t, Intervention.setTo(set, t, value, l -> InterventionOptions.statistics(stats, l,
                    "--value " + value)));
        }
        LanguageIdentifier id = LanguageIdentifier.train(Corpus.openDefault(), Split.IDENTIFICATION);
        try (LanguageModel model = options.load()) {
            Steering.Matrix m = Steering.matrix(model, promptsBySource, targets,
                    GenerationConfig.greedy(maxNewTokens), id, (s, t) -> List.of(Intervention.set(set, s, 0f),
                            on.get(t)));
            System.out.print(markdown ? markdown(m, value) : table(m, value));
            for (String s : sources) {
                for (String t : targets) {
                    List<String> texts = m.steered().get(s).get(t);
                    for (int i = 0; i < Math.min(show, texts.size()); i++) {
                        System.out.println("\n" + s + " -> " + t + "  prompt: " + m.prompts().get(s).get(i)
                                + "\n  steered: " + texts.get(i) + "  [" + id.identify(texts.get(i)) + "]");
                    }
                }
            }
        }
    }

    private List<String> languages(NeuronSet set, String spec, boolean withNeurons) {
        List<String> out = new ArrayList<>();
        for (String l : spec.equals("all") ? set.languages() : Language.parseCodes(spec)) {
            if (!set.languages().contains(l)) {
                throw new CommandLine.ParameterException(this.spec.commandLine(), "language " + l + " is not in "
                        + neurons + " " + set.languages());
            }
            if (!(spec.equals("all") && withNeurons && set.count(l) == 0)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Rows: source; columns: target; cells: share identified as the target, before -> after. */
    static String table(Steering.Matrix m, String value) {
        StringBuilder b = new StringBuilder(String.format("share of continuations in the target language, "
                + "before -> after (target neurons = %s, source neurons = 0)%n%-8s", value, "from\\to"));
        m.targets().forEach(t -> b.append(String.format("%12s", t)));
        b.append('\n');
        for (int s = 0; s < m.sources().size(); s++) {
            b.append(String.format("%-8s", m.sources().get(s)));
            for (int t = 0; t < m.targets().size(); t++) {
                b.append(String.format("%12s", cell(m.before()[s][t], m.after()[s][t])));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String markdown(Steering.Matrix m, String value) {
        StringBuilder b = new StringBuilder("| from \\ to |");
        m.targets().forEach(t -> b.append(' ').append(t).append(" |"));
        b.append("\n|---|");
        m.targets().forEach(t -> b.append("---:|"));
        b.append('\n');
        for (int s = 0; s < m.sources().size(); s++) {
            b.append("| ").append(m.sources().get(s)).append(" |");
            for (int t = 0; t < m.targets().size(); t++) {
                b.append(' ').append(cell(m.before()[s][t], m.after()[s][t])).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String cell(double before, double after) {
        return Double.isNaN(after) ? "-" : String.format("%.2f->%.2f", before, after);
    }

    /** The first 24 characters (code points) of the first {@code n} validation documents of {@code lang}. */
    static List<String> defaultPrompts(String lang, int n) {
        List<String> out = new ArrayList<>();
        for (String d : Corpus.openDefault().documents(lang, Split.VALIDATION)) {
            if (d.codePointCount(0, d.length()) >= 40) {
                out.add(d.substring(0, d.offsetByCodePoints(0, 24)).strip());
            }
            if (out.size() == n) {
                break;
            }
        }
        return out;
    }
}
