package org.langneurons.cli;

import java.nio.file.Path;
import java.util.List;
import org.langneurons.neurons.ActProb;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;
import org.langneurons.neurons.TangFiles;
import org.langneurons.stats.ActivationCounts;
import org.langneurons.stats.ActivationProbabilities;
import org.langneurons.stats.StatisticsDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code identify}: language-specific neurons from statistics, written as neurons.json. */
@Command(name = "identify", mixinStandardHelpOptions = true,
        description = {"Select language-specific neurons and write neurons.json.",
            "lape: Tang et al.'s code (entropy of activation probabilities, exactly round(top-rate * L * I) "
                + "neurons); lape-mondal: Mondal et al.'s variant (epsilons, interpolated quantile, ties kept); "
                + "actprob: Mondal et al.'s Activation Probability P (needs `stats --relevance P`); random: "
                + "--per-layer neurons of every layer per language, seeded."})
final class IdentifyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--stats", paramLabel = "DIR", description = "Output folder of `stats`.")
    Path stats;

    @Option(names = "--tang-activations", split = ",", paramLabel = "F,F",
            description = "Tang et al.'s activation files instead of --stats, one per language of --langs.")
    List<Path> tangActivations;

    @Mixin
    LanguageOptions languages;

    @Option(names = "--method", defaultValue = "lape", converter = Method.Converter.class,
            description = "lape, lape-mondal, actprob or random (default: ${DEFAULT-VALUE}).")
    Method method;

    @Option(names = "--top-rate", defaultValue = "0.01", description = "LAPE (default: ${DEFAULT-VALUE}).")
    double topRate;

    @Option(names = "--filter-rate", defaultValue = "0.95", description = "LAPE (default: ${DEFAULT-VALUE}).")
    double filterRate;

    @Option(names = "--activation-bar-ratio", defaultValue = "0.95",
            description = "LAPE (default: ${DEFAULT-VALUE}).")
    double barRatio;

    @Option(names = "--percentile", defaultValue = "90", description = "actprob's P (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--rate", defaultValue = "0.00125",
            description = "actprob: share of all neurons per language (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--per-layer", defaultValue = "10", description = "random (default: ${DEFAULT-VALUE}).")
    int perLayer;

    @Option(names = "--seed", defaultValue = "1", description = "random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "neurons.json to write.")
    Path out;

    /** The selection methods. */
    enum Method {
        LAPE("lape"),
        LAPE_MONDAL("lape-mondal"),
        ACTPROB("actprob"),
        RANDOM("random");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }

        /** Converts lape, lape-mondal, actprob or random. */
        static final class Converter extends Converters.ByWord<Method> {
            Converter() {
                super(Method.class);
            }
        }
    }

    @Override
    public void run() {
        List<String> langs = languages.codes();
        if ((stats == null) == (tangActivations == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give exactly one of --stats and --tang-activations");
        }
        NeuronSet set = switch (method) {
            case LAPE, LAPE_MONDAL -> {
                ActivationProbabilities p = ActivationProbabilities.aboveZero(counts(langs));
                Lape.Settings s = new Lape.Settings(topRate, filterRate, barRatio);
                yield method == Method.LAPE ? Lape.tang(p, s) : Lape.mondal(p, s);
            }
            case ACTPROB -> {
                if (stats == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "actprob needs --stats from `stats --relevance P` (Tang's files hold counts only)");
                }
                yield ActProb.select(StatisticsDirectory.at(stats).loadRelevance(langs).relevanceProbabilities(),
                        percentile, rate);
            }
            case RANDOM -> {
                if (tangActivations != null && tangActivations.size() != langs.size()) {
                    counts(langs);      // the same error as the other methods for a count mismatch
                }
                ActivationCounts first = counts(langs.subList(0, 1)).get(0);
                yield RandomNeurons.draw(langs, first.layers(), first.neurons(), perLayer, seed);
            }
        };
        set.save(out);
        NeuronsCommand.printCounts(set);
        System.out.println("wrote " + out);
    }

    /** The counts of the first languages of --langs (files are matched to languages by position). */
    private List<ActivationCounts> counts(List<String> langs) {
        if (tangActivations != null) {
            return TangFiles.readActivations(tangActivations.subList(0, Math.min(tangActivations.size(),
                    langs.size())), langs);
        }
        // through load(): the languages' settings are checked to agree before they are combined
        return StatisticsDirectory.at(stats).load(langs).list().stream().map(s -> s.counts()).toList();
    }
}
