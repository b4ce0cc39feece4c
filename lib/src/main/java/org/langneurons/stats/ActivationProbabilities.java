package org.langneurons.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The input of every selection method: for each of K languages, the probability that each neuron exceeds a
 * threshold on that language's tokens. For LAPE (Tang et al.) the threshold is zero and the probability is
 * {@code over_zero / n} in float32; for Activation Probability p (Mondal et al.) it is the language's own batch-mean
 * p-th percentile and the probability is the relevance of the second pass ({@link ActivationStatistics#relevance}).
 *
 * <pre>{@code
 * ActivationProbabilities p = ActivationProbabilities.aboveZero(List.of(stats.counts()));
 * NeuronGrid fr = p.of("fr");
 * }</pre>
 *
 * @param languages the K language codes, in order
 * @param grids     per language, one probability in [0, 1] per neuron (all of one shape)
 */
public record ActivationProbabilities(List<String> languages, List<NeuronGrid> grids) {
    public ActivationProbabilities {
        languages = List.copyOf(languages);
        grids = List.copyOf(grids);
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("activation probabilities need at least one language");
        }
        if (grids.size() != languages.size()) {
            throw new IllegalArgumentException(grids.size() + " probability grids for " + languages.size()
                    + " languages " + languages);
        }
        NeuronGrid first = grids.get(0);
        for (int k = 0; k < grids.size(); k++) {
            NeuronGrid g = grids.get(k);
            if (!g.sameShape(first)) {
                throw new IllegalArgumentException("activation probabilities of " + languages.get(k) + " are "
                        + g.layers() + " x " + g.neurons() + ", those of " + languages.get(0) + " "
                        + first.layers() + " x " + first.neurons() + ": not one model");
            }
            for (int j = 0; j < g.size(); j++) {
                double v = g.get(j);
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("activation probabilities of " + languages.get(k)
                            + ": neuron (" + j / g.neurons() + ", " + j % g.neurons() + ") has " + v
                            + ", outside [0, 1]");
                }
            }
        }
    }

    /** LAPE's input: P(value > 0) per neuron of each language's counts, in float32 as Tang et al.'s code divides. */
    public static ActivationProbabilities aboveZero(List<ActivationCounts> counts) {
        return new ActivationProbabilities(counts.stream().map(ActivationCounts::language).toList(),
                counts.stream().map(ActivationCounts::probability).toList());
    }

    /** Activation Probability p's input: the relevance of each language's second pass. */
    public static ActivationProbabilities relevance(List<ActivationStatistics> relevancePasses) {
        return new ActivationProbabilities(relevancePasses.stream().map(ActivationStatistics::language).toList(),
                relevancePasses.stream().map(ActivationStatistics::relevance).toList());
    }

    /** From nested arrays {@code p[l][i][k]} (hand-made inputs, tests). */
    public static ActivationProbabilities ofArray(float[][][] p, List<String> languages) {
        if (p.length == 0 || p[0].length == 0) {
            throw new IllegalArgumentException("activation probabilities are empty: need [layers][neurons]"
                    + "[languages]");
        }
        int layers = p.length, neurons = p[0].length, k = languages.size();
        List<NeuronGrid> grids = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            float[] flat = new float[layers * neurons];
            for (int l = 0; l < layers; l++) {
                if (p[l].length != neurons) {
                    throw new IllegalArgumentException("activation probabilities: layer " + l + " has " + p[l].length
                            + " neurons, layer 0 has " + neurons);
                }
                for (int i = 0; i < neurons; i++) {
                    if (p[l][i].length != k) {
                        throw new IllegalArgumentException("activation probabilities: neuron (" + l + ", " + i
                                + ") has " + p[l][i].length + " languages, expected " + k + " " + languages);
                    }
                    flat[l * neurons + i] = p[l][i][c];
                }
            }
            grids.add(NeuronGrid.ofFloats(layers, neurons, flat));
        }
        return new ActivationProbabilities(languages, grids);
    }

    /** K. */
    public int size() {
        return languages.size();
    }

    /** L. */
    public int layers() {
        return grids.get(0).layers();
    }

    /** I. */
    public int neurons() {
        return grids.get(0).neurons();
    }

    /** The grid of {@code language}. */
    public NeuronGrid of(String language) {
        int k = languages.indexOf(language);
        if (k < 0) {
            throw new IllegalArgumentException("language " + language + " is not among " + languages);
        }
        return grids.get(k);
    }
}
