package org.langneurons.eval;

import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.io.RunCheckpoint;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.report.Charts;
import org.langneurons.report.JsonFiles;
import org.langneurons.stats.ActivationStatistics;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Steering the output language (Tang et al.): generate from the same prompts without and with interventions (for
 * example the source language's neurons off and the target's set to a high value) and measure, with a
 * {@link LanguageIdentifier}, the share of continuations written in the target language.
 *
 * <pre>{@code
 * LanguageIdentifier id = LanguageIdentifier.embedded();
 * Steering.Result r = Steering.run(model, prompts, GenerationConfig.greedy(32), id, "fr",
 *         List.of(Intervention.set(lape, "en", 0f), Intervention.set(lape, "fr", 50f)));
 * Steering.Matrix m = Steering.sourceTarget(model, lape, Map.of("en", prompts), List.of("fr", "zh"),
 *         InterventionValue.parse("50"), null, GenerationConfig.greedy(16), id);
 * Table shares = m.table();
 * }</pre>
 */
public final class Steering {
    private Steering() {
    }

    /**
     * What steering did.
     *
     * @param target       the language steered towards
     * @param before       share of continuations identified as the target language without intervention
     * @param after        the same with the interventions
     * @param prompts      the prompts
     * @param textsBefore  continuations without intervention
     * @param textsAfter   continuations with the interventions
     * @param languagesAfter the identified language of each continuation with the interventions
     */
    public record Result(String target, double before, double after, List<String> prompts, List<String> textsBefore,
            List<String> textsAfter, List<String> languagesAfter) {
    }

    /** Generates without and with {@code interventions} and identifies the language of the continuations. */
    public static Result run(LanguageModel model, List<String> prompts, GenerationConfig generation,
            LanguageIdentifier identifier, String target, List<Intervention> interventions) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("empty input: steering needs at least one prompt");
        }
        List<String> before = model.generateText(prompts, generation).texts();
        List<String> after = generateWith(model, prompts, generation, interventions);
        List<String> langs = identifier.identifyAll(after);
        return new Result(target, LanguageIdentifier.share(identifier.identifyAll(before), target),
                LanguageIdentifier.share(langs, target), prompts, before, after, langs);
    }

    /**
     * Source x target steering: for each source language, its prompts are continued once without intervention and
     * once per target with the interventions for (source, target); cells hold the share of continuations
     * identified as the target. The diagonal is NaN (a language is not steered towards itself).
     *
     * @param sources    the source languages (rows)
     * @param targets    the target languages (columns)
     * @param before     [S][T] share identified as the target without intervention
     * @param after      [S][T] the same with the interventions
     * @param prompts    per source, the prompts
     * @param steered    per source and target, the continuations with the interventions (empty on the diagonal)
     * @param identified per source and target, the language identified for each steered continuation
     */
    public record Matrix(List<String> sources, List<String> targets, double[][] before, double[][] after,
            Map<String, List<String>> prompts, Map<String, Map<String, List<String>>> steered,
            Map<String, Map<String, List<String>>> identified) {

        /** Rows: source; columns: target; cells "before -> after" ("-" on the diagonal). */
        public Table table() {
            Table t = Table.create("Share of continuations in the target language, before -> after",
                    StringColumn.create("source"));
            targets.forEach(target -> t.addColumns(StringColumn.create(target)));
            for (int s = 0; s < sources.size(); s++) {
                t.stringColumn(0).append(sources.get(s));
                for (int c = 0; c < targets.size(); c++) {
                    t.stringColumn(c + 1).append(Double.isNaN(after[s][c]) ? "-"
                            : String.format("%.2f -> %.2f", before[s][c], after[s][c]));
                }
            }
            return t;
        }

        /** Annotated heatmap of the share of continuations in the target language after steering. */
        public Figure figure() {
            return Charts.annotatedHeatmap("Share of continuations in the target language after steering",
                    "target language", "source language", targets, sources, after);
        }

        /**
         * Steered continuations: for each source, for its first {@code targetsShown} targets, the first
         * {@code perPair} prompts with their continuation and its identified language.
         */
        public Table examples(int targetsShown, int perPair) {
            Table t = Table.create("Steered continuations", StringColumn.create("source"),
                    StringColumn.create("target"), StringColumn.create("prompt"),
                    StringColumn.create("steered continuation"), StringColumn.create("identified as"));
            for (String source : sources) {
                for (String target : targets.stream().limit(targetsShown).toList()) {
                    List<String> texts = steered.get(source).get(target);
                    for (int i = 0; i < Math.min(perPair, texts.size()); i++) {
                        t.stringColumn(0).append(source);
                        t.stringColumn(1).append(target);
                        t.stringColumn(2).append(prompts.get(source).get(i));
                        t.stringColumn(3).append(texts.get(i));
                        t.stringColumn(4).append(identified.get(source).get(target).get(i));
                    }
                }
            }
            return t;
        }

        /** The table as fixed-width text ({@code steer}'s output), headed by what the target was set to. */
        public String text(String valueLabel) {
            StringBuilder b = new StringBuilder(String.format("share of continuations in the target language, "
                    + "before -> after (target neurons = %s, source neurons = 0)%n%-8s", valueLabel, "from\\to"));
            targets.forEach(t -> b.append(String.format("%12s", t)));
            b.append('\n');
            for (int s = 0; s < sources.size(); s++) {
                b.append(String.format("%-8s", sources.get(s)));
                for (int t = 0; t < targets.size(); t++) {
                    b.append(String.format("%12s", cell(before[s][t], after[s][t])));
                }
                b.append('\n');
            }
            return b.toString();
        }

        /** The table as Markdown (as the README shows it). */
        public String markdown() {
            StringBuilder b = new StringBuilder("| from \\ to |");
            targets.forEach(t -> b.append(' ').append(t).append(" |"));
            b.append("\n|---|");
            targets.forEach(t -> b.append("---:|"));
            b.append('\n');
            for (int s = 0; s < sources.size(); s++) {
                b.append("| ").append(sources.get(s)).append(" |");
                for (int t = 0; t < targets.size(); t++) {
                    b.append(' ').append(cell(before[s][t], after[s][t])).append(" |");
                }
                b.append('\n');
            }
            return b.toString();
        }

        /** The first {@code show} steered continuations of every pair, with prompt and identified language. */
        public String examplesText(int show) {
            StringBuilder b = new StringBuilder();
            for (String s : sources) {
                for (String t : targets) {
                    List<String> texts = steered.get(s).get(t);
                    for (int i = 0; i < Math.min(show, texts.size()); i++) {
                        b.append("\n").append(s).append(" -> ").append(t).append("  prompt: ")
                                .append(prompts.get(s).get(i)).append("\n  steered: ").append(texts.get(i))
                                .append("  [").append(identified.get(s).get(t).get(i)).append("]\n");
                    }
                }
            }
            return b.toString();
        }

        /** Writes the matrix as JSON: sources, targets, before, after (NaN on the diagonal) and the texts. */
        public void save(Path file) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sources", sources);
            o.put("targets", targets);
            o.put("before", before);
            o.put("after", after);
            o.put("prompts", prompts);
            o.put("steered", steered);
            o.put("identified", identified);
            JsonFiles.write(file, o);
        }

        private static String cell(double before, double after) {
            return Double.isNaN(after) ? "-" : String.format("%.2f->%.2f", before, after);
        }
    }

    /**
     * Tang et al.'s steering, source x target: the source's neurons of {@code set} set to 0 and the target's to
     * {@code value} (a statistic is the target's own, from {@code statsFor}; null for a constant).
     */
    public static Matrix sourceTarget(LanguageModel model, NeuronSet set, Map<String, List<String>> promptsBySource,
            List<String> targets, InterventionValue value, Function<String, ActivationStatistics> statsFor,
            GenerationConfig generation, LanguageIdentifier identifier) {
        return sourceTarget(model, set, promptsBySource, targets, value, statsFor, generation, identifier,
                Progress.NONE, RunCheckpoint.none());
    }

    /**
     * {@link #sourceTarget}, telling {@code progress} after each batch of generations and keeping each batch's
     * continuations in {@code checkpoint} (see {@link #matrix(LanguageModel, Map, List, GenerationConfig,
     * LanguageIdentifier, BiFunction, Progress, RunCheckpoint)}).
     */
    public static Matrix sourceTarget(LanguageModel model, NeuronSet set, Map<String, List<String>> promptsBySource,
            List<String> targets, InterventionValue value, Function<String, ActivationStatistics> statsFor,
            GenerationConfig generation, LanguageIdentifier identifier, Progress progress, RunCheckpoint checkpoint) {
        Map<String, Intervention> on = new LinkedHashMap<>();
        targets.forEach(t -> on.put(t, Intervention.setTo(set, t, value, statsFor)));
        return matrix(model, promptsBySource, targets, generation, identifier,
                (source, target) -> List.of(Intervention.set(set, source, 0f), on.get(target)), progress,
                checkpoint);
    }

    /** Told after each batch of generations (the unsteered one of a source, or one source-target pair). */
    @FunctionalInterface
    public interface Progress {
        /** Ignores everything. */
        Progress NONE = (done, total) -> { };

        void update(int done, int total);
    }

    /** Runs {@link Matrix}: the unsteered continuations once per source, the steered ones per source and target. */
    public static Matrix matrix(LanguageModel model, Map<String, List<String>> promptsBySource, List<String> targets,
            GenerationConfig generation, LanguageIdentifier identifier,
            BiFunction<String, String, List<Intervention>> interventions) {
        return matrix(model, promptsBySource, targets, generation, identifier, interventions, Progress.NONE,
                RunCheckpoint.none());
    }

    /**
     * {@link #matrix(LanguageModel, Map, List, GenerationConfig, LanguageIdentifier, BiFunction)} with progress,
     * keeping each batch of continuations (a source's unsteered ones, a source-target pair's steered ones) as a unit
     * of {@code checkpoint}: a stopped or killed run continues after the last finished batch. The units are named by
     * source and target only, so the checkpoint's settings must name the prompts, the interventions and the
     * generation settings.
     */
    public static Matrix matrix(LanguageModel model, Map<String, List<String>> promptsBySource, List<String> targets,
            GenerationConfig generation, LanguageIdentifier identifier,
            BiFunction<String, String, List<Intervention>> interventions, Progress progress,
            RunCheckpoint checkpoint) {
        List<String> sources = List.copyOf(promptsBySource.keySet());
        int total = 0, done = 0;
        for (String source : sources) {
            total += 1 + (int) targets.stream().filter(t -> !t.equals(source)).count();
        }
        double[][] before = new double[sources.size()][targets.size()];
        double[][] after = new double[sources.size()][targets.size()];
        Map<String, Map<String, List<String>>> steered = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> identified = new LinkedHashMap<>();
        for (int s = 0; s < sources.size(); s++) {
            String source = sources.get(s);
            List<String> prompts = promptsBySource.get(source);
            if (prompts.isEmpty()) {
                throw new IllegalArgumentException("empty input: no prompt for source language " + source);
            }
            List<String> plain = checkpoint.unit("unsteered " + source, TEXTS,
                    () -> model.generateText(prompts, generation).texts());
            progress.update(++done, total);
            Map<String, List<String>> row = new LinkedHashMap<>();
            Map<String, List<String>> rowLanguages = new LinkedHashMap<>();
            for (int t = 0; t < targets.size(); t++) {
                String target = targets.get(t);
                if (target.equals(source)) {
                    before[s][t] = after[s][t] = Double.NaN;
                    row.put(target, List.of());
                    rowLanguages.put(target, List.of());
                    continue;
                }
                List<String> texts = checkpoint.unit("steered " + source + " -> " + target, TEXTS,
                        () -> generateWith(model, prompts, generation, interventions.apply(source, target)));
                before[s][t] = LanguageIdentifier.share(identifier.identifyAll(plain), target);
                after[s][t] = LanguageIdentifier.share(identifier.identifyAll(texts), target);
                row.put(target, texts);
                rowLanguages.put(target, identifier.identifyAll(texts));
                progress.update(++done, total);
            }
            steered.put(source, row);
            identified.put(source, rowLanguages);
        }
        return new Matrix(sources, List.copyOf(targets), before, after,
                Collections.unmodifiableMap(new LinkedHashMap<>(promptsBySource)), steered, identified);
    }

    private static final Type TEXTS = new TypeToken<List<String>>() { }.getType();

    /** Continuations of {@code prompts} with {@code interventions} in place, removed afterwards. */
    private static List<String> generateWith(LanguageModel model, List<String> prompts, GenerationConfig generation,
            List<Intervention> interventions) {
        try (HookHandle h = Intervention.applyAll(model, interventions)) {
            return model.generateText(prompts, generation).texts();
        }
    }
}
