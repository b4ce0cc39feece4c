package org.langneurons.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records copies of activations while it is open: "run with cache". Values from several forward calls (the steps of
 * a generation) are concatenated along the position axis.
 *
 * <pre>{@code
 * try (ActivationCache cache = ActivationCache.record(model.hooks(), manager, HookName.mlpAct(0))) {
 *     model.logits(batch, manager);
 *     NDArray neurons = cache.get(HookName.mlpAct(0));   // [B, T, I], float32
 * }
 * }</pre>
 */
public final class ActivationCache implements AutoCloseable {
    private final NDManager manager;
    private final Map<HookName, List<NDArray>> values = new LinkedHashMap<>();
    private final HookHandle handle;

    private ActivationCache(Hooks hooks, NDManager parent, Collection<HookName> names) {
        this.manager = parent.newSubManager();
        List<HookHandle> handles = new ArrayList<>();
        try {
            for (HookName name : names) {
                values.put(name, new ArrayList<>());
                handles.add(hooks.add(name, Hook.reading(this::keep)));
            }
        } catch (RuntimeException e) {
            // a point the model lacks: nothing stays registered
            handles.forEach(HookHandle::close);
            manager.close();
            throw e;
        }
        this.handle = () -> handles.forEach(HookHandle::close);
    }

    /** Starts recording {@code names}; the copies live on a sub-manager of {@code manager} until {@link #close}. */
    public static ActivationCache record(Hooks hooks, NDManager manager, HookName... names) {
        return new ActivationCache(hooks, manager, List.of(names));
    }

    /** Starts recording {@code names}. */
    public static ActivationCache record(Hooks hooks, NDManager manager, Collection<HookName> names) {
        return new ActivationCache(hooks, manager, names);
    }

    private void keep(HookName name, NDArray activation) {
        NDArray copy = activation.toType(DataType.FLOAT32, true);
        copy.attach(manager);
        values.get(name).add(copy);
    }

    /** The recorded value of {@code name}: [B, T, ...] over every forward call so far, float32. */
    public NDArray get(HookName name) {
        List<NDArray> list = values.get(name);
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException("nothing recorded at " + name + " (recording: " + values.keySet()
                    + ")");
        }
        if (list.size() > 1) {
            NDArray joined = NDArrays.concat(new NDList(list), 1);
            list.clear();
            list.add(joined);
        }
        return list.get(0);
    }

    /** Stops recording and frees the copies. */
    @Override
    public void close() {
        handle.close();
        manager.close();
    }
}
