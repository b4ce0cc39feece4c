package org.langneurons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live progress line's text (rate since the start, time left at that rate) and the peak-memory line. */
class ProgressLineTest {

    @Test
    void rateElapsedAndTimeLeft() {
        ProgressLine p = new ProgressLine(new PrintStream(new ByteArrayOutputStream()), "matrix", "evaluations");
        // 34 of 272 in 18 s: 1.89/s, 238 left at that rate = 126 s = 2.1 min
        assertEquals("matrix: 34 / 272 evaluations  1.89 evaluations/s  18 s elapsed  2.1 min left",
                p.line(34, 272, 18));
        assertEquals("perplexity: 12,000 / 12,000 tokens  1,000 tokens/s  12 s elapsed  done",
                new ProgressLine(System.err, "perplexity", "tokens").line(12_000, 12_000, 12));
    }

    @Test
    void printsInPlaceAndEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine p = new ProgressLine(new PrintStream(bytes, true), "x", "steps");
        p.update(1, 2);
        p.update(2, 2);     // the last one always prints
        p.done();
        String out = bytes.toString();
        assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
        assertEquals('\n', out.charAt(out.length() - 1));
    }

    @Test
    void peakMemoryFromProcStatus(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t 1048576 kB\nVmRSS:\t 900000 kB\n");
        assertEquals("peak memory: 1.07 GB resident", PeakMemory.line(status));     // 1,048,576 KiB = 1.07e9 B
        assertNull(PeakMemory.line(dir.resolve("missing")));
    }
}
