package org.langneurons.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of several languages of one model, in language order: what a statistics folder holds and what
 * every selection method starts from.
 *
 * <pre>{@code
 * LanguageStatistics stats = StatisticsDirectory.at(Path.of("stats")).load(List.of("en", "fr"));
 * ActivationStatistics fr = stats.get("fr");
 * ActivationProbabilities p = stats.activationProbabilities();   // LAPE's input
 * }</pre>
 */
public final class LanguageStatistics {
    private final Map<String, ActivationStatistics> byLanguage;

    private LanguageStatistics(Map<String, ActivationStatistics> byLanguage) {
        this.byLanguage = byLanguage;
    }

    /**
     * The statistics given, in order.
     *
     * @throws IllegalArgumentException when a language appears twice, the shapes differ (not one model) or the
     *                                  recorded tensor or any setting of the collection differs
     */
    public static LanguageStatistics of(List<ActivationStatistics> stats) {
        if (stats.isEmpty()) {
            throw new IllegalArgumentException("no statistics: at least one language is needed");
        }
        Map<String, ActivationStatistics> m = new LinkedHashMap<>();
        ActivationStatistics first = stats.get(0);
        for (ActivationStatistics s : stats) {
            if (s.layers() != first.layers() || s.neurons() != first.neurons()) {
                throw new IllegalArgumentException("statistics of " + s.language() + " are " + s.layers() + " x "
                        + s.neurons() + ", those of " + first.language() + " " + first.layers() + " x "
                        + first.neurons() + ": not one model");
            }
            if (m.put(s.language(), s) != null) {
                throw new IllegalArgumentException("statistics of " + s.language() + " given twice");
            }
            requireSameCollection(first, s);
        }
        return new LanguageStatistics(m);
    }

    /** Settings that differ between the languages of one collection by design. */
    private static final java.util.Set<String> PER_LANGUAGE = java.util.Set.of("thresholds");

    /**
     * Statistics of another model, recorded tensor, window length or any other setting measure something else:
     * combining them would compare languages on different footings, silently. Every recorded setting must agree
     * (a setting one file has and the other lacks counts as differing).
     */
    private static void requireSameCollection(ActivationStatistics first, ActivationStatistics s) {
        if (!s.tensor().equals(first.tensor())) {
            throw new IllegalArgumentException("statistics of " + s.language() + " record " + s.tensor()
                    + ", those of " + first.language() + " " + first.tensor() + ": not one collection");
        }
        java.util.Set<String> keys = new java.util.TreeSet<>(first.info().keySet());
        keys.addAll(s.info().keySet());
        for (String key : keys) {
            String a = first.info().get(key), b = s.info().get(key);
            if (!PER_LANGUAGE.contains(key) && !java.util.Objects.equals(a, b)) {
                throw new IllegalArgumentException("statistics of " + s.language() + " were collected with " + key
                        + "=" + (b == null ? "(not recorded)" : b) + ", those of " + first.language() + " with "
                        + key + "=" + (a == null ? "(not recorded)" : a) + ": not one collection (collect every "
                        + "language with the same model and settings)");
            }
        }
    }

    /** The languages, in order. */
    public List<String> languages() {
        return List.copyOf(byLanguage.keySet());
    }

    /** The statistics of {@code language}. */
    public ActivationStatistics get(String language) {
        ActivationStatistics s = byLanguage.get(language);
        if (s == null) {
            throw new IllegalArgumentException("no statistics of " + language + " (have: " + languages() + ")");
        }
        return s;
    }

    /** Whether {@code language} has statistics here. */
    public boolean has(String language) {
        return byLanguage.containsKey(language);
    }

    /** All statistics, in language order. */
    public List<ActivationStatistics> list() {
        return List.copyOf(byLanguage.values());
    }

    /** The statistics of {@code languages} only, in that order. */
    public LanguageStatistics only(List<String> languages) {
        List<ActivationStatistics> out = new ArrayList<>();
        languages.forEach(l -> out.add(get(l)));
        return of(out);
    }

    /**
     * The statistics of those of {@code wanted} that are here, in this collection's order; all of them when none
     * is (e.g. a few languages to plot, whatever languages a run has).
     */
    public LanguageStatistics subset(List<String> wanted) {
        List<ActivationStatistics> some = list().stream().filter(s -> wanted.contains(s.language())).toList();
        return some.isEmpty() ? this : of(some);
    }

    /** Token positions counted over all languages. */
    public long tokens() {
        return byLanguage.values().stream().mapToLong(ActivationStatistics::tokens).sum();
    }

    /**
     * LAPE's input: P(value > 0) of every neuron per language ({@link ActivationStatistics#activationProbability}:
     * pooled, in float32 as Tang et al. divide, or averaged over batches as Mondal et al.).
     */
    public ActivationProbabilities activationProbabilities() {
        return new ActivationProbabilities(languages(),
                list().stream().map(ActivationStatistics::activationProbability).toList());
    }

    /** Activation Probability p's input: the relevance of every neuron per language (relevance passes only). */
    public ActivationProbabilities relevanceProbabilities() {
        return ActivationProbabilities.relevance(list());
    }

    @Override
    public String toString() {
        return "LanguageStatistics" + languages();
    }
}
