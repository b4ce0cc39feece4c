package org.langneurons.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Perplexity;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.StatisticsDirectory;

/**
 * The perplexity-change matrix on a Spark cluster: one task per cell, the perplexity of column language j's text
 * with row language i's neurons set to the value (and one task per column for its baseline, no intervention); the
 * driver assembles the same {@link PerplexityChange} the single-machine
 * {@link org.langneurons.eval.PerplexityEvaluation} computes (rows of languages without neurons are exactly zero and
 * not evaluated). The texts and the neuron set travel with the job; statistic values ({@code mean}, {@code p95}...)
 * are read on the executors from the statistics folder, which must be on storage they share.
 *
 * <pre>{@code
 * PerplexityChange m = PerplexityChangeJob.run(sc, ModelSpec.of("/shared/llama"), lape, textsByLanguage,
 *         512, 8, "zero", null);
 * m.save(Path.of("ppxc/ppxc.json"));
 * }</pre>
 */
public final class PerplexityChangeJob {
    private PerplexityChangeJob() {
    }

    /** A cell: column {@code column}'s text, with {@code row}'s neurons intervened on, or none when row is null. */
    private record Cell(String row, String column) implements Serializable {
    }

    /** A cell's perplexity, in plain values ({@link Perplexity} is not {@code Serializable}). */
    private record Result(String row, String column, long tokens, long characters, double meanNll,
            double perplexity, double bitsPerCharacter) implements Serializable {

        Perplexity toPerplexity() {
            return new Perplexity(tokens, characters, meanNll, perplexity, bitsPerCharacter);
        }
    }

    /**
     * The matrix over {@code set}'s languages, each with text in {@code texts}, windows of {@code maxLength} tokens
     * scored {@code batchSize} at a time, neurons set to {@code value} ({@code zero}, a constant, {@code mean},
     * {@code p95}, ..., as {@code ppl-change --value} takes it); {@code stats} is the statistics folder for a
     * statistic value (null otherwise).
     */
    public static PerplexityChange run(JavaSparkContext sc, ModelSpec model, NeuronSet set,
            Map<String, List<String>> texts, int maxLength, int batchSize, String value, Path stats) {
        InterventionValue parsed = InterventionValue.parse(value);      // fails on the driver, not in every task
        List<String> langs = set.languages();
        for (String l : langs) {
            if (!texts.containsKey(l)) {
                throw new IllegalArgumentException("no evaluation text for language " + l + " of the neuron set");
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (String column : langs) {
            cells.add(new Cell(null, column));
            for (String row : langs) {
                if (set.count(row) > 0) {
                    cells.add(new Cell(row, column));
                }
            }
        }
        HashMap<String, ArrayList<String>> carried = new HashMap<>();
        langs.forEach(l -> carried.put(l, new ArrayList<>(texts.get(l))));
        Broadcast<HashMap<String, ArrayList<String>>> textsB = sc.broadcast(carried);
        String setJson = set.toJson();
        String statsDir = stats == null ? null : stats.toString();
        List<Result> results;
        try {
            results = sc.parallelize(cells, cells.size()).map(cell -> {
                try (ExecutorModels.Lease lease = ExecutorModels.borrow(model)) {
                    return cell(lease.model(), cell, NeuronSet.fromJson(setJson), textsB.value(), maxLength,
                            batchSize, value, statsDir);
                }
            }).collect();
        } finally {
            textsB.destroy();
        }
        Map<Cell, Perplexity> byCell = new LinkedHashMap<>();
        results.forEach(r -> byCell.put(new Cell(r.row(), r.column()), r.toPerplexity()));
        int k = langs.size();
        double[] basePpl = new double[k], baseNll = new double[k];
        double[][] ppxc = new double[k][k], ce = new double[k][k];
        for (int j = 0; j < k; j++) {
            Perplexity base = byCell.get(new Cell(null, langs.get(j)));
            basePpl[j] = base.perplexity();
            baseNll[j] = base.meanNll();
            for (int i = 0; i < k; i++) {
                Perplexity p = byCell.get(new Cell(langs.get(i), langs.get(j)));
                if (p != null) {
                    ppxc[i][j] = p.perplexity() - basePpl[j];
                    ce[i][j] = p.meanNll() - baseNll[j];
                }
            }
        }
        return new PerplexityChange(langs, basePpl, baseNll, ppxc, ce, parsed);
    }

    /** One cell on an executor's model. */
    private static Result cell(LanguageModel model, Cell cell, NeuronSet set, Map<String, ArrayList<String>> texts,
            int maxLength, int batchSize, String value, String statsDir) {
        Function<String, ActivationStatistics> statsFor = statsDir == null ? null
                : lang -> StatisticsDirectory.at(Path.of(statsDir)).statistics(lang);
        HookHandle h = cell.row() == null ? () -> { }
                : Intervention.setTo(set, cell.row(), InterventionValue.parse(value), statsFor).apply(model);
        Perplexity p;
        try (h) {
            p = model.perplexity(model.tokenize(texts.get(cell.column()), maxLength), batchSize);
        }
        return new Result(cell.row(), cell.column(), p.tokens(), p.characters(), p.meanNll(), p.perplexity(),
                p.bitsPerCharacter());
    }
}
