package org.langneurons.stats;

/**
 * How often each neuron of a model was above zero over one language's tokens: what LAPE needs, and all that Tang et
 * al.'s activation files hold ({@code {"n": tokens, "over_zero": [L, I]}}).
 *
 * <pre>{@code
 * ActivationCounts fr = stats.counts();
 * NeuronGrid p = fr.probability();            // over_zero / n, in float32
 * }</pre>
 *
 * @param language  language code
 * @param tokens    token positions counted (n)
 * @param overZero  count per neuron
 */
public record ActivationCounts(String language, long tokens, NeuronGrid overZero) {
    public ActivationCounts {
        if (tokens < 1) {
            throw new IllegalArgumentException("activation counts of " + language + " hold no token (n = " + tokens
                    + ")");
        }
        for (int j = 0; j < overZero.size(); j++) {
            double v = overZero.get(j);
            if (v < 0 || v > tokens || v != Math.rint(v)) {
                String shown = v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
                throw new IllegalArgumentException("over_zero of " + language + " at (" + j / overZero.neurons()
                        + ", " + j % overZero.neurons() + ") is " + shown + ", outside [0, n = " + tokens + "]");
            }
        }
    }

    /** L. */
    public int layers() {
        return overZero.layers();
    }

    /** I. */
    public int neurons() {
        return overZero.neurons();
    }

    /** {@code over_zero / n} per neuron, divided in float32 as Tang et al.'s code does. */
    public NeuronGrid probability() {
        return NeuronGrid.compute(layers(), neurons(), j -> (float) overZero.get(j) / (float) tokens);
    }
}
