package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.hooks.Hook;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookPoint;
import org.langneurons.intervention.Intervention;

/**
 * Native memory is bounded by the model and one block's working set, whatever the text: counted with DJL's own
 * accounting of the arrays a manager holds (not with RSS, which depends on the allocator and the moment).
 */
class BoundedMemoryTest {
    static LanguageModel model;
    static List<String> text;

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
        text = Corpus.openDefault().documents("fr", Split.VALIDATION).subList(0, 20);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Arrays alive on the model's manager and every manager below it. */
    static int live() {
        return model.manager().getManagedArrays().size();
    }

    @Test
    void evaluatingTenTimesTheTextUnderAnInterventionHoldsNoMoreArrays() {
        int[] neurons = {1, 2, 3, 4};
        int[][] perLayer = {neurons, neurons, neurons, neurons};
        float[][] values = {{3, 3, 3, 3}, {3, 3, 3, 3}, {3, 3, 3, 3}, {3, 3, 3, 3}};
        Intervention iv = new Intervention(Intervention.Operation.SET, perLayer, values, Intervention.Positions.ALL,
                HookPoint.MLP_ACT);
        List<String> tenTimes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tenTimes.addAll(text);
        }
        try (HookHandle h = iv.apply(model)) {
            int before = live();
            Perplexity once = model.perplexity(text, 32, 4);
            int afterOnce = live();
            Perplexity ten = model.perplexity(tenTimes, 32, 4);
            int afterTen = live();
            assertEquals(once.perplexity(), ten.perplexity(), 1e-9 * once.perplexity(), "the same text ten times");
            assertEquals(before, afterOnce, "arrays left by one pass over the text");
            assertEquals(before, afterTen, "arrays left by ten passes over the text");
        }
    }

    @Test
    void aForwardHoldsOneBlocksIntermediatesAtATime() {
        // live arrays seen by a reading hook at the end of every block: the same at the last block as at the first
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        Hook count = Hook.reading((name, act) -> seen.add(live()));
        try (HookHandle h = model.hooks().addEveryLayer(HookPoint.RESID_POST, count)) {
            model.logits(TokenBatch.of(new long[] {1, 300, 400, 500, 600, 700}), model.manager());
        }
        assertEquals(model.config().layers(), seen.size());
        int growth = seen.get(seen.size() - 1) - seen.get(0);
        assertTrue(growth <= 2 * (model.config().layers() - 1), "live arrays grew by " + growth + " over the blocks: "
                + seen);
    }
}
