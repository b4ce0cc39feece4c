package org.langneurons.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sketch's buckets and its error bound, on values whose order statistics are known. */
class PercentileSketchTest {
    @Test
    void edgesAreSymmetricGeometricAndAscending() {
        PercentileSketch s = new PercentileSketch(0.2, 0.1, 10);
        // g = 1.2 / 0.8 = 1.5; ceil(log(100) / log(1.5)) = ceil(11.36) = 12 buckets per sign: 26 edges
        assertEquals(1.5, s.gamma(), 1e-12);
        assertEquals(26, s.edgeCount());
        float[] e = s.edges();
        assertEquals(0.1f, e[13]);
        assertEquals(-0.1f, e[12]);
        assertEquals((float) (0.1 * 1.5), e[14]);
        for (int j = 1; j < e.length; j++) {
            assertTrue(e[j] > e[j - 1]);
        }
        assertThrows(IllegalArgumentException.class, () -> new PercentileSketch(0.5, 1e-4, 1e4));
    }

    @Test
    void quantilesStayWithinTheRelativeBound() {
        PercentileSketch s = PercentileSketch.defaults();
        Random r = new Random(3);
        double[] v = new double[5000];
        for (int j = 0; j < v.length; j++) {
            v[j] = r.nextGaussian() * Math.exp(r.nextGaussian() * 2);   // wide, both signs
        }
        float[] f = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            f[j] = (float) v[j];
        }
        Arrays.sort(f);
        float[] edges = s.edges();
        long[] below = new long[edges.length];
        for (int b = 0; b < edges.length; b++) {
            float edge = edges[b];
            below[b] = Arrays.stream(toDouble(f)).filter(x -> x < edge).count();
        }
        for (double q : new double[] {0, 0.05, 0.25, 0.5, 0.9, 0.95, 1}) {
            double exact = f[(int) Math.round(q * (f.length - 1))];
            double est = s.quantile(below, f.length, q, f[0], f[f.length - 1]);
            double bound = Math.abs(exact) < s.minMagnitude() ? s.minMagnitude()
                    : s.alpha() * Math.abs(exact) * (1 + 1e-6);
            assertTrue(Math.abs(est - exact) <= bound, "q " + q + ": " + est + " vs " + exact);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            d[j] = f[j];
        }
        return d;
    }
}
