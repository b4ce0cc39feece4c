package org.langneurons.intervention;

import java.util.ArrayList;
import java.util.List;
import org.langneurons.eval.LanguageIdentifier;
import org.langneurons.hooks.HookHandle;
import org.langneurons.model.Generation;
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
        Generation g;
        try (HookHandle h = Intervention.applyAll(model, interventions)) {
            g = model.generateText(prompts, generation);
        }
        List<String> langs = new ArrayList<>();
        g.texts().forEach(t -> langs.add(identifier.identify(t)));
        return new Result(target, share(before, identifier, target), share(g.texts(), identifier, target), prompts,
                before, g.texts(), langs);
    }

    private static double share(List<String> texts, LanguageIdentifier id, String target) {
        return texts.stream().filter(t -> id.identify(t).equals(target)).count() / (double) texts.size();
    }
}
