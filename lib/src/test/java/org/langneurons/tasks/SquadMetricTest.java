package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQuAD v1.1 script's normalisation, EM and F1, against cases worked out by hand from evaluate-v1.1.py. */
class SquadMetricTest {
    private static final double EPS = 1e-12;

    @Test
    void normalizationLowersStripsPunctuationArticlesAndSpaces() {
        assertEquals("denver broncos", SquadMetric.normalize("The  Denver Broncos!"));
        assertEquals("banana and apple", SquadMetric.normalize("Banana and an apple"));   // "an" only as a word
        assertEquals("ab", SquadMetric.normalize("a_b"));        // _ is punctuation, removed before articles
        assertEquals("theory", SquadMetric.normalize("Theory."));
        assertEquals("denver broncos", SquadMetric.normalize("Denver\u00A0Broncos"));   // str.split() splits at NBSP
        assertEquals("", SquadMetric.normalize("The, an; a."));
        assertEquals("丹佛野马队，", SquadMetric.normalize("丹佛野马队，"));   // full-width comma is not in string.punctuation
    }

    @Test
    void exactMatchIsEqualityAfterNormalization() {
        assertTrue(SquadMetric.exactMatch("the Denver Broncos!", "Denver Broncos"));
        assertFalse(SquadMetric.exactMatch("Broncos Denver", "Denver Broncos"));   // order matters for EM
        assertEquals(1.0, SquadMetric.f1("Broncos Denver", "Denver Broncos"), EPS);   // not for F1
    }

    @Test
    void f1OnPartialOverlap() {
        // [denver, broncos, won] vs [denver, broncos]: 2 shared, P = 2/3, R = 1, F1 = 2 * (2/3) / (5/3) = 0.8
        assertEquals(0.8, SquadMetric.f1("Denver Broncos won", "the Denver Broncos"), EPS);
        // multisets: [b, b, c] vs [b, c, c] share one b and one c: P = R = 2/3, F1 = 2/3
        assertEquals(2.0 / 3, SquadMetric.f1("b b c", "b c c"), EPS);
        assertEquals(0.0, SquadMetric.f1("Carolina Panthers", "Denver Broncos"), EPS);
    }

    @Test
    void bothEmptyAfterNormalizationIsExactButScoresNoF1() {
        // evaluate-v1.1.py: normalised "" == "" is a match, but f1_score returns 0 when no token is shared
        assertTrue(SquadMetric.exactMatch("The", "a"));
        assertEquals(0.0, SquadMetric.f1("The", "a"), EPS);
    }

    @Test
    void severalGoldsTakeTheBest() {
        List<String> golds = List.of("Denver Broncos", "the Carolina Panthers");
        assertEquals(0.0, SquadMetric.exactMatch("Broncos", golds), EPS);
        // vs "Denver Broncos": P = 1, R = 1/2, F1 = 2/3; vs the Panthers: 0
        assertEquals(2.0 / 3, SquadMetric.f1("Broncos", golds), EPS);
        assertEquals(1.0, SquadMetric.exactMatch("Carolina Panthers.", golds), EPS);
        assertThrows(IllegalArgumentException.class, () -> SquadMetric.f1("x", List.of()));
    }

    @Test
    void languagesWithoutSpacesAreOneTokenPerSpan() {
        // as XQuAD's zh is scored with the script as it is: no partial credit inside a span without spaces
        assertEquals(0.0, SquadMetric.f1("丹佛野马", "丹佛野马队"), EPS);
        // partial credit only across spaces: [2016, 年] vs [2016年]: nothing shared
        assertEquals(0.0, SquadMetric.f1("2016 年", "2016年"), EPS);
        // [丹佛, 野马队] vs [野马队]: P = 1/2, R = 1, F1 = 2/3
        assertEquals(2.0 / 3, SquadMetric.f1("丹佛 野马队", "野马队"), EPS);
    }
}
