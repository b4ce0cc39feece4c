package org.langneurons.model;

import java.util.Arrays;
import java.util.List;

/**
 * Token sequences of possibly different lengths, laid out as one padded [B, T] batch with an attention mask.
 *
 * <pre>{@code
 * TokenBatch batch = TokenBatch.of(TokenBatch.Padding.LEFT, new long[] {1, 5, 9}, new long[] {1, 7});
 * // padded ids: [[1, 5, 9], [0, 1, 7]], mask: [[1, 1, 1], [0, 1, 1]]
 * }</pre>
 *
 * @param sequences the unpadded token ids, each non-empty
 * @param padding   which side padding goes on
 */
public record TokenBatch(List<long[]> sequences, Padding padding) {

    /** Side of the padding. Left padding keeps every sequence's last token in the last column (for generation). */
    public enum Padding {
        LEFT,
        RIGHT
    }

    public TokenBatch {
        if (sequences == null || sequences.isEmpty()) {
            throw new IllegalArgumentException("empty input: a batch needs at least one sequence");
        }
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i) == null || sequences.get(i).length == 0) {
                throw new IllegalArgumentException("empty input: sequence " + i + " has no tokens");
            }
        }
        sequences = sequences.stream().map(long[]::clone).toList();
    }

    /** A batch of {@code sequences} padded on {@code padding}'s side. */
    public static TokenBatch of(Padding padding, long[]... sequences) {
        return new TokenBatch(Arrays.asList(sequences), padding);
    }

    /** A right-padded batch. */
    public static TokenBatch of(long[]... sequences) {
        return of(Padding.RIGHT, sequences);
    }

    /** Number of sequences (B). */
    public int size() {
        return sequences.size();
    }

    /** Padded length (T): the longest sequence. */
    public int width() {
        return sequences.stream().mapToInt(s -> s.length).max().orElse(0);
    }

    /** Real tokens in the batch (padding not counted). */
    public long tokens() {
        return sequences.stream().mapToLong(s -> s.length).sum();
    }

    /** Column of sequence {@code i}'s first token in the padded layout. */
    public int offset(int i) {
        return padding == Padding.LEFT ? width() - sequences.get(i).length : 0;
    }

    /** Row-major [B, T] ids with {@code padId} in padding. */
    public long[] paddedIds(long padId) {
        int t = width();
        long[] out = new long[size() * t];
        Arrays.fill(out, padId);
        for (int i = 0; i < size(); i++) {
            long[] s = sequences.get(i);
            System.arraycopy(s, 0, out, i * t + offset(i), s.length);
        }
        return out;
    }

    /** Row-major [B, T] attention mask: 1 for tokens, 0 for padding. */
    public long[] mask() {
        int t = width();
        long[] out = new long[size() * t];
        for (int i = 0; i < size(); i++) {
            Arrays.fill(out, i * t + offset(i), i * t + offset(i) + sequences.get(i).length, 1L);
        }
        return out;
    }

    /** Checks every id against the vocabulary, naming the first one out of range. */
    public void checkIds(int vocabSize) {
        for (int i = 0; i < size(); i++) {
            long[] s = sequences.get(i);
            for (int t = 0; t < s.length; t++) {
                if (s[t] < 0 || s[t] >= vocabSize) {
                    throw new IllegalArgumentException("token id " + s[t] + " at position " + t + " of sequence " + i
                            + " is outside the vocabulary [0, " + vocabSize + ")");
                }
            }
        }
    }
}
