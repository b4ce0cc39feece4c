package org.langneurons.stats;

import java.util.List;

/**
 * How often each neuron of a model was above zero over one language's tokens: what LAPE needs, and all that Tang et
 * al.'s activation files hold ({@code {"n": tokens, "over_zero": [L, I]}}).
 *
 * @param language  language code
 * @param tokens    token positions counted (n)
 * @param layers    L
 * @param neurons   I
 * @param overZero  count per neuron, row-major [L, I]
 */
public record ActivationCounts(String language, long tokens, int layers, int neurons, long[] overZero) {
    public ActivationCounts {
        if (overZero.length != (long) layers * neurons) {
            throw new IllegalArgumentException("over_zero of " + language + " has " + overZero.length
                    + " entries, expected " + layers + " x " + neurons);
        }
        if (tokens < 1) {
            throw new IllegalArgumentException("activation counts of " + language + " hold no token (n = " + tokens
                    + ")");
        }
        for (int j = 0; j < overZero.length; j++) {
            if (overZero[j] < 0 || overZero[j] > tokens) {
                throw new IllegalArgumentException("over_zero of " + language + " at (" + j / neurons + ", "
                        + j % neurons + ") is " + overZero[j] + ", outside [0, n = " + tokens + "]");
            }
        }
        overZero = overZero.clone();
    }

    /**
     * Activation probabilities {@code P[l][i][k] = over_zero / n} of several languages (in order), in float32 as
     * Tang et al.'s code divides: the input of {@link org.langneurons.neurons.Lape}.
     */
    public static float[][][] probabilities(List<ActivationCounts> languages) {
        ActivationCounts first = languages.get(0);
        int l = first.layers, i = first.neurons, k = languages.size();
        float[][][] p = new float[l][i][k];
        for (int c = 0; c < k; c++) {
            ActivationCounts a = languages.get(c);
            if (a.layers != l || a.neurons != i) {
                throw new IllegalArgumentException("activation counts of " + a.language + " are " + a.layers + " x "
                        + a.neurons + ", those of " + first.language + " " + l + " x " + i + ": not one model");
            }
            for (int j = 0; j < l * i; j++) {
                p[j / i][j % i][c] = (float) a.overZero[j] / (float) a.tokens;
            }
        }
        return p;
    }
}
