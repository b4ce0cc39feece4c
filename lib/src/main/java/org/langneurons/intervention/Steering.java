package org.langneurons.intervention;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.langneurons.eval.LanguageIdentifier;
import org.langneurons.hooks.HookHandle;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;

/**
 * Steering the output language (Tang et al.): generate from the same prompts without and with interventions (for
 * example the source language's neurons off and the target's set to a high value) and measure, with a
 * {@link LanguageIdentifier}, the share of continuations written in the target language.
 *
 * <pre>{@code
 * Steering.Result r = Steering.run(model, prompts, GenerationConfig.greedy(32), id, "fr",
 *         List.of(Intervention.set(set, "en", 0f), Intervention.setToStatistic(set, "fr", frStats, "p95")));
 * System.out.println(r.before() + " -> " + r.after());
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
        List<String> langs = new ArrayList<>();
        after.forEach(t -> langs.add(identifier.identify(t)));
        return new Result(target, share(before, identifier, target), share(after, identifier, target), prompts,
                before, after, langs);
    }

    /**
     * Source x target steering: for each source language, its prompts are continued once without intervention and
     * once per target with {@code interventions.apply(source, target)}; cells hold the share of continuations
     * identified as the target. The diagonal is NaN (a language is not steered towards itself).
     *
     * @param sources the source languages (rows)
     * @param targets the target languages (columns)
     * @param before  [S][T] share identified as the target without intervention
     * @param after   [S][T] the same with the interventions
     * @param prompts per source, the prompts
     * @param steered per source and target, the continuations with the interventions (empty on the diagonal)
     */
    public record Matrix(List<String> sources, List<String> targets, double[][] before, double[][] after,
            Map<String, List<String>> prompts, Map<String, Map<String, List<String>>> steered) {
    }

    /** Runs {@link Matrix}: the unsteered continuations once per source, the steered ones per source and target. */
    public static Matrix matrix(LanguageModel model, Map<String, List<String>> promptsBySource, List<String> targets,
            GenerationConfig generation, LanguageIdentifier identifier,
            BiFunction<String, String, List<Intervention>> interventions) {
        List<String> sources = List.copyOf(promptsBySource.keySet());
        double[][] before = new double[sources.size()][targets.size()];
        double[][] after = new double[sources.size()][targets.size()];
        Map<String, Map<String, List<String>>> steered = new LinkedHashMap<>();
        for (int s = 0; s < sources.size(); s++) {
            String source = sources.get(s);
            List<String> prompts = promptsBySource.get(source);
            if (prompts.isEmpty()) {
                throw new IllegalArgumentException("empty input: no prompt for source language " + source);
            }
            List<String> plain = model.generateText(prompts, generation).texts();
            Map<String, List<String>> row = new LinkedHashMap<>();
            for (int t = 0; t < targets.size(); t++) {
                String target = targets.get(t);
                if (target.equals(source)) {
                    before[s][t] = after[s][t] = Double.NaN;
                    row.put(target, List.of());
                    continue;
                }
                List<String> texts = generateWith(model, prompts, generation, interventions.apply(source, target));
                before[s][t] = share(plain, identifier, target);
                after[s][t] = share(texts, identifier, target);
                row.put(target, texts);
            }
            steered.put(source, row);
        }
        return new Matrix(sources, List.copyOf(targets), before, after,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(promptsBySource)), steered);
    }

    /** Continuations of {@code prompts} with {@code interventions} in place, removed afterwards. */
    private static List<String> generateWith(LanguageModel model, List<String> prompts, GenerationConfig generation,
            List<Intervention> interventions) {
        try (HookHandle h = Intervention.applyAll(model, interventions)) {
            return model.generateText(prompts, generation).texts();
        }
    }

    private static double share(List<String> texts, LanguageIdentifier id, String target) {
        return texts.stream().filter(t -> id.identify(t).equals(target)).count() / (double) texts.size();
    }
}
