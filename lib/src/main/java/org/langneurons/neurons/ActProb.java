package org.langneurons.neurons;

import java.util.LinkedHashMap;
import java.util.Map;
import org.langneurons.stats.ActivationProbabilities;
import org.langneurons.stats.ActivationStatistics;

/**
 * Mondal et al.'s "Activation Probability p" selection: per language, independently of the other languages, the
 * {@code round(rate * L * I)} neurons of highest relevance (573 of 32 x 14336 at the default rate 0.00125), where
 * relevance is the fraction of a batch's tokens above the language's own batch-mean p-th percentile, averaged over
 * the batches of a second sample ({@link ActivationStatistics#relevance}).
 *
 * <pre>{@code
 * StatisticsDirectory dir = StatisticsDirectory.at(Path.of("stats"));
 * LanguageStatistics relevance = dir.loadRelevance(List.of("en", "fr"));
 * NeuronSet actProb = ActProb.select(relevance.relevanceProbabilities(), 90, ActProb.DEFAULT_RATE);
 * }</pre>
 */
public final class ActProb {
    private ActProb() {
    }

    /** Share of all neurons selected per language: 0.00125. */
    public static final double DEFAULT_RATE = 0.00125;

    /**
     * Selects from the relevance of each language (in order). Ties in relevance are broken by position (layer,
     * then neuron).
     *
     * @param relevance  per language, the relevance of every neuron
     * @param percentile the p the relevance passes were collected with (recorded in the settings)
     */
    public static NeuronSet select(ActivationProbabilities relevance, double percentile, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be in (0, 1], got " + rate);
        }
        int layers = relevance.layers(), neurons = relevance.neurons();
        int m = (int) Math.rint(rate * layers * neurons);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("percentile", percentile);
        settings.put("rate", rate);
        settings.put("per_language", m);
        NeuronSet.Builder out = NeuronSet.builder("actprob", settings, relevance.languages(), layers, neurons);
        for (String lang : relevance.languages()) {
            int[] order = relevance.of(lang).descendingOrder();
            for (int j = 0; j < m; j++) {
                out.addFlat(lang, order[j]);
            }
        }
        return out.build();
    }
}
