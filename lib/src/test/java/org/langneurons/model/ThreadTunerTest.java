package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ThreadTuner} on steps whose cost depends on the thread count in a known way (a sleep): it settles on the
 * faster setting, retries the other at the stated interval, and restores the count when the loop ends.
 */
class ThreadTunerTest {
    static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Runs {@code steps} steps costing {@code oneThreadMs} on one thread and {@code allThreadsMs} otherwise. */
    private static int singleThreadedSteps(ThreadTuner tuner, int steps, long oneThreadMs, long allThreadsMs)
            throws InterruptedException {
        int single = 0;
        for (int i = 0; i < steps; i++) {
            tuner.begin();
            boolean one = JniUtils.getNumThreads() == 1;
            single += one ? 1 : 0;
            Thread.sleep(one ? oneThreadMs : allThreadsMs);
            tuner.end(1);
        }
        return single;
    }

    @Test
    void settlesOnTheFasterSettingAndRestoresTheCount() throws InterruptedException {
        int threads = JniUtils.getNumThreads();
        assumeTrue(threads > 1 && System.getProperty("ai.djl.pytorch.num_threads") == null
                && System.getenv("OMP_NUM_THREADS") == null, "needs more than one intra-op thread");
        try (ThreadTuner tuner = ThreadTuner.forDecoding(model)) {
            // step 0 warm-up and step 1 on all threads, step 2 tries one thread; from then on one thread, except a
            // retry of all threads at every 64th step (one thread is more than 1.5x faster)
            assertEquals(66 - 2 - 1, singleThreadedSteps(tuner, 66, 2, 12));
        }
        assertEquals(threads, JniUtils.getNumThreads(), "restored");
        try (ThreadTuner tuner = ThreadTuner.forDecoding(model)) {
            assertEquals(1, singleThreadedSteps(tuner, 20, 12, 2), "one thread tried once, then all threads kept");
            assertFalse(tuner.singleThreaded());
        }
        assertEquals(threads, JniUtils.getNumThreads());
    }

    @Test
    void batchLoopsKeepTheThreadCountUnlessAsked() throws InterruptedException {
        assumeTrue(System.getProperty("langneurons.threads") == null && System.getenv("LANGNEURONS_THREADS") == null);
        int threads = JniUtils.getNumThreads();
        try (ThreadTuner tuner = ThreadTuner.forBatches(model)) {
            assertEquals(0, singleThreadedSteps(tuner, 5, 1, 12));
        }
        assertEquals(threads, JniUtils.getNumThreads());
    }
}
