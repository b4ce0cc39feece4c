package org.langneurons.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.Fixtures;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.TangFiles;

/**
 * The torch.save writer against files the real torch.save wrote (make_export_fixtures.py): the same pickle and
 * storages byte for byte; the committed export (checked there with torch.load(weights_only=True)) is reproduced;
 * the reader reads back what was written.
 */
class TorchFileWriterTest {
    static Path fixture(String name) {
        return Fixtures.resource("fixtures/tang-export/" + name);
    }

    /** Record name (without the archive's top folder) to bytes. */
    static Map<String, byte[]> records(Path file) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                out.put(e.getName().substring(e.getName().indexOf('/') + 1), zip.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    @Test
    void masksPickleExactlyAsTorchSave(@TempDir Path dir) throws IOException {
        Path ours = dir.resolve("export.neuron.pth");
        TangFiles.writeMasks(NeuronSet.load(fixture("export.json")), List.of("en", "zh", "fr"), ours);
        Map<String, byte[]> mine = records(ours), torch = records(fixture("export.torch.pth"));
        torch.remove(".data/serialization_id");          // random per torch.save call; not written
        assertEquals(torch.keySet(), mine.keySet());
        torch.forEach((name, bytes) -> assertArrayEquals(bytes, mine.get(name), name));
        // and the whole file is the committed one that torch.load(weights_only=True) read
        assertArrayEquals(Files.readAllBytes(fixture("export.neuron.pth")), Files.readAllBytes(ours));
    }

    @Test
    void aOneItemListPicklesWithAppend(@TempDir Path dir) throws IOException {
        Path ours = dir.resolve("single.pth");
        TorchFileWriter.write(ours, List.of(List.of(longs(3, 17))));
        assertArrayEquals(records(fixture("single.torch.pth")).get("data.pkl"), records(ours).get("data.pkl"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readerReadsBackWhatWasWritten(@TempDir Path dir) {
        Path f = dir.resolve("x.pt");
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("n", 70_000L);
        value.put("neg", -3L);
        value.put("big", 1L << 40);
        value.put("name", "ünï");
        value.put("grid", new TorchFile.Tensor("LongStorage", new long[] {2, 3}, new long[] {0, 1, 2, 3, 4, 5}, null));
        value.put("list", List.of(1L, List.of()));
        TorchFileWriter.write(f, value);
        Map<Object, Object> back = (Map<Object, Object>) TorchFile.read(f);
        assertEquals(70_000L, back.get("n"));
        assertEquals(-3L, back.get("neg"));
        assertEquals(1L << 40, back.get("big"));
        assertEquals("ünï", back.get("name"));
        TorchFile.Tensor g = (TorchFile.Tensor) back.get("grid");
        assertArrayEquals(new long[] {2, 3}, g.shape());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, g.asLongs());
        assertEquals(List.of(1L, List.of()), back.get("list"));
    }

    @Test
    void refusesWhatItCannotWrite(@TempDir Path dir) {
        Path f = dir.resolve("x.pt");
        var e = assertThrows(IllegalArgumentException.class, () -> TorchFileWriter.write(f,
                List.of(new TorchFile.Tensor("FloatStorage", new long[] {1}, null, new double[] {0.5}))));
        assertTrue(e.getMessage().contains("only int64 (LongStorage) tensors"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TorchFileWriter.write(f, List.of(1.5)));
        assertTrue(e.getMessage().contains("cannot write a Double"), e.getMessage());
        assertTrue(Files.notExists(f));
    }

    static TorchFile.Tensor longs(long... v) {
        return new TorchFile.Tensor("LongStorage", new long[] {v.length}, v, null);
    }
}
