package org.langneurons.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.langneurons.io.CheckpointException;

/**
 * Where one language's collection ends ({@code OUT}) and where it checkpoints ({@code OUT.partial}): a finished
 * result collected with the same settings is read back instead of recomputed, an unfinished one is resumed from
 * its next window, and anything collected with other settings is refused rather than mixed in. Without a file
 * (null), it keeps nothing.
 */
final class CollectionCheckpoint {
    private final Path out;
    private final Path partial;
    private final String language;
    private final Map<String, String> info;

    /** The state counted so far and the first window not yet counted. */
    record State(ActivationStatistics stats, int nextWindow) {
    }

    CollectionCheckpoint(Path out, String language, Map<String, String> info) {
        this.out = out;
        this.partial = out == null ? null : out.resolveSibling(out.getFileName() + ".partial");
        this.language = language;
        this.info = info;
    }

    /** The {@code .partial} file, or null without an output file. */
    Path partial() {
        return partial;
    }

    /** The finished result collected with these settings, or null when there is none yet. */
    ActivationStatistics finished() {
        if (out == null || !Files.isRegularFile(out)) {
            return null;
        }
        ActivationStatistics done = ActivationStatistics.load(out);
        if (done.info().equals(info) && done.language().equals(language)) {
            return done;
        }
        throw new IllegalArgumentException(out + " holds statistics of " + done.language() + " with settings "
                + done.info() + ", not " + language + " with " + info + ": remove it or choose another --out");
    }

    /** The checkpointed state to resume from, or null to start from scratch. */
    State resume() {
        if (partial == null || !Files.isRegularFile(partial)) {
            return null;
        }
        ActivationStatistics s = ActivationStatistics.load(partial);
        Map<String, String> stored = new LinkedHashMap<>(s.info());
        String next = stored.remove("next_window");
        if (next == null) {
            throw new CheckpointException(partial, "metadata field info.next_window is missing");
        }
        if (!stored.equals(info) || !s.language().equals(language)) {
            throw new IllegalArgumentException(partial + " is an unfinished collection of " + s.language()
                    + " with settings " + stored + ", not " + language + " with " + info
                    + ": resume it with its settings, or remove it");
        }
        return new State(s.withInfo(stored), Integer.parseInt(next));
    }

    /** Checkpoints {@code stats}, counted up to window {@code nextWindow} (exclusive). */
    void save(ActivationStatistics stats, int nextWindow) {
        Map<String, String> withNext = new LinkedHashMap<>(stats.info());
        withNext.put("next_window", Integer.toString(nextWindow));
        stats.withInfo(withNext).save(partial);
    }

    /** Writes the result and removes the checkpoint. */
    void finish(ActivationStatistics result) {
        if (out == null) {
            return;
        }
        result.save(out);
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + partial + ": " + e.getMessage(), e);
        }
    }
}
