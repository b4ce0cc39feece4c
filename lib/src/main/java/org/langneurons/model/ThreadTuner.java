package org.langneurons.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Chooses, by measuring, between all intra-op threads and one for a loop of similar steps (generation's decode
 * steps, the batches of a statistics or perplexity pass) on the CPU. Why: libtorch's threads wait for each other at
 * the end of every op, so when another process holds a core the op waits for the thread sharing it, and a
 * 2-thread forward ran 4x slower (generation 5x) while one thread lost 15% (the figures: README,
 * "Performance"); tiny decode steps are faster on one thread even on a quiet machine. The first step is a warm-up;
 * then each setting is timed once, the faster kept, and the other retried every {@value #PROBE_EVERY} steps (every
 * 64 when one is 1.5x faster) so the choice follows the machine's load. Off when the thread count was set by the user
 * ({@code -Dai.djl.pytorch.num_threads} or {@code OMP_NUM_THREADS}), on a GPU, or with one thread. The count is
 * restored when the loop ends. libtorch's thread count is the process's: run one tuned loop at a time.
 *
 * <p>A matrix product's last bits depend on how many threads share it, so a switch changes results in their 7th
 * digit. Generation's decode steps adapt by default ({@link #forDecoding}); the loops whose sums are saved and
 * compared bit for bit (statistics, perplexity, perplexity change: a resumed run must equal an unbroken one) keep
 * the thread count unless adaptation is asked for with {@code -Dlangneurons.threads=adaptive} or
 * {@code LANGNEURONS_THREADS=adaptive} ({@link #forBatches}).
 *
 * <pre>{@code
 * try (ThreadTuner tuner = ThreadTuner.forBatches(model)) {
 *     for (TokenBatch b : model.tokenize(texts, 512).batches(8)) {
 *         tuner.begin();
 *         model.run(b);
 *         tuner.end(b.size());
 *     }
 * }
 * }</pre>
 */
public final class ThreadTuner implements AutoCloseable {
    static final int PROBE_EVERY = 16;
    private final int threads;
    private final boolean enabled;
    /** Seconds per unit of work, smoothed: [0] all threads, [1] one thread; NaN until measured. */
    private final double[] cost = {Double.NaN, Double.NaN};
    private long steps;
    private int running;
    private long start;

    private ThreadTuner(LanguageModel model, boolean asked) {
        this.threads = JniUtils.getNumThreads();
        this.enabled = asked && threads > 1 && !model.device().isGpu()
                && System.getProperty("ai.djl.pytorch.num_threads") == null
                && System.getenv("OMP_NUM_THREADS") == null;
    }

    /** For generation's decode steps: adapts unless the user fixed the thread count. */
    public static ThreadTuner forDecoding(LanguageModel model) {
        return new ThreadTuner(model, true);
    }

    /** For batch loops whose results are compared bit for bit: adapts only when asked (see the class comment). */
    public static ThreadTuner forBatches(LanguageModel model) {
        String asked = System.getProperty("langneurons.threads", System.getenv("LANGNEURONS_THREADS"));
        return new ThreadTuner(model, "adaptive".equalsIgnoreCase(asked));
    }

    /** Before a step: sets the thread count to try or to keep. */
    public void begin() {
        if (!enabled) {
            return;
        }
        int choice;
        if (steps == 0 || Double.isNaN(cost[0])) {
            choice = 0;
        } else if (Double.isNaN(cost[1])) {
            choice = 1;
        } else {
            int best = cost[1] < cost[0] ? 1 : 0;
            // a clear winner is retried less often: a probe of the slow setting costs a step at its speed
            long every = Math.max(cost[0], cost[1]) > 1.5 * Math.min(cost[0], cost[1]) ? 4L * PROBE_EVERY
                    : PROBE_EVERY;
            choice = steps % every == 0 ? 1 - best : best;
        }
        if (choice != running) {
            JniUtils.setNumThreads(choice == 0 ? threads : 1);
            running = choice;
        }
        start = System.nanoTime();
    }

    /** After the step begun last, which did {@code work} units (tokens, sequences: any measure of its size). */
    public void end(long work) {
        if (!enabled) {
            return;
        }
        if (steps > 0) {
            double c = (System.nanoTime() - start) / 1e9 / Math.max(1, work);
            cost[running] = Double.isNaN(cost[running]) ? c : 0.5 * cost[running] + 0.5 * c;
        }
        steps++;
    }

    /** Whether the last step ran on one thread (for tests and reports). */
    public boolean singleThreaded() {
        return enabled && running == 1;
    }

    /** Restores the thread count the loop started with. */
    @Override
    public void close() {
        if (enabled && running != 0) {
            JniUtils.setNumThreads(threads);
            running = 0;
        }
    }
}
