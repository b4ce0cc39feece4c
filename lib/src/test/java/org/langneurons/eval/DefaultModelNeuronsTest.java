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
import org.langneurons.stats.ActivationProbabilities;
import org.langneurons.stats.StatisticsCollector;
import org.langneurons.stats.StatisticsSettings;

/**
 * The papers' finding, computed from the embedded default model, not written in: switching a language's LAPE
 * neurons off raises its own perplexity (validation text) more than the others' mean for most languages that have
 * neurons, more often than random neurons of the same count do.
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
        var settings = StatisticsSettings.builder().tokenBudget(30_000).maxLength(256).batchSize(16).percentiles()
                .build();
        List<ActivationCounts> counts = new ArrayList<>();
        for (String lang : corpus.languages()) {
            counts.add(StatisticsCollector.collect(model, lang, corpus.documents(lang, Split.IDENTIFICATION),
                    settings, null, StatisticsCollector.Progress.NONE).counts());
            validation.put(lang, LanguageQuality.firstCharacters(corpus.documents(lang, Split.VALIDATION), 8_000));
        }
        lape = Lape.tang(ActivationProbabilities.aboveZero(counts), Lape.Settings.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void lapeSelectsOnePercentInTheUpperLayers() {
        assertEquals(28, lape.uniqueCount());          // round(0.01 * 4 * 688)
        // the default-model issue's floor: every language gets neurons (measured on the committed model, packed
        // windows: 16 of 16, all in layers 2 and 3; per-document windows leave ta without)
        List<String> without = lape.languages().stream().filter(l -> lape.count(l) == 0).toList();
        assertTrue(without.isEmpty(), "languages without neurons: " + without + " in " + lape);
        assertEquals(0, lape.unionOfLanguages(0).length + lape.unionOfLanguages(1).length, lape.toString());
    }

    @Test
    void deactivatingALanguagesNeuronsHurtsItMost() {
        PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, validation, 256, 16);
        PerplexityChange m = evaluation.deactivation(lape, PerplexityChange.Progress.NONE);
        PerplexityChange random = evaluation.deactivation(org.langneurons.neurons.RandomNeurons.matching(lape, 1),
                PerplexityChange.Progress.NONE);
        long withNeurons = lape.languages().stream().filter(l -> lape.count(l) > 0).count();
        int own = m.languagesHurtMostThemselves();
        // the default-model issue's floor: 12 of 16 (measured on the committed model: 16, random neurons 8)
        assertTrue(own >= 12, "own language hurt most in " + own + " of " + withNeurons);
        assertTrue(own > random.languagesHurtMostThemselves(), "LAPE " + own + " vs random "
                + random.languagesHurtMostThemselves());
    }
}
