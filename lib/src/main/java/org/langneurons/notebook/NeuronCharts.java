package org.langneurons.notebook;

import java.util.List;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.report.Charts;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.HeatmapTrace;
import tech.tablesaw.plotly.traces.HistogramTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;

/**
 * Plotly figures of neuron sets (render them with {@link Plotly}):
 * neurons per language, a K x K overlap heatmap, a layers x languages heatmap, and the Jaccard index of two methods
 * per language.
 *
 * <pre>{@code
 * Plotly.save(NeuronCharts.layerDistribution(lape), Path.of("layers.html"));
 * LanguageStatistics relevance = StatisticsDirectory.at(Path.of("stats")).loadRelevance(List.of("en", "fr"));
 * Plotly.save(NeuronCharts.probabilityHistogram(relevance.relevanceProbabilities(), List.of("en"), "relevance"),
 *         Path.of("relevance.html"));
 * }</pre>
 */
public final class NeuronCharts {
    private NeuronCharts() {
    }

    /** Bar chart: neurons per language. */
    public static Figure neuronsPerLanguage(NeuronSet set) {
        Object[] langs = set.languages().toArray();
        double[] n = set.languages().stream().mapToDouble(set::count).toArray();
        return new Figure(Charts.layout(set.method() + ": neurons per language", "language", "neurons"),
                BarTrace.builder(langs, n).build());
    }

    /** Heatmap: neurons shared by each pair of languages (the diagonal is each language's own count). */
    public static Figure overlap(NeuronSet set) {
        List<String> l = set.languages();
        double[][] z = new double[l.size()][l.size()];
        for (int a = 0; a < l.size(); a++) {
            for (int b = 0; b < l.size(); b++) {
                z[a][b] = set.overlap(l.get(a), l.get(b));
            }
        }
        return new Figure(Charts.layout(set.method() + ": shared neurons", "language", "language"),
                HeatmapTrace.builder(l.toArray(), l.toArray(), z).build());
    }

    /** Heatmap: layers (rows) x languages (columns), neurons in each. */
    public static Figure layerDistribution(NeuronSet set) {
        List<String> l = set.languages();
        Object[] layers = new Object[set.layers()];
        double[][] z = new double[set.layers()][l.size()];
        for (int layer = 0; layer < set.layers(); layer++) {
            layers[layer] = "L" + layer;
            for (int k = 0; k < l.size(); k++) {
                z[layer][k] = set.countPerLayer(l.get(k))[layer];
            }
        }
        return new Figure(Charts.layout(set.method() + ": neurons per layer", "language", "layer"),
                HeatmapTrace.builder(l.toArray(), layers, z).build());
    }

    /** Bar chart: per language, the Jaccard index of two methods' neurons. */
    public static Figure jaccard(NeuronSet a, NeuronSet b) {
        List<String> common = a.intersection(b).languages();
        double[] j = common.stream().mapToDouble(lang -> a.jaccard(b, lang)).toArray();
        return new Figure(Charts.layout(a.method() + " vs " + b.method() + ": Jaccard index", "language", "Jaccard"),
                BarTrace.builder(common.toArray(), j).build());
    }

    /**
     * Lines: for each model, the share of its neurons (of all languages together) in each layer, against the layer's
     * relative depth (0 = first layer, 1 = last), so models of different depths compare on one axis.
     */
    public static Figure layerShares(java.util.Map<String, NeuronSet> models) {
        List<ScatterTrace> traces = new java.util.ArrayList<>();
        models.forEach((name, set) -> {
            double[] depth = new double[set.layers()], share = new double[set.layers()];
            double all = 0;
            for (int l = 0; l < set.layers(); l++) {
                all += set.unionOfLanguages(l).length;
            }
            for (int l = 0; l < set.layers(); l++) {
                depth[l] = set.layers() == 1 ? 0 : l / (double) (set.layers() - 1);
                share[l] = all == 0 ? 0 : set.unionOfLanguages(l).length / all;
            }
            traces.add(ScatterTrace.builder(depth, share).mode(ScatterTrace.Mode.LINE_AND_MARKERS).name(name)
                    .showLegend(true).build());
        });
        return new Figure(Charts.layout("Where the language-specific neurons are", "relative depth of the layer",
                "share of the model's selected neurons"), traces.toArray(new ScatterTrace[0]));
    }

    /** Lines: per language, the mean activation probability P(value > 0) of each layer's neurons. */
    public static Figure activationProbabilityByLayer(org.langneurons.stats.LanguageStatistics stats) {
        List<ScatterTrace> traces = new java.util.ArrayList<>();
        for (var s : stats.list()) {
            double[][] p = s.activationProbability().toRows();
            double[] layer = new double[p.length], mean = new double[p.length];
            for (int l = 0; l < p.length; l++) {
                layer[l] = l;
                double sum = 0;
                for (double v : p[l]) {
                    sum += v;
                }
                mean[l] = sum / p[l].length;
            }
            traces.add(ScatterTrace.builder(layer, mean).mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                    .name(s.language()).showLegend(true).build());
        }
        return new Figure(Charts.layout("Mean activation probability per layer", "layer", "mean P(value > 0)"),
                traces.toArray(new ScatterTrace[0]));
    }

    /** Overlaid histograms: the activation probabilities of one layer's neurons, one trace per language. */
    public static Figure activationProbabilityHistogram(org.langneurons.stats.LanguageStatistics stats, int layer) {
        List<HistogramTrace> traces = new java.util.ArrayList<>();
        for (var s : stats.list()) {
            float[] p = s.activationProbability().layer(layer);
            double[] d = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                d[i] = p[i];
            }
            traces.add(HistogramTrace.builder(d).name(s.language()).opacity(0.5).nBinsX(40).build());
        }
        Layout l = Layout.builder().title("Activation probabilities of layer " + layer + "'s neurons")
                .xAxis(Axis.builder().title("P(value > 0)").build()).yAxis(Axis.builder().title("neurons").build())
                .barMode(Layout.BarMode.OVERLAY).showLegend(true).build();
        return new Figure(l, traces.toArray(new HistogramTrace[0]));
    }

    /**
     * Overlaid histograms of one probability per neuron (all layers), one trace per language of {@code languages}:
     * e.g. Activation Probability's relevance, which piles up near {@code 1 - p/100}.
     */
    public static Figure probabilityHistogram(org.langneurons.stats.ActivationProbabilities p, List<String> languages,
            String title) {
        List<HistogramTrace> traces = new java.util.ArrayList<>();
        for (String lang : languages) {
            traces.add(HistogramTrace.builder(p.of(lang).toDoubleArray()).name(lang).opacity(0.5).nBinsX(60).build());
        }
        Layout l = Layout.builder().title(title).xAxis(Axis.builder().title("probability").build())
                .yAxis(Axis.builder().title("neurons").type(Axis.Type.LOG).build()).barMode(Layout.BarMode.OVERLAY)
                .showLegend(true).build();
        return new Figure(l, traces.toArray(new HistogramTrace[0]));
    }
}
