package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Mondal et al.'s token-id EM and F1 (xquad_eval.py's _calc_metrics_batch), against cases worked out by hand. */
class TokenIdMetricTest {
    private static final double EPS = 1e-12;

    @Test
    void exactMatchNeedsTheSameSequence() {
        assertTrue(TokenIdMetric.exactMatch(new long[] {5, 7, 2}, new long[] {5, 7, 2}));
        assertFalse(TokenIdMetric.exactMatch(new long[] {7, 5, 2}, new long[] {5, 7, 2}));   // order
        assertFalse(TokenIdMetric.exactMatch(new long[] {5, 7}, new long[] {5, 7, 2}));      // no EOS generated
    }

    @Test
    void f1CountsSharedIdsAsMultisets() {
        // [5, 7, 7, 2] vs [5, 7, 9, 2]: 5, one 7 and 2 shared = 3; P = 3/4, R = 3/4, F1 = 3/4
        assertEquals(0.75, TokenIdMetric.f1(new long[] {5, 7, 7, 2}, new long[] {5, 7, 9, 2}), EPS);
        // [5, 7] vs [5, 7, 2]: 2 shared, P = 1, R = 2/3, F1 = 2 * (2/3) / (5/3) = 0.8
        assertEquals(0.8, TokenIdMetric.f1(new long[] {5, 7}, new long[] {5, 7, 2}), EPS);
        assertEquals(1.0, TokenIdMetric.f1(new long[] {7, 5, 2}, new long[] {5, 7, 2}), EPS);   // order-free
        assertEquals(0.0, TokenIdMetric.f1(new long[] {1, 1}, new long[] {2}), EPS);
    }

    @Test
    void emptySidesScoreNoF1() {
        assertEquals(0.0, TokenIdMetric.f1(new long[0], new long[] {1, 2}), EPS);
        assertEquals(0.0, TokenIdMetric.f1(new long[0], new long[0]), EPS);
        assertTrue(TokenIdMetric.exactMatch(new long[0], new long[0]));   // [] == [] in Python too
    }
}
