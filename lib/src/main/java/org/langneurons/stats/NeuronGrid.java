package org.langneurons.stats;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntToDoubleFunction;

/**
 * One value per neuron of a model: L layers x I neurons, row-major (neuron (l, i) is entry {@code l * I + i}). Every
 * per-neuron view of the library is one of these: counts, sums, means, percentiles, probabilities, relevance. Values
 * are doubles; counts (below 2^53) and float32 values are held exactly, so {@link #toLongArray} and
 * {@link #toFloatArray} give back exactly what was put in. Immutable.
 *
 * <pre>{@code
 * NeuronGrid mean = stats.mean();
 * double m = mean.get(3, 1234);              // layer 3, neuron 1234
 * double overall = mean.average();           // over all L x I neurons
 * float[] layer3 = mean.layer(3);            // I values, e.g. for a device array
 * }</pre>
 */
public final class NeuronGrid {
    private final int layers;
    private final int neurons;
    private final double[] values;

    private NeuronGrid(int layers, int neurons, double[] values) {
        if (layers < 1 || neurons < 1) {
            throw new IllegalArgumentException("a neuron grid needs at least one layer and one neuron, got " + layers
                    + " x " + neurons);
        }
        if (values.length != (long) layers * neurons) {
            throw new IllegalArgumentException("a " + layers + " x " + neurons + " neuron grid needs "
                    + (long) layers * neurons + " values, got " + values.length);
        }
        this.layers = layers;
        this.neurons = neurons;
        this.values = values;
    }

    /** A grid of {@code values}, row-major [L, I] (copied). */
    public static NeuronGrid of(int layers, int neurons, double[] values) {
        return new NeuronGrid(layers, neurons, values.clone());
    }

    /** A grid of float values, row-major [L, I]. */
    public static NeuronGrid ofFloats(int layers, int neurons, float[] values) {
        double[] v = new double[values.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = values[j];
        }
        return new NeuronGrid(layers, neurons, v);
    }

    /** A grid of counts, row-major [L, I]. */
    public static NeuronGrid ofLongs(int layers, int neurons, long[] values) {
        double[] v = new double[values.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = values[j];
        }
        return new NeuronGrid(layers, neurons, v);
    }

    /** A grid of nested rows {@code [L][I]}. */
    public static NeuronGrid ofRows(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a neuron grid needs at least one layer");
        }
        int n = rows[0].length;
        double[] v = new double[rows.length * n];
        for (int l = 0; l < rows.length; l++) {
            if (rows[l].length != n) {
                throw new IllegalArgumentException("layer " + l + " has " + rows[l].length + " neurons, layer 0 " + n);
            }
            System.arraycopy(rows[l], 0, v, l * n, n);
        }
        return new NeuronGrid(rows.length, n, v);
    }

    /** A grid whose value at flat index j is {@code f(j)}. */
    public static NeuronGrid compute(int layers, int neurons, IntToDoubleFunction f) {
        double[] v = new double[layers * neurons];
        for (int j = 0; j < v.length; j++) {
            v[j] = f.applyAsDouble(j);
        }
        return new NeuronGrid(layers, neurons, v);
    }

    /** A grid of one value everywhere. */
    public static NeuronGrid filled(int layers, int neurons, double value) {
        double[] v = new double[layers * neurons];
        Arrays.fill(v, value);
        return new NeuronGrid(layers, neurons, v);
    }

    /** L. */
    public int layers() {
        return layers;
    }

    /** I, neurons per layer. */
    public int neurons() {
        return neurons;
    }

    /** L x I. */
    public int size() {
        return values.length;
    }

    /** The value of neuron {@code neuron} of layer {@code layer}. */
    public double get(int layer, int neuron) {
        if (layer < 0 || layer >= layers || neuron < 0 || neuron >= neurons) {
            throw new IndexOutOfBoundsException("neuron (" + layer + ", " + neuron + ") of a " + layers + " x "
                    + neurons + " grid");
        }
        return values[layer * neurons + neuron];
    }

    /** The value at flat index {@code index} = layer * I + neuron. */
    public double get(int index) {
        return values[index];
    }

    /** Layer {@code layer}'s I values, as float32. */
    public float[] layer(int layer) {
        float[] out = new float[neurons];
        for (int i = 0; i < neurons; i++) {
            out[i] = (float) values[layer * neurons + i];
        }
        return out;
    }

    /** The values of {@code layer} at the given neuron indices, as float32. */
    public float[] at(int layer, int[] neuronIndices) {
        float[] out = new float[neuronIndices.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) get(layer, neuronIndices[j]);
        }
        return out;
    }

    /** All values, row-major (a copy). */
    public double[] toDoubleArray() {
        return values.clone();
    }

    /** All values as float32, row-major. */
    public float[] toFloatArray() {
        float[] out = new float[values.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) values[j];
        }
        return out;
    }

    /** All values as integers (truncated), row-major: exact for counts. */
    public long[] toLongArray() {
        long[] out = new long[values.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (long) values[j];
        }
        return out;
    }

    /** Nested rows {@code [L][I]}. */
    public double[][] toRows() {
        double[][] out = new double[layers][];
        for (int l = 0; l < layers; l++) {
            out[l] = Arrays.copyOfRange(values, l * neurons, (l + 1) * neurons);
        }
        return out;
    }

    /** The mean over all L x I values. */
    public double average() {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** {@code f} of every value. */
    public NeuronGrid map(DoubleUnaryOperator f) {
        double[] v = new double[values.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = f.applyAsDouble(values[j]);
        }
        return new NeuronGrid(layers, neurons, v);
    }

    /** {@code f(this, other)} neuron by neuron. */
    public NeuronGrid combine(NeuronGrid other, DoubleBinaryOperator f) {
        requireSameShape(other);
        double[] v = new double[values.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = f.applyAsDouble(values[j], other.values[j]);
        }
        return new NeuronGrid(layers, neurons, v);
    }

    /** Whether {@code other} has the same L x I. */
    public boolean sameShape(NeuronGrid other) {
        return other.layers == layers && other.neurons == neurons;
    }

    private void requireSameShape(NeuronGrid other) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException("neuron grids of different shapes: " + layers + " x " + neurons
                    + " and " + other.layers + " x " + other.neurons);
        }
    }

    /** Flat indices ordered by descending value; equal values keep index order. */
    public int[] descendingOrder() {
        Integer[] order = new Integer[values.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NeuronGrid g && g.layers == layers && g.neurons == neurons
                && Arrays.equals(g.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * layers + neurons) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "NeuronGrid[" + layers + " x " + neurons + "]";
    }
}
