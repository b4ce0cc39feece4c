package org.langneurons.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.langneurons.hooks.HookContext;
import org.langneurons.hooks.HookName;
import org.langneurons.model.Scalars;

/**
 * Per-layer accumulators of {@link ActivationStatistics} on the model's device, updated by a reading hook at every
 * layer: counts, sums, extremes, per-batch percentiles and, given thresholds, the fraction of positions above them.
 * Started from existing statistics, it continues from their exact values, so a resumed run adds in the same order
 * as an unbroken one.
 */
final class NeuronAccumulators implements AutoCloseable {
    private final NDManager manager;
    private final ActivationStatistics start;
    private final boolean includePadding;
    private final double[] percentiles;
    private final int neurons;
    private final NDArray[] overZero, sum, sumSquares, min, max, percentileSums;
    private final NDArray[] thresholds, aboveSums;     // null without a relevance pass
    private final NDArray[] sketchBelow;               // [E, I] per layer; null without a sketch
    private final NDArray[] batchProbability, batchMean, batchStd;   // [I] per layer; null when pooled
    private final NDArray edges;                       // [E, 1]
    private long tokens;
    private long batches;
    private long batchPositions;

    NeuronAccumulators(NDManager parent, ActivationStatistics start, boolean includePadding) {
        this.manager = parent.newSubManager();
        this.start = start;
        this.includePadding = includePadding;
        this.percentiles = start.percentiles();
        this.neurons = start.neurons();
        int layers = start.layers();
        overZero = new NDArray[layers];
        sum = new NDArray[layers];
        sumSquares = new NDArray[layers];
        min = new NDArray[layers];
        max = new NDArray[layers];
        percentileSums = new NDArray[layers];
        // continue from the start's exact values, so a resumed run adds in the same order as an unbroken one
        long[] oz = start.overZero().toLongArray();
        double[] s0 = start.sum().toDoubleArray(), sq = start.sumSquares().toDoubleArray();
        float[] mn = start.min().toFloatArray(), mx = start.max().toFloatArray();
        double[] ps = percentiles;
        double[][] startSums = new double[ps.length][];     // once, not once per layer
        for (int j = 0; j < ps.length; j++) {
            startSums[j] = start.percentileSum(ps[j]).toDoubleArray();
        }
        for (int l = 0; l < layers; l++) {
            int from = l * neurons, to = from + neurons;
            overZero[l] = manager.create(Arrays.copyOfRange(oz, from, to));
            sum[l] = manager.create(Arrays.copyOfRange(s0, from, to));
            sumSquares[l] = manager.create(Arrays.copyOfRange(sq, from, to));
            min[l] = manager.create(Arrays.copyOfRange(mn, from, to));
            max[l] = manager.create(Arrays.copyOfRange(mx, from, to));
            double[] p = new double[ps.length * neurons];
            for (int j = 0; j < ps.length; j++) {
                System.arraycopy(startSums[j], from, p, j * neurons, neurons);
            }
            percentileSums[l] = manager.create(p, new Shape(ps.length, neurons));
        }
        if (start.hasRelevance()) {
            float[] thr = start.thresholds().toFloatArray();
            double[] above = start.aboveThresholdSums().toDoubleArray();
            thresholds = new NDArray[layers];
            aboveSums = new NDArray[layers];
            for (int l = 0; l < layers; l++) {
                thresholds[l] = manager.create(Arrays.copyOfRange(thr, l * neurons, (l + 1) * neurons));
                aboveSums[l] = manager.create(Arrays.copyOfRange(above, l * neurons, (l + 1) * neurons));
            }
        } else {
            thresholds = null;
            aboveSums = null;
        }
        if (start.sketch() != null) {
            int e = start.sketch().edgeCount();
            long[] below = start.sketchBelow();
            int n = layers * neurons;
            sketchBelow = new NDArray[layers];
            for (int l = 0; l < layers; l++) {
                long[] part = new long[e * neurons];
                for (int b = 0; b < e; b++) {
                    System.arraycopy(below, b * n + l * neurons, part, b * neurons, neurons);
                }
                sketchBelow[l] = manager.create(part, new Shape(e, neurons));
            }
            edges = manager.create(start.sketch().edges(), new Shape(e, 1));
        } else {
            sketchBelow = null;
            edges = null;
        }
        if (start.batchMeans() != null) {
            ActivationStatistics.BatchMeans b = start.batchMeans();
            batchProbability = perLayer(b.probabilitySums().toDoubleArray(), layers);
            batchMean = perLayer(b.meanSums().toDoubleArray(), layers);
            batchStd = perLayer(b.stdSums().toDoubleArray(), layers);
        } else {
            batchProbability = null;
            batchMean = null;
            batchStd = null;
        }
        tokens = start.tokens();
        batches = start.batches();
    }

    private NDArray[] perLayer(double[] values, int layers) {
        NDArray[] out = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            out[l] = manager.create(Arrays.copyOfRange(values, l * neurons, (l + 1) * neurons));
        }
        return out;
    }

    void beginBatch(long positions) {
        batchPositions = positions;
    }

    void endBatch() {
        tokens += batchPositions;
        batches++;
    }

    /** The hook: [B, T, I] activation of one layer, masked to the counted positions. */
    NDArray observe(HookName name, NDArray activation, HookContext ctx) {
        int l = name.layer();
        NDArray x = activation.toType(DataType.FLOAT32, false).reshape(-1, neurons);    // [B*T, I]
        if (!includePadding) {
            NDArray real = ctx.newTokenMask().reshape(-1, 1).eq(1).broadcast(x.getShape());
            x = x.booleanMask(real).reshape(-1, neurons);                               // [N, I]
        }
        NDArray above = x.gt(0).toType(DataType.INT64, false).sum(new int[] {0});
        overZero[l].addi(above);
        NDArray x64 = x.toType(DataType.FLOAT64, false);
        NDArray batchSum = x64.sum(new int[] {0});
        sum[l].addi(batchSum);
        sumSquares[l].addi(x64.mul(x64).sum(new int[] {0}));
        replace(min, l, min[l].minimum(x.min(new int[] {0})));
        replace(max, l, max[l].maximum(x.max(new int[] {0})));
        long n = x.getShape().get(0);
        if (batchProbability != null) {
            // Mondal et al.'s per-batch values: fraction above zero, mean, unbiased std (n - 1, torch.std's default)
            NDArray mean = Scalars.div(batchSum, n);
            batchProbability[l].addi(Scalars.div(above.toType(DataType.FLOAT64, false), n));
            batchMean[l].addi(mean);
            NDArray dev = x64.sub(mean);
            batchStd[l].addi(Scalars.div(dev.mul(dev).sum(new int[] {0}), n - 1).sqrt());
        }
        if (thresholds != null) {
            aboveSums[l].addi(Scalars.div(x.gt(thresholds[l]).toType(DataType.FLOAT64, false).sum(new int[] {0}), n));
        }
        double[] ps = percentiles;
        // the sketch needs every value in order; percentiles alone need only some ranks
        NDArray sorted = sketchBelow != null ? x.sort(0) : null;
        if (sketchBelow != null) {
            sketchBelow[l].addi(countBelowEdges(sorted, n));
        }
        if (ps.length > 0) {
            OrderStatistics order = sorted != null ? new OrderStatistics(null, sorted, n, n)
                    : OrderStatistics.of(x, n, ps);
            for (int j = 0; j < ps.length; j++) {
                double pos = ps[j] / 100 * (n - 1);
                long lo = (long) Math.floor(pos), hi = Math.min(lo + 1, n - 1);
                NDArray a = order.rank(lo).toType(DataType.FLOAT64, false);
                NDArray b = order.rank(hi).toType(DataType.FLOAT64, false);
                percentileSums[l].get(j).addi(a.add(Scalars.mul(b.sub(a), pos - lo)));
            }
        }
        return activation;
    }

    /**
     * The values of given ranks along axis 0 of [N, I] (rank 0 the smallest, per column) without sorting all N: the
     * ranks at or above the lowest one asked for in the upper half come from a partial selection of the largest
     * values, the others from one of the smallest (at N = 4096 positions of a 124M model the full statistics ran at 349
     * instead of 288 tokens/s; the values are the sorted ones exactly, so the percentiles equal a full sort's).
     */
    private record OrderStatistics(NDArray largest, NDArray smallest, long n, long firstUpper) {

        static OrderStatistics of(NDArray x, long n, double[] percentiles) {
            long firstUpper = n, lastLower = -1;
            for (double p : percentiles) {
                double pos = p / 100 * (n - 1);
                long lo = (long) Math.floor(pos), hi = Math.min(lo + 1, n - 1);
                if (2 * lo >= n - 1) {
                    firstUpper = Math.min(firstUpper, lo);
                } else {
                    lastLower = Math.max(lastLower, hi);
                }
            }
            // descending: rank r at index n - 1 - r; ascending: rank r at index r
            NDArray largest = firstUpper < n ? x.topK((int) (n - firstUpper), 0, true, true).get(0) : null;
            NDArray smallest = lastLower >= 0 ? x.topK((int) (lastLower + 1), 0, false, true).get(0) : null;
            return new OrderStatistics(largest, smallest, n, firstUpper);
        }

        /** The rank-r values, [I]. */
        NDArray rank(long r) {
            if (largest != null && r >= firstUpper) {
                return largest.get(n - 1 - r);
            }
            return smallest.get(r);
        }
    }

    /**
     * For each sketch edge and neuron, how many of the neuron's {@code n} sorted values are below the edge: a
     * binary search run for all [E, I] pairs at once with gathers, [E, I] int64.
     */
    private NDArray countBelowEdges(NDArray sorted, long n) {
        Shape shape = new Shape(edges.getShape().get(0), neurons);
        NDArray lo = sorted.getManager().zeros(shape, DataType.INT64);
        NDArray hi = sorted.getManager().full(shape, n).toType(DataType.INT64, false);
        // lower bound: while lo < hi, mid = (lo + hi) / 2; a[mid] < e ? lo = mid + 1 : hi = mid; bits(n) rounds
        for (int round = 64 - Long.numberOfLeadingZeros(n); round > 0; round--) {
            NDArray mid = Scalars.div(lo.add(hi).toType(DataType.FLOAT64, false), 2).floor()
                    .toType(DataType.INT64, false);
            NDArray active = lo.lt(hi);
            NDArray less = sorted.gather(Scalars.minimum(mid, n - 1), 0).lt(edges).logicalAnd(active);   // [E, I]
            hi = NDArrays.where(less.logicalNot().logicalAnd(active), mid, hi);
            lo = NDArrays.where(less, Scalars.add(mid, 1), lo);
        }
        return lo;
    }

    private void replace(NDArray[] arrays, int l, NDArray value) {
        value.attach(manager);
        arrays[l].close();
        arrays[l] = value;
    }

    /** The statistics so far, on the host. */
    ActivationStatistics snapshot() {
        int layers = start.layers(), n = layers * neurons;
        long[] oz = new long[n];
        double[] s = new double[n], sq = new double[n];
        float[] mn = new float[n], mx = new float[n];
        double[][] ps = new double[percentiles.length][n];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(overZero[l].toLongArray(), 0, oz, l * neurons, neurons);
            System.arraycopy(sum[l].toDoubleArray(), 0, s, l * neurons, neurons);
            System.arraycopy(sumSquares[l].toDoubleArray(), 0, sq, l * neurons, neurons);
            System.arraycopy(min[l].toFloatArray(), 0, mn, l * neurons, neurons);
            System.arraycopy(max[l].toFloatArray(), 0, mx, l * neurons, neurons);
            double[] p = percentileSums[l].toDoubleArray();
            for (int j = 0; j < ps.length; j++) {
                System.arraycopy(p, j * neurons, ps[j], l * neurons, neurons);
            }
        }
        double[] above = null;
        if (aboveSums != null) {
            above = new double[n];
            for (int l = 0; l < layers; l++) {
                System.arraycopy(aboveSums[l].toDoubleArray(), 0, above, l * neurons, neurons);
            }
        }
        long[] below = null;
        if (sketchBelow != null) {
            int e = start.sketch().edgeCount();
            below = new long[e * n];
            for (int l = 0; l < layers; l++) {
                long[] part = sketchBelow[l].toLongArray();
                for (int b = 0; b < e; b++) {
                    System.arraycopy(part, b * neurons, below, b * n + l * neurons, neurons);
                }
            }
        }
        List<NeuronGrid> sums = new ArrayList<>();
        for (double[] row : ps) {
            sums.add(NeuronGrid.of(layers, neurons, row));
        }
        ActivationStatistics.Builder b = start.toBuilder().tokens(tokens).batches(batches)
                .overZero(NeuronGrid.ofLongs(layers, neurons, oz)).sum(NeuronGrid.of(layers, neurons, s))
                .sumSquares(NeuronGrid.of(layers, neurons, sq)).min(NeuronGrid.ofFloats(layers, neurons, mn))
                .max(NeuronGrid.ofFloats(layers, neurons, mx)).percentiles(percentiles, sums);
        if (above != null) {
            b.relevance(new ActivationStatistics.Relevance(start.thresholds(), NeuronGrid.of(layers, neurons, above)));
        }
        if (below != null) {
            b.sketch(new ActivationStatistics.SketchCounts(start.sketch(), below));
        }
        if (batchProbability != null) {
            b.batchMeans(new ActivationStatistics.BatchMeans(joined(batchProbability, layers),
                    joined(batchMean, layers), joined(batchStd, layers)));
        }
        return b.build();
    }

    private NeuronGrid joined(NDArray[] perLayer, int layers) {
        double[] all = new double[layers * neurons];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(perLayer[l].toDoubleArray(), 0, all, l * neurons, neurons);
        }
        return NeuronGrid.of(layers, neurons, all);
    }

    @Override
    public void close() {
        manager.close();
    }
}
