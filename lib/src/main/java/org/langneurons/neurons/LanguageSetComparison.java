package org.langneurons.neurons;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.langneurons.stats.ActivationProbabilities;
import org.langneurons.stats.NeuronGrid;

/**
 * A selection method run twice on the same statistics, on two sets of languages, and compared on the languages both
 * contain. Mondal et al.'s reason for Activation Probability: LAPE normalises over the languages present and takes
 * its thresholds from all of their probabilities, so a language's neurons change with the other languages in the
 * set; Activation Probability selects per language and does not. Requested languages that the statistics lack are
 * left out of both runs and listed in {@link #missing}.
 *
 * <pre>{@code
 * ActivationProbabilities p = StatisticsDirectory.at(Path.of("stats")).load(List.of("en", "fr", "hi"))
 *         .activationProbabilities();
 * LanguageSetComparison c = LanguageSetComparison.lape(p, Lape.Settings.defaults(),
 *         "set1", List.of("en", "fr", "es", "vi", "id", "ja", "zh"), "set6", List.of("en", "bn", "hi", "ur"));
 * System.out.println(c.shared() + ": Jaccard " + c.jaccard("en"));
 * LanguageSetComparison a = LanguageSetComparison.of(p, q -> ActProb.select(q, 90, ActProb.DEFAULT_RATE),
 *         "5", List.of("en", "vi", "hi", "ur", "zh"), "all", p.languages());   // Jaccard 1 by construction
 * }</pre>
 *
 * @param firstName  a name for the first set (e.g. {@code set1})
 * @param first      its languages that the statistics have, in the order given
 * @param secondName a name for the second set
 * @param second     its languages that the statistics have
 * @param missing    requested languages the statistics do not have (left out of both runs)
 * @param onFirst    the selection on the first set's languages only
 * @param onSecond   the selection on the second set's languages only
 */
public record LanguageSetComparison(String firstName, List<String> first, String secondName, List<String> second,
        List<String> missing, NeuronSet onFirst, NeuronSet onSecond) {

    public LanguageSetComparison {
        first = List.copyOf(first);
        second = List.copyOf(second);
        missing = List.copyOf(missing);
    }

    /**
     * Runs {@link Lape#tang} on each set's languages of {@code p}.
     *
     * @throws IllegalArgumentException if a set has none of its languages in {@code p}
     */
    public static LanguageSetComparison lape(ActivationProbabilities p, Lape.Settings s, String firstName,
            List<String> first, String secondName, List<String> second) {
        return of(p, q -> Lape.tang(q, s), firstName, first, secondName, second);
    }

    /**
     * Runs {@code select} on each set's languages of {@code p} (the probabilities of those languages only).
     *
     * @throws IllegalArgumentException if a set has none of its languages in {@code p}
     */
    public static LanguageSetComparison of(ActivationProbabilities p,
            Function<ActivationProbabilities, NeuronSet> select, String firstName, List<String> first,
            String secondName, List<String> second) {
        List<String> missing = new ArrayList<>();
        List<String> a = present(p, firstName, first, missing), b = present(p, secondName, second, missing);
        return new LanguageSetComparison(firstName, a, secondName, b, missing, select.apply(subset(p, a)),
                select.apply(subset(p, b)));
    }

    private static List<String> present(ActivationProbabilities p, String name, List<String> wanted,
            List<String> missing) {
        List<String> have = wanted.stream().filter(p.languages()::contains).toList();
        wanted.stream().filter(l -> !p.languages().contains(l) && !missing.contains(l)).forEach(missing::add);
        if (have.isEmpty()) {
            throw new IllegalArgumentException("language set " + name + " " + wanted + ": none of its languages has "
                    + "statistics (there are " + p.languages() + ")");
        }
        return have;
    }

    private static ActivationProbabilities subset(ActivationProbabilities p, List<String> languages) {
        List<NeuronGrid> grids = languages.stream().map(p::of).toList();
        return new ActivationProbabilities(languages, grids);
    }

    /** The languages of both sets, in the first set's order. */
    public List<String> shared() {
        return first.stream().filter(second::contains).toList();
    }

    /** Neurons that {@code language} has in both runs. */
    public int overlap(String language) {
        return onFirst.intersection(onSecond).count(language);
    }

    /** Jaccard index of {@code language}'s neurons in the two runs (1 when both are empty). */
    public double jaccard(String language) {
        return onFirst.jaccard(onSecond, language);
    }
}
