package org.langneurons.notebook;

import org.langneurons.eval.PerplexityChange;
import org.langneurons.stats.StatisticsCollector;

/**
 * Progress of a long loop (statistics, perplexity matrices) as lines in the cell's output: at most one every few
 * seconds, and one when a part finishes, with rate and time left, so a notebook shows that it is working.
 *
 * <pre>{@code
 * var stats = StatisticsCollector.collectAll(model, texts, settings, statsDir, NotebookProgress.lines());
 * var ppxc = PerplexityChange.deactivation(model, lape, validation, 256, 16, NotebookProgress.lines());
 * }</pre>
 */
public final class NotebookProgress implements StatisticsCollector.Progress, PerplexityChange.Progress {
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long last;
    private String lastLanguage;

    private NotebookProgress(double intervalSeconds) {
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /** A line at most every 10 seconds. */
    public static NotebookProgress lines() {
        return new NotebookProgress(10);
    }

    /** A line at most every {@code seconds}. */
    public static NotebookProgress every(double seconds) {
        return new NotebookProgress(seconds);
    }

    @Override
    public synchronized void update(String language, long done, long total, double tokensPerSecond) {
        boolean finished = done >= total;
        if (!finished && !due() && language.equals(lastLanguage)) {
            return;
        }
        lastLanguage = language;
        String left = tokensPerSecond > 0 && !finished ? ", " + Display.duration((total - done) / tokensPerSecond)
                + " left" : "";
        print(String.format("%s: %,d / %,d tokens (%,.0f tokens/s%s)", language, done, total, tokensPerSecond,
                left));
    }

    @Override
    public synchronized void update(int done, int total) {
        if (done < total && !due()) {
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        String left = done < total ? ", " + Display.duration(elapsed / done * (total - done)) + " left" : "";
        print(String.format("%d / %d evaluations (%s%s)", done, total, Display.duration(elapsed), left));
    }

    private boolean due() {
        return System.nanoTime() - last >= intervalNanos;
    }

    private void print(String line) {
        last = System.nanoTime();
        System.out.println(line);
        System.out.flush();
    }
}
