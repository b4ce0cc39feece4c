package org.langneurons.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.hooks.HookName;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * A statistics folder on the embedded default: its file names, that Activation Probability p's two passes are the
 * collector's passes over the two halves of the shuffled documents, and that a folder reads back what it wrote;
 * and one hook point recorded on the host.
 */
class StatisticsDirectoryTest {
    static LanguageModel model;
    static List<String> docs;

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
        docs = Corpus.openDefault().documents("fr", Split.IDENTIFICATION).subList(0, 40);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void relevancePassesAreTheCollectorsPassesOverTheHalves(@TempDir Path dir) {
        StatisticsSettings settings = StatisticsSettings.builder().tokenBudget(600).maxLength(64).batchSize(4)
                .percentiles(50).seed(3).build();
        StatisticsDirectory d = StatisticsDirectory.at(dir.resolve("stats"));
        var passes = d.collectRelevance(model, "fr", docs, settings, 90, StatisticsCollector.Progress.NONE);
        assertEquals(dir.resolve("stats/fr.safetensors"), d.statisticsFile("fr"));
        assertTrue(Files.isRegularFile(dir.resolve("stats/fr.relevance.safetensors")));
        // by hand: shuffle with the seed, halve, collect each half (90 added to the percentiles)
        List<String> shuffled = new ArrayList<>(docs);
        Collections.shuffle(shuffled, new Random(3));
        StatisticsSettings with90 = settings.toBuilder().percentiles(50, 90).build();
        ActivationStatistics first = StatisticsCollector.collect(model, "fr", shuffled.subList(0, 20), with90, null,
                StatisticsCollector.Progress.NONE);
        ActivationStatistics second = StatisticsCollector.collectRelevance(model, first, 90, shuffled.subList(20, 40),
                with90, null, StatisticsCollector.Progress.NONE);
        assertTrue(first.sameValues(passes.statistics()));
        assertTrue(second.sameValues(passes.relevance()));
        assertTrue(second.sameValues(d.relevance("fr")));
        LanguageStatistics all = d.collectRelevance(model, Map.of("fr", docs), settings, 90,
                StatisticsCollector.Progress.NONE);
        assertTrue(second.sameValues(all.get("fr")), "read back, not recomputed");
        assertEquals(List.of("fr"), d.load(List.of("fr")).languages());
    }

    @Test
    void oneHookPointOnTheHost() {
        TokenBatch batch = TokenBatch.of(new long[] {1, 300, 400, 500});
        NeuronActivations act = NeuronActivations.record(model, batch, HookName.mlpAct(3));
        assertArrayEquals(new long[] {1, 4, 688}, act.shape());
        assertEquals(4, act.positions());
        int top = act.mostActive(1)[0];
        double mean = 0, firing = 0, max = 0;
        for (int t = 0; t < 4; t++) {
            mean += act.get(t, top) / 4;
            firing += act.get(t, top) > 0 ? 0.25 : 0;
            max = Math.max(max, Math.abs(act.get(t, top)));
        }
        assertEquals(mean, act.mean()[top], 0);
        assertEquals(firing, act.firingShare()[top], 0);
        assertEquals(max, act.maxAbs(top), 0);
        for (double m : act.mean()) {
            assertTrue(m <= act.mean()[top]);
        }
        assertEquals(0, act.changedExcept(act, top));
    }
}
