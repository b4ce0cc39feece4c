package org.langneurons.notebook;

import java.util.List;
import org.langneurons.neurons.NeuronSet;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.HeatmapTrace;

/**
 * Plotly figures of neuron sets (render them with {@link Plotly}):
 * neurons per language, a K x K overlap heatmap, a layers x languages heatmap, and the Jaccard index of two methods
 * per language.
 *
 * <pre>{@code
 * Plotly.save(NeuronCharts.layerDistribution(lape), Path.of("layers.html"));
 * }</pre>
 */
public final class NeuronCharts {
    private NeuronCharts() {
    }

    private static Layout layout(String title, String x, String y) {
        return Layout.builder().title(title).xAxis(Axis.builder().title(x).build())
                .yAxis(Axis.builder().title(y).build()).build();
    }

    /** Bar chart: neurons per language. */
    public static Figure neuronsPerLanguage(NeuronSet set) {
        Object[] langs = set.languages().toArray();
        double[] n = set.languages().stream().mapToDouble(set::count).toArray();
        return new Figure(layout(set.method() + ": neurons per language", "language", "neurons"),
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
        return new Figure(layout(set.method() + ": shared neurons", "language", "language"),
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
        return new Figure(layout(set.method() + ": neurons per layer", "language", "layer"),
                HeatmapTrace.builder(l.toArray(), layers, z).build());
    }

    /** Bar chart: per language, the Jaccard index of two methods' neurons. */
    public static Figure jaccard(NeuronSet a, NeuronSet b) {
        List<String> common = a.intersection(b).languages();
        double[] j = common.stream().mapToDouble(lang -> a.jaccard(b, lang)).toArray();
        return new Figure(layout(a.method() + " vs " + b.method() + ": Jaccard index", "language", "Jaccard"),
                BarTrace.builder(common.toArray(), j).build());
    }
}
