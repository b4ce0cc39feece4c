package org.langneurons.hooks;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The hooks registered on a model. Hooks at one point run in registration order, each given the previous one's
 * output; removal is scoped by the returned {@link HookHandle}. A hook on a layer the model lacks, or on a point its
 * architecture lacks (BLOOM has no {@code mlp.up}), is refused when added rather than silently never run.
 *
 * <pre>{@code
 * List<float[]> seen = new ArrayList<>();
 * try (HookHandle h = model.hooks().addEveryLayer(HookPoint.MLP_ACT,
 *         Hook.reading((name, act) -> seen.add(act.toFloatArray())))) {
 *     model.logits(batch, manager);
 * }
 * }</pre>
 */
public final class Hooks {
    private final int layers;
    private final Set<HookPoint> points;
    private final Function<HookPoint, String> whyAbsent;
    private final Map<HookName, List<Hook>> hooks = new ConcurrentHashMap<>();

    /** An empty registry for a model of {@code layers} blocks that has every hook point. */
    public Hooks(int layers) {
        this(layers, EnumSet.allOf(HookPoint.class), point -> "the model has no " + point.shortName() + " hook point");
    }

    /**
     * An empty registry for a model of {@code layers} blocks that has only {@code points}.
     *
     * @param whyAbsent the error message for a hook on a point not in {@code points}
     */
    public Hooks(int layers, Set<HookPoint> points, Function<HookPoint, String> whyAbsent) {
        this.layers = layers;
        this.points = Set.copyOf(points);
        this.whyAbsent = whyAbsent;
    }

    /** The hook points the model has. */
    public Set<HookPoint> points() {
        return points;
    }

    /**
     * Registers {@code hook} at {@code name}, after any already there.
     *
     * @throws IllegalArgumentException when the model lacks the layer or the hook point
     */
    public HookHandle add(HookName name, Hook hook) {
        if (name.layer() >= layers) {
            throw new IllegalArgumentException("hook " + name + ": the model has " + layers + " layers (0.."
                    + (layers - 1) + ")");
        }
        requirePoint(name.point());
        hooks.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(hook);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                List<Hook> list = hooks.get(name);
                if (list != null) {
                    list.remove(hook);
                }
            }
        };
    }

    /**
     * Registers {@code hook} at {@code point} of every block; one handle removes them all.
     *
     * @throws IllegalArgumentException when the model lacks the hook point
     */
    public HookHandle addEveryLayer(HookPoint point, Hook hook) {
        requirePoint(point);
        List<HookHandle> handles = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            handles.add(add(new HookName(l, point), hook));
        }
        return () -> handles.forEach(HookHandle::close);
    }

    private void requirePoint(HookPoint point) {
        if (!points.contains(point)) {
            throw new IllegalArgumentException(whyAbsent.apply(point));
        }
    }

    /** Whether any hook is registered at {@code name}. */
    public boolean has(HookName name) {
        List<Hook> list = hooks.get(name);
        return list != null && !list.isEmpty();
    }

    /** How many hooks each name holds now; {@link #firstLayerAddedSince} compares a later state with it. */
    public Map<HookName, Integer> counts() {
        Map<HookName, Integer> out = new HashMap<>();
        hooks.forEach((name, list) -> out.put(name, list.size()));
        return out;
    }

    /**
     * The lowest layer at which more hooks are registered now than in {@code before} (from {@link #counts}), or the
     * number of layers when none was added: the first block a registration can change.
     */
    public int firstLayerAddedSince(Map<HookName, Integer> before) {
        int first = layers;
        for (Map.Entry<HookName, List<Hook>> e : hooks.entrySet()) {
            if (e.getValue().size() > before.getOrDefault(e.getKey(), 0)) {
                first = Math.min(first, e.getKey().layer());
            }
        }
        return first;
    }

    /** Whether no hook is registered anywhere. */
    public boolean isEmpty() {
        return hooks.values().stream().allMatch(List::isEmpty);
    }

    /** Removes every hook. */
    public void clear() {
        hooks.clear();
    }

    /**
     * Runs the hooks at {@code name} on {@code activation} in order and returns the result; with none registered it
     * returns {@code activation} itself, at no cost.
     */
    public NDArray run(HookName name, NDArray activation, HookContext context) {
        List<Hook> list = hooks.get(name);
        if (list == null || list.isEmpty()) {
            return activation;
        }
        NDArray value = activation;
        for (Hook hook : list) {
            NDArray next = hook.apply(name, value, context);
            if (next == null || !next.getShape().equals(value.getShape())) {
                throw new IllegalStateException("hook at " + name + " returned "
                        + (next == null ? "null" : "shape " + next.getShape()) + ", expected shape "
                        + value.getShape());
            }
            value = next.getDataType() == value.getDataType() ? next : next.toType(value.getDataType(), false);
        }
        return value;
    }
}
