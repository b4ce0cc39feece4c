package org.langneurons.model;

/**
 * The {@code rope_scaling} entry of config.json: none, {@code linear} (positions divided by a factor) or {@code llama3}
 * (Llama 3.1: long wavelengths divided by the factor, short ones kept, a smooth blend between).
 *
 * <pre>{@code
 * RopeScaling llama31 = new RopeScaling(RopeScaling.Type.LLAMA3, 8, 1, 4, 8192);
 * float[] inverseFrequencies = llama31.inverseFrequencies(128, 500000);
 * }</pre>
 *
 * @param type           which scaling
 * @param factor         the scaling factor (1 for none)
 * @param lowFreqFactor  llama3 only
 * @param highFreqFactor llama3 only
 * @param originalMaxPositions llama3 only: {@code original_max_position_embeddings}
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor,
        double originalMaxPositions) {

    /**
     * The supported {@code rope_scaling} types.
     *
     * <pre>{@code
     * boolean scaled = config.ropeScaling().type() != RopeScaling.Type.NONE;
     * }</pre>
     */
    public enum Type {
        /** No scaling ({@code rope_scaling} null or {@code "default"}). */
        NONE("none"),
        /** {@code "linear"}: every frequency divided by the factor. */
        LINEAR("linear"),
        /** {@code "llama3"}: Llama 3.1's wavelength-dependent scaling. */
        LLAMA3("llama3");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The name as the CLI's {@code info} prints it: {@code none}, {@code linear} or {@code llama3}. */
        public String label() {
            return label;
        }
    }

    /** No scaling. */
    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 0, 0, 0);

    /** Checks the factors the type needs. */
    public RopeScaling {
        if (type == null) {
            throw new IllegalArgumentException("rope_scaling type is null");
        }
        if (!(factor > 0)) {
            throw new IllegalArgumentException("rope_scaling factor must be > 0, got " + factor);
        }
        if (type == Type.LLAMA3 && !(highFreqFactor > lowFreqFactor && originalMaxPositions > 0)) {
            throw new IllegalArgumentException("rope_scaling llama3 needs high_freq_factor > low_freq_factor and"
                    + " original_max_position_embeddings > 0");
        }
    }

    /**
     * The effective inverse frequencies of RoPE for {@code rotaryDim} dimensions: {@code theta^(-2j/d)}, then scaled as
     * transformers' {@code modeling_rope_utils} does for this type.
     */
    public float[] inverseFrequencies(int rotaryDim, double theta) {
        float[] out = new float[rotaryDim / 2];
        for (int j = 0; j < out.length; j++) {
            // transformers computes the base frequencies in float32.
            float base = (float) (1.0 / Math.pow(theta, (float) (2 * j) / rotaryDim));
            out[j] = switch (type) {
                case LINEAR -> (float) (base / factor);
                case LLAMA3 -> llama3(base);
                case NONE -> base;
            };
        }
        return out;
    }

    private float llama3(float invFreq) {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        double wavelen = 2 * Math.PI / invFreq;
        if (wavelen < highFreqWavelen) {
            return invFreq;
        }
        if (wavelen > lowFreqWavelen) {
            return (float) (invFreq / factor);
        }
        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (float) ((1 - smooth) * invFreq / factor + smooth * invFreq);
    }
}
