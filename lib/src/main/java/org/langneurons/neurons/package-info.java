/**
 * Language-specific neurons: {@link org.langneurons.neurons.NeuronSet} (per language, per layer, sorted neuron
 * indices, saved as {@code neurons.json}) and the selection methods of the papers, all taking
 * {@link org.langneurons.stats.ActivationProbabilities}: {@link org.langneurons.neurons.Lape} (Tang et al. and
 * Mondal et al.) and {@link org.langneurons.neurons.ActProb} (Mondal et al.'s Activation Probability p); the
 * control {@link org.langneurons.neurons.RandomNeurons}; Tang et al.'s files,
 * {@link org.langneurons.neurons.TangFiles}.
 */
package org.langneurons.neurons;
