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
}
