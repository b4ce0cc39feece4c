package org.langneurons.finetune;

import java.util.List;
import org.langneurons.neurons.NeuronSet;

/**
 * Mondal et al.'s fine-tuning setups: which gate neurons the LoRA may change. {@code NONE} adapts only the attention
 * projections (no gate LoRA); {@code ALL} is a plain gate LoRA.
 *
 * <pre>{@code
 * GateMask m = MaskSetup.BOTH.mask(lape, "en", "vi", 1, lape.layers(), lape.neuronsPerLayer());   // en and vi
 * }</pre>
 */
public enum MaskSetup {
    /** No gate LoRA. */
    NONE,
    /** The source (training) language's neurons. */
    SOURCE,
    /** The target (evaluation) language's neurons. */
    TARGET,
    /** Both languages' neurons. */
    BOTH,
    /** 10 neurons a layer drawn at random (their Table 8). */
    RANDOM,
    /** Every neuron: a plain gate LoRA. */
    ALL;

    /** Random neurons per layer in {@code RANDOM}, as Mondal et al.'s Table 8. */
    public static final int RANDOM_PER_LAYER = 10;

    /**
     * The mask of this setup, or null for {@code NONE}; {@code neurons} (language-specific neurons) is needed by
     * source, target and both only.
     */
    public GateMask mask(NeuronSet neurons, String source, String target, long seed, int layers,
            int neuronsPerLayer) {
        return switch (this) {
            case NONE -> null;
            case ALL -> GateMask.all(layers, neuronsPerLayer);
            case RANDOM -> GateMask.random(layers, neuronsPerLayer, RANDOM_PER_LAYER, seed);
            case SOURCE -> GateMask.of("source", require(neurons), List.of(source));
            case TARGET -> GateMask.of("target", require(neurons), List.of(target));
            case BOTH -> GateMask.of("both", require(neurons), source.equals(target) ? List.of(source)
                    : List.of(source, target));
        };
    }

    private NeuronSet require(NeuronSet neurons) {
        if (neurons == null) {
            throw new IllegalArgumentException("setup " + label() + " needs a neuron set (--neurons)");
        }
        return neurons;
    }

    /** The lower-case name the CLI takes. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
