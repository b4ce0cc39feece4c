package org.langneurons.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.langneurons.report.JsonFiles;

/**
 * The finished units of a long run (a perplexity column, a steering pair, a language's evaluation), one small JSON
 * file each, written whole or not at all, so that a run stopped by Ctrl-C, a kill or a crash goes on where it was:
 * the same run reads its finished units back instead of computing them again. A kill loses at most the unit in
 * progress, or of a unit whose computation keeps its partial state ({@link #savePartial}, every 5 seconds), what
 * was computed since; a stop request (Ctrl-C, SIGTERM) is honoured before the next unit, and inside a unit that
 * keeps its partial state. The folder records the run's settings, and a run with
 * other settings is refused, naming the first setting that differs, so that units of two different runs never mix.
 * A unit is read back exactly (doubles are written in Java's shortest round-trip form), so a resumed run's results
 * are the uninterrupted run's, bit for bit.
 *
 * <pre>{@code
 * RunCheckpoint cp = RunCheckpoint.open(Path.of("out/checkpoint"), Map.of("value", "p5"), () -> false);
 * double[] x = cp.unit("column en", double[].class, () -> new double[] {1.5});   // computed, or read back
 * cp.finish();                                                                  // complete: the folder goes
 * }</pre>
 */
public final class RunCheckpoint {
    private static final String SETTINGS = "settings.json";

    private final Path dir;
    private final BooleanSupplier stop;
    private int read;
    private int written;
    private int partials;
    private long lastPartial = System.nanoTime();

    private RunCheckpoint(Path dir, BooleanSupplier stop) {
        this.dir = dir;
        this.stop = stop;
    }

    /** No checkpoint: every unit is computed and nothing is written; the run never stops early. */
    public static RunCheckpoint none() {
        return new RunCheckpoint(null, () -> false);
    }

    /**
     * The checkpoint folder {@code dir} of a run with {@code settings} (created if missing), stopping when
     * {@code stop} says so.
     *
     * @throws CheckpointException when {@code dir} holds units of a run with other settings
     */
    public static RunCheckpoint open(Path dir, Map<String, String> settings, BooleanSupplier stop) {
        Path file = dir.resolve(SETTINGS);
        Map<String, String> wanted = new LinkedHashMap<>(settings);
        try {
            if (Files.isRegularFile(file)) {
                JsonObject saved = parse(file).getAsJsonObject();
                if (!saved.keySet().equals(wanted.keySet())) {
                    throw new CheckpointException(dir, "holds a stopped run of another command or version (settings "
                            + saved.keySet() + "; this run has " + wanted.keySet() + "): give another checkpoint "
                            + "folder, or delete this one to start afresh");
                }
                for (Map.Entry<String, String> e : wanted.entrySet()) {
                    JsonElement was = saved.get(e.getKey());
                    String old = was.isJsonPrimitive() ? was.getAsString() : was.toString();
                    if (!e.getValue().equals(old)) {
                        throw new CheckpointException(dir, "holds a stopped run with " + e.getKey() + " = " + old
                                + ", and this run has " + e.getKey() + " = " + e.getValue() + ": rerun with the same "
                                + "settings to resume, or delete the folder to start afresh");
                    }
                }
            } else {
                Files.createDirectories(dir);
                writeAtomically(file, wanted);
            }
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot use the checkpoint folder: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new CheckpointException(file, "not a settings object: " + StrictJson.syntaxError(e), e);
        }
        return new RunCheckpoint(dir, stop);
    }

    /**
     * The unit {@code name}: read back when a run before this one finished it, else computed (after checking for a
     * stop request) and saved.
     *
     * @throws Stopped when a stop was requested before the unit
     */
    public <T> T unit(String name, Type type, Supplier<T> compute) {
        if (dir != null) {
            Path file = file(name);
            if (Files.isRegularFile(file)) {
                T value = read(file, name, type);
                read++;
                return value;
            }
        }
        requireNotStopped();
        T value = compute.get();
        if (dir != null) {
            write(file(name), name, JsonFiles.GSON.toJsonTree(value, type));
            written++;
            try {
                Files.deleteIfExists(partialFile(name));
            } catch (IOException e) {
                throw new CheckpointException(partialFile(name), "cannot remove: " + e.getMessage(), e);
            }
        }
        return value;
    }

    /** The partial state saved by {@link #savePartial} for the unit {@code name} when a run stopped inside it. */
    public <T> Optional<T> partial(String name, Class<T> type) {
        if (dir == null || !Files.isRegularFile(partialFile(name))) {
            return Optional.empty();
        }
        T state = read(partialFile(name), name, type);
        partials++;
        return Optional.of(state);
    }

    /**
     * Whether a computation inside a unit should keep its partial state now ({@link #savePartial}): every 5 seconds,
     * so that a kill loses at most that much of a long unit, at the cost of one small file write.
     */
    public boolean partialDue() {
        if (dir == null || System.nanoTime() - lastPartial < PARTIAL_EVERY_NANOS) {
            return false;
        }
        lastPartial = System.nanoTime();
        return true;
    }

    private static final long PARTIAL_EVERY_NANOS = 5_000_000_000L;

    /** Keeps {@code state}, the partial state of unit {@code name}, for the next run to continue from. */
    public void savePartial(String name, Object state) {
        if (dir != null) {
            write(partialFile(name), name, JsonFiles.GSON.toJsonTree(state));
        }
    }

    /** Whether a stop was requested (a computation inside a unit polls this at its safe points). */
    public boolean stopRequested() {
        return stop.getAsBoolean();
    }

    /** Throws {@link #stopped()} when a stop was requested. */
    public void requireNotStopped() {
        if (stopRequested()) {
            throw stopped();
        }
    }

    /** The exception that ends a stopped run, telling where its finished units are. */
    public Stopped stopped() {
        return new Stopped(dir == null ? "stopped (no checkpoint folder: nothing kept)"
                : "stopped: " + (read + written) + " finished units kept in " + dir);
    }

    /** Units read back from an earlier run. */
    public int unitsRead() {
        return read;
    }

    /** Units this run continued from an earlier run's partial state. */
    public int partialsRead() {
        return partials;
    }

    /** Units computed and saved by this run. */
    public int unitsWritten() {
        return written;
    }

    /** The folder (null for {@link #none()}). */
    public Path folder() {
        return dir;
    }

    /** The run is complete and its results are written: the folder goes. */
    public void finish() {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the finished run's checkpoint " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** A run ended early on request; its finished units are kept, and the same run continues from them. */
    public static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message);
        }
    }

    private Path file(String name) {
        return dir.resolve("units").resolve(fileName(name) + ".json");
    }

    private Path partialFile(String name) {
        return dir.resolve("units").resolve(fileName(name) + ".partial.json");
    }

    /** A readable, unique file name: the name's safe characters and a hash of the whole name. */
    private static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return (safe.length() > 80 ? safe.substring(0, 80) : safe) + "-" + fingerprint(name).substring(0, 8);
    }

    /**
     * 16 hex digits of the SHA-256 of {@code text}: how an input (a neuron set, prompts) enters a run's settings by
     * its content.
     */
    public static String fingerprint(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A unit's file (finished or partial): its name beside its value, so that {@link #read} can check both. */
    private static void write(Path file, String name, JsonElement value) {
        JsonObject o = new JsonObject();
        o.addProperty("unit", name);
        o.add("value", value);
        writeAtomically(file, o);
    }

    private static <T> T read(Path file, String name, Type type) {
        try {
            JsonObject o = parse(file).getAsJsonObject();
            JsonElement unit = o.get("unit");
            if (unit == null || !name.equals(unit.getAsString())) {
                throw new CheckpointException(file, "holds unit " + unit + ", not \"" + name + "\"");
            }
            T value = JsonFiles.GSON.fromJson(o.get("value"), type);
            if (value == null) {
                throw new CheckpointException(file, "has no value");
            }
            return value;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                | ClassCastException e) {
            throw new CheckpointException(file, "not a unit of this run (" + StrictJson.syntaxError(e)
                    + "): delete it to compute the unit again", e);
        }
    }

    private static JsonElement parse(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new CheckpointException(file, "not JSON (" + StrictJson.syntaxError(e) + "): delete it", e);
        }
    }

    private static void writeAtomically(Path file, Object value) {
        try {
            JsonFiles.writeAtomically(file, value);
        } catch (UncheckedIOException e) {
            throw new CheckpointException(file, "cannot write: " + e.getCause().getMessage(), e);
        }
    }
}
