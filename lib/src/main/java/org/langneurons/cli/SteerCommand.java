package org.langneurons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.langneurons.corpus.Corpus;
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

/** {@code steer}: the share of continuations in the target language, before and after steering. */
@Command(name = "steer", mixinStandardHelpOptions = true,
        description = {"Generate from prompts with --from's neurons switched off and --to's set to --value, and "
                + "report the share of continuations identified as --to (character n-gram identifier trained on "
                + "the embedded corpus), before and after.",
            "--prompts FILE: one prompt a line (default: the first words of --from's validation documents)."})
final class SteerCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions options;

    @Option(names = "--neurons", required = true, paramLabel = "FILE", description = "neurons.json")
    Path neurons;

    @Option(names = "--stats", paramLabel = "DIR", description = "Statistics for --value mean/pN.")
    Path stats;

    @Option(names = "--from", required = true, paramLabel = "LANG", description = "Language switched off.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "LANG", description = "Language switched on.")
    String to;

    @Option(names = "--value", defaultValue = "p95", paramLabel = "V",
            description = "What --to's neurons are set to: a number or a statistic (default: ${DEFAULT-VALUE}).")
    String value;

    @Option(names = "--prompts", paramLabel = "FILE", description = "One prompt a line.")
    Path prompts;

    @Option(names = "--max-new-tokens", defaultValue = "24", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--show", defaultValue = "3", description = "Examples printed (default: ${DEFAULT-VALUE}).")
    int show;

    @Override
    public void run() {
        NeuronSet set = NeuronSet.load(neurons);
        for (String l : List.of(from, to)) {
            if (!set.languages().contains(l)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "language " + l + " is not in "
                        + neurons + " " + set.languages());
            }
        }
        List<String> ps = prompts != null ? PerplexityCommand.readDocuments(prompts) : defaultPrompts(from, 12);
        Intervention on = Intervention.setTo(set, to, value,
                l -> InterventionOptions.statistics(stats, l, "--value " + value));
        LanguageIdentifier id = LanguageIdentifier.train(Corpus.openDefault(), Split.IDENTIFICATION);
        try (LanguageModel model = options.load()) {
            Steering.Result r = Steering.run(model, ps, GenerationConfig.greedy(maxNewTokens), id, to,
                    List.of(Intervention.set(set, from, 0f), on));
            System.out.printf("%-6s %-6s %8s %8s  %s%n", "from", "to", "before", "after", "value");
            System.out.printf("%-6s %-6s %8.2f %8.2f  %s%n", from, to, r.before(), r.after(), value);
            for (int i = 0; i < Math.min(show, ps.size()); i++) {
                System.out.println("\nprompt: " + ps.get(i) + "\n  before: " + r.textsBefore().get(i)
                        + "\n  after:  " + r.textsAfter().get(i) + "  [" + r.languagesAfter().get(i) + "]");
            }
        }
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
