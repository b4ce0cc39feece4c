package org.langneurons.report;

import java.util.List;
import java.util.Locale;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.HeatmapTrace;

/**
 * The chart shapes every result type draws with (Tablesaw's Plotly figures): a layout with axis titles, and a
 * heatmap with each cell's value written on it.
 *
 * <pre>{@code
 * var f = Charts.annotatedHeatmap("PPL change", "evaluated", "intervened", List.of("en", "fr"),
 *         List.of("en", "fr"), new double[][] {{1.5, 0.1}, {0.2, 2.0}});
 * Plotly.save(f, Path.of("ppxc.html"));
 * }</pre>
 */
public final class Charts {
    private Charts() {
    }

    /** A layout with a title and axis titles. */
    public static Layout layout(String title, String x, String y) {
        return Layout.builder().title(title).xAxis(Axis.builder().title(x).build())
                .yAxis(Axis.builder().title(y).build()).build();
    }

    /**
     * A heatmap with each cell's value (two decimals; NaN left blank) written on it, row 0 at the top as in a table
     * (Tablesaw's heatmap has no annotations: they are added).
     *
     * @param z [rows][columns]
     */
    public static Figure annotatedHeatmap(String title, String x, String y, List<String> columns, List<String> rows,
            double[][] z) {
        StringBuilder notes = new StringBuilder("[");
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                if (notes.length() > 1) {
                    notes.append(',');
                }
                notes.append("{\"x\":").append(quote(columns.get(c))).append(",\"y\":").append(quote(rows.get(r)))
                        .append(",\"text\":\"").append(Double.isNaN(z[r][c]) ? ""
                                : String.format(Locale.ROOT, "%.2f", z[r][c]))
                        .append("\",\"showarrow\":false,\"font\":{\"size\":10}}");
            }
        }
        String annotations = notes.append(']').toString();
        return new Figure(layout(title, x, y), HeatmapTrace.builder(columns.toArray(), rows.toArray(), z).build()) {
            @Override
            public String asJavascript(String divName) {
                return super.asJavascript(divName) + "<script>Plotly.relayout('" + divName + "', {\"annotations\": "
                        + annotations + ", \"yaxis.autorange\": \"reversed\"});</script>\n";
            }
        };
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
