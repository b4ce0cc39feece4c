package org.langneurons.notebook;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.report.Plotly;
import org.langneurons.stats.StatisticsCollector;

/**
 * Progress of a long loop (statistics, perplexity matrices) in a notebook cell. {@link #bar()} shows one bar per part
 * (a language's statistics, a perplexity matrix) with done / total, percent, rate, elapsed time and time left,
 * replaced in place at most every 0.5 s and once at the end, so the saved notebook keeps one final line per part,
 * e.g. "fr [bar] 100,000 tokens in 12 s (8,300 tokens/s)". Outside a kernel, or in one that cannot update a display,
 * and always with {@link #lines()}, it prints plain lines instead: at most one every few seconds, and one when a part
 * starts and when it finishes.
 *
 * <pre>{@code
 * StatisticsDirectory dir = StatisticsDirectory.at(Path.of("out/stats"));
 * LanguageStatistics stats = dir.collect(model, textsByLanguage, StatisticsSettings.defaults(),
 *         NotebookProgress.bar());
 * PerplexityChange ppxc = PerplexityEvaluation.prepare(model, textsByLanguage, 256, 16)
 *         .deactivation(lape, NotebookProgress.bar());
 * dir.collect(model, textsByLanguage, StatisticsSettings.defaults(), NotebookProgress.lines());   // plain lines
 * }</pre>
 *
 * <p>Thread-safe: a Java kernel runs a cell on its own thread, and a loop may report from another.
 */
public final class NotebookProgress implements StatisticsCollector.Progress, PerplexityChange.Progress {
    private final Display.Out out;
    private final LongSupplier clock;
    private final double lineSeconds;
    private long lastCall;        // construction or the last update: a new part's time starts there
    private String part;          // the part the handle shows: a language, or EVALUATIONS
    private long partDone;
    private long partStart;
    private boolean partFinished;
    private Display.Handle handle;

    private static final String EVALUATIONS = "\0evaluations";   // no language is called this

    NotebookProgress(Display.Out out, LongSupplier clock, double lineSeconds) {
        this.out = out;
        this.clock = clock;
        this.lineSeconds = lineSeconds;
        this.lastCall = clock.getAsLong();
    }

    /**
     * A bar per part, updated in place, in a kernel that can update a display; elsewhere a line at most every 10
     * seconds, as {@link #lines()}.
     */
    public static NotebookProgress bar() {
        return new NotebookProgress(Display.out(), System::nanoTime, Display.LINE_SECONDS);
    }

    /** Plain lines, even in a kernel: at most one every 10 seconds. */
    public static NotebookProgress lines() {
        return every(Display.LINE_SECONDS);
    }

    /** Plain lines, even in a kernel: at most one every {@code seconds}. */
    public static NotebookProgress every(double seconds) {
        return new NotebookProgress(Display.LINES, System::nanoTime, seconds);
    }

    @Override
    public synchronized void update(String language, long done, long total, double tokensPerSecond) {
        double elapsed = begin(language, done);
        show(done >= total, tokensHtml(language, done, total, tokensPerSecond, elapsed),
                tokensLine(language, done, total, tokensPerSecond));
    }

    @Override
    public synchronized void update(int done, int total) {
        double elapsed = begin(EVALUATIONS, done);
        show(done >= total, evaluationsHtml(done, total, elapsed), evaluationsLine(done, total, elapsed));
    }

    /**
     * Starts a new part (a new bar, or a line at once) when the label changes, the last part finished, or the count
     * went back (the same loop run again); returns the seconds since the part started.
     */
    private double begin(String label, long done) {
        long now = clock.getAsLong();
        if (handle == null || !label.equals(part) || partFinished || done < partDone) {
            handle = null;
            part = label;
            partStart = lastCall;
        }
        partDone = done;
        lastCall = now;
        return (now - partStart) / 1e9;
    }

    private void show(boolean finished, String html, String text) {
        if (handle == null) {
            handle = new Display.Handle(out, clock, lineSeconds, html, text);
        } else if (finished) {
            handle.finish(html, text);
        } else {
            handle.update(html, text);
        }
        partFinished = finished;
    }

    /** The plain line for a language's statistics: "fr: 12,000 / 100,000 tokens (8,300 tokens/s, 9 s left)". */
    static String tokensLine(String language, long done, long total, double tokensPerSecond) {
        boolean finished = done >= total;
        String left = tokensPerSecond > 0 && !finished
                ? ", " + Display.duration((total - done) / tokensPerSecond) + " left" : "";
        return String.format(Locale.ROOT, "%s: %,d / %,d tokens (%,.0f tokens/s%s)", language, done, total,
                tokensPerSecond, left);
    }

    /**
     * The bar for a language's statistics: "37% · 37,000 / 100,000 tokens · 8,300 tokens/s · 4 s elapsed · 8 s left"
     * while it runs, "100,000 tokens in 12 s (8,300 tokens/s)" when it is done.
     */
    static String tokensHtml(String language, long done, long total, double tokensPerSecond, double elapsed) {
        if (done >= total) {
            return barHtml(language, 1, true, String.format(Locale.ROOT, "%,d tokens in %s (%,.0f tokens/s)", done,
                    Display.duration(elapsed), tokensPerSecond));
        }
        String left = tokensPerSecond > 0
                ? " · " + Display.duration((total - done) / tokensPerSecond) + " left" : "";
        return barHtml(language, (double) done / total, false, String.format(Locale.ROOT,
                "%d%% · %,d / %,d tokens · %,.0f tokens/s · %s elapsed%s", percent(done, total), done, total,
                tokensPerSecond, Display.duration(elapsed), left));
    }

    /** The plain line for evaluations: "12 / 30 evaluations (1.6 min, 2.4 min left)". */
    static String evaluationsLine(int done, int total, double elapsed) {
        String left = done < total && done > 0
                ? ", " + Display.duration(elapsed / done * (total - done)) + " left" : "";
        return String.format(Locale.ROOT, "%d / %d evaluations (%s%s)", done, total, Display.duration(elapsed),
                left);
    }

    /**
     * The bar for evaluations: "40% · 12 / 30 evaluations · 8 s/evaluation · 1.6 min elapsed · 2.4 min left" while
     * it runs, "30 evaluations in 4.0 min (8 s/evaluation)" when it is done.
     */
    static String evaluationsHtml(int done, int total, double elapsed) {
        if (done >= total) {
            return barHtml("", 1, true, String.format(Locale.ROOT, "%d evaluations in %s (%s)", done,
                    Display.duration(elapsed), evaluationRate(done, elapsed)));
        }
        String left = done > 0 ? " · " + Display.duration(elapsed / done * (total - done)) + " left" : "";
        return barHtml("", (double) done / total, false, String.format(Locale.ROOT,
                "%d%% · %d / %d evaluations · %s · %s elapsed%s", percent(done, total), done, total,
                evaluationRate(done, elapsed), Display.duration(elapsed), left));
    }

    /** Seconds per evaluation when evaluations are slow ("8 s/evaluation"), evaluations per second when fast. */
    static String evaluationRate(int done, double elapsed) {
        if (done <= 0 || elapsed <= 0) {
            return "? s/evaluation";
        }
        double each = elapsed / done;
        return each >= 1 ? Display.duration(each) + "/evaluation"
                : String.format(Locale.ROOT, "%.1f evaluations/s", done / elapsed);
    }

    /** Whole percent done, rounded down so that a bar shows 100% only when it is done. */
    static int percent(long done, long total) {
        return total <= 0 ? 100 : (int) Math.min(100, Math.floor(100.0 * done / total));
    }

    /**
     * One progress bar as an HTML line: the label (a fixed width, so the bars of several languages line up), the
     * bar (blue while running, green when done), the text. Inline styles only, so it looks the same in JupyterLab,
     * the classic notebook and an HTML export, none of which share a style sheet with us.
     */
    static String barHtml(String label, double fraction, boolean finished, String text) {
        double f = Math.max(0, Math.min(1, fraction));
        StringBuilder b = new StringBuilder("<div class=\"ln-progress\" style=\"font-family:monospace;"
                + "font-size:12px;line-height:1.7;white-space:nowrap\">");
        if (!label.isEmpty()) {
            b.append("<span style=\"display:inline-block;min-width:3em;margin-right:0.8em\">")
                    .append(Plotly.escape(label)).append("</span>");
        }
        b.append("<span style=\"display:inline-block;width:16em;height:0.9em;vertical-align:middle;"
                + "background:#e4e4e4;border-radius:3px;overflow:hidden\"><span style=\"display:block;height:100%;"
                + "width:").append(String.format(Locale.ROOT, "%.1f", 100 * f)).append("%;background:")
                .append(finished ? "#3c9a5f" : "#4a86d8").append("\"></span></span>")
                .append("<span style=\"margin-left:0.8em\">").append(Plotly.escape(text)).append("</span></div>");
        return b.toString();
    }
}
