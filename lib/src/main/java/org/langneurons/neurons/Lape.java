package org.langneurons.neurons;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.stats.ActivationProbabilities;
import org.langneurons.stats.NeuronGrid;
import org.langneurons.stats.Percentiles;

/**
 * Language activation probability entropy (LAPE): neurons that fire for few languages, exactly as the two papers'
 * published code computes them (see {@code shared/PAPERS.md}).
 *
 * <p>Input: {@link ActivationProbabilities} {@code p^k_{l,i}}, the fraction of language k's tokens at which neuron
 * (l, i) is above zero. Tang et al.'s variant ({@link #tang}) computes in float32 as their torch code does;
 * Mondal et al.'s ({@link #mondal}) adds their epsilons, takes a linearly interpolated quantile and keeps ties.
 *
 * <pre>{@code
 * LanguageStatistics stats = StatisticsDirectory.at(Path.of("stats")).load(List.of("en", "fr", "zh"));
 * NeuronSet set = Lape.tang(stats.activationProbabilities(), Lape.Settings.defaults());
 * }</pre>
 */
public final class Lape {
    private Lape() {
    }

    /**
     * The constants of LAPE.
     *
     * @param topRate            share of all neurons selected (0.01)
     * @param filterRate         a neuron is kept only if some language's probability exceeds this quantile of all
     *                           probabilities (0.95)
     * @param activationBarRatio a selected neuron belongs to a language whose probability exceeds this quantile (0.95)
     */
    public record Settings(double topRate, double filterRate, double activationBarRatio) {
        public Settings {
            check("top rate", topRate);
            check("filter rate", filterRate);
            check("activation bar ratio", activationBarRatio);
        }

        private static void check(String name, double v) {
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException("LAPE " + name + " must be in (0, 1], got " + v);
            }
        }

        /** Tang et al.'s constants: top rate 0.01, filter rate 0.95, activation bar ratio 0.95. */
        public static Settings defaults() {
            return new Settings(0.01, 0.95, 0.95);
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("top_rate", topRate);
            m.put("filter_rate", filterRate);
            m.put("activation_bar_ratio", activationBarRatio);
            return m;
        }
    }

    /**
     * Tang et al.'s LAPE: entropy of the normalised probabilities (0 where a neuron never fires), neurons that no
     * language activates above the {@code filterRate} order statistic get +infinity, exactly
     * {@code round(topRate * L * I)} neurons of lowest entropy are selected (ties broken by position), and each belongs
     * to the languages whose probability exceeds the {@code activationBarRatio} order statistic. Order statistics are
     * the k-th smallest of all L*I*K probabilities, k = round-half-even(rate * L*I*K).
     *
     * @param p activation probabilities of K languages
     */
    public static NeuronSet tang(ActivationProbabilities p, Settings s) {
        Shape sh = Shape.of(p);
        float[] flat = sh.flatten(p);
        float thr = kthSmallest(flat, (int) Math.rint(flat.length * s.filterRate()));
        float bar = kthSmallest(flat, (int) Math.rint(flat.length * s.activationBarRatio()));
        float[] entropy = new float[sh.l * sh.i];
        for (int l = 0; l < sh.l; l++) {
            for (int i = 0; i < sh.i; i++) {
                float[] pk = sh.languagesOf(flat, l, i);
                float sum = 0;
                for (float v : pk) {
                    sum += v;
                }
                float h = 0;
                boolean passes = false;
                for (float v : pk) {
                    float q = v / sum;               // NaN where sum == 0: the code sets it to 0
                    if (q > 0) {
                        h += q * (float) Math.log(q);
                    }
                    passes |= v > thr;
                }
                entropy[l * sh.i + i] = passes ? -h : Float.POSITIVE_INFINITY;
            }
        }
        int m = (int) Math.rint(sh.l * (double) sh.i * s.topRate());
        Integer[] order = ascending(entropy);
        int[] selected = new int[m];
        for (int j = 0; j < m; j++) {
            selected[j] = order[j];
        }
        return assign("lape", s.asMap(), p, sh, flat, selected, bar);
    }

    /**
     * Mondal et al.'s LAPE: {@code Q = P / (sum P + 1e-10)}, {@code H = -sum Q ln(Q + 1e-10)}; the threshold is the
     * {@code filterRate} quantile of all probabilities with linear interpolation (as {@code torch.quantile}); neurons
     * no language passes get +infinity; every neuron with H at most the m-th smallest H is selected (ties can give
     * more than m); membership by P above the threshold. Computed in double precision.
     */
    public static NeuronSet mondal(ActivationProbabilities p, Settings s) {
        Shape sh = Shape.of(p);
        float[] flat = sh.flatten(p);
        double[] sorted = new double[flat.length];
        for (int j = 0; j < flat.length; j++) {
            sorted[j] = flat[j];
        }
        Arrays.sort(sorted);
        double thr = Percentiles.linear(sorted, s.filterRate());
        double bar = Percentiles.linear(sorted, s.activationBarRatio());
        double[] entropy = new double[sh.l * sh.i];
        for (int l = 0; l < sh.l; l++) {
            for (int i = 0; i < sh.i; i++) {
                float[] pk = sh.languagesOf(flat, l, i);
                double sum = 0;
                for (float v : pk) {
                    sum += v;
                }
                double h = 0;
                boolean passes = false;
                for (float v : pk) {
                    double q = v / (sum + 1e-10);
                    h -= q * Math.log(q + 1e-10);
                    passes |= v > thr;
                }
                entropy[l * sh.i + i] = passes ? h : Double.POSITIVE_INFINITY;
            }
        }
        int m = (int) Math.rint(sh.l * (double) sh.i * s.topRate());
        double[] byEntropy = entropy.clone();
        Arrays.sort(byEntropy);
        double cutoff = m == 0 ? Double.NEGATIVE_INFINITY : byEntropy[m - 1];
        int[] selected = java.util.stream.IntStream.range(0, entropy.length).filter(j -> entropy[j] <= cutoff)
                .toArray();
        return assign("lape-mondal", s.asMap(), p, sh, flat, selected, bar);
    }

    /** Per language, the selected neurons whose probability exceeds {@code bar}. */
    private static NeuronSet assign(String method, Map<String, Object> settings, ActivationProbabilities p,
            Shape sh, float[] flat, int[] selected, double bar) {
        NeuronSet.Builder out = NeuronSet.builder(method, settings, p.languages(), sh.l, sh.i);
        for (int k = 0; k < sh.k; k++) {
            for (int j : selected) {
                if (flat[j * sh.k + k] > bar) {
                    out.addFlat(p.languages().get(k), j);
                }
            }
        }
        return out.build();
    }

    /** Indices of {@code v} by ascending value; equal values keep their position order. */
    private static Integer[] ascending(float[] v) {
        Integer[] order = new Integer[v.length];
        for (int j = 0; j < v.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Float.compare(v[a], v[b]));
        return order;
    }

    /** The k-th smallest value (1-based), as {@code torch.kthvalue}. */
    static float kthSmallest(float[] values, int k) {
        if (k < 1 || k > values.length) {
            throw new IllegalArgumentException("k = " + k + " is outside [1, " + values.length + "]: too few "
                    + "probabilities for this rate");
        }
        float[] s = values.clone();
        Arrays.sort(s);
        return s[k - 1];
    }

    /** The dimensions of P. */
    private record Shape(int l, int i, int k) {
        static Shape of(ActivationProbabilities p) {
            return new Shape(p.layers(), p.neurons(), p.size());
        }

        /** P as float32 in [L, I, K] order: neuron (l, i)'s K probabilities side by side. */
        float[] flatten(ActivationProbabilities p) {
            float[] f = new float[l * i * k];
            for (int c = 0; c < k; c++) {
                NeuronGrid g = p.grids().get(c);
                for (int j = 0; j < l * i; j++) {
                    f[j * k + c] = (float) g.get(j);
                }
            }
            return f;
        }

        /** Neuron (a, b)'s K probabilities. */
        float[] languagesOf(float[] flat, int a, int b) {
            int from = (a * i + b) * k;
            return Arrays.copyOfRange(flat, from, from + k);
        }
    }
}
