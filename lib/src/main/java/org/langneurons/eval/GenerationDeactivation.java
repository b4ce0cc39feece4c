package org.langneurons.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.model.Generation;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.report.Charts;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Tang et al.'s deactivation during open-ended generation: prompts in each language are continued without
 * intervention and once with each chosen language's neurons set to 0 at every position (prompt and generated), and
 * each set of continuations is measured three ways:
 * <ul>
 * <li><b>in prompt language</b>: the share identified (by a {@link LanguageIdentifier}) as the prompt's language:
 * does the model still write in a language whose neurons are off;</li>
 * <li><b>perplexity</b>: the unmodified model's perplexity of the continuation given its prompt, exp of the mean
 * NLL over all continuation tokens of the cell (the EOS that ended one included): how plausible the unmodified model
 * finds what the modified one wrote; low also for repetitive text, hence</li>
 * <li><b>distinct-2</b>: per continuation, distinct token bigrams / all its token bigrams, averaged over
 * continuations of at least 2 tokens (1: no bigram repeats; degenerate loops push it towards 0).</li>
 * </ul>
 *
 * <pre>{@code
 * GenerationDeactivation.Result r = GenerationDeactivation.run(model, lape, Map.of("en", prompts, "fr", prompts),
 *         List.of("en", "fr"), GenerationConfig.greedy(16), LanguageIdentifier.embedded());
 * Table cells = r.table();
 * double enOffOnEnglish = r.share()[1][0];        // row 0: no intervention; row 1: en's neurons off
 * }</pre>
 */
public final class GenerationDeactivation {
    private GenerationDeactivation() {
    }

    /**
     * The continuations and their measures. Rows: index 0 is without intervention, index 1 + d has the neurons of
     * {@code deactivated.get(d)} set to 0; columns: the prompt languages.
     *
     * @param deactivated     the languages whose neurons were switched off, one row each after the first
     * @param promptLanguages the prompt languages (columns)
     * @param share           [1 + D][P] share of continuations identified as the prompt's language
     * @param perplexity      [1 + D][P] the unmodified model's perplexity of the continuations
     * @param distinct2       [1 + D][P] mean distinct-2 of the continuations (NaN when none has 2 tokens)
     * @param prompts         per prompt language, the prompts
     * @param continuations   per row, per prompt language, the continuations
     * @param identified      per row, per prompt language, the identified language of each continuation
     */
    public record Result(List<String> deactivated, List<String> promptLanguages, double[][] share,
            double[][] perplexity, double[][] distinct2, Map<String, List<String>> prompts,
            List<Map<String, List<String>>> continuations, List<Map<String, List<String>>> identified) {

        /** Row labels: {@code none}, then {@code LANG off}. */
        public List<String> rowLabels() {
            List<String> rows = new ArrayList<>(List.of("none"));
            deactivated.forEach(d -> rows.add(d + " off"));
            return rows;
        }

        /** One line per (row, prompt language): the three measures. */
        public Table table() {
            Table t = Table.create("Open-ended generation with a language's neurons off",
                    StringColumn.create("deactivated"), StringColumn.create("prompt language"),
                    DoubleColumn.create("in prompt language"), DoubleColumn.create("perplexity (unmodified model)"),
                    DoubleColumn.create("distinct-2"));
            List<String> rows = rowLabels();
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < promptLanguages.size(); c++) {
                    t.stringColumn(0).append(rows.get(r));
                    t.stringColumn(1).append(promptLanguages.get(c));
                    t.doubleColumn(2).append(round(share[r][c]));
                    t.doubleColumn(3).append(round(perplexity[r][c]));
                    t.doubleColumn(4).append(round(distinct2[r][c]));
                }
            }
            return t;
        }

        /** Annotated heatmap of the share in the prompt's language; rows: none, then each language off. */
        public Figure figure() {
            return Charts.annotatedHeatmap("Share of continuations in the prompt's language, a language's neurons off",
                    "prompt language", "neurons switched off", promptLanguages, rowLabels(), share);
        }

        /** Annotated heatmap of the unmodified model's perplexity of the continuations. */
        public Figure perplexityFigure() {
            return Charts.annotatedHeatmap("Unmodified model's perplexity of the continuations",
                    "prompt language", "neurons switched off", promptLanguages, rowLabels(), perplexity);
        }

        /**
         * For each prompt language, its first {@code perLanguage} prompts with the continuation of every row and
         * its identified language.
         */
        public Table examples(int perLanguage) {
            Table t = Table.create("Continuations", StringColumn.create("prompt language"),
                    StringColumn.create("prompt"), StringColumn.create("deactivated"),
                    StringColumn.create("continuation"), StringColumn.create("identified as"));
            List<String> rows = rowLabels();
            for (String lang : promptLanguages) {
                for (int i = 0; i < Math.min(perLanguage, prompts.get(lang).size()); i++) {
                    for (int r = 0; r < rows.size(); r++) {
                        t.stringColumn(0).append(lang);
                        t.stringColumn(1).append(prompts.get(lang).get(i));
                        t.stringColumn(2).append(rows.get(r));
                        t.stringColumn(3).append(continuations.get(r).get(lang).get(i));
                        t.stringColumn(4).append(identified.get(r).get(lang).get(i));
                    }
                }
            }
            return t;
        }

        /** Rows: none, then each language off; columns: prompt languages; cells "share / perplexity / distinct-2". */
        public String markdown() {
            StringBuilder b = new StringBuilder("| neurons off \\ prompt |");
            promptLanguages.forEach(l -> b.append(' ').append(l).append(" |"));
            b.append("\n|---|");
            promptLanguages.forEach(l -> b.append("---:|"));
            b.append('\n');
            List<String> rows = rowLabels();
            for (int r = 0; r < rows.size(); r++) {
                b.append("| ").append(rows.get(r)).append(" |");
                for (int c = 0; c < promptLanguages.size(); c++) {
                    b.append(String.format(java.util.Locale.ROOT, " %.2f / %.2f / %.2f |", share[r][c],
                            perplexity[r][c], distinct2[r][c]));
                }
                b.append('\n');
            }
            return b.toString();
        }

        private static double round(double v) {
            return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
        }
    }

    /** {@link #run(LanguageModel, NeuronSet, Map, List, GenerationConfig, LanguageIdentifier, Steering.Progress)}. */
    public static Result run(LanguageModel model, NeuronSet set, Map<String, List<String>> promptsByLanguage,
            List<String> deactivated, GenerationConfig generation, LanguageIdentifier identifier) {
        return run(model, set, promptsByLanguage, deactivated, generation, identifier, Steering.Progress.NONE);
    }

    /**
     * Continues each language's prompts without intervention and with each of {@code deactivated}'s neurons of
     * {@code set} set to 0, telling {@code progress} after each batch of generations.
     *
     * @throws IllegalArgumentException when a prompt list is empty or a deactivated language is not in the set
     */
    public static Result run(LanguageModel model, NeuronSet set, Map<String, List<String>> promptsByLanguage,
            List<String> deactivated, GenerationConfig generation, LanguageIdentifier identifier,
            Steering.Progress progress) {
        List<String> languages = List.copyOf(promptsByLanguage.keySet());
        for (String d : deactivated) {
            if (!set.languages().contains(d)) {
                throw new IllegalArgumentException("deactivated language " + d + " is not in the neuron set ("
                        + set.languages() + ")");
            }
        }
        int rows = 1 + deactivated.size(), cols = languages.size();
        double[][] share = new double[rows][cols], ppl = new double[rows][cols], d2 = new double[rows][cols];
        List<Map<String, List<String>>> texts = new ArrayList<>(), identified = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            texts.add(new LinkedHashMap<>());
            identified.add(new LinkedHashMap<>());
        }
        int done = 0, total = rows * cols;
        for (int c = 0; c < cols; c++) {
            String lang = languages.get(c);
            List<String> prompts = promptsByLanguage.get(lang);
            if (prompts.isEmpty()) {
                throw new IllegalArgumentException("empty input: no prompt for language " + lang);
            }
            List<long[]> ids = prompts.stream().map(p -> model.tokenizer().orElseThrow(() ->
                    new IllegalArgumentException("the model at " + model.directory() + " has no tokenizer.json: "
                            + "text prompts need one")).encode(p)).toList();
            for (int r = 0; r < rows; r++) {
                Generation g;
                if (r == 0) {
                    g = model.generate(ids, generation);
                } else {
                    try (HookHandle h = Intervention.set(set, deactivated.get(r - 1), 0f).apply(model)) {
                        g = model.generate(ids, generation);
                    }
                }
                List<String> langs = identifier.identifyAll(g.texts());
                share[r][c] = LanguageIdentifier.share(langs, lang);
                ppl[r][c] = continuationPerplexity(model, ids, g.tokens());
                d2[r][c] = meanDistinct2(g.tokens());
                texts.get(r).put(lang, g.texts());
                identified.get(r).put(lang, langs);
                progress.update(++done, total);
            }
        }
        return new Result(List.copyOf(deactivated), languages, share, ppl, d2,
                Collections.unmodifiableMap(new LinkedHashMap<>(promptsByLanguage)),
                texts.stream().map(Collections::unmodifiableMap).toList(),
                identified.stream().map(Collections::unmodifiableMap).toList());
    }

    /**
     * exp of the mean NLL, under {@code model} with whatever hooks are registered (none, here), of every generated
     * token given its prompt and the tokens before it; NaN when nothing was generated.
     */
    static double continuationPerplexity(LanguageModel model, List<long[]> prompts, List<long[]> generated) {
        List<long[]> whole = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            long[] p = prompts.get(i), g = generated.get(i);
            long[] s = java.util.Arrays.copyOf(p, p.length + g.length);
            System.arraycopy(g, 0, s, p.length, g.length);
            whole.add(s);
        }
        float[][] nll = model.tokenNll(new TokenBatch(whole, TokenBatch.Padding.RIGHT));
        double sum = 0;
        long n = 0;
        for (int i = 0; i < whole.size(); i++) {
            // entry q predicts token q + 1: the generated tokens are predicted from entry prompt length - 1 on
            for (int q = prompts.get(i).length - 1; q < nll[i].length; q++) {
                sum += nll[i][q];
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(sum / n);
    }

    /**
     * Distinct token bigrams / token bigrams of one sequence ({@code [1, 2, 1, 2, 1]}: 2 distinct of 4, 0.5); NaN
     * for fewer than 2 tokens.
     *
     * <pre>{@code
     * double d = GenerationDeactivation.distinct2(new long[] {1, 2, 1, 2, 1});     // 0.5
     * }</pre>
     */
    public static double distinct2(long[] ids) {
        if (ids.length < 2) {
            return Double.NaN;
        }
        Set<List<Long>> seen = new HashSet<>();
        for (int i = 0; i + 1 < ids.length; i++) {
            seen.add(List.of(ids[i], ids[i + 1]));
        }
        return seen.size() / (double) (ids.length - 1);
    }

    /** The mean of {@link #distinct2} over sequences of at least 2 tokens; NaN when there is none. */
    static double meanDistinct2(List<long[]> sequences) {
        return sequences.stream().mapToDouble(GenerationDeactivation::distinct2).filter(v -> !Double.isNaN(v))
                .average().orElse(Double.NaN);
    }
}
