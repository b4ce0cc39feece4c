package org.langneurons.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationCounts;
import org.langneurons.stats.StatisticsCollector;

/**
 * The papers' finding, computed from the embedded default model, not written in: LAPE on the identification text
 * finds neurons for every language, and switching a language's neurons off raises its own perplexity (validation
 * text) more than the others' mean for most languages, more often than random neurons of the same count do.
 */
class DefaultModelNeuronsTest {
    static LanguageModel model;
    static Corpus corpus;
    static NeuronSet lape;
    static Map<String, List<String>> validation = new LinkedHashMap<>();

    @BeforeAll
    static void identify() {
        model = LanguageModel.defaultModel();
        corpus = Corpus.openDefault();
        var settings = StatisticsCollector.Settings.defaults().withTokenBudget(30_000).withMaxLength(256)
                .withBatchSize(16).withPercentiles();
        List<ActivationCounts> counts = new ArrayList<>();
        for (String lang : corpus.languages()) {
            counts.add(StatisticsCollector.collect(model, lang, corpus.documents(lang, Split.IDENTIFICATION),
                    settings, null, StatisticsCollector.Progress.NONE).counts());
            validation.put(lang, LanguageQuality.firstCharacters(corpus.documents(lang, Split.VALIDATION), 8_000));
        }
        lape = Lape.tang(ActivationCounts.probabilities(counts), corpus.languages(), Lape.Settings.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void lapeFindsNeuronsForEveryLanguage() {
        assertEquals(28, lape.uniqueCount());          // round(0.01 * 4 * 688)
        for (String lang : lape.languages()) {
            assertTrue(lape.count(lang) > 0, lang + " has no LAPE neuron: " + lape);
        }
    }

    @Test
    void deactivatingALanguagesNeuronsHurtsItMost() {
        PerplexityChange m = PerplexityChange.deactivation(model, lape, validation, 256, 16,
                PerplexityChange.Progress.NONE);
        PerplexityChange random = PerplexityChange.deactivation(model,
                org.langneurons.neurons.RandomNeurons.matching(lape, 1), validation, 256, 16,
                PerplexityChange.Progress.NONE);
        int own = m.languagesHurtMostThemselves();
        assertTrue(own >= 12, "own language hurt most in " + own + " of 16");
        assertTrue(own > random.languagesHurtMostThemselves(), "LAPE " + own + " vs random "
                + random.languagesHurtMostThemselves());
    }
}
