package org.langneurons.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.io.CheckpointException;
import org.langneurons.neurons.NeuronSet;

/** Mondal et al.'s mask setups on a hand-made neuron set. */
class GateMaskTest {
    /** 2 layers x 6 neurons: en {1, 4} and {}, vi {4} and {0, 5}. */
    private static final NeuronSet SET = new NeuronSet("lape", Map.of(), List.of("en", "vi"), 2, 6,
            Map.of("en", new int[][] {{1, 4}, {}}, "vi", new int[][] {{4}, {0, 5}}));

    @Test
    void setupsSelectTheirLanguagesNeurons() {
        GateMask source = MaskSetup.SOURCE.mask(SET, "en", "vi", 1, 2, 6);
        assertArrayEquals(new int[] {1, 4}, source.trainable(0));
        assertArrayEquals(new int[] {}, source.trainable(1));
        GateMask target = MaskSetup.TARGET.mask(SET, "en", "vi", 1, 2, 6);
        assertArrayEquals(new int[] {4}, target.trainable(0));
        GateMask both = MaskSetup.BOTH.mask(SET, "en", "vi", 1, 2, 6);
        assertArrayEquals(new int[] {1, 4}, both.trainable(0));
        assertArrayEquals(new int[] {0, 5}, both.trainable(1));
        assertEquals(4, both.count());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1}, both.rowMask(1));
        assertNull(MaskSetup.NONE.mask(SET, "en", "vi", 1, 2, 6));
        assertTrue(MaskSetup.ALL.mask(null, "en", "vi", 1, 2, 6).isAll());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaskSetup.TARGET.mask(null, "en", "vi", 1, 2, 6));
        assertTrue(e.getMessage().contains("--neurons"), e.getMessage());
    }

    @Test
    void randomTakesTenPerLayerSeeded() {
        GateMask a = MaskSetup.RANDOM.mask(null, "en", "vi", 7, 3, 100);
        GateMask b = MaskSetup.RANDOM.mask(null, "en", "vi", 7, 3, 100);
        assertEquals(a, b);
        for (int l = 0; l < 3; l++) {
            assertEquals(10, a.trainable(l).length);
        }
        assertTrue(!a.equals(MaskSetup.RANDOM.mask(null, "en", "vi", 8, 3, 100)), "another seed, another draw");
    }

    @Test
    void savesAndLoadsAndNamesTheFileWhenBroken(@TempDir Path dir) throws IOException {
        GateMask both = MaskSetup.BOTH.mask(SET, "en", "vi", 1, 2, 6);
        both.save(dir.resolve("m.json"));
        assertEquals(both, GateMask.load(dir.resolve("m.json")));
        Files.writeString(dir.resolve("bad.json"), "{\"setup\": \"x\", \"layers\": 2, \"neurons_per_layer\": 6,"
                + " \"trainable\": [[3, 1], []]}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> GateMask.load(dir.resolve("bad.json")));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("ascending"), e.getMessage());
        Files.writeString(dir.resolve("short.json"), "{\"setup\": \"x\", \"layers\": 3, \"neurons_per_layer\": 6,"
                + " \"trainable\": [[1], []]}");
        e = assertThrows(CheckpointException.class, () -> GateMask.load(dir.resolve("short.json")));
        assertTrue(e.getMessage().contains("'layers' says 3"), e.getMessage());
    }
}
