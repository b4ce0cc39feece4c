package org.langneurons.intervention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.langneurons.hooks.HookContext;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookName;
import org.langneurons.hooks.HookPoint;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.NeuronGrid;

/**
 * Overwrites chosen neurons during every forward call: set them to a constant or to per-neuron values (a language's
 * mean or percentile from its statistics), scale them, or add to them; at all positions, the prompt's, or the
 * generated ones. Applied through hooks on {@code blocks.{l}.mlp.hook_act} (or another hook point), so it acts the
 * same in forwards, losses and every generation step, cached or not.
 *
 * <pre>{@code
 * Intervention off = Intervention.set(lape, "fr", 0f);                           // Tang et al.: deactivate
 * Intervention mean = Intervention.setTo(lape, "vi", InterventionValue.parse("mean"), lang -> stats); // Mondal
 * try (HookHandle h = off.apply(model)) {
 *     model.perplexity(texts, 512, 8);
 * }
 * }</pre>
 *
 * @param operation  what is done to the targeted neurons
 * @param neurons    per layer, the ascending indices targeted (L arrays, possibly empty)
 * @param values     per layer, one value per targeted neuron (the constant, statistic, factor or addend)
 * @param positions  which positions are changed
 * @param point      the hook point written (MLP_ACT: the neurons; MLP_GATE: before the activation function)
 */
public record Intervention(Operation operation, int[][] neurons, float[][] values, Positions positions,
        HookPoint point) {

    /** What an intervention does to a targeted neuron's value a. */
    public enum Operation {
        /** a := v */
        SET,
        /** a := a * v */
        SCALE,
        /** a := a + v */
        ADD
    }

    /** The positions an intervention changes. */
    public enum Positions {
        /** every position, prompt and generated */
        ALL,
        /** the prompt's positions only (all positions of a plain forward) */
        PROMPT,
        /** generated positions only */
        GENERATED
    }

    public Intervention {
        if (neurons.length != values.length) {
            throw new IllegalArgumentException("neurons for " + neurons.length + " layers but values for "
                    + values.length);
        }
        for (int l = 0; l < neurons.length; l++) {
            if (neurons[l].length != values[l].length) {
                throw new IllegalArgumentException("layer " + l + ": " + neurons[l].length + " neurons but "
                        + values[l].length + " values");
            }
        }
        neurons = Arrays.stream(neurons).map(int[]::clone).toArray(int[][]::new);
        values = Arrays.stream(values).map(float[]::clone).toArray(float[][]::new);
    }

    /** Every neuron of {@code language} in {@code set} set to {@code value} at all positions. */
    public static Intervention set(NeuronSet set, String language, float value) {
        return uniform(Operation.SET, set, language, value);
    }

    /** One neuron, {@code neuron} of {@code layer} in a model of {@code layers} layers, set to {@code value}. */
    public static Intervention setOne(int layers, int layer, int neuron, float value) {
        if (layer < 0 || layer >= layers || neuron < 0) {
            throw new IllegalArgumentException("no neuron " + neuron + " in layer " + layer + " of " + layers);
        }
        int[][] n = new int[layers][0];
        float[][] v = new float[layers][0];
        n[layer] = new int[] {neuron};
        v[layer] = new float[] {value};
        return new Intervention(Operation.SET, n, v, Positions.ALL, HookPoint.MLP_ACT);
    }

    /** Every neuron of {@code language} multiplied by {@code factor}. */
    public static Intervention scale(NeuronSet set, String language, float factor) {
        return uniform(Operation.SCALE, set, language, factor);
    }

    /** {@code delta} added to every neuron of {@code language}. */
    public static Intervention add(NeuronSet set, String language, float delta) {
        return uniform(Operation.ADD, set, language, delta);
    }

    private static Intervention uniform(Operation op, NeuronSet set, String language, float v) {
        int[][] n = new int[set.layers()][];
        float[][] values = new float[set.layers()][];
        for (int l = 0; l < set.layers(); l++) {
            n[l] = set.neurons(language, l);
            values[l] = new float[n[l].length];
            Arrays.fill(values[l], v);
        }
        return new Intervention(op, n, values, Positions.ALL, HookPoint.MLP_ACT);
    }

    /**
     * Every neuron of {@code language} in {@code set} set to its own value of {@code statistic} in {@code stats}
     * (Mondal et al.): the mean, min, max or a collected batch-mean percentile.
     */
    public static Intervention setToStatistic(NeuronSet set, String language, ActivationStatistics stats,
            InterventionValue.Statistic statistic) {
        if (stats.layers() != set.layers() || stats.neurons() != set.neuronsPerLayer()) {
            throw new IllegalArgumentException("statistics of " + stats.language() + " are " + stats.layers() + " x "
                    + stats.neurons() + ", the neuron set " + set.layers() + " x " + set.neuronsPerLayer());
        }
        NeuronGrid per = statistic.values(stats);
        int[][] n = new int[set.layers()][];
        float[][] values = new float[set.layers()][];
        for (int l = 0; l < set.layers(); l++) {
            n[l] = set.neurons(language, l);
            values[l] = per.at(l, n[l]);
        }
        return new Intervention(Operation.SET, n, values, Positions.ALL, HookPoint.MLP_ACT);
    }

    /**
     * Every neuron of {@code language} set to {@code value}: zero, a constant, or a statistic of that language's
     * statistics, which {@code statsFor} supplies (it is asked only for a statistic).
     */
    public static Intervention setTo(NeuronSet set, String language, InterventionValue value,
            Function<String, ActivationStatistics> statsFor) {
        if (value instanceof InterventionValue.Statistic s) {
            return setToStatistic(set, language, statsFor.apply(language), s);
        }
        return set(set, language, value instanceof InterventionValue.Constant c ? c.value() : 0f);
    }

    /** The same intervention at other positions. */
    public Intervention at(Positions p) {
        return new Intervention(operation, neurons, values, p, point);
    }

    /** The same intervention written at another hook point of the MLP ({@code MLP_ACT} or {@code MLP_GATE}). */
    public Intervention into(HookPoint p) {
        return new Intervention(operation, neurons, values, positions, p);
    }

    /** Neurons targeted, over all layers. */
    public int size() {
        return Arrays.stream(neurons).mapToInt(a -> a.length).sum();
    }

    /**
     * Registers the intervention's hooks on {@code model}; closing the handle removes them. Per layer, a mask and a
     * value vector are built once on the model's device and combined with each activation there.
     */
    public HookHandle apply(LanguageModel model) {
        if (neurons.length != model.config().layers()) {
            throw new IllegalArgumentException("intervention for " + neurons.length + " layers, the model has "
                    + model.config().layers());
        }
        int width = model.config().neuronsPerLayer();
        NDManager m = model.manager().newSubManager();
        List<HookHandle> handles = new ArrayList<>();
        for (int l = 0; l < neurons.length; l++) {
            if (neurons[l].length == 0) {
                continue;
            }
            float[] target = new float[width];
            for (int j = 0; j < neurons[l].length; j++) {
                if (neurons[l][j] < 0 || neurons[l][j] >= width) {
                    m.close();
                    throw new IllegalArgumentException("layer " + l + ": neuron " + neurons[l][j] + " is outside [0, "
                            + width + ")");
                }
                target[neurons[l][j]] = values[l][j];
            }
            boolean[] on = new boolean[width];
            for (int n : neurons[l]) {
                on[n] = true;
            }
            NDArray maskArray = m.create(on);
            NDArray targetArray = m.create(target).toType(model.dtype(), false);
            handles.add(model.hooks().add(new HookName(l, point),
                    (name, act, ctx) -> change(act, ctx, maskArray, targetArray)));
        }
        return () -> {
            handles.forEach(HookHandle::close);
            m.close();
        };
    }

    /** The activation [B, T, I] with the masked neurons changed at the chosen positions (exactly, by where). */
    private NDArray change(NDArray act, HookContext ctx, NDArray mask, NDArray target) {
        NDArray m = mask;                                         // [I] boolean, broadcast over [B, T, I]
        if (positions != Positions.ALL) {
            int t = (int) act.getShape().get(1);
            boolean[] pos = new boolean[t];
            boolean any = false;
            for (int i = 0; i < t; i++) {
                boolean prompt = ctx.pastLength() + i < ctx.promptLength();
                pos[i] = (positions == Positions.PROMPT) == prompt;
                any |= pos[i];
            }
            if (!any) {
                return act;
            }
            m = act.getManager().create(pos, new Shape(1, t, 1)).logicalAnd(mask);
        }
        NDArray changed = switch (operation) {
            case SET -> target.broadcast(act.getShape());
            case SCALE -> act.mul(target);
            case ADD -> act.add(target);
        };
        NDArray where = m.broadcast(act.getShape());
        NDArray out = NDArrays.where(where, changed, act);
        // Ops on the intervention's own arrays give results on its manager, which lives as long as the intervention:
        // they belong to this forward call, and are freed with it (else every batch evaluated would be kept).
        NDManager call = act.getManager();
        changed.attach(call);
        where.attach(call);
        out.attach(call);
        return out;
    }

    /** Several interventions as one: applied in order, removed together. */
    public static HookHandle applyAll(LanguageModel model, List<Intervention> interventions) {
        List<HookHandle> handles = new ArrayList<>();
        try {
            for (Intervention i : interventions) {
                handles.add(i.apply(model));
            }
        } catch (RuntimeException e) {
            handles.forEach(HookHandle::close);
            throw e;
        }
        return () -> handles.forEach(HookHandle::close);
    }

    @Override
    public String toString() {
        return "Intervention[" + operation + " " + size() + " neurons at " + positions + ", " + point.suffix() + "]";
    }

    // arrays compared by content (records compare array references)
    @Override
    public boolean equals(Object o) {
        return o instanceof Intervention i && operation == i.operation && positions == i.positions
                && point == i.point && Arrays.deepEquals(neurons, i.neurons) && Arrays.deepEquals(values, i.values);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(operation, positions, point, Arrays.deepHashCode(neurons),
                Arrays.deepHashCode(values));
    }
}
