package org.langneurons.finetune;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.eval.Bootstrap;
import org.langneurons.report.JsonFiles;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The figures of a {@link TransferGrid}, computed from its saved per-example scores: each cell's mean with a 95%
 * bootstrap interval, and for each intervention cell the paired bootstrap difference from the same adapter's
 * no-intervention cell on the same examples (interval and p-value). Tables are shaped like Mondal et al.'s Tables
 * 1-3: a row per adapter x language x neuron set, a column per value (No Int, mean, P5 ... P95, zero).
 *
 * <pre>{@code
 * TransferGrid.Config config = TransferGrid.Config.read(Path.of("grid.json"));
 * TransferResults results = TransferResults.read(Path.of("grid"), config);
 * Table accuracy = results.table("accuracy");     // "54.2 [48.0, 60.1]", with * where p < 0.05
 * System.out.println(results.significance("accuracy"));   // how many differ, uncorrected and Holm-corrected
 * results.save(Path.of("grid/results.json"));
 * }</pre>
 *
 * @param cells every cell found, in the grid's order
 */
public record TransferResults(List<Cell> cells) {

    /** A two-sided p-value below this marks a cell as different from no intervention. */
    public static final double SIGNIFICANCE = 0.05;

    /**
     * One cell's figures for one metric (in percent).
     *
     * @param adapter  the adapter's name (setup, neuron set, target)
     * @param language the test language
     * @param set      the neuron set intervened on, or null
     * @param value    the intervention ({@code none}: none)
     * @param metric   the metric
     * @param mean     the mean with its bootstrap interval, in percent
     * @param vsNone   the paired difference from the no-intervention cell in percentage points, or null (for
     *                 {@code none}, or when that cell is missing)
     */
    public record Cell(String adapter, String language, String set, String value, String metric,
            Bootstrap.Interval mean, Bootstrap.PairedDifference vsNone) {

        /** Whether the intervention changed the score significantly. */
        public boolean significant() {
            return vsNone != null && vsNone.pValue() < SIGNIFICANCE;
        }
    }

    /** The cells of {@code config} found under {@code out} (missing ones are left out), every metric. */
    public static TransferResults read(Path out, TransferGrid.Config config) {
        List<Cell> cells = new ArrayList<>();
        for (TransferGrid.Adapter a : TransferGrid.adapters(config)) {
            for (String lang : config.languages()) {
                if (!a.serves(lang)) {
                    continue;
                }
                List<String> sets = a.sets(config).isEmpty() ? java.util.Collections.singletonList(null)
                        : a.sets(config);
                for (String set : sets) {
                    Path noneFile = TransferGrid.cellFile(out, a, lang, set, "none");
                    TaskEvaluation.ExampleScores none = Files.isRegularFile(noneFile) ? TransferGrid.read(noneFile)
                            : null;
                    for (String value : config.values()) {
                        Path file = TransferGrid.cellFile(out, a, lang, set, value);
                        if (!Files.isRegularFile(file)) {
                            continue;
                        }
                        TaskEvaluation.ExampleScores s = TransferGrid.read(file);
                        for (Map.Entry<String, double[]> m : s.metrics().entrySet()) {
                            double[] pct = percent(m.getValue());
                            Bootstrap.Interval mean = Bootstrap.mean(pct, config.resamples(), config.seed());
                            Bootstrap.PairedDifference diff = value.equals("none") || none == null ? null
                                    : Bootstrap.paired(percent(none.metrics().get(m.getKey())), pct,
                                            config.resamples(), config.seed());
                            cells.add(new Cell(a.name(), lang, set, value, m.getKey(), mean, diff));
                        }
                    }
                }
            }
        }
        return new TransferResults(List.copyOf(cells));
    }

    private static double[] percent(double[] scores) {
        double[] out = new double[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 100 * scores[i];
        }
        return out;
    }

    /**
     * How many interventions of one metric differ from No Int, uncorrected and after Holm's correction for the
     * number of tests: with many cells a few uncorrected p < 0.05 are expected by chance alone.
     *
     * @param metric        the metric
     * @param interventions the intervention cells (those with a paired test)
     * @param uncorrected   how many have p < {@link #SIGNIFICANCE}
     * @param expected      how many of them chance alone would give if no intervention had an effect
     * @param holm          how many stay significant under Holm's step-down correction at the same level
     */
    public record Significance(String metric, int interventions, int uncorrected, double expected, int holm) {
        @Override
        public String toString() {
            return String.format("%s: %d of %d interventions with paired p < %.2f (uncorrected; %.1f expected by "
                    + "chance if none had an effect); %d after Holm's correction", metric, uncorrected,
                    interventions, SIGNIFICANCE, expected, holm);
        }
    }

    /** The interventions of {@code metric} that differ from No Int, uncorrected and after Holm's correction. */
    public Significance significance(String metric) {
        double[] p = cells.stream().filter(c -> c.metric().equals(metric) && c.vsNone() != null)
                .mapToDouble(c -> c.vsNone().pValue()).sorted().toArray();
        int uncorrected = (int) java.util.Arrays.stream(p).filter(x -> x < SIGNIFICANCE).count();
        int holm = 0;
        while (holm < p.length && p[holm] < SIGNIFICANCE / (p.length - holm)) {
            holm++;
        }
        return new Significance(metric, p.length, uncorrected, SIGNIFICANCE * p.length, holm);
    }

    /** The metrics the cells have, in order. */
    public List<String> metrics() {
        return cells.stream().map(Cell::metric).distinct().toList();
    }

    /**
     * One metric as Mondal et al.'s tables: a row per adapter x language x neuron set, a column per value with
     * {@code "mean [low, high]"} and {@code *} where the paired test against No Int gives p < 0.05.
     */
    public Table table(String metric) {
        List<String> values = cells.stream().filter(c -> c.metric().equals(metric)).map(Cell::value).distinct()
                .toList();
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.metric().equals(metric)) {
                String key = c.adapter() + "|" + c.language() + "|" + (c.set() == null ? "-" : c.set());
                rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(c.value(), String.format("%.1f [%.1f,"
                        + " %.1f]%s", c.mean().estimate(), c.mean().low(), c.mean().high(), c.significant() ? " *"
                        : ""));
            }
        }
        StringColumn adapter = StringColumn.create("fine-tuning");
        StringColumn language = StringColumn.create("language");
        StringColumn set = StringColumn.create("neurons");
        List<StringColumn> columns = new ArrayList<>();
        for (String v : values) {
            columns.add(StringColumn.create(v.equals("none") ? "No Int" : v));
        }
        rows.forEach((key, byValue) -> {
            String[] parts = key.split("\\|");
            adapter.append(parts[0]);
            language.append(parts[1]);
            set.append(parts[2]);
            for (int i = 0; i < values.size(); i++) {
                columns.get(i).append(byValue.getOrDefault(values.get(i), ""));
            }
        });
        Table t = Table.create(metric + " (%, 95% bootstrap interval; * paired p < " + SIGNIFICANCE + " vs No Int)",
                adapter, language, set);
        columns.forEach(t::addColumns);
        return t;
    }

    /**
     * A heatmap of each intervention's change from No Int (percentage points) for one metric: a row per adapter x
     * language x neuron set, a column per intervention (the table says which changes are significant).
     */
    public tech.tablesaw.plotly.components.Figure figure(String metric) {
        List<String> values = cells.stream().filter(c -> c.metric().equals(metric) && c.vsNone() != null)
                .map(Cell::value).distinct().toList();
        List<String> rows = new ArrayList<>();
        Map<String, double[]> z = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.metric().equals(metric) && c.vsNone() != null) {
                String row = c.adapter() + " " + c.language() + (c.set() == null ? "" : " " + c.set());
                if (!z.containsKey(row)) {
                    rows.add(row);
                    double[] empty = new double[values.size()];
                    java.util.Arrays.fill(empty, Double.NaN);
                    z.put(row, empty);
                }
                z.get(row)[values.indexOf(c.value())] = c.vsNone().difference();
            }
        }
        return org.langneurons.report.Charts.annotatedHeatmap(metric + ": change from No Int (points)",
                "intervention on the target language's neurons", "fine-tuning, language, neurons", values, rows,
                rows.stream().map(z::get).toArray(double[][]::new));
    }

    /** Writes every cell's figures as JSON. */
    public void save(Path file) {
        JsonFiles.write(file, Map.of("cells", cells));
    }
}
