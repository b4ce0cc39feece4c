package org.langneurons.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finished units are written once and read back exactly; other runs' folders are refused, naming the setting. */
class RunCheckpointTest {
    record Sums(double total, long count) {
    }

    private static final Map<String, String> SETTINGS = Map.of("value", "p5", "max-length", "512");

    @Test
    void aUnitIsComputedOnceAndReadBackExactly(@TempDir Path dir) {
        AtomicInteger computed = new AtomicInteger();
        double[] awkward = {0.1 + 0.2, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -0.0, 1e308};
        RunCheckpoint first = RunCheckpoint.open(dir, SETTINGS, () -> false);
        double[] a = first.unit("column en", double[].class, () -> {
            computed.incrementAndGet();
            return awkward;
        });
        Sums s = first.unit("sums", Sums.class, () -> new Sums(1.0 / 3, 7));
        assertEquals(2, first.unitsWritten());
        RunCheckpoint second = RunCheckpoint.open(dir, Map.of("max-length", "512", "value", "p5"), () -> false);
        double[] b = second.unit("column en", double[].class, () -> {
            computed.incrementAndGet();
            return new double[0];
        });
        assertEquals(1, computed.get(), "the second run reads the unit back");
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToRawLongBits(awkward[i]), Double.doubleToRawLongBits(b[i]), "value " + i);
        }
        assertEquals(s, second.unit("sums", Sums.class, () -> new Sums(0, 0)));
        assertEquals(2, second.unitsRead());
        assertEquals(0, second.unitsWritten());
        second.finish();
        assertFalse(Files.exists(dir), "a finished run's folder goes");
    }

    @Test
    void anotherRunsFolderIsRefusedNamingTheSetting(@TempDir Path dir) {
        RunCheckpoint.open(dir, SETTINGS, () -> false).unit("u", Integer.class, () -> 1);
        var e = assertThrows(CheckpointException.class,
                () -> RunCheckpoint.open(dir, Map.of("value", "mean", "max-length", "512"), () -> false));
        assertTrue(e.getMessage().contains("value = p5") && e.getMessage().contains("value = mean")
                && e.getMessage().contains(dir.toString()), e.getMessage());
        var other = assertThrows(CheckpointException.class,
                () -> RunCheckpoint.open(dir, Map.of("value", "p5"), () -> false));
        assertTrue(other.getMessage().contains("another command"), other.getMessage());
    }

    @Test
    void aStopComesBeforeTheNextUnitAndKeepsPartialState(@TempDir Path dir) throws IOException {
        boolean[] stop = {false};
        RunCheckpoint cp = RunCheckpoint.open(dir, SETTINGS, () -> stop[0]);
        cp.unit("a", Integer.class, () -> 1);
        stop[0] = true;
        AtomicInteger computed = new AtomicInteger();
        var e = assertThrows(RunCheckpoint.Stopped.class, () -> cp.unit("b", Integer.class,
                computed::incrementAndGet));
        assertEquals(0, computed.get(), "nothing is started once a stop is requested");
        assertTrue(e.getMessage().contains("1 finished units kept in " + dir), e.getMessage());
        cp.savePartial("b", new Sums(2.5, 3));

        RunCheckpoint again = RunCheckpoint.open(dir, SETTINGS, () -> false);
        assertFalse(again.partialDue(), "partial state is kept every 5 s, not at once");
        assertEquals(new Sums(2.5, 3), again.partial("b", Sums.class).orElseThrow());
        assertEquals(1, again.partialsRead());
        assertTrue(again.partial("a", Sums.class).isEmpty());
        again.unit("b", Integer.class, () -> 2);
        assertTrue(again.partial("b", Sums.class).isEmpty(), "a finished unit's partial state goes");
        try (Stream<Path> files = Files.list(dir.resolve("units"))) {
            assertEquals(2, files.count(), "two unit files, no partial or temporary file left");
        }
    }

    @Test
    void aDamagedUnitFileIsNamed(@TempDir Path dir) throws IOException {
        RunCheckpoint.open(dir, SETTINGS, () -> false).unit("column fr", Integer.class, () -> 1);
        Path file;
        try (Stream<Path> files = Files.list(dir.resolve("units"))) {
            file = files.findFirst().orElseThrow();
        }
        assertTrue(file.getFileName().toString().startsWith("column_fr-"), file.toString());
        Files.writeString(file, "{\"unit\": \"column fr\", \"value\": ");
        var e = assertThrows(CheckpointException.class, () -> RunCheckpoint.open(dir, SETTINGS, () -> false)
                .unit("column fr", Integer.class, () -> 1));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not JSON"), e.getMessage());
        Files.writeString(file, "{\"unit\": \"column en\", \"value\": 1}");
        var wrong = assertThrows(CheckpointException.class, () -> RunCheckpoint.open(dir, SETTINGS, () -> false)
                .unit("column fr", Integer.class, () -> 1));
        assertTrue(wrong.getMessage().contains("not \"column fr\""), wrong.getMessage());
    }

    @Test
    void noneComputesEveryTimeAndWritesNothing() {
        RunCheckpoint none = RunCheckpoint.none();
        AtomicInteger computed = new AtomicInteger();
        none.unit("a", Integer.class, computed::incrementAndGet);
        none.unit("a", Integer.class, computed::incrementAndGet);
        assertEquals(2, computed.get());
        assertArrayEquals(new int[] {0, 0}, new int[] {none.unitsRead(), none.unitsWritten()});
        assertTrue(none.partial("a", Integer.class).isEmpty());
        assertFalse(none.partialDue(), "nothing to keep partial state in");
    }
}
