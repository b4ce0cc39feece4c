package org.langneurons.neurons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.Fixtures;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.TorchFile;
import org.langneurons.stats.ActivationCounts;
import org.langneurons.stats.ActivationProbabilities;

/**
 * Tang et al.'s files through the restricted torch reader: the published masks give the published counts; fixtures
 * written by the real torch.save (make_tang_fixtures.py) read back exactly; a pickle that would run code is refused.
 */
class TangFilesTest {
    static Path published(String name) {
        return Fixtures.shared().resolve("fixtures/tang-neuron-masks/" + name + ".neuron.pth");
    }

    static Path fixture(String name) {
        return Fixtures.resource("fixtures/tang/" + name);
    }

    @Test
    void llama2SevenBMasksHaveThePublishedCounts() {
        NeuronSet s = TangFiles.readMasks(published("LLaMA-2-7B"), TangFiles.PUBLISHED_LANGUAGES, 11008);
        assertEquals(32, s.layers());
        assertEquals(3523, s.uniqueCount());               // round(0.01 * 32 * 11008)
        int[] expected = {95, 583, 1022, 838, 836, 1068, 582};
        for (int k = 0; k < 7; k++) {
            assertEquals(expected[k], s.count(TangFiles.PUBLISHED_LANGUAGES.get(k)),
                    TangFiles.PUBLISHED_LANGUAGES.get(k));
        }
    }

    static Stream<Arguments> otherModels() {
        // unique neurons = round(0.01 * L * I), half to even for Mistral's 4587.5
        return Stream.of(Arguments.of("LLaMA-2-13B", 40, 13824, 5530), Arguments.of("LLaMA-2-70B", 80, 28672, 22938),
                Arguments.of("Mistral-7B", 32, 14336, 4588));
    }

    @ParameterizedTest
    @MethodSource("otherModels")
    void otherPublishedMasksSelectOnePercent(String model, int layers, int neurons, int unique) {
        NeuronSet s = TangFiles.readMasks(published(model), TangFiles.PUBLISHED_LANGUAGES, neurons, true);
        assertEquals(layers, s.layers());
        assertEquals(unique, s.uniqueCount());
    }

    @Test
    void publishedMasksRoundTripThroughTheWriter(@TempDir Path dir) {
        NeuronSet s = TangFiles.readMasks(published("LLaMA-2-7B"), TangFiles.PUBLISHED_LANGUAGES, 11008);
        Path f = dir.resolve("again.neuron.pth");
        TangFiles.writeMasks(s, TangFiles.PUBLISHED_LANGUAGES, f);
        NeuronSet back = TangFiles.readMasks(f, TangFiles.PUBLISHED_LANGUAGES, 11008);
        for (String lang : TangFiles.PUBLISHED_LANGUAGES) {
            for (int l = 0; l < 32; l++) {
                assertArrayEquals(s.neurons(lang, l), back.neurons(lang, l), lang + " layer " + l);
            }
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> TangFiles.writeMasks(s, List.of("en", "de"), dir.resolve("x.pth")));
        assertTrue(e.getMessage().contains("language de is not in the neuron set"), e.getMessage());
    }

    @Test
    void masksWithAMissingTrailingLanguage() {
        var strict = assertThrows(CheckpointException.class,
                () -> TangFiles.readMasks(fixture("masks.pth"), List.of("en", "fr", "zh"), 5));
        assertTrue(strict.getMessage().contains("2 languages' neurons but 3 languages were named"),
                strict.getMessage());
        NeuronSet s = TangFiles.readMasks(fixture("masks.pth"), List.of("en", "fr", "zh"), 5, true);
        assertArrayEquals(new int[] {1, 4}, s.neurons("en", 0));     // sorted
        assertArrayEquals(new int[0], s.neurons("en", 1));
        assertArrayEquals(new int[] {2, 3}, s.neurons("fr", 1));
        assertEquals(0, s.count("zh"));
        assertEquals(2, s.settings().get("languages_in_file"));
        var e = assertThrows(CheckpointException.class,
                () -> TangFiles.readMasks(fixture("masks.pth"), List.of("en", "fr"), 4));
        assertTrue(e.getMessage().contains("neuron index 4 is outside [0, 4)"), e.getMessage());
        e = assertThrows(CheckpointException.class,
                () -> TangFiles.readMasks(fixture("masks.pth"), List.of("en"), 5));
        assertTrue(e.getMessage().contains("2 languages' neurons but 1 languages were named"), e.getMessage());
    }

    @Test
    void activationFilesGiveCountsAndProbabilities() {
        List<ActivationCounts> c = TangFiles.readActivations(
                List.of(fixture("activation.en.pt"), fixture("activation.fr.pt")), List.of("en", "fr"));
        assertEquals(10, c.get(0).tokens());
        assertArrayEquals(new long[] {3, 0, 7, 1, 0, 2, 2, 0, 9, 4}, c.get(0).overZero().toLongArray());
        ActivationProbabilities p = ActivationProbabilities.aboveZero(c);
        assertEquals(0.3f, (float) p.of("en").get(0, 0));
        assertEquals(5f / 12f, (float) p.of("fr").get(0, 1));
        assertEquals(0.75f, (float) p.of("fr").get(1, 3));
        var e = assertThrows(IllegalArgumentException.class,
                () -> TangFiles.readActivations(List.of(fixture("activation.en.pt")), List.of("en", "fr")));
        assertTrue(e.getMessage().contains("1 activation files for 2 languages"), e.getMessage());
        var bad = assertThrows(CheckpointException.class,
                () -> TangFiles.readActivations(fixture("masks.pth"), "en"));
        assertTrue(bad.getMessage().contains("expected a dict with keys n and over_zero"), bad.getMessage());
    }

    @Test
    void refusesAPickleThatWouldRunCode() {
        var e = assertThrows(CheckpointException.class, () -> TorchFile.read(fixture("evil.pt")));
        assertTrue(e.getMessage().contains("refusing to load global posix.system"), e.getMessage());
        assertTrue(e.getMessage().contains("evil.pt"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsEveryValueKindTorchSaveWrites() {
        Map<Object, Object> m = (Map<Object, Object>) TorchFile.read(fixture("mixed.pt"));
        TorchFile.Tensor f = (TorchFile.Tensor) m.get("f");
        assertArrayEquals(new double[] {1.5, -2.25}, f.doubles());
        TorchFile.Tensor t = (TorchFile.Tensor) m.get("t");         // the transpose of [[0 1 2] [3 4 5]]
        assertArrayEquals(new long[] {3, 2}, t.shape());
        assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, t.asLongs());
        assertArrayEquals(new double[] {0.5, -3.0}, ((TorchFile.Tensor) m.get("h")).doubles());
        List<Object> nested = (List<Object>) m.get("nested");
        assertEquals(List.of(1L, "a"), nested.get(0));
        List<Object> second = (List<Object>) nested.get(1);
        assertNull(second.get(0));
        assertEquals(Boolean.TRUE, second.get(1));
        assertEquals(-5L, m.get("neg"));
        assertEquals(1L << 40, m.get("big"));
        assertEquals(0.1, m.get("x"));
    }

    @Test
    void notATorchFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.pt");
        Files.writeString(f, "plain text");
        var e = assertThrows(CheckpointException.class, () -> TorchFile.read(f));
        assertTrue(e.getMessage().contains("x.pt") && e.getMessage().contains("not a torch.save"), e.getMessage());
    }
}
