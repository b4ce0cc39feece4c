package org.langneurons.neurons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.langneurons.stats.ActivationProbabilities;

/**
 * LAPE on hand-computed cases, one rule of shared/PAPERS.md each.
 *
 * <p>The base case: one layer of five neurons, two languages.
 * <pre>
 *   neuron  P(en) P(fr)  H (Tang)                     passes thr?
 *   0       0.9   0.0    0                            yes (0.9)
 *   1       0.5   0.5    ln 2 = 0.693                 yes
 *   2       0.0   0.0    dead: +inf                   no
 *   3       0.2   0.6    -(.25 ln .25 + .75 ln .75) = 0.562   yes
 *   4       0.1   0.05   0.637, but no P > thr: +inf  no (0.1 is not > 0.1)
 * </pre>
 * The ten probabilities sorted: 0 0 0 .05 .1 .2 .5 .5 .6 .9. With filter rate 0.5, k = round(5.0) = 5 and
 * thr = 0.1 (Tang); Mondal's linear quantile is at position 4.5: (0.1 + 0.2) / 2 = 0.15.
 */
class LapeTest {
    static final List<String> LANGS = List.of("en", "fr");

    static float[][][] base() {
        return new float[][][] {{{0.9f, 0f}, {0.5f, 0.5f}, {0f, 0f}, {0.2f, 0.6f}, {0.1f, 0.05f}}};
    }

    @Test
    void selectsExactlyRoundHalfEvenOfTopRateAndAssignsByStrictBar() {
        // top rate 0.5 of 5 neurons: round(2.5) = 2 (half to even), not 3: neurons 0 and 3
        NeuronSet s = Lape.tang(ActivationProbabilities.ofArray(base(), LANGS), new Lape.Settings(0.5, 0.5, 0.5));
        assertArrayEquals(new int[] {0, 3}, s.neurons("en", 0));   // 0.9 and 0.2 > 0.1
        assertArrayEquals(new int[] {3}, s.neurons("fr", 0));      // 0.6 > 0.1; 0.0 is not
        assertEquals(2, s.uniqueCount());
        assertEquals("lape", s.method());
        assertEquals(0.5, s.settings().get("top_rate"));
    }

    @Test
    void thresholdIsTheRoundHalfEvenOrderStatistic() {
        // 30 probabilities (one layer, 15 neurons, 2 languages); filter rate 0.95: k = round(28.5) = 28, so thr is
        // the 28th smallest (0.28), not the 29th (0.29): a neuron at 0.29 passes.
        float[][][] p = new float[1][15][2];
        for (int j = 0; j < 30; j++) {
            p[0][j / 2][j % 2] = (j + 1) / 100f;      // values 0.01 .. 0.30, neuron n holds 0.(2n+1), 0.(2n+2)
        }
        NeuronSet s = Lape.tang(ActivationProbabilities.ofArray(p, LANGS), new Lape.Settings(1.0, 0.95, 0.95));
        // neurons 14 (0.29, 0.30) passes for both; neuron 13 (0.27, 0.28) passes for none: 0.28 is not > 0.28
        assertArrayEquals(new int[] {14}, s.neurons("en", 0));
        assertArrayEquals(new int[] {14}, s.neurons("fr", 0));
    }

    @Test
    void deadNeuronsAndNeuronsBelowTheThresholdComeLast() {
        // top rate 0.8: round(4.0) = 4 neurons: 0, 3, 1, then the first of the +inf ones by position: 2 (dead)
        NeuronSet s = Lape.tang(ActivationProbabilities.ofArray(base(), LANGS), new Lape.Settings(0.8, 0.5, 0.5));
        assertArrayEquals(new int[] {0, 1, 3}, s.neurons("en", 0));
        assertArrayEquals(new int[] {1, 3}, s.neurons("fr", 0));
        // neuron 2 was selected but passes no bar: it belongs to no language
        assertEquals(3, s.uniqueCount());
    }

    @Test
    void aLanguageWithNoNeuronIsListedWithEmptyLayers() {
        float[][][] p = {{{0.9f, 0f, 0f}, {0.8f, 0f, 0.7f}}, {{0.7f, 0f, 0f}, {0f, 0f, 0f}}};
        NeuronSet s = Lape.tang(ActivationProbabilities.ofArray(p, List.of("en", "fr", "zh")),
                new Lape.Settings(0.5, 0.5, 0.5));
        assertEquals(List.of("en", "fr", "zh"), s.languages());
        assertArrayEquals(new int[] {0, 0}, s.countPerLayer("fr"));
        assertEquals(0, s.count("fr"));
        // 12 probabilities, k = 6: sorted 0 x7, ... thr = 0; m = round(2.0) = 2: the two H = 0 neurons (0,0), (1,0)
        assertArrayEquals(new int[] {0}, s.neurons("en", 0));
        assertArrayEquals(new int[] {0}, s.neurons("en", 1));
        assertEquals(0, s.count("zh"));
    }

    @Test
    void oneLanguage() {
        // K = 1: every live neuron has entropy 0; selection keeps position order among them
        float[][][] p = {{{0.0f}, {0.3f}, {0.9f}, {0.6f}}};
        NeuronSet s = Lape.tang(ActivationProbabilities.ofArray(p, List.of("en")), new Lape.Settings(0.5, 0.5, 0.5));
        // thr: k = round(2.0) = 2: 0.3; live: 2 (0.9) and 3 (0.6); m = 2
        assertArrayEquals(new int[] {2, 3}, s.neurons("en", 0));
    }

    @Test
    void mondalKeepsTiesWhereTangTakesExactlyM() {
        // base plus neuron 5 equal to neuron 3. Sorted: 0 0 0 .05 .1 .2 .2 .5 .5 .6 .6 .9; thr = 0.2 in both
        // (Tang: k = 6; Mondal: position 5.5 between 0.2 and 0.2). m = round(6 / 3) = 2: Tang takes neurons 0 and 3
        // (the tie broken by position); Mondal takes every H <= the 2nd smallest: 0, 3 and 5.
        float[][][] p = {{{0.9f, 0f}, {0.5f, 0.5f}, {0f, 0f}, {0.2f, 0.6f}, {0.1f, 0.05f}, {0.2f, 0.6f}}};
        Lape.Settings rate = new Lape.Settings(1 / 3.0, 0.5, 0.5);
        NeuronSet t = Lape.tang(ActivationProbabilities.ofArray(p, LANGS), rate);
        NeuronSet m = Lape.mondal(ActivationProbabilities.ofArray(p, LANGS), rate);
        assertArrayEquals(new int[] {0}, t.neurons("en", 0));           // 0.2 is not > 0.2
        assertArrayEquals(new int[] {3}, t.neurons("fr", 0));
        assertArrayEquals(new int[] {0}, m.neurons("en", 0));
        assertArrayEquals(new int[] {3, 5}, m.neurons("fr", 0));
        assertEquals("lape-mondal", m.method());
    }

    @Test
    void mondalInterpolatesTheQuantileWhereTangTakesAnOrderStatistic() {
        // 10 probabilities, filter rate 0.95: Tang's k = round(9.5) = 10 (half to even) is the largest value, which
        // no probability exceeds: every neuron gets +inf. Mondal's quantile sits at position 8.55, between the two
        // largest (0.6 and 0.9): 0.765, so neuron 0 (0.9) passes.
        Lape.Settings s = new Lape.Settings(0.2, 0.95, 0.95);   // m = 1
        NeuronSet t = Lape.tang(ActivationProbabilities.ofArray(base(), LANGS), s);
        NeuronSet m = Lape.mondal(ActivationProbabilities.ofArray(base(), LANGS), s);
        assertEquals(0, t.uniqueCount());          // neuron 0 selected by position, but it passes no bar
        assertArrayEquals(new int[] {0}, m.neurons("en", 0));
        assertEquals(0, m.count("fr"));
    }

    @Test
    void badInputNamesWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Lape.tang(ActivationProbabilities.ofArray(new float[][][] {{{0.5f}}}, LANGS),
                        Lape.Settings.defaults()));
        assertTrue(e.getMessage().contains("neuron (0, 0) has 1 languages, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Lape.tang(ActivationProbabilities.ofArray(new float[][][] {{{1.5f, 0f}}}, LANGS),
                        Lape.Settings.defaults()));
        assertTrue(e.getMessage().contains("outside [0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Lape.Settings(0, 0.95, 0.95));
    }

    /**
     * The selection for a shared language changes with the other languages (one layer, four neurons; top rate 0.5:
     * m = 2; filter and bar rate 0.5: of 8 probabilities the 4th smallest, 0.1, in both runs):
     * <pre>
     *   neuron  en   fr   hi    H on {en, fr}   H on {en, hi}
     *   0       .8   .8   0     ln 2            0
     *   1       .8   0    .8    0               ln 2
     *   2       .1   .1   .1    no P > .1: inf  inf
     *   3       0    .9   .9    0               0
     * </pre>
     * On {en, fr} LAPE keeps neurons 1 and 3 (en: 1, fr: 3); on {en, hi} neurons 0 and 3 (en: 0, hi: 3); en's
     * neurons do not overlap (Jaccard 0).
     */
    @Test
    void lapeOfASharedLanguageDependsOnTheLanguageSet() {
        float[][][] p = {{{.8f, .8f, 0f}, {.8f, 0f, .8f}, {.1f, .1f, .1f}, {0f, .9f, .9f}}};
        var c = LanguageSetComparison.lape(ActivationProbabilities.ofArray(p, List.of("en", "fr", "hi")),
                new Lape.Settings(0.5, 0.5, 0.5), "A", List.of("en", "fr", "de"), "B", List.of("en", "hi"));
        assertEquals(List.of("en", "fr"), c.first());
        assertEquals(List.of("de"), c.missing());
        assertEquals(List.of("en"), c.shared());
        assertArrayEquals(new int[] {1}, c.onFirst().neurons("en", 0));
        assertArrayEquals(new int[] {3}, c.onFirst().neurons("fr", 0));
        assertArrayEquals(new int[] {0}, c.onSecond().neurons("en", 0));
        assertArrayEquals(new int[] {3}, c.onSecond().neurons("hi", 0));
        assertEquals(0, c.overlap("en"));
        assertEquals(0.0, c.jaccard("en"));
        var e = assertThrows(IllegalArgumentException.class, () -> LanguageSetComparison.lape(
                ActivationProbabilities.ofArray(p, List.of("en", "fr", "hi")), Lape.Settings.defaults(), "A",
                List.of("en"), "C", List.of("ta", "te")));
        assertTrue(e.getMessage().contains("language set C [ta, te]: none of its languages"), e.getMessage());
    }

    /**
     * Tang et al.'s identify.py, run unmodified on seven small activation files in their activation.py format
     * (fixtures/tang-identify/make_identify_fixtures.py), against our reader and {@code Lape.tang} on the same files:
     * the same neurons for every language and layer, and ja, which no selected neuron passes, missing from their
     * file as the reference drops a trailing language without neurons.
     */
    @Test
    void tangReproducesTheMaskOfTheirIdentifyPy() {
        List<String> langs = TangFiles.PUBLISHED_LANGUAGES;
        List<java.nio.file.Path> files = langs.stream()
                .map(l -> org.langneurons.Fixtures.resource("fixtures/tang-identify/activation." + l + ".pt")).toList();
        NeuronSet ours = Lape.tang(ActivationProbabilities.aboveZero(TangFiles.readActivations(files, langs)),
                Lape.Settings.defaults());
        java.nio.file.Path mask = org.langneurons.Fixtures.resource("fixtures/tang-identify/identify.neuron.pth");
        NeuronSet theirs = TangFiles.readMasks(mask, langs, 256, true);
        assertEquals(6, theirs.settings().get("languages_in_file"));
        assertEquals(10, ours.uniqueCount());                          // round(0.01 * 4 * 256)
        for (String l : langs) {
            for (int layer = 0; layer < 4; layer++) {
                assertArrayEquals(theirs.neurons(l, layer), ours.neurons(l, layer), l + " layer " + layer);
            }
        }
        assertEquals(List.of(3, 3, 2, 3, 2, 1, 0), langs.stream().map(ours::count).toList());   // identify.py printed
    }
}
