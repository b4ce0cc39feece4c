package org.langneurons.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, Ctrl-C or a kill does not end the JVM at once: it marks a stop as {@link #requested}, runs the
 * action given to {@link #onRequest} (which asks the long job to stop at its next safe point and checkpoint), and
 * waits, up to ten minutes, until this is closed. Without it, the JVM unloads libtorch while a native op is still
 * running on the main thread, and crashes. Open it before the native resources, so that it closes after them.
 *
 * <pre>{@code
 * try (StopOnExit exit = new StopOnExit(); LanguageModel m = LanguageModel.defaultModel()) {
 *     exit.onRequest(() -> System.err.println("stopping after the step in progress"));
 *     boolean stop = exit.requested();     // polled by the long job at its safe points
 * }
 * }</pre>
 */
final class StopOnExit implements AutoCloseable {
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;
    private volatile Runnable action = () -> { };

    StopOnExit() {
        hook = new Thread(() -> {
            requested = true;
            action.run();
            try {
                closed.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "checkpoint-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What a stop request also does; run at once if a stop was already requested. */
    void onRequest(Runnable r) {
        action = r;
        if (requested) {
            r.run();
        }
    }

    /** Whether Ctrl-C or a kill asked the job to stop. */
    boolean requested() {
        return requested;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and waits for the latch below
        }
        closed.countDown();
    }
}
