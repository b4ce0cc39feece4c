package org.langneurons.neurons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Building a set from (layer, neuron) pairs and flat indices, in any order. */
class NeuronSetBuilderTest {
    @Test
    void sortsDropsRepeatsAndChecksRanges() {
        NeuronSet s = NeuronSet.builder("hand", Map.of(), List.of("en", "fr"), 2, 5)
                .addFlat("en", 7).add("en", 0, 4).add("en", 1, 0).addFlat("en", 7).add("fr", 0, 1).build();
        assertArrayEquals(new int[] {4}, s.neurons("en", 0));
        assertArrayEquals(new int[] {0, 2}, s.neurons("en", 1));     // flat 7 = layer 1, neuron 2
        assertEquals(List.of("en", "fr"), s.languagesWithNeurons());
        assertEquals(new NeuronSet("hand", Map.of(), List.of("en", "fr"), 2, 5, Map.of(
                "en", new int[][] {{4}, {0, 2}}, "fr", new int[][] {{1}, {}})), s);
        assertEquals(List.of("en"), NeuronSet.builder("x", Map.of(), List.of("en", "fr"), 1, 3).add("en", 0, 2)
                .build().languagesWithNeurons());
        var b = NeuronSet.builder("x", Map.of(), List.of("en"), 1, 3);
        assertThrows(IllegalArgumentException.class, () -> b.add("zh", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> b.add("en", 1, 0));
        assertThrows(IllegalArgumentException.class, () -> b.add("en", 0, 3).build());
    }
}
