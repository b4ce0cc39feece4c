package org.langneurons.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.langneurons.notebook.Display;

/**
 * One live progress line on standard error, rewritten in place at most twice a second: done / total, the rate since
 * the start, elapsed time and the time left at that rate, e.g.
 * {@code matrix: 34 / 272 evaluations  1.9 evaluations/s  18 s elapsed  2.1 min left}.
 */
final class ProgressLine {
    private final PrintStream err;
    private final String label;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long firstDone = -1;
    private long firstTime;
    private boolean printed;

    ProgressLine(PrintStream err, String label, String unit) {
        this.err = err;
        this.label = label;
        this.unit = unit;
    }

    /**
     * Shows {@code done} of {@code total} at the rate since the first update (so that a resumed run's rate counts
     * only what this run did); the last call (done == total) always prints.
     */
    void update(long done, long total) {
        long now = System.nanoTime();
        if (firstDone < 0) {
            firstDone = done;
            firstTime = now;
        }
        update(done, total, now > firstTime ? (done - firstDone) / ((now - firstTime) / 1e9) : 0);
    }

    /**
     * Shows {@code done} of {@code total} at {@code rate} units a second, when the caller knows it better (a resumed
     * run's rate counts only what this run did).
     */
    void update(long done, long total, double rate) {
        long now = System.nanoTime();
        if (now - lastPrint < 500_000_000L && done < total) {
            return;
        }
        lastPrint = now;
        printed = true;
        err.print("\r" + line(done, total, rate, (now - start) / 1e9) + "   ");
        err.flush();
    }

    /** Ends the line (a newline after the last update, if any was printed). */
    void done() {
        if (printed) {
            err.println();
            printed = false;
        }
    }

    /** The label the line starts with. */
    String label() {
        return label;
    }

    /** The line's text, for {@code elapsed} seconds since the start and the rate since then. */
    String line(long done, long total, double elapsed) {
        return line(done, total, elapsed > 0 ? done / elapsed : 0, elapsed);
    }

    /** The line's text at {@code rate} units a second. */
    String line(long done, long total, double rate, double elapsed) {
        String left = done >= total ? "done" : rate > 0 ? Display.duration((total - done) / rate) + " left" : "";
        return String.format(Locale.ROOT, "%s: %,d / %,d %s  %s %s/s  %s elapsed  %s", label, done, total, unit,
                rate >= 10 ? String.format(Locale.ROOT, "%,.0f", rate) : String.format(Locale.ROOT, "%.2f", rate),
                unit, Display.duration(elapsed), left).trim();
    }
}
