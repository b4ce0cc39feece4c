package org.langneurons.notebook;

import java.util.List;
import java.util.Map;
import org.langneurons.neurons.LanguageSetComparison;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationProbabilities;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.LanguageStatistics;
import org.langneurons.stats.NeuronGrid;
import org.langneurons.stats.NeuronActivations;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The papers' analyses as Tablesaw tables: neurons per language, overlap between languages, where in the layers
 * they sit, two methods compared, and per-language activation statistics averaged over neurons (Mondal et al.'s
 * Table 6).
 *
 * <pre>{@code
 * Table counts = NeuronTables.neuronsPerLanguage(lape);     // language | neurons | share of all neurons
 * Table compared = NeuronTables.compare(lape, actProb);      // neurons in each, in both, Jaccard
 * LanguageStatistics stats = StatisticsDirectory.at(Path.of("stats")).load(List.of("en", "fr", "hi"));
 * Table bySet = NeuronTables.languageSets(LanguageSetComparison.lape(stats.activationProbabilities(),
 *         Lape.Settings.defaults(), "A", List.of("en", "fr"), "B", List.of("en", "hi")));
 * }</pre>
 * and comparisons the papers motivate: one method on two language sets, and what Activation Probability's relevance
 * measures.
 */
public final class NeuronTables {
    private NeuronTables() {
    }

    /** language | neurons | percent of the model's neurons. */
    public static Table neuronsPerLanguage(NeuronSet set) {
        StringColumn lang = StringColumn.create("language");
        IntColumn n = IntColumn.create("neurons");
        DoubleColumn pct = DoubleColumn.create("% of neurons");
        double all = (double) set.layers() * set.neuronsPerLayer();
        for (String l : set.languages()) {
            lang.append(l);
            n.append(set.count(l));
            pct.append(100 * set.count(l) / all);
        }
        return Table.create(set.method() + ": neurons per language", lang, n, pct);
    }

    /** A K x K table: row language, then one column per language with the neurons both share (diagonal: own). */
    public static Table overlap(NeuronSet set) {
        Table t = Table.create(set.method() + ": shared neurons", StringColumn.create("language",
                set.languages()));
        for (String b : set.languages()) {
            IntColumn c = IntColumn.create(b);
            for (String a : set.languages()) {
                c.append(set.overlap(a, b));
            }
            t.addColumns(c);
        }
        return t;
    }

    /** layer | one column per language with its neurons in that layer. */
    public static Table layerDistribution(NeuronSet set) {
        IntColumn layer = IntColumn.create("layer");
        for (int l = 0; l < set.layers(); l++) {
            layer.append(l);
        }
        Table t = Table.create(set.method() + ": neurons per layer", layer);
        for (String lang : set.languages()) {
            t.addColumns(IntColumn.create(lang, set.countPerLayer(lang)));
        }
        return t;
    }

    /** language | neurons in a | in b | in both | Jaccard, for the languages both sets have. */
    public static Table compare(NeuronSet a, NeuronSet b) {
        StringColumn lang = StringColumn.create("language");
        IntColumn na = IntColumn.create(a.method()), nb = IntColumn.create(b.method().equals(a.method())
                ? b.method() + " (2)" : b.method()), both = IntColumn.create("both");
        DoubleColumn jac = DoubleColumn.create("Jaccard");
        NeuronSet inter = a.intersection(b);
        for (String l : inter.languages()) {
            lang.append(l);
            na.append(a.count(l));
            nb.append(b.count(l));
            both.append(inter.count(l));
            jac.append(a.jaccard(b, l));
        }
        return Table.create(a.method() + " vs " + b.method(), lang, na, nb, both, jac);
    }

    /** neuron | mean value | share of positions > 0, for the {@code k} neurons of highest mean value. */
    public static Table mostActive(NeuronActivations act, int k) {
        double[] mean = act.mean(), firing = act.firingShare();
        Table t = Table.create("Most active neurons of layer " + act.name().layer(), IntColumn.create("neuron"),
                DoubleColumn.create("mean value"), DoubleColumn.create("share of positions > 0"));
        for (int i : act.mostActive(k)) {
            t.intColumn("neuron").append(i);
            t.doubleColumn("mean value").append(mean[i]);
            t.doubleColumn("share of positions > 0").append(firing[i]);
        }
        return t;
    }

    /** language | tokens | batches | mean P(value > 0): what a statistics collection counted. */
    public static Table statisticsCollected(LanguageStatistics stats) {
        Table t = Table.create("Statistics collected", StringColumn.create("language"), LongColumn.create("tokens"),
                LongColumn.create("batches"), DoubleColumn.create("mean P(value > 0)"));
        for (ActivationStatistics s : stats.list()) {
            t.stringColumn("language").append(s.language());
            t.longColumn("tokens").append(s.tokens());
            t.longColumn("batches").append(s.batches());
            t.doubleColumn("mean P(value > 0)").append(s.meanActivationProbability());
        }
        return t;
    }

    /**
     * Mondal et al.'s Table 6 layout: per language, the mean, standard deviation and batch-mean percentiles of the
     * recorded tensor, each averaged over all neurons.
     */
    public static Table activationSummary(LanguageStatistics stats) {
        List<ActivationStatistics> list = stats.list();
        StringColumn lang = StringColumn.create("language");
        IntColumn tensorTokens = IntColumn.create("tokens");
        DoubleColumn mean = DoubleColumn.create("mean"), std = DoubleColumn.create("std");
        double[] ps = list.get(0).percentiles();
        DoubleColumn[] pcols = new DoubleColumn[ps.length];
        for (int j = 0; j < ps.length; j++) {
            pcols[j] = DoubleColumn.create("P" + (ps[j] == Math.rint(ps[j]) ? String.valueOf((int) ps[j])
                    : String.valueOf(ps[j])));
        }
        for (ActivationStatistics s : list) {
            lang.append(s.language());
            tensorTokens.append((int) Math.min(Integer.MAX_VALUE, s.tokens()));
            mean.append(s.mean().average());
            std.append(s.std().average());
            for (int j = 0; j < ps.length; j++) {
                pcols[j].append(s.batchMeanPercentile(ps[j]).average());
            }
        }
        Table t = Table.create("activation statistics (" + list.get(0).tensor().hookSuffix()
                + ", averaged over neurons)", lang, tensorTokens, mean, std);
        t.addColumns(pcols);
        return t;
    }

    /**
     * Mondal et al.'s published Table 6 row for Llama 3.1 8B, English, over all neurons, on the pre-activation
     * {@code gate_proj(x)} (what their code recorded): mean, P5, P10, P25, P75, P90, P95 (they give no std or P50).
     */
    static final double[] MONDAL_LLAMA31_EN_GATE = {-0.2621, -0.7943, -0.6801, -0.4892, -0.0493, 0.1693, 0.3106};

    /** The percentiles of {@link #MONDAL_LLAMA31_EN_GATE}, after its mean. */
    private static final double[] MONDAL_PERCENTILES = {5, 10, 25, 75, 90, 95};

    /**
     * {@link #activationSummary} of {@code mlp.gate} statistics with a first column {@code model} and, as a last
     * row, Mondal et al.'s published English values for Llama 3.1 8B (NaN where they publish none), so the two read
     * side by side. Their P5 (-0.7943) lies below SiLU's minimum (-0.2785): a value the activation never takes.
     *
     * <pre>{@code
     * LanguageStatistics gate = StatisticsDirectory.at(Path.of("out/stats-gate")).load(List.of("en", "hi"));
     * Table t = NeuronTables.activationSummaryBesidePublished(gate, "default");
     * }</pre>
     *
     * @throws IllegalArgumentException when the statistics are not of {@code mlp.gate} (the published ones are)
     */
    public static Table activationSummaryBesidePublished(LanguageStatistics gateStats, String modelName) {
        ActivationStatistics first = gateStats.list().get(0);
        if (first.tensor() != org.langneurons.stats.RecordedTensor.GATE) {
            throw new IllegalArgumentException("Mondal et al.'s Table 6 values are of mlp.gate, but the statistics of "
                    + first.language() + " are of " + first.tensor().hookSuffix()
                    + ": collect them with StatisticsSettings.tensor(RecordedTensor.GATE)");
        }
        Table ours = activationSummary(gateStats);
        Table t = ours.copy();
        t.insertColumn(0, StringColumn.create("model"));
        for (int r = 0; r < t.rowCount(); r++) {
            t.stringColumn("model").set(r, modelName);
        }
        t.stringColumn("model").append("Llama 3.1 8B (Mondal et al., Table 6)");
        t.stringColumn("language").append("en");
        t.intColumn("tokens").appendMissing();
        t.doubleColumn("mean").append(MONDAL_LLAMA31_EN_GATE[0]);
        t.doubleColumn("std").appendMissing();
        for (String name : t.columnNames()) {
            if (name.matches("P\\d+(\\.\\d+)?")) {
                double p = Double.parseDouble(name.substring(1));
                int at = -1;
                for (int j = 0; j < MONDAL_PERCENTILES.length; j++) {
                    if (MONDAL_PERCENTILES[j] == p) {
                        at = j;
                    }
                }
                if (at < 0) {
                    t.doubleColumn(name).appendMissing();
                } else {
                    t.doubleColumn(name).append(MONDAL_LLAMA31_EN_GATE[at + 1]);
                }
            }
        }
        t.setName("Table 6 on mlp.gate (pre-activation, as Mondal et al.'s code), averaged over neurons, beside "
                + "their published values");
        return t;
    }

    /**
     * Tang et al.'s published masks ({@link org.langneurons.neurons.TangFiles#readPublished}): model | layers |
     * neurons (of all languages) | per language.
     */
    public static Table published(Map<String, NeuronSet> masks) {
        Table t = Table.create("Tang et al.'s published neurons", StringColumn.create("model"),
                IntColumn.create("layers"), IntColumn.create("neurons"), StringColumn.create("per language"));
        masks.forEach((name, set) -> {
            StringBuilder per = new StringBuilder();
            for (String l : set.languages()) {
                per.append(l).append(' ').append(set.count(l)).append("  ");
            }
            t.stringColumn("model").append(name);
            t.intColumn("layers").append(set.layers());
            t.intColumn("neurons").append(set.uniqueCount());
            t.stringColumn("per language").append(per.toString().strip());
        });
        return t;
    }

    /**
     * A selection run on two language sets ({@link LanguageSetComparison}): language | neurons in the first run |
     * in the second | in both | Jaccard, for every language of either set (a run without the language: missing).
     */
    public static Table languageSets(LanguageSetComparison c) {
        StringColumn lang = StringColumn.create("language");
        IntColumn na = IntColumn.create("on " + c.firstName()), nb = IntColumn.create("on " + c.secondName()),
                both = IntColumn.create("both");
        DoubleColumn jac = DoubleColumn.create("Jaccard");
        List<String> all = new java.util.ArrayList<>(c.first());
        c.second().stream().filter(l -> !all.contains(l)).forEach(all::add);
        for (String l : all) {
            lang.append(l);
            boolean inA = c.first().contains(l), inB = c.second().contains(l);
            append(na, inA ? c.onFirst().count(l) : null);
            append(nb, inB ? c.onSecond().count(l) : null);
            append(both, inA && inB ? c.overlap(l) : null);
            if (inA && inB) {
                jac.append(c.jaccard(l));
            } else {
                jac.appendMissing();
            }
        }
        String title = c.onFirst().method() + " on " + c.firstName() + " (" + c.first().size() + " languages, "
                + c.onFirst().uniqueCount() + " neurons) vs on " + c.secondName() + " (" + c.second().size()
                + " languages, " + c.onSecond().uniqueCount() + " neurons)"
                + (c.missing().isEmpty() ? "" : "; without statistics: " + String.join(" ", c.missing()));
        return Table.create(title, lang, na, nb, both, jac);
    }

    private static void append(IntColumn c, Integer v) {
        if (v == null) {
            c.appendMissing();
        } else {
            c.append(v);
        }
    }

    /**
     * What Activation Probability's relevance measures, per language: the mean relevance of all neurons (about
     * {@code 1 - p/100} when both passes see text alike, as each language is measured against its own p-th
     * percentile), the lowest relevance among its selected neurons, and the mean relevance of its Act Prob and of its
     * LAPE neurons (missing where it has none).
     *
     * @param relevance the relevance of every neuron per language ({@code relevanceProbabilities()})
     */
    public static Table relevanceSummary(ActivationProbabilities relevance, NeuronSet actProb, NeuronSet lape) {
        Table t = Table.create("Relevance: the share of a language's tokens above its own threshold",
                StringColumn.create("language"), DoubleColumn.create("mean, all neurons"),
                DoubleColumn.create("lowest selected"), DoubleColumn.create("mean, Act Prob neurons"),
                DoubleColumn.create("mean, LAPE neurons"));
        for (String lang : relevance.languages()) {
            NeuronGrid g = relevance.of(lang);
            t.stringColumn("language").append(lang);
            t.doubleColumn("mean, all neurons").append(g.average());
            double[] sel = values(g, actProb, lang);
            t.doubleColumn("lowest selected").append(sel.length == 0 ? Double.NaN
                    : java.util.Arrays.stream(sel).min().getAsDouble());
            t.doubleColumn("mean, Act Prob neurons").append(mean(sel));
            t.doubleColumn("mean, LAPE neurons").append(lape.languages().contains(lang)
                    ? mean(values(g, lape, lang)) : Double.NaN);
        }
        return t;
    }

    private static double[] values(NeuronGrid g, NeuronSet set, String lang) {
        java.util.stream.DoubleStream.Builder b = java.util.stream.DoubleStream.builder();
        for (int l = 0; l < set.layers(); l++) {
            for (int i : set.neurons(lang, l)) {
                b.add(g.get(l, i));
            }
        }
        return b.build().toArray();
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : java.util.Arrays.stream(v).average().getAsDouble();
    }
}
