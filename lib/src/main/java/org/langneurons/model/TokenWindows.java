package org.langneurons.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts token sequences longer than a model's context into consecutive windows: the one windowing rule shared by
 * perplexity and activation statistics.
 *
 * <pre>{@code
 * List<long[]> windows = TokenWindows.cut(new long[] {1, 2, 3, 4, 5}, 2, 2);   // [1, 2], [3, 4]; [5] is dropped
 * }</pre>
 */
public final class TokenWindows {
    private TokenWindows() {
    }

    /**
     * Consecutive windows of at most {@code maxLength} tokens covering {@code ids} from the start, without a final
     * window shorter than {@code minLength}: 2 when every window must hold a token to predict (perplexity), 1 to keep
     * every token (statistics).
     *
     * @throws IllegalArgumentException unless 1 <= minLength <= maxLength
     */
    public static List<long[]> cut(long[] ids, int maxLength, int minLength) {
        if (minLength < 1 || minLength > maxLength) {
            throw new IllegalArgumentException("window lengths must satisfy 1 <= min length <= max length, got min "
                    + minLength + " and max " + maxLength);
        }
        List<long[]> windows = new ArrayList<>();
        // long: from + maxLength must not overflow when maxLength is huge ("no limit")
        for (long from = 0; from + minLength <= ids.length; from += maxLength) {
            windows.add(Arrays.copyOfRange(ids, (int) from, (int) Math.min(ids.length, from + maxLength)));
        }
        return windows;
    }
}
