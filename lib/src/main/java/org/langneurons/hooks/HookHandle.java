package org.langneurons.hooks;

/**
 * A registration of one or more hooks; closing it removes them (use try-with-resources). Closing twice is harmless.
 */
@FunctionalInterface
public interface HookHandle extends AutoCloseable {
    @Override
    void close();
}
