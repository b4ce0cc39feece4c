package org.langneurons.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import tech.tablesaw.plotly.components.Figure;

/**
 * Plotly figures as pages that render offline: plotly.js is embedded inline from the pinned npm package
 * {@code plotly.js-dist-min@2.35.3} (3.x rejects Tablesaw's string titles), never linked from a CDN.
 *
 * <p>Where plotly.js comes from, first found: the system property {@code langneurons.plotly} or the environment
 * variable {@code LANGNEURONS_PLOTLY} (a path to {@code plotly.min.js}); then
 * {@code ~/.cache/langneurons/plotly/2.35.3/plotly.min.js}, which is filled on first use with {@code npm pack} (npm
 * must be installed; nothing is installed globally).
 *
 * <pre>{@code
 * Plotly.save(NeuronCharts.neuronsPerLanguage(set), Path.of("out/neurons.html"));
 * }</pre>
 */
public final class Plotly {
    private Plotly() {
    }

    /** The pinned npm package version. */
    public static final String VERSION = "2.35.3";

    private static String cached;

    /** The text of plotly.min.js, found or fetched as the class comment says. */
    public static synchronized String script() {
        if (cached == null) {
            Path file = locate();
            try {
                cached = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read plotly.js at " + file + ": " + e.getMessage(), e);
            }
            if (!cached.contains("plotly.js v" + VERSION)) {
                throw new IllegalStateException(file + " is not plotly.js " + VERSION);
            }
        }
        return cached;
    }

    /** The path of plotly.min.js, fetching it with npm into the cache when it is not there yet. */
    public static Path locate() {
        String given = System.getProperty("langneurons.plotly", System.getenv("LANGNEURONS_PLOTLY"));
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("plotly.js not found at " + p + " (langneurons.plotly / "
                        + "LANGNEURONS_PLOTLY)");
            }
            return p;
        }
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "langneurons", "plotly", VERSION);
        Path js = dir.resolve("plotly.min.js");
        if (Files.isRegularFile(js)) {
            return js;
        }
        try {
            Files.createDirectories(dir);
            Path work = Files.createTempDirectory(dir, "fetch");
            try {
                run(work, "npm", "pack", "plotly.js-dist-min@" + VERSION, "--silent");
                Path tgz = work.resolve("plotly.js-dist-min-" + VERSION + ".tgz");
                run(work, "tar", "-xzf", tgz.toString(), "-C", work.toString(), "package/plotly.min.js");
                Files.move(work.resolve("package/plotly.min.js"), js, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                org.langneurons.io.FileTrees.delete(work);
            }
            return js;
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch plotly.js-dist-min@" + VERSION + " with npm into " + dir
                    + ": " + e.getMessage() + " (or point LANGNEURONS_PLOTLY at a plotly.min.js)", e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Fetches plotly.js into the cache if it is not there and prints its path (set-up scripts call this). */
    public static void main(String[] args) {
        System.out.println(locate());
    }

    /** A div with the figure, its script, and no plotly.js (for a page that already loaded it). */
    public static String div(Figure figure, String id) {
        return "<div id=\"" + id + "\"></div>\n" + figure.asJavascript(id);
    }

    /** A complete HTML page with plotly.js inline and the figures, one below the other. */
    public static String page(String title, Figure... figures) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<script>").append(script()).append("</script>\n</head><body>\n");
        for (int i = 0; i < figures.length; i++) {
            b.append(div(figures[i], "plot" + i)).append('\n');
        }
        return b.append("</body></html>\n").toString();
    }

    /** Writes {@link #page} of one figure to {@code file}. */
    public static void save(Figure figure, Path file) {
        try {
            Path abs = file.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            String title = figure.getLayout() != null && figure.getLayout().getTitle() != null
                    ? figure.getLayout().getTitle() : file.getFileName().toString();
            Files.writeString(abs, page(title, figure), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
