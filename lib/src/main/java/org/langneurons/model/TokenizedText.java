package org.langneurons.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Texts tokenized once and cut into windows, so that several evaluations (e.g. perplexity with and without an
 * intervention) score the very same tokens without encoding the texts again.
 *
 * <pre>{@code
 * TokenizedText text = model.tokenize(texts, 512);
 * Perplexity before = model.perplexity(text, 8);
 * }</pre>
 *
 * @param windows    the token windows, each non-empty; copied, so later changes to the given arrays do not show
 * @param characters Unicode code points in the texts (for bits per character)
 */
public record TokenizedText(List<long[]> windows, long characters) {

    /** Checks and copies the windows. */
    public TokenizedText {
        if (windows == null) {
            throw new IllegalArgumentException("windows is null");
        }
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i) == null || windows.get(i).length == 0) {
                throw new IllegalArgumentException("window " + i + " has no tokens");
            }
        }
        if (characters < 0) {
            throw new IllegalArgumentException("characters must be >= 0, got " + characters);
        }
        windows = windows.stream().map(long[]::clone).toList();
    }

    /** The windows in order, {@code batchSize} to a batch (right-padded), as perplexity scores them. */
    public List<TokenBatch> batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        List<TokenBatch> out = new ArrayList<>();
        for (int i = 0; i < windows.size(); i += batchSize) {
            out.add(new TokenBatch(windows.subList(i, Math.min(windows.size(), i + batchSize)),
                    TokenBatch.Padding.RIGHT));
        }
        return out;
    }
}
