package org.langneurons.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.model.Generation;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;
import org.langneurons.neurons.NeuronSet;

/** Open-ended generation with a language's neurons off, checked against generations and NLLs computed apart. */
class GenerationDeactivationTest {
    static LanguageModel model;
    static NeuronSet set;
    static final Map<String, List<String>> PROMPTS = Map.of("en", List.of("The file is", "Click the"));
    static final GenerationConfig GREEDY = GenerationConfig.greedy(6);

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
        int per = model.config().neuronsPerLayer();
        NeuronSet.Builder b = NeuronSet.builder("hand", Map.of(), List.of("en", "fr"), model.config().layers(), per);
        for (int i = 0; i < per; i++) {
            b.add("en", 3, i);        // every neuron of the last layer: the output must change
        }
        set = b.build();              // fr has none: switching it off must change nothing
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void distinct2ByHand() {
        assertEquals(0.5, GenerationDeactivation.distinct2(new long[] {1, 2, 1, 2, 1}), 0);
        assertEquals(1.0, GenerationDeactivation.distinct2(new long[] {1, 2, 3}), 0);
        assertEquals(1 / 3.0, GenerationDeactivation.distinct2(new long[] {7, 7, 7, 7}), 1e-15);
        assertTrue(Double.isNaN(GenerationDeactivation.distinct2(new long[] {7})));
        // the mean skips sequences without a bigram: (0.5 + 1) / 2
        assertEquals(0.75, GenerationDeactivation.meanDistinct2(List.of(new long[] {1, 2, 1, 2, 1},
                new long[] {5}, new long[] {1, 2, 3})), 1e-15);
    }

    @Test
    void markdownByHand() {
        var r = new GenerationDeactivation.Result(List.of("fr"), List.of("en", "fr"),
                new double[][] {{1, 0.5}, {0.75, 0.25}}, new double[][] {{4, 5.125}, {4.5, 6}},
                new double[][] {{1, 0.5}, {0.875, Double.NaN}}, Map.of(), List.of(), List.of());
        assertEquals("| neurons off \\ prompt | en | fr |\n|---|---:|---:|\n"
                + "| none | 1.00 / 4.00 / 1.00 | 0.50 / 5.13 / 0.50 |\n"
                + "| fr off | 0.75 / 4.50 / 0.88 | 0.25 / 6.00 / NaN |\n", r.markdown());
    }

    @Test
    void rowsAreTheGenerationsWithAndWithoutTheNeurons() {
        GenerationDeactivation.Result r = GenerationDeactivation.run(model, set, PROMPTS, List.of("en", "fr"),
                GREEDY, LanguageIdentifier.embedded());
        List<String> plain = model.generateText(PROMPTS.get("en"), GREEDY).texts();
        List<String> off;
        try (HookHandle h = Intervention.set(set, "en", 0f).apply(model)) {
            off = model.generateText(PROMPTS.get("en"), GREEDY).texts();
        }
        assertEquals(plain, r.continuations().get(0).get("en"));
        assertEquals(off, r.continuations().get(1).get("en"));
        assertNotEquals(plain, off);
        assertEquals(plain, r.continuations().get(2).get("en"));          // fr has no neuron: unchanged
        assertArrayEquals(r.share()[0], r.share()[2], 0);
        assertArrayEquals(r.perplexity()[0], r.perplexity()[2], 0);
        long inEnglish = LanguageIdentifier.embedded().identifyAll(off).stream().filter("en"::equals).count();
        assertEquals(inEnglish / 2.0, r.share()[1][0], 0);
        assertEquals(List.of("none", "en off", "fr off"), r.rowLabels());
        assertEquals(3, r.table().rowCount());
        assertEquals(6, r.examples(2).rowCount());
    }

    @Test
    void perplexityIsTheUnmodifiedModelsOnTheContinuationTokensOnly() {
        List<long[]> prompts = PROMPTS.get("en").stream().map(p -> model.tokenizer().orElseThrow().encode(p))
                .toList();
        Generation g;
        try (HookHandle h = Intervention.set(set, "en", 0f).apply(model)) {
            g = model.generate(prompts, GREEDY);
        }
        // one sequence at a time, unpadded: the NLL entries from the last prompt position on
        double sum = 0;
        int n = 0;
        for (int i = 0; i < prompts.size(); i++) {
            long[] p = prompts.get(i), c = g.tokens().get(i);
            long[] whole = new long[p.length + c.length];
            System.arraycopy(p, 0, whole, 0, p.length);
            System.arraycopy(c, 0, whole, p.length, c.length);
            float[] nll = model.tokenNll(TokenBatch.of(whole))[0];
            for (int q = p.length - 1; q < nll.length; q++) {
                sum += nll[q];
                n++;
            }
            assertEquals(c.length, nll.length - p.length + 1);
        }
        assertEquals(Math.exp(sum / n),
                GenerationDeactivation.continuationPerplexity(model, prompts, g.tokens()), 1e-4);
        GenerationDeactivation.Result r = GenerationDeactivation.run(model, set, PROMPTS, List.of("en"), GREEDY,
                LanguageIdentifier.embedded());
        assertEquals(Math.exp(sum / n), r.perplexity()[1][0], 1e-4);
    }

    @Test
    void badInputNamesTheLanguage() {
        var e = assertThrows(IllegalArgumentException.class, () -> GenerationDeactivation.run(model, set, PROMPTS,
                List.of("zh"), GREEDY, LanguageIdentifier.embedded()));
        assertTrue(e.getMessage().contains("zh"), e.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> GenerationDeactivation.run(model, set,
                Map.of("fr", List.of()), List.of("en"), GREEDY, LanguageIdentifier.embedded()));
        assertTrue(empty.getMessage().contains("fr"), empty.getMessage());
    }
}
