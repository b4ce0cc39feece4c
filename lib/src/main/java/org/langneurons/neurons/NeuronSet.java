package org.langneurons.neurons;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.langneurons.io.StrictJson;

/**
 * Language-specific neurons: for each language, for each layer, the ascending indices of its neurons. A neuron may
 * belong to several languages or to none.
 *
 * <p>Saved as {@code neurons.json}:
 * <pre>
 * {"method": "lape", "settings": {"top_rate": 0.01, ...}, "languages": ["en", "fr"], "layers": 4,
 *  "neurons_per_layer": 688, "neurons": {"en": [[3, 17], [], [5], []], "fr": [[], [], [], [9]]}}
 * </pre>
 * Every language is listed, with empty lists where it has no neuron.
 *
 * <pre>{@code
 * NeuronSet lape = NeuronSet.load(Path.of("neurons.json"));
 * double overlap = lape.jaccard(actProb, "fr");
 * }</pre>
 *
 * @param method          how the set was made ({@code lape}, {@code lape-mondal}, {@code actprob}, {@code random},
 *                        {@code tang-masks}, or an operation of two sets)
 * @param settings        the method's settings, as JSON values (numbers, strings, booleans)
 * @param languages       language codes, in order
 * @param layers          L
 * @param neuronsPerLayer I
 * @param neurons         per language in {@code languages}: L ascending arrays of indices in [0, I)
 */
public record NeuronSet(String method, Map<String, Object> settings, List<String> languages, int layers,
        int neuronsPerLayer, Map<String, int[][]> neurons) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public NeuronSet {
        if (layers < 1 || neuronsPerLayer < 1) {
            throw new IllegalArgumentException("a neuron set needs at least one layer and one neuron per layer, got "
                    + layers + " x " + neuronsPerLayer);
        }
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        languages = List.copyOf(languages);
        if (new TreeSet<>(languages).size() != languages.size()) {
            throw new IllegalArgumentException("languages listed twice: " + languages);
        }
        Map<String, int[][]> copy = new LinkedHashMap<>();
        for (String lang : languages) {
            int[][] perLayer = neurons.get(lang);
            if (perLayer == null) {
                throw new IllegalArgumentException("no neurons given for language " + lang);
            }
            if (perLayer.length != layers) {
                throw new IllegalArgumentException("language " + lang + ": " + perLayer.length
                        + " layers of neurons, expected " + layers);
            }
            int[][] c = new int[layers][];
            for (int l = 0; l < layers; l++) {
                c[l] = perLayer[l].clone();
                for (int j = 0; j < c[l].length; j++) {
                    if (c[l][j] < 0 || c[l][j] >= neuronsPerLayer) {
                        throw new IllegalArgumentException("language " + lang + ", layer " + l + ": neuron " + c[l][j]
                                + " is outside [0, " + neuronsPerLayer + ")");
                    }
                    if (j > 0 && c[l][j] <= c[l][j - 1]) {
                        throw new IllegalArgumentException("language " + lang + ", layer " + l
                                + ": indices must be strictly ascending, got " + c[l][j - 1] + " then " + c[l][j]);
                    }
                }
            }
            copy.put(lang, c);
        }
        if (!languages.containsAll(neurons.keySet())) {
            throw new IllegalArgumentException("neurons given for languages not listed: " + neurons.keySet());
        }
        neurons = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * A builder that collects neurons one at a time, by (layer, neuron) or by flat index {@code layer * I + neuron},
     * in any order; {@link Builder#build} sorts them and drops repeats.
     *
     * <pre>{@code
     * NeuronSet s = NeuronSet.builder("hand", Map.of(), List.of("en", "fr"), 4, 688)
     *         .add("en", 3, 17).addFlat("fr", 2 * 688 + 5).build();
     * }</pre>
     */
    public static Builder builder(String method, Map<String, Object> settings, List<String> languages, int layers,
            int neuronsPerLayer) {
        return new Builder(method, settings, languages, layers, neuronsPerLayer);
    }

    /** Builds a {@link NeuronSet}; see {@link NeuronSet#builder}. */
    public static final class Builder {
        private final String method;
        private final Map<String, Object> settings;
        private final List<String> languages;
        private final int layers;
        private final int neuronsPerLayer;
        private final Map<String, List<TreeSet<Integer>>> neurons = new LinkedHashMap<>();

        private Builder(String method, Map<String, Object> settings, List<String> languages, int layers,
                int neuronsPerLayer) {
            this.method = method;
            this.settings = settings;
            this.languages = List.copyOf(languages);
            this.layers = layers;
            this.neuronsPerLayer = neuronsPerLayer;
            for (String lang : this.languages) {
                List<TreeSet<Integer>> perLayer = new ArrayList<>();
                for (int l = 0; l < layers; l++) {
                    perLayer.add(new TreeSet<>());
                }
                neurons.put(lang, perLayer);
            }
        }

        /** Adds neuron {@code neuron} of layer {@code layer} to {@code language}. */
        public Builder add(String language, int layer, int neuron) {
            List<TreeSet<Integer>> perLayer = neurons.get(language);
            if (perLayer == null) {
                throw new IllegalArgumentException("language " + language + " is not in " + languages);
            }
            if (layer < 0 || layer >= layers) {
                throw new IllegalArgumentException("layer " + layer + " is outside [0, " + layers + ")");
            }
            perLayer.get(layer).add(neuron);
            return this;
        }

        /** Adds the neuron at flat index {@code index} = layer * I + neuron to {@code language}. */
        public Builder addFlat(String language, int index) {
            return add(language, index / neuronsPerLayer, index % neuronsPerLayer);
        }

        /** The set (indices checked against [0, I) as in the constructor). */
        public NeuronSet build() {
            Map<String, int[][]> out = new LinkedHashMap<>();
            neurons.forEach((lang, perLayer) -> out.put(lang, perLayer.stream()
                    .map(ns -> ns.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new)));
            return new NeuronSet(method, settings, languages, layers, neuronsPerLayer, out);
        }
    }

    /** The languages with at least one neuron, in order. */
    public List<String> languagesWithNeurons() {
        return languages.stream().filter(lang -> count(lang) > 0).toList();
    }

    /** Layer {@code layer}'s neurons of {@code language}, ascending (a copy). */
    public int[] neurons(String language, int layer) {
        return perLayer(language)[layer].clone();
    }

    private int[][] perLayer(String language) {
        int[][] n = neurons.get(language);
        if (n == null) {
            throw new IllegalArgumentException("language " + language + " is not in this set " + languages);
        }
        return n;
    }

    /** Neurons of {@code language} over all layers. */
    public int count(String language) {
        return Arrays.stream(perLayer(language)).mapToInt(a -> a.length).sum();
    }

    /** Neurons of {@code language} in each layer. */
    public int[] countPerLayer(String language) {
        return Arrays.stream(perLayer(language)).mapToInt(a -> a.length).toArray();
    }

    /** Neurons that belong to at least one language. */
    public int uniqueCount() {
        int n = 0;
        for (int l = 0; l < layers; l++) {
            n += unionOfLanguages(l).length;
        }
        return n;
    }

    /** Layer {@code layer}'s neurons that belong to at least one language, ascending. */
    public int[] unionOfLanguages(int layer) {
        TreeSet<Integer> all = new TreeSet<>();
        neurons.values().forEach(n -> Arrays.stream(n[layer]).forEach(all::add));
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Jaccard index |A ∩ B| / |A ∪ B| of two languages of this set (1 when both are empty). */
    public double jaccard(String a, String b) {
        return jaccard(perLayer(a), perLayer(b));
    }

    /** Jaccard index of {@code language}'s neurons here and in {@code other} (1 when both are empty). */
    public double jaccard(NeuronSet other, String language) {
        checkSameShape(other);
        return jaccard(perLayer(language), other.perLayer(language));
    }

    /** Neurons that {@code a} and {@code b} of this set share. */
    public int overlap(String a, String b) {
        int n = 0;
        for (int l = 0; l < layers; l++) {
            n += intersect(perLayer(a)[l], perLayer(b)[l]).length;
        }
        return n;
    }

    private static double jaccard(int[][] a, int[][] b) {
        long inter = 0, union = 0;
        for (int l = 0; l < a.length; l++) {
            int i = intersect(a[l], b[l]).length;
            inter += i;
            union += a[l].length + b[l].length - i;
        }
        return union == 0 ? 1.0 : (double) inter / union;
    }

    /** Per language (of both sets), the neurons in either. */
    public NeuronSet union(NeuronSet other) {
        return combine(other, "union", NeuronSet::unite);
    }

    /** Per language (of both sets), the neurons in both. */
    public NeuronSet intersection(NeuronSet other) {
        return combine(other, "intersection", NeuronSet::intersect);
    }

    /** Per language (of both sets), the neurons here and not in {@code other}. */
    public NeuronSet difference(NeuronSet other) {
        return combine(other, "difference", NeuronSet::subtract);
    }

    /** This set restricted to {@code keep} (in that order). */
    public NeuronSet only(List<String> keep) {
        Map<String, int[][]> n = new LinkedHashMap<>();
        keep.forEach(lang -> n.put(lang, perLayer(lang)));
        return new NeuronSet(method, settings, keep, layers, neuronsPerLayer, n);
    }

    private NeuronSet combine(NeuronSet other, String op, BiFunction<int[], int[], int[]> f) {
        checkSameShape(other);
        List<String> common = languages.stream().filter(other.languages::contains).toList();
        Map<String, int[][]> n = new LinkedHashMap<>();
        for (String lang : common) {
            int[][] out = new int[layers][];
            for (int l = 0; l < layers; l++) {
                out[l] = f.apply(perLayer(lang)[l], other.perLayer(lang)[l]);
            }
            n.put(lang, out);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("left", method);
        s.put("right", other.method);
        return new NeuronSet(op, s, common, layers, neuronsPerLayer, n);
    }

    private void checkSameShape(NeuronSet other) {
        if (other.layers != layers || other.neuronsPerLayer != neuronsPerLayer) {
            throw new IllegalArgumentException("neuron sets of different models: " + layers + " x " + neuronsPerLayer
                    + " and " + other.layers + " x " + other.neuronsPerLayer);
        }
    }

    static int[] intersect(int[] a, int[] b) {
        return Arrays.stream(a).filter(x -> Arrays.binarySearch(b, x) >= 0).toArray();
    }

    static int[] subtract(int[] a, int[] b) {
        return Arrays.stream(a).filter(x -> Arrays.binarySearch(b, x) < 0).toArray();
    }

    static int[] unite(int[] a, int[] b) {
        TreeSet<Integer> s = new TreeSet<>();
        Arrays.stream(a).forEach(s::add);
        Arrays.stream(b).forEach(s::add);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- neurons.json ----

    /** The {@code neurons.json} text of this set. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("method", method);
        o.add("settings", GSON.toJsonTree(settings));
        o.add("languages", GSON.toJsonTree(languages));
        o.addProperty("layers", layers);
        o.addProperty("neurons_per_layer", neuronsPerLayer);
        JsonObject n = new JsonObject();
        languages.forEach(lang -> n.add(lang, GSON.toJsonTree(perLayer(lang))));
        o.add("neurons", n);
        // one layer's list per line: readable and diffable without megabyte-long lines
        return GSON.toJson(o).replaceAll("\\[\\s+(-?\\d)", "[$1").replaceAll(",\\s+(-?\\d)", ", $1")
                .replaceAll("(\\d)\\s+]", "$1]") + "\n";
    }

    /** Writes {@code neurons.json} to {@code file} (atomically: written beside it, then moved). */
    public void save(Path file) {
        try {
            Path abs = file.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a {@code neurons.json} file; errors name the file and the field at fault. */
    public static NeuronSet load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
        try {
            return fromJson(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code neurons.json} text; every number is read exactly (3.7 is not neuron 3, 2^32 + 5 not 5). */
    public static NeuronSet fromJson(String text) {
        JsonObject o = StrictJson.object(text);
        if (!field(o, "method").isJsonPrimitive() || !field(o, "method").getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("field method is " + o.get("method") + ", expected a string");
        }
        String method = field(o, "method").getAsString();
        Map<String, Object> settings = new LinkedHashMap<>();
        if (o.has("settings")) {
            if (!o.get("settings").isJsonObject()) {
                throw new IllegalArgumentException("field settings is " + o.get("settings") + ", expected an object");
            }
            for (var e : o.getAsJsonObject("settings").entrySet()) {
                settings.put(e.getKey(), GSON.fromJson(e.getValue(), Object.class));
            }
        }
        List<String> languages = new ArrayList<>();
        for (JsonElement e : array(field(o, "languages"), "languages")) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("field languages holds " + e + ", expected language codes");
            }
            languages.add(e.getAsString());
        }
        int layers = StrictJson.exactInt(field(o, "layers"), "field layers", 1, Integer.MAX_VALUE);
        int perLayer = StrictJson.exactInt(field(o, "neurons_per_layer"), "field neurons_per_layer", 1,
                Integer.MAX_VALUE);
        if (!field(o, "neurons").isJsonObject()) {
            throw new IllegalArgumentException("field neurons is " + o.get("neurons") + ", expected an object");
        }
        JsonObject n = o.getAsJsonObject("neurons");
        Map<String, int[][]> neurons = new LinkedHashMap<>();
        for (String lang : languages) {
            if (!n.has(lang)) {
                throw new IllegalArgumentException("field neurons." + lang + " is missing");
            }
            JsonArray ls = array(n.get(lang), "neurons." + lang);
            if (ls.size() != layers) {
                throw new IllegalArgumentException("field neurons." + lang + " has " + ls.size()
                        + " layers, field layers says " + layers);
            }
            int[][] out = new int[ls.size()][];
            for (int l = 0; l < ls.size(); l++) {
                String where = "neurons." + lang + "[" + l + "]";
                JsonArray a = array(ls.get(l), where);
                out[l] = new int[a.size()];
                for (int j = 0; j < a.size(); j++) {
                    out[l][j] = StrictJson.exactInt(a.get(j), where + "[" + j + "]", 0, perLayer);
                }
            }
            neurons.put(lang, out);
        }
        return new NeuronSet(method, settings, languages, layers, perLayer, neurons);
    }

    private static JsonArray array(JsonElement e, String name) {
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("field " + name + " is " + (e.toString().length() > 60
                    ? e.toString().substring(0, 60) + "..." : e) + ", expected an array");
        }
        return e.getAsJsonArray();
    }

    /**
     * Fails unless this set is of a model with {@code modelLayers} layers of {@code modelNeuronsPerLayer} neurons:
     * indices of another model would switch the wrong neurons, silently.
     *
     * <pre>{@code
     * NeuronSet s = NeuronSet.builder("hand", Map.of(), List.of("en"), 4, 688).add("en", 3, 17).build();
     * s.requireModel(4, 688, "the model");      // passes; (4, 11008) would throw
     * }</pre>
     *
     * @param model names the model in the message, e.g. its directory
     */
    public void requireModel(int modelLayers, int modelNeuronsPerLayer, String model) {
        if (layers != modelLayers || neuronsPerLayer != modelNeuronsPerLayer) {
            throw new IllegalArgumentException("the neuron set is of " + layers + " layers x " + neuronsPerLayer
                    + " neurons, " + model + " has " + modelLayers + " x " + modelNeuronsPerLayer
                    + ": it belongs to another model");
        }
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("field " + name + " is missing");
        }
        return e;
    }

    /** A short hash of the set's JSON (method, settings, languages, neurons): equal sets have equal fingerprints. */
    public String fingerprint() {
        return org.langneurons.io.RunCheckpoint.fingerprint(toJson());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NeuronSet s) || !method.equals(s.method) || !settings.equals(s.settings)
                || !languages.equals(s.languages) || layers != s.layers || neuronsPerLayer != s.neuronsPerLayer) {
            return false;
        }
        return languages.stream().allMatch(lang -> Arrays.deepEquals(neurons.get(lang), s.neurons.get(lang)));
    }

    @Override
    public int hashCode() {
        int h = java.util.Objects.hash(method, languages, layers, neuronsPerLayer);
        for (String lang : languages) {
            h = 31 * h + Arrays.deepHashCode(neurons.get(lang));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("NeuronSet[" + method + ", " + layers + " x " + neuronsPerLayer + ":");
        languages.forEach(lang -> b.append(' ').append(lang).append('=').append(count(lang)));
        return b.append(']').toString();
    }
}
