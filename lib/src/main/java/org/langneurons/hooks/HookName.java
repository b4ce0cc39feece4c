package org.langneurons.hooks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of one hook point in one block, e.g. {@code blocks.3.mlp.hook_act}: the same for every architecture.
 * Build names with the typed factories ({@code HookName.mlpAct(3)}) rather than strings.
 *
 * @param layer block index, 0-based
 * @param point which activation of the block
 */
public record HookName(int layer, HookPoint point) {
    private static final Pattern NAME = Pattern.compile("blocks\\.(\\d+)\\.(.+)");

    public HookName {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        if (point == null) {
            throw new IllegalArgumentException("point is null");
        }
    }

    /** {@code blocks.{l}.hook_resid_pre}: the residual stream entering block l, [B, T, d]. */
    public static HookName residPre(int layer) {
        return new HookName(layer, HookPoint.RESID_PRE);
    }

    /** {@code blocks.{l}.hook_attn_out}: the attention output (after the output projection), [B, T, d]. */
    public static HookName attnOut(int layer) {
        return new HookName(layer, HookPoint.ATTN_OUT);
    }

    /** {@code blocks.{l}.hook_resid_mid}: the residual stream between attention and MLP, [B, T, d]. */
    public static HookName residMid(int layer) {
        return new HookName(layer, HookPoint.RESID_MID);
    }

    /** {@code blocks.{l}.mlp.hook_gate}: the MLP pre-activation ({@code gate_proj} / BLOOM {@code dense_h_to_4h}). */
    public static HookName mlpGate(int layer) {
        return new HookName(layer, HookPoint.MLP_GATE);
    }

    /** {@code blocks.{l}.mlp.hook_act}: the neurons, the MLP's activation output, [B, T, I]. */
    public static HookName mlpAct(int layer) {
        return new HookName(layer, HookPoint.MLP_ACT);
    }

    /** {@code blocks.{l}.mlp.hook_up}: {@code up_proj}'s output, [B, T, I] (Llama family only). */
    public static HookName mlpUp(int layer) {
        return new HookName(layer, HookPoint.MLP_UP);
    }

    /** {@code blocks.{l}.mlp.hook_out}: the MLP output ({@code down_proj}), [B, T, d]. */
    public static HookName mlpOut(int layer) {
        return new HookName(layer, HookPoint.MLP_OUT);
    }

    /** {@code blocks.{l}.hook_resid_post}: the residual stream leaving block l, [B, T, d]. */
    public static HookName residPost(int layer) {
        return new HookName(layer, HookPoint.RESID_POST);
    }

    /** Parses {@code blocks.{l}.{point}}, e.g. {@code blocks.3.mlp.hook_act} or {@code blocks.3.mlp.act}. */
    public static HookName parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("hook name '" + name + "' is not of the form blocks.{layer}.{point}");
        }
        return new HookName(Integer.parseInt(m.group(1)), HookPoint.parse(m.group(2)));
    }

    @Override
    public String toString() {
        return "blocks." + layer + "." + point.suffix();
    }
}
