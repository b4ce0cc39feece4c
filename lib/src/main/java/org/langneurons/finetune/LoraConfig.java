package org.langneurons.finetune;

import java.util.List;
import org.langneurons.model.Architecture;

/**
 * LoRA's hyper-parameters: each targeted projection {@code y = x W^T} becomes {@code y + (alpha / r) B A x} with
 * {@code A [r, in]}, {@code B [out, r]} trained and W frozen (Hu et al. 2021; PEFT's {@code LoraConfig}).
 *
 * <pre>{@code
 * LoraConfig xnli = LoraConfig.mondalXnli();                          // r 8, alpha 16, q k v o + gate
 * LoraConfig attentionOnly = xnli.withTargets(List.of("q", "k", "v", "o"));
 * double scale = xnli.scaling();                                       // 2.0
 * }</pre>
 *
 * @param rank    r
 * @param alpha   lora_alpha; the update is scaled by alpha / r
 * @param dropout dropout on the adapter's input while training (PEFT's lora_dropout), in [0, 1)
 * @param targets projections by short name ({@link Architecture#projectionNames}): q, k, v, o, gate, up, down for
 *                the Llama family; qkv, o, gate, down for BLOOM
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targets) {

    /** Checks the ranges; copies the targets. */
    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("LoRA alpha must be > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null || targets.isEmpty() || targets.stream().distinct().count() != targets.size()) {
            throw new IllegalArgumentException("LoRA needs distinct target projections, got " + targets);
        }
        targets = List.copyOf(targets);
    }

    /**
     * Mondal et al.'s XNLI setting: r 8, alpha 16, on q, k, v, o and the gate projection (whose update a neuron mask
     * may restrict); dropout 0 (the paper does not state one).
     */
    public static LoraConfig mondalXnli() {
        return new LoraConfig(8, 16, 0, List.of("q", "k", "v", "o", "gate"));
    }

    /** Mondal et al.'s XQuAD setting: r 64, alpha 128, the same targets. */
    public static LoraConfig mondalXquad() {
        return new LoraConfig(64, 128, 0, List.of("q", "k", "v", "o", "gate"));
    }

    /** alpha / r. */
    public double scaling() {
        return alpha / rank;
    }

    /** The same with other targets. */
    public LoraConfig withTargets(List<String> targets) {
        return new LoraConfig(rank, alpha, dropout, targets);
    }

    /** The targets an architecture has, with BLOOM's fused {@code qkv} standing for any of q, k, v. */
    public List<String> targetsFor(Architecture architecture) {
        List<String> names = architecture.projectionNames();
        List<String> out = targets.stream().map(t -> !names.contains(t) && names.contains("qkv")
                && (t.equals("q") || t.equals("k") || t.equals("v")) ? "qkv" : t).distinct().toList();
        for (String t : out) {
            if (!names.contains(t)) {
                throw new IllegalArgumentException(architecture + " has no projection '" + t + "' to adapt (it has: "
                        + String.join(", ", names) + ")");
            }
        }
        return out;
    }
}
