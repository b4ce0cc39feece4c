/**
 * Per-neuron statistics per language. {@link org.langneurons.stats.NeuronGrid} is the one per-neuron type (L x I,
 * row-major). {@link org.langneurons.stats.StatisticsCollector} runs a model over a language's text with a reading
 * hook on every layer's neurons and accumulates {@link org.langneurons.stats.ActivationStatistics} (counts, sums,
 * extremes, batch-mean percentiles), checkpointed and resumable, as {@link org.langneurons.stats.StatisticsSettings}
 * say; {@link org.langneurons.stats.StatisticsDirectory} owns a folder of them (one file per language, Activation
 * Probability p's two passes) and gives {@link org.langneurons.stats.LanguageStatistics}, whose
 * {@link org.langneurons.stats.ActivationProbabilities} are what every selection method takes.
 * {@link org.langneurons.stats.NeuronActivations} is one hook point over one batch, for a look at single neurons.
 */
package org.langneurons.stats;
