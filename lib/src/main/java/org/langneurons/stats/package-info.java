/**
 * Activation statistics per language: {@link org.langneurons.stats.StatisticsCollector} runs a model over a
 * language's text with a reading hook on every layer's neurons and accumulates
 * {@link org.langneurons.stats.ActivationStatistics} (activation counts, sums, extremes, batch-mean percentiles),
 * checkpointed and resumable, saved as safetensors.
 */
package org.langneurons.stats;
