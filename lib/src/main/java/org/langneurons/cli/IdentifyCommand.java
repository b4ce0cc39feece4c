package org.langneurons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.langneurons.corpus.Language;
import org.langneurons.neurons.ActProb;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;
import org.langneurons.neurons.TangFiles;
import org.langneurons.stats.ActivationCounts;
import org.langneurons.stats.ActivationStatistics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

    @Option(names = "--langs", required = true, paramLabel = "L,L", description = "Languages, in order.")
    String langs;

    @Option(names = "--method", defaultValue = "lape", description = "lape, lape-mondal, actprob or random "
            + "(default: ${DEFAULT-VALUE}).")
    String method;

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

    @Override
    public void run() {
        List<String> languages;
        try {
            languages = Language.parseCodes(langs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--langs: " + e.getMessage());
        }
        if ((stats == null) == (tangActivations == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give exactly one of --stats and --tang-activations");
        }
        NeuronSet set = switch (method) {
            case "lape", "lape-mondal" -> {
                float[][][] p = ActivationCounts.probabilities(counts(languages));
                Lape.Settings s = new Lape.Settings(topRate, filterRate, barRatio);
                yield method.equals("lape") ? Lape.tang(p, languages, s) : Lape.mondal(p, languages, s);
            }
            case "actprob" -> {
                if (stats == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "actprob needs --stats from `stats --relevance P` (Tang's files hold counts only)");
                }
                List<ActivationStatistics> passes = new ArrayList<>();
                for (String lang : languages) {
                    passes.add(ActivationStatistics.load(stats.resolve(lang + ".relevance.safetensors")));
                }
                yield ActProb.select(passes, percentile, rate);
            }
            case "random" -> {
                if (tangActivations != null && tangActivations.size() != languages.size()) {
                    counts(languages);      // the same error as the other methods for a count mismatch
                }
                ActivationCounts first = counts(languages.subList(0, 1)).get(0);
                yield RandomNeurons.draw(languages, first.layers(), first.neurons(), perLayer, seed);
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--method must be lape, lape-mondal, actprob or random, got " + method);
        };
        set.save(out);
        NeuronsCommand.printCounts(set);
        System.out.println("wrote " + out);
    }

    /** The counts of the first languages of --langs (files are matched to languages by position). */
    private List<ActivationCounts> counts(List<String> languages) {
        if (tangActivations != null) {
            return TangFiles.readActivations(tangActivations.subList(0, Math.min(tangActivations.size(),
                    languages.size())), languages);
        }
        List<ActivationCounts> out = new ArrayList<>();
        for (String lang : languages) {
            out.add(ActivationStatistics.load(stats.resolve(lang + ".safetensors")).counts());
        }
        return out;
    }
}
