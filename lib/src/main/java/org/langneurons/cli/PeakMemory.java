package org.langneurons.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The process's peak resident memory (Linux's VmHWM: native arrays, the JVM and the heap together), which the long
 * commands print when they end so that a run's memory is known without an external tool.
 */
final class PeakMemory {
    private PeakMemory() {
    }

    /** "peak memory: 1.04 GB resident", or null where /proc/self/status is not readable (not Linux). */
    static String line() {
        return line(Path.of("/proc/self/status"));
    }

    static String line(Path status) {
        try {
            for (String l : Files.readAllLines(status)) {
                if (l.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(l.substring(6).trim().split("\\s+")[0]);
                    return String.format(Locale.ROOT, "peak memory: %.2f GB resident", kb * 1024 / 1e9);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;     // no figure rather than a failed command
        }
        return null;
    }
}
