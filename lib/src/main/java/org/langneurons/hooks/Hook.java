package org.langneurons.hooks;

import ai.djl.ndarray.NDArray;
import java.util.function.BiConsumer;

/**
 * A function run on one activation during a forward call: it returns the activation to continue with, either the
 * one it was given (a reading hook) or a replacement of the same shape (an intervention).
 *
 * <p>The activation belongs to the forward call and is freed when it returns: a hook that keeps values copies them
 * (see {@link ActivationCache}). A replacement should be computed from the given array (e.g.
 * {@code activation.mul(mask)}) so that it is freed with the call too.
 *
 * <pre>{@code
 * try (HookHandle h = model.hooks().add(HookName.mlpAct(3), (name, act, ctx) -> act.mul(0))) {
 *     model.logits(batch, manager);   // layer 3's neurons all switched off
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Hook {

    /**
     * @param name       the hook point this call is for
     * @param activation its value, shaped as documented on {@link HookPoint}
     * @param context    positions and padding of this forward call
     * @return the activation to continue with, with the same shape and dtype
     */
    NDArray apply(HookName name, NDArray activation, HookContext context);

    /** A hook that only reads: {@code reader} sees the activation and the forward continues with it unchanged. */
    static Hook reading(BiConsumer<HookName, NDArray> reader) {
        return (name, activation, context) -> {
            reader.accept(name, activation);
            return activation;
        };
    }
}
