package org.langneurons.model;

/**
 * Perplexity of a text collection: the mean negative log-likelihood per predicted token (natural log) and
 * {@code exp} of it, and bits per character (total NLL in bits over the characters of the text).
 *
 * @param tokens     predicted tokens counted
 * @param characters Unicode code points in the texts
 * @param meanNll    mean NLL per predicted token, nats
 * @param perplexity exp(meanNll)
 * @param bitsPerCharacter total NLL / ln 2 / characters
 */
public record Perplexity(long tokens, long characters, double meanNll, double perplexity, double bitsPerCharacter) {

    /** Told after every batch of a perplexity evaluation. */
    @FunctionalInterface
    public interface Progress {
        void update(long tokensDone, long tokensTotal);
    }

    /**
     * Token NLLs summed in the order they are added (so a result does not depend on how batches were formed), then
     * turned into a {@link Perplexity}.
     *
     * <pre>{@code
     * Perplexity.Sum sum = new Perplexity.Sum();
     * sum.add(model.tokenNll(batch));
     * Perplexity p = sum.perplexity(1200);
     * }</pre>
     */
    public static final class Sum {
        private double total;
        private long count;

        /** An empty sum. */
        public Sum() {
        }

        /** A sum that continues from {@link #total()} and {@link #count()} of another (a resumed evaluation). */
        public Sum(double total, long count) {
            this.total = total;
            this.count = count;
        }

        /** The NLLs added so far, summed in order. */
        public double total() {
            return total;
        }

        /** How many NLLs were added. */
        public long count() {
            return count;
        }

        /** Adds every NLL of every sequence, in order. */
        public void add(float[][] nll) {
            for (float[] row : nll) {
                for (float x : row) {
                    total += x;
                }
                count += row.length;
            }
        }

        /** The perplexity of what was added, for a text of {@code characters} code points. */
        public Perplexity perplexity(long characters) {
            double mean = total / count;
            return new Perplexity(count, characters, mean, Math.exp(mean),
                    total / Math.log(2) / Math.max(1, characters));
        }
    }
}
