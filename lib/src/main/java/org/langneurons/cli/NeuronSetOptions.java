package org.langneurons.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.StatisticsDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --neurons} and {@code --stats}: the neuron set intervened on, and where statistic values come from. */
final class NeuronSetOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--neurons", paramLabel = "FILE", description = "neurons.json whose languages are intervened on.")
    Path neurons;

    @Option(names = "--stats", paramLabel = "DIR",
            description = "Statistics (of `stats`) for values that are statistics: mean, min, max, pN.")
    Path stats;

    private final Map<String, ActivationStatistics> loaded = new LinkedHashMap<>();

    /** The set of --neurons, which the command requires. */
    NeuronSet requireSet() {
        if (neurons == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--neurons=FILE'");
        }
        return NeuronSet.load(neurons);
    }

    /** Fails, naming the --neurons file, unless the set is of {@code model}'s shape. */
    void requireModel(NeuronSet set, org.langneurons.model.LanguageModel model) {
        try {
            set.requireModel(model.config().layers(), model.config().neuronsPerLayer(),
                    "the model " + model.directory());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(neurons + ": " + e.getMessage(), e);
        }
    }

    /**
     * A language's statistics from --stats (read once); without --stats, an error saying that
     * {@code what} is a statistic.
     */
    Function<String, ActivationStatistics> statsFor(String what) {
        return lang -> loaded.computeIfAbsent(lang, l -> {
            if (stats == null) {
                throw new IllegalArgumentException(what + " is a statistic: give --stats DIR");
            }
            return StatisticsDirectory.at(stats).statistics(l);
        });
    }
}
