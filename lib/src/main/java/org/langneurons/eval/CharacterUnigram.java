package org.langneurons.eval;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A unigram model of characters (code points) with add-one smoothing: the baseline a language model must beat.
 * Estimated on one text, it scores another; the alphabet is the characters of both, so no character has zero
 * probability.
 */
public final class CharacterUnigram {
    private CharacterUnigram() {
    }

    /** Bits per character on {@code scored} of a unigram model estimated on {@code estimated}. */
    public static double bitsPerCharacter(List<String> estimated, List<String> scored) {
        Map<Integer, Long> counts = new HashMap<>();
        long total = 0;
        for (String d : estimated) {
            for (int cp : d.codePoints().toArray()) {
                counts.merge(cp, 1L, Long::sum);
                total++;
            }
        }
        Set<Integer> alphabet = new HashSet<>(counts.keySet());
        scored.forEach(d -> d.codePoints().forEach(alphabet::add));
        double bits = 0;
        long n = 0;
        for (String d : scored) {
            for (int cp : d.codePoints().toArray()) {
                bits -= Math.log((counts.getOrDefault(cp, 0L) + 1.0) / (total + alphabet.size())) / Math.log(2);
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("empty input: no character to score");
        }
        return bits / n;
    }
}
