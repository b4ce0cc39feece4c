package org.langneurons.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.report.Charts;
import org.langneurons.report.JsonFiles;
import org.langneurons.report.Plotly;
import tech.tablesaw.plotly.components.Figure;

/**
 * The perplexity-change matrix of both papers: {@code PPXC(i, j) = PPL_j(neurons of language i intervened on) -
 * PPL_j(no intervention)}, and the same for the mean cross-entropy (nats per token). Rows: intervened language;
 * columns: evaluated language; PPL = exp(mean token NLL) over all of a language's scored tokens. Computed by
 * {@link PerplexityEvaluation}; saves and renders itself (JSON, text table, heatmaps).
 *
 * <pre>{@code
 * PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, textsByLanguage, 512, 8);
 * PerplexityChange m = evaluation.deactivation(lape, PerplexityChange.Progress.NONE);
 * double ownFr = m.ppxc()[2][2];
 * m.save(Path.of("out/ppxc.json"));             // and out/ppxc.html
 * }</pre>
 *
 * @param languages          the K languages (rows and columns)
 * @param baselinePerplexity PPL_j without intervention
 * @param baselineNll        mean NLL_j without intervention
 * @param ppxc               [K][K] perplexity change
 * @param crossEntropyChange [K][K] mean NLL change
 * @param value              what the neurons were set to
 */
public record PerplexityChange(List<String> languages, double[] baselinePerplexity, double[] baselineNll,
        double[][] ppxc, double[][] crossEntropyChange, InterventionValue value) {

    /** Told after each evaluation. */
    @FunctionalInterface
    public interface Progress {
        /** Ignores everything. */
        Progress NONE = (done, total) -> { };

        void update(int done, int total);
    }

    /**
     * How much row i's own language is hurt beyond the mean of the other columns, in cross-entropy change (nats per
     * token): ce[i][i] - mean_j≠i ce[i][j]. Judged on cross-entropy, not on PPL: the baselines differ (13 to 50 on
     * the embedded default), and the same relative damage raises a high-perplexity language's PPL more.
     */
    public double[] ownMinusOthers() {
        return ownMinusOthers(crossEntropyChange);
    }

    /** {@link #ownMinusOthers} on the PPL change instead, which favours languages of high baseline perplexity. */
    public double[] ppxcOwnMinusOthers() {
        return ownMinusOthers(ppxc);
    }

    private double[] ownMinusOthers(double[][] z) {
        int k = languages.size();
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            double others = 0;
            for (int j = 0; j < k; j++) {
                if (j != i) {
                    others += z[i][j];
                }
            }
            out[i] = z[i][i] - (k > 1 ? others / (k - 1) : 0);
        }
        return out;
    }

    /**
     * Languages whose own cross-entropy rises more than the other languages' mean when their neurons are intervened
     * on ({@link #ownMinusOthers} > 0).
     */
    public int languagesHurtMostThemselves() {
        int n = 0;
        for (double d : ownMinusOthers()) {
            if (d > 0) {
                n++;
            }
        }
        return n;
    }

    /** The matrix as the JSON object {@code ppl-change} writes. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("languages", languages);
        m.put("value", value.label());
        m.put("baseline_ppl", baselinePerplexity);
        m.put("baseline_mean_nll", baselineNll);
        m.put("ppxc", ppxc);
        m.put("cross_entropy_change", crossEntropyChange);
        return m;
    }

    /** Annotated heatmap of the PPL change: rows intervened language, columns evaluated language. */
    public Figure figure() {
        return Charts.annotatedHeatmap("PPL change (neurons set to " + value.label()
                + "): rows intervened, columns evaluated", "evaluated language", "intervened language", languages,
                languages, ppxc);
    }

    /** Annotated heatmap of the cross-entropy change (nats per token). */
    public Figure crossEntropyFigure() {
        return Charts.annotatedHeatmap("Cross-entropy change (nats / token), neurons set to " + value.label(),
                "evaluated language", "intervened language", languages, languages, crossEntropyChange);
    }

    /**
     * The PPL-change matrix, the baselines and the own-language count (judged on cross-entropy) as fixed-width
     * text (what {@code ppl-change} prints).
     */
    public String text() {
        StringBuilder b = new StringBuilder(String.format("%-8s", "PPXC"));
        languages.forEach(lang -> b.append(String.format(" %8s", lang)));
        b.append(System.lineSeparator());
        for (int i = 0; i < languages.size(); i++) {
            b.append(String.format("%-8s", languages.get(i)));
            for (int j = 0; j < languages.size(); j++) {
                b.append(String.format(" %8.2f", ppxc[i][j]));
            }
            b.append(System.lineSeparator());
        }
        b.append(String.format("%-8s", "base PPL"));
        for (double v : baselinePerplexity) {
            b.append(String.format(" %8.2f", v));
        }
        b.append(System.lineSeparator());
        b.append(String.format("own language hurt more than the others' mean (cross-entropy change): %d of %d%n",
                languagesHurtMostThemselves(), languages.size()));
        return b.toString();
    }

    /** Writes {@code FILE.json} ({@link #toJson}) and its heatmap beside it as {@code FILE.html}. */
    public void save(Path jsonFile) {
        save(jsonFile, toJson());
    }

    /** Writes the matrix with its random-neuron control under {@code random_control}, and the heatmap page. */
    public void save(Path jsonFile, RandomControl control) {
        Map<String, Object> json = toJson();
        json.put("random_control", control.toJson(this));
        save(jsonFile, json);
    }

    private void save(Path jsonFile, Map<String, Object> json) {
        String name = jsonFile.getFileName().toString();
        Path html = jsonFile.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name)
                + ".html");
        JsonFiles.write(jsonFile, json);
        Plotly.save(figure(), html);
    }
}
