package org.langneurons.neurons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Set operations by hand, and neurons.json written, read back and rejected when malformed. */
class NeuronSetTest {
    static NeuronSet a() {
        return new NeuronSet("lape", Map.of("top_rate", 0.01), List.of("en", "fr"), 2, 10,
                Map.of("en", new int[][] {{1, 2, 3}, {}}, "fr", new int[][] {{3}, {4, 9}}));
    }

    static NeuronSet b() {
        return new NeuronSet("actprob", Map.of(), List.of("en", "fr"), 2, 10,
                Map.of("en", new int[][] {{2, 3, 4}, {5}}, "fr", new int[][] {{}, {}}));
    }

    @Test
    void countsOverlapAndJaccardByHand() {
        NeuronSet a = a();
        assertEquals(3, a.count("en"));
        assertArrayEquals(new int[] {1, 2}, a.countPerLayer("fr"));
        assertEquals(5, a.uniqueCount());                 // layer 0: 1 2 3; layer 1: 4 9
        assertEquals(1, a.overlap("en", "fr"));           // neuron 3 of layer 0
        assertEquals(1 / 5.0, a.jaccard("en", "fr"), 1e-12);
        // en here {0:1,2,3} vs there {0:2,3,4; 1:5}: 2 shared of 5
        assertEquals(2 / 5.0, a.jaccard(b(), "en"), 1e-12);
        assertEquals(0.0, a.jaccard(b(), "fr"), 0);
        NeuronSet empty = b().only(List.of("fr"));
        assertEquals(1.0, empty.jaccard("fr", "fr"), 0);
    }

    @Test
    void unionIntersectionDifference() {
        assertArrayEquals(new int[] {1, 2, 3, 4}, a().union(b()).neurons("en", 0));
        assertArrayEquals(new int[] {5}, a().union(b()).neurons("en", 1));
        assertArrayEquals(new int[] {2, 3}, a().intersection(b()).neurons("en", 0));
        assertArrayEquals(new int[] {1}, a().difference(b()).neurons("en", 0));
        assertArrayEquals(new int[] {4, 9}, a().difference(b()).neurons("fr", 1));
        assertEquals("union", a().union(b()).method());
    }

    @Test
    void jsonRoundTripListsEveryLanguage(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("neurons.json");
        a().save(f);
        String text = Files.readString(f);
        assertTrue(text.contains("\"neurons_per_layer\": 10"), text);
        assertTrue(text.contains("[1, 2, 3]"), text);
        assertEquals(a(), NeuronSet.load(f));
        NeuronSet back = NeuronSet.load(f);
        assertArrayEquals(new int[0], back.neurons("en", 1));
    }

    @Test
    void rejectsMalformedSetsNamingTheField(@TempDir Path dir) throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> new NeuronSet("x", Map.of(), List.of("en"), 1,
                10, Map.of("en", new int[][] {{3, 2}})));
        assertTrue(e.getMessage().contains("strictly ascending"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NeuronSet("x", Map.of(), List.of("en"), 1, 10,
                Map.of("en", new int[][] {{10}})));
        assertTrue(e.getMessage().contains("neuron 10 is outside [0, 10)"), e.getMessage());
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"method\": \"lape\", \"languages\": [\"en\"], \"layers\": 1, "
                + "\"neurons_per_layer\": 4, \"neurons\": {}}");
        e = assertThrows(IllegalArgumentException.class, () -> NeuronSet.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("neurons.en is missing"),
                e.getMessage());
        Files.writeString(f, "not json");
        e = assertThrows(IllegalArgumentException.class, () -> NeuronSet.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
