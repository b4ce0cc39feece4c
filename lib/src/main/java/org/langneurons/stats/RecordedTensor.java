package org.langneurons.stats;

import org.langneurons.hooks.HookPoint;

/**
 * Which tensor of the MLP statistics are collected on: the neurons themselves ({@code mlp.act}, Tang et al.'s choice
 * and the default) or the pre-activation ({@code mlp.gate}, on which Mondal et al. compute their percentiles). For
 * the Llama family "value > 0" is the same event on both, since SiLU(z) > 0 exactly when z > 0.
 */
public enum RecordedTensor {
    /** {@code blocks.{l}.mlp.hook_act}: act_fn(gate_proj(x)), the GELU output for BLOOM. */
    ACT(HookPoint.MLP_ACT),
    /** {@code blocks.{l}.mlp.hook_gate}: gate_proj(x), dense_h_to_4h(x) for BLOOM. */
    GATE(HookPoint.MLP_GATE);

    private final HookPoint point;

    RecordedTensor(HookPoint point) {
        this.point = point;
    }

    /** The hook point read. */
    public HookPoint point() {
        return point;
    }

    /** {@code mlp.hook_act} or {@code mlp.hook_gate}. */
    public String hookSuffix() {
        return point.suffix();
    }

    /** {@code act}, {@code gate}, or a hook suffix ({@code mlp.act}, {@code mlp.hook_gate}). */
    public static RecordedTensor parse(String text) {
        for (RecordedTensor t : values()) {
            String s = t.point.suffix();
            if (text.equalsIgnoreCase(t.name()) || text.equals(s) || text.equals(s.replace("hook_", ""))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tensor '" + text + "': expected act (mlp.act) or gate (mlp.gate)");
    }
}
