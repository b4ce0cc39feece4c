package org.langneurons.neurons;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random neurons as a control: for each language, {@code perLayer} neurons of every layer drawn uniformly without
 * replacement, with a seeded generator (languages drawn in order, so the same seed gives the same set). Mondal et al.
 * fine-tune on random neurons (10 a layer, their Table 8); neither paper intervenes on random neurons in its
 * perplexity or steering experiments, where this set serves as the control.
 *
 * <pre>{@code
 * NeuronSet control = RandomNeurons.draw(List.of("en", "fr"), 32, 14336, 10, 1);
 * }</pre>
 */
public final class RandomNeurons {
    private RandomNeurons() {
    }

    /** Draws {@code perLayer} neurons of each of {@code layers} layers for every language. */
    public static NeuronSet draw(List<String> languages, int layers, int neuronsPerLayer, int perLayer, long seed) {
        if (perLayer < 0 || perLayer > neuronsPerLayer) {
            throw new IllegalArgumentException("cannot draw " + perLayer + " of " + neuronsPerLayer
                    + " neurons per layer");
        }
        Random random = new Random(seed);
        Map<String, int[][]> out = new LinkedHashMap<>();
        for (String lang : languages) {
            int[][] n = new int[layers][];
            for (int l = 0; l < layers; l++) {
                // partial Fisher-Yates: the first perLayer entries of a shuffled 0..I-1
                int[] all = new int[neuronsPerLayer];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                for (int i = 0; i < perLayer; i++) {
                    int j = i + random.nextInt(neuronsPerLayer - i);
                    int t = all[i];
                    all[i] = all[j];
                    all[j] = t;
                }
                n[l] = java.util.Arrays.stream(all, 0, perLayer).sorted().toArray();
            }
            out.put(lang, n);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("per_layer", perLayer);
        settings.put("seed", seed);
        return new NeuronSet("random", settings, languages, layers, neuronsPerLayer, out);
    }

    /** A random set with as many neurons in each layer, for each language, as {@code like} has. */
    public static NeuronSet matching(NeuronSet like, long seed) {
        Random random = new Random(seed);
        Map<String, int[][]> out = new LinkedHashMap<>();
        for (String lang : like.languages()) {
            int[] counts = like.countPerLayer(lang);
            int[][] n = new int[like.layers()][];
            for (int l = 0; l < like.layers(); l++) {
                n[l] = random.ints(0, like.neuronsPerLayer()).distinct().limit(counts[l]).sorted().toArray();
            }
            out.put(lang, n);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("matching", like.method());
        settings.put("seed", seed);
        return new NeuronSet("random", settings, like.languages(), like.layers(), like.neuronsPerLayer(), out);
    }
}
