/**
 * Language-specific neurons: {@link org.langneurons.neurons.NeuronSet} (per language, per layer, sorted neuron
 * indices, saved as {@code neurons.json}) and the selection methods of the papers, {@link org.langneurons.neurons.Lape}
 * (Tang et al. and Mondal et al.).
 */
package org.langneurons.neurons;
