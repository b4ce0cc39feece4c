package org.langneurons.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.io.RunCheckpoint;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Perplexity;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;

/**
 * The perplexity-change runner on the embedded default: its matrix equals perplexities computed one by one with
 * {@link LanguageModel#perplexity(List, int, int)} under the same intervention, exactly, while the texts are
 * tokenized once and each baseline is computed once however many matrices and draws use it.
 */
class PerplexityEvaluationTest {
    static LanguageModel model;
    static Map<String, List<String>> texts;
    static NeuronSet set;

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
        texts = LanguageQuality.firstCharacters(Corpus.texts(null, List.of("en", "fr", "hi"), Split.VALIDATION),
                300);
        // hi has no neurons: its row is zero and not evaluated
        set = NeuronSet.builder("hand", Map.of(), List.of("en", "fr", "hi"), 4, 688).add("en", 3, 1)
                .add("en", 3, 2).add("fr", 2, 10).add("fr", 3, 11).build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aStoppedEvaluationResumesToTheSameResultsBitForBit(@TempDir Path dir) throws java.io.IOException {
        PerplexityChange whole = PerplexityEvaluation.prepare(model, texts, 64, 3).change(set,
                InterventionValue.parse("3"), null, PerplexityChange.Progress.NONE);
        // stopped after the first batch of the second column: a poll before each column, and before each batch
        int enBatches = model.tokenize(texts.get("en"), 64).batches(3).size();
        assertTrue(enBatches > 1 && model.tokenize(texts.get("fr"), 64).batches(3).size() > 1);
        AtomicInteger polls = new AtomicInteger();
        RunCheckpoint first = RunCheckpoint.open(dir, Map.of("test", "1"),
                () -> polls.incrementAndGet() > 1 + enBatches + 2);
        assertThrows(RunCheckpoint.Stopped.class, () -> PerplexityEvaluation.prepare(model, texts, 64, 3)
                .resumable(first).change(set, InterventionValue.parse("3"), null, PerplexityChange.Progress.NONE));
        assertEquals(1, first.unitsWritten(), "one column finished before the stop");
        try (var files = java.nio.file.Files.list(dir.resolve("units"))) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".partial.json")).count(),
                    "the stopped column's sums after its first batch are kept");
        }
        RunCheckpoint second = RunCheckpoint.open(dir, Map.of("test", "1"), () -> false);
        PerplexityChange resumed = PerplexityEvaluation.prepare(model, texts, 64, 3).resumable(second).change(set,
                InterventionValue.parse("3"), null, PerplexityChange.Progress.NONE);
        assertEquals(1, second.unitsRead());
        assertEquals(2, second.unitsWritten(), "the stopped column continued from its partial sums, and the last");
        assertArrayEquals(whole.baselinePerplexity(), resumed.baselinePerplexity(), 0);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(whole.ppxc()[i], resumed.ppxc()[i], 0);
            assertArrayEquals(whole.crossEntropyChange()[i], resumed.crossEntropyChange()[i], 0);
        }
    }

    @Test
    void theMatrixEqualsPerplexitiesComputedOneByOne() {
        PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, texts, 64, 3);
        List<int[]> calls = new ArrayList<>();
        PerplexityChange m = evaluation.change(set, InterventionValue.parse("3"), null,
                (done, total) -> calls.add(new int[] {done, total}));
        assertEquals(3, calls.size(), "a column at a time: its baseline and its three rows (hi's is not run)");
        assertArrayEquals(new int[] {4, 12}, calls.get(0));
        assertArrayEquals(new int[] {12, 12}, calls.get(calls.size() - 1));
        for (int j = 0; j < 3; j++) {
            String lang = set.languages().get(j);
            Perplexity base = model.perplexity(texts.get(lang), 64, 3);
            assertEquals(base.perplexity(), m.baselinePerplexity()[j], 0, lang);
            for (int i = 0; i < 2; i++) {
                try (HookHandle h = Intervention.set(set, set.languages().get(i), 3f).apply(model)) {
                    Perplexity p = model.perplexity(texts.get(lang), 64, 3);
                    assertEquals(p.perplexity() - base.perplexity(), m.ppxc()[i][j], 0, i + " on " + lang);
                    assertEquals(p.meanNll() - base.meanNll(), m.crossEntropyChange()[i][j], 0);
                }
            }
            assertEquals(0, m.ppxc()[2][j], 0, "hi has no neurons");
        }
        assertEquals("3", m.value().label());
        // a second matrix and a random control reuse the baselines: only K^2 evaluations each
        calls.clear();
        PerplexityChange zero = evaluation.deactivation(set, (done, total) -> calls.add(new int[] {done, total}));
        assertEquals(9, calls.get(calls.size() - 1)[1]);
        assertArrayEquals(m.baselinePerplexity(), zero.baselinePerplexity(), 0);
        calls.clear();
        RandomControl control = evaluation.randomControl(set, InterventionValue.ZERO, null, 2,
                (done, total) -> calls.add(new int[] {done, total}));
        assertArrayEquals(new int[] {4, 4}, calls.get(calls.size() - 1), "the diagonal only: 2 draws x en, fr");
        for (int d = 1; d <= 2; d++) {
            PerplexityChange draw = evaluation.deactivation(RandomNeurons.matching(set, d), (x, t) -> { });
            for (int i = 0; i < 3; i++) {
                assertEquals(draw.crossEntropyChange()[i][i], control.ownCrossEntropyChange()[d - 1][i], 0,
                        "draw " + d + " is seed " + d + ", language " + i);
                assertEquals(draw.ppxc()[i][i], control.ownPpxc()[d - 1][i], 0);
            }
        }
        assertTrue(Double.isNaN(control.pValue(zero, 2)), "hi has no neurons: no p-value");
        // a sweep equals the matrices computed one value at a time
        calls.clear();
        PerplexitySweep sweep = evaluation.sweep(set, List.of(InterventionValue.ZERO, InterventionValue.parse("3")),
                (done, total) -> calls.add(new int[] {done, total}));
        assertArrayEquals(new int[] {18, 18}, calls.get(calls.size() - 1));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(zero.crossEntropyChange()[i], sweep.get("zero").crossEntropyChange()[i], 0);
            assertArrayEquals(m.ppxc()[i], sweep.get("3").ppxc()[i], 0);
        }
        var noGate = assertThrows(IllegalArgumentException.class, () -> evaluation.sweep(set,
                List.of(InterventionValue.parse("p5@gate")), (d, t) -> { }));
        assertTrue(noGate.getMessage().contains("p5@gate is a statistic of mlp.hook_gate"), noGate.getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> evaluation.deactivation(
                NeuronSet.builder("x", Map.of(), List.of("zh"), 4, 688).build(), (d, t) -> { }));
        assertTrue(e.getMessage().contains("no evaluation text for language zh"), e.getMessage());
    }
}
