package org.langneurons.finetune;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.langneurons.io.CheckpointException;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;
import org.langneurons.report.JsonFiles;

/**
 * Which neurons (output rows of the gate projection) a neuron-masked gate LoRA may change, per layer: Mondal et al.'s
 * {@code dW = A (B * M)} with M one for these rows and zero for every other, so the others' weights, outputs and
 * gradients stay exactly as without the adapter. Saved beside an adapter as {@code neuron_mask.json}.
 *
 * <pre>{@code
 * NeuronSet lape = NeuronSet.load(Path.of("lape.json"));
 * GateMask target = GateMask.of("target", lape, List.of("vi"));        // vi's neurons train, no other
 * GateMask control = GateMask.random(32, 14336, 10, 1);                 // 10 a layer, their Table 8
 * float[] rows = target.rowMask(3);                                     // 1 or 0 per neuron of layer 3
 * }</pre>
 *
 * @param setup           what the mask is: {@code source}, {@code target}, {@code both}, {@code random}, {@code all},
 *                        or any label
 * @param languages       the languages whose neurons train (empty for random and all)
 * @param neuronsPerLayer I, the gate projection's output rows
 * @param trainable       per layer, the ascending neuron indices that train
 */
public record GateMask(String setup, List<String> languages, int neuronsPerLayer, int[][] trainable) {

    /** Checks the indices; copies the arrays. */
    public GateMask {
        languages = List.copyOf(languages);
        trainable = Arrays.stream(trainable).map(int[]::clone).toArray(int[][]::new);
        for (int l = 0; l < trainable.length; l++) {
            int[] rows = trainable[l];
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] < 0 || rows[i] >= neuronsPerLayer || (i > 0 && rows[i] <= rows[i - 1])) {
                    throw new IllegalArgumentException("layer " + l + " of the neuron mask must list ascending"
                            + " neurons in [0, " + neuronsPerLayer + "), got " + Arrays.toString(rows));
                }
            }
        }
    }

    /** Every neuron of every layer: a plain gate LoRA. */
    public static GateMask all(int layers, int neuronsPerLayer) {
        int[] every = IntStream.range(0, neuronsPerLayer).toArray();
        return new GateMask("all", List.of(), neuronsPerLayer,
                IntStream.range(0, layers).mapToObj(l -> every).toArray(int[][]::new));
    }

    /** The neurons of any of {@code languages} in {@code set} (their union, per layer). */
    public static GateMask of(String setup, NeuronSet set, List<String> languages) {
        int[][] rows = new int[set.layers()][];
        for (int l = 0; l < set.layers(); l++) {
            TreeSet<Integer> union = new TreeSet<>();
            for (String lang : languages) {
                for (int n : set.neurons(lang, l)) {
                    union.add(n);
                }
            }
            rows[l] = union.stream().mapToInt(Integer::intValue).toArray();
        }
        return new GateMask(setup, languages, set.neuronsPerLayer(), rows);
    }

    /** {@code perLayer} neurons of each layer drawn uniformly with {@code seed} ({@link RandomNeurons}). */
    public static GateMask random(int layers, int neuronsPerLayer, int perLayer, long seed) {
        NeuronSet drawn = RandomNeurons.draw(List.of("random"), layers, neuronsPerLayer, perLayer, seed);
        GateMask m = of("random", drawn, List.of("random"));
        return new GateMask("random", List.of(), neuronsPerLayer, m.trainable);
    }

    /** Layers (L). */
    public int layers() {
        return trainable.length;
    }

    /** Trainable neurons over all layers. */
    public int count() {
        return Arrays.stream(trainable).mapToInt(r -> r.length).sum();
    }

    /** Whether every neuron trains (no masking needed). */
    public boolean isAll() {
        return count() == (long) layers() * neuronsPerLayer;
    }

    /** Layer {@code layer}'s trainable neurons, ascending (a copy). */
    public int[] trainable(int layer) {
        return trainable[layer].clone();
    }

    /** Layer {@code layer}'s M: 1 for a trainable neuron, 0 for a frozen one, [I]. */
    public float[] rowMask(int layer) {
        float[] m = new float[neuronsPerLayer];
        for (int n : trainable[layer]) {
            m[n] = 1f;
        }
        return m;
    }

    /** Writes {@code neuron_mask.json}. */
    public void save(Path file) {
        JsonObject o = new JsonObject();
        o.addProperty("setup", setup);
        JsonArray langs = new JsonArray();
        languages.forEach(langs::add);
        o.add("languages", langs);
        o.addProperty("layers", layers());
        o.addProperty("neurons_per_layer", neuronsPerLayer);
        o.addProperty("trainable_count", count());
        JsonArray layers = new JsonArray();
        for (int[] rows : trainable) {
            JsonArray a = new JsonArray();
            Arrays.stream(rows).forEach(a::add);
            layers.add(a);
        }
        o.add("trainable", layers);
        JsonFiles.write(file, o);
    }

    /** Reads a mask written by {@link #save}; errors name the file and the field. */
    public static GateMask load(Path file) {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "is not a readable neuron mask (JSON object expected): "
                    + e.getMessage(), e);
        }
        try {
            JsonArray layers = o.getAsJsonArray("trainable");
            int[][] rows = new int[layers.size()][];
            for (int l = 0; l < rows.length; l++) {
                JsonArray a = layers.get(l).getAsJsonArray();
                rows[l] = new int[a.size()];
                for (int i = 0; i < rows[l].length; i++) {
                    rows[l][i] = a.get(i).getAsInt();
                }
            }
            int declared = o.get("layers").getAsInt();
            if (declared != rows.length) {
                throw new IllegalArgumentException("field 'layers' says " + declared + " but 'trainable' has "
                        + rows.length + " layers");
            }
            List<String> langs = o.has("languages")
                    ? o.getAsJsonArray("languages").asList().stream().map(JsonElement::getAsString).toList()
                    : List.of();
            return new GateMask(o.get("setup").getAsString(), langs, o.get("neurons_per_layer").getAsInt(), rows);
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "is not a valid neuron mask (fields setup, layers, neurons_per_layer,"
                    + " trainable): " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GateMask m && setup.equals(m.setup) && languages.equals(m.languages)
                && neuronsPerLayer == m.neuronsPerLayer && Arrays.deepEquals(trainable, m.trainable);
    }

    @Override
    public int hashCode() {
        return setup.hashCode() * 31 + Arrays.deepHashCode(trainable);
    }

    @Override
    public String toString() {
        return "GateMask[" + setup + " " + languages + ", " + count() + " of " + layers() + " x " + neuronsPerLayer
                + " neurons]";
    }
}
