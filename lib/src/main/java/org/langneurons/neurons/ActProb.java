package org.langneurons.neurons;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.stats.ActivationStatistics;

/**
 * Mondal et al.'s "Activation Probability p" selection: per language, independently of the other languages, the
 * {@code round(rate * L * I)} neurons of highest relevance (573 of 32 x 14336 at the default rate 0.00125), where
 * relevance is the fraction of a batch's tokens above the language's own batch-mean p-th percentile, averaged over
 * the batches of a second sample ({@link ActivationStatistics#relevance}).
 *
 * <pre>{@code
 * ActivationStatistics first = StatisticsCollector.collect(model, "fr", sampleA, settings, null, Progress.NONE);
 * ActivationStatistics second = StatisticsCollector.collectRelevance(model, first, 90, sampleB, settings, null,
 *         Progress.NONE);
 * NeuronSet fr = ActProb.select(List.of(second), 90, ActProb.DEFAULT_RATE);
 * }</pre>
 */
public final class ActProb {
    private ActProb() {
    }

    /** Share of all neurons selected per language: 0.00125. */
    public static final double DEFAULT_RATE = 0.00125;

    /**
     * Selects from relevance passes, one per language (in order). Ties in relevance are broken by position (layer,
     * then neuron).
     *
     * @param percentile the p the relevance passes were collected with (recorded in the settings)
     */
    public static NeuronSet select(List<ActivationStatistics> relevancePasses, double percentile, double rate) {
        if (relevancePasses.isEmpty()) {
            throw new IllegalArgumentException("Activation Probability selection needs at least one language");
        }
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be in (0, 1], got " + rate);
        }
        ActivationStatistics first = relevancePasses.get(0);
        int layers = first.layers(), neurons = first.neurons();
        int m = (int) Math.rint(rate * layers * neurons);
        List<String> languages = new ArrayList<>();
        Map<String, int[][]> out = new LinkedHashMap<>();
        for (ActivationStatistics s : relevancePasses) {
            if (s.layers() != layers || s.neurons() != neurons) {
                throw new IllegalArgumentException("statistics of " + s.language() + " are " + s.layers() + " x "
                        + s.neurons() + ", those of " + first.language() + " " + layers + " x " + neurons);
            }
            double[][] r = s.relevance();
            Integer[] order = new Integer[layers * neurons];
            for (int j = 0; j < order.length; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(r[b / neurons][b % neurons], r[a / neurons][a % neurons]));
            List<List<Integer>> perLayer = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                perLayer.add(new ArrayList<>());
            }
            for (int j = 0; j < m; j++) {
                perLayer.get(order[j] / neurons).add(order[j] % neurons);
            }
            languages.add(s.language());
            out.put(s.language(), perLayer.stream().map(a -> a.stream().mapToInt(Integer::intValue).sorted()
                    .toArray()).toArray(int[][]::new));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("percentile", percentile);
        settings.put("rate", rate);
        settings.put("per_language", m);
        return new NeuronSet("actprob", settings, languages, layers, neurons, out);
    }
}
