package org.langneurons.eval;

import java.util.ArrayList;
import java.util.List;
import org.langneurons.intervention.InterventionValue;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;

/**
 * Perplexity-change matrices of one neuron set for several intervention values (Mondal et al.'s Figures 20-24 show
 * PPXC for zero, the mean and P10 ... P95), summarised per value in cross-entropy change (nats per token): the mean
 * own-language change (the diagonal) and the mean change of the other languages, over the rows with neurons.
 * Computed by {@link PerplexityEvaluation#sweep}.
 *
 * <pre>{@code
 * PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, textsByLanguage, 512, 8);
 * LanguageStatistics act = StatisticsDirectory.at(Path.of("out/stats")).load(List.of("en", "fr"));
 * PerplexitySweep sweep = evaluation.sweep(lape.only(List.of("en", "fr")), List.of(InterventionValue.ZERO,
 *         InterventionValue.parse("mean"), InterventionValue.parse("p90")), PerplexityChange.Progress.NONE, act);
 * Table summary = sweep.table();              // value | own | others | own - others | hurt most | own PPL
 * Table own = sweep.ownTable();               // language | one column per value
 * }</pre>
 *
 * @param matrices one matrix per value, in the order swept, all over the same languages
 */
public record PerplexitySweep(List<PerplexityChange> matrices) {

    public PerplexitySweep {
        matrices = List.copyOf(matrices);
        if (matrices.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one matrix");
        }
        for (PerplexityChange m : matrices) {
            if (!m.languages().equals(matrices.get(0).languages())) {
                throw new IllegalArgumentException("the matrix for " + m.value().label() + " has languages "
                        + m.languages() + ", the first " + matrices.get(0).languages());
            }
        }
    }

    /** The languages (rows and columns of every matrix). */
    public List<String> languages() {
        return matrices.get(0).languages();
    }

    /** The values swept, in order. */
    public List<InterventionValue> values() {
        return matrices.stream().map(PerplexityChange::value).toList();
    }

    /** The matrix of the value written {@code label} ({@code zero}, {@code p10@gate}, ...). */
    public PerplexityChange get(String label) {
        return matrices.stream().filter(m -> m.value().label().equals(label)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no value " + label + " in the sweep " + values()));
    }

    /**
     * Per value, the mean own-language cross-entropy change ce[i][i] over the rows intervened on (a row that no
     * value changed anywhere, a language without neurons, is left out).
     */
    public double[] ownMean() {
        return mean(true);
    }

    /** Per value, the mean cross-entropy change of the other languages, ce[i][j] for j ≠ i, over the same rows. */
    public double[] othersMean() {
        return mean(false);
    }

    private double[] mean(boolean own) {
        List<Integer> rows = rows();
        int k = languages().size();
        double[] out = new double[matrices.size()];
        for (int v = 0; v < out.length; v++) {
            double[][] ce = matrices.get(v).crossEntropyChange();
            double sum = 0;
            int n = 0;
            for (int i : rows) {
                for (int j = 0; j < k; j++) {
                    if ((i == j) == own) {
                        sum += ce[i][j];
                        n++;
                    }
                }
            }
            out[v] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    /** Rows some value changed: a language with neurons (exact zeros are what a row without neurons gets). */
    private List<Integer> rows() {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < languages().size(); i++) {
            for (PerplexityChange m : matrices) {
                int row = i;
                if (java.util.Arrays.stream(m.crossEntropyChange()[row]).anyMatch(x -> x != 0)) {
                    rows.add(i);
                    break;
                }
            }
        }
        return rows;
    }

    /**
     * value | own CE change | others' CE change | own - others | own hurt most | own PPL change: per value the means
     * over the rows intervened on, and how many languages' own cross-entropy rose more than the others' mean.
     */
    public Table table() {
        double[] own = ownMean(), others = othersMean();
        List<Integer> rows = rows();
        Table t = Table.create("Sweep of the value the neurons are set to (cross-entropy change in nats/token, mean "
                + "over " + rows.size() + " intervened languages)", StringColumn.create("value"),
                DoubleColumn.create("own CE change"), DoubleColumn.create("others' CE change"),
                DoubleColumn.create("own - others"), StringColumn.create("own hurt most"),
                DoubleColumn.create("own PPL change"));
        for (int v = 0; v < matrices.size(); v++) {
            PerplexityChange m = matrices.get(v);
            double ppl = 0;
            int hurt = 0;
            double[] d = m.ownMinusOthers();
            for (int i : rows) {
                ppl += m.ppxc()[i][i] / rows.size();
                hurt += d[i] > 0 ? 1 : 0;
            }
            t.stringColumn(0).append(m.value().label());
            t.doubleColumn(1).append(own[v]);
            t.doubleColumn(2).append(others[v]);
            t.doubleColumn(3).append(own[v] - others[v]);
            t.stringColumn(4).append(hurt + " of " + rows.size());
            t.doubleColumn(5).append(ppl);
        }
        return t;
    }

    /** language | one column per value: each language's own cross-entropy change (nats/token). */
    public Table ownTable() {
        Table t = Table.create("Own-language cross-entropy change (nats/token) per value",
                StringColumn.create("language", languages()));
        for (PerplexityChange m : matrices) {
            double[] own = new double[languages().size()];
            for (int i = 0; i < own.length; i++) {
                own[i] = m.crossEntropyChange()[i][i];
            }
            t.addColumns(DoubleColumn.create(m.value().label(), own));
        }
        return t;
    }

    /** Grouped bars: per value, the mean own-language and other-language cross-entropy change. */
    public Figure figure() {
        Object[] labels = values().stream().map(InterventionValue::label).toArray();
        Layout layout = Layout.builder().title("Cross-entropy change by the value the neurons are set to")
                .xAxis(Axis.builder().title("value").build())
                .yAxis(Axis.builder().title("mean cross-entropy change (nats/token)").build())
                .barMode(Layout.BarMode.GROUP).showLegend(true).build();
        return new Figure(layout, BarTrace.builder(labels, ownMean()).name("own language").showLegend(true).build(),
                BarTrace.builder(labels, othersMean()).name("other languages").showLegend(true).build());
    }
}
