package org.langneurons.neurons;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.TorchFile;
import org.langneurons.io.TorchFileWriter;
import org.langneurons.stats.ActivationCounts;
import org.langneurons.stats.NeuronGrid;

/**
 * The files of Tang et al.'s published code, read with the restricted {@link TorchFile} reader (no code runs):
 * <ul>
 * <li>activation files ({@code activation.py}): {@code {"n": int, "over_zero": int32 tensor [L, I]}}, one per
 *     language;</li>
 * <li>neuron masks ({@code identify.py}, the published {@code *.neuron.pth}): a list over languages of lists over
 *     layers of int64 index tensors. The files do not name their languages (the caller gives them, in order), and
 *     trailing languages without neurons are missing from them ({@code identify.py} splits by a bincount): only
 *     when the caller allows it do they get empty lists here.</li>
 * </ul>
 * and writes neuron sets in the mask format ({@link #writeMasks}), for Tang et al.'s {@code generation.py} and
 * {@code ppl.py}.
 *
 * <pre>{@code
 * NeuronSet tang = TangFiles.readMasks(Path.of("LLaMA-2-7B.neuron.pth"),
 *         List.of("en", "zh", "fr", "es", "vi", "id", "ja"), 11008);
 * }</pre>
 */
public final class TangFiles {
    private TangFiles() {
    }

    /** The languages of the published seven-language masks, in the order of their lists. */
    public static final List<String> PUBLISHED_LANGUAGES = List.of("en", "zh", "fr", "es", "vi", "id", "ja");

    /**
     * The models of the published masks ({@code NAME.neuron.pth}) and their neurons per layer: LLaMA-2 7B, 13B, 70B
     * and Mistral-7B.
     */
    public static final Map<String, Integer> PUBLISHED_MODELS = publishedModels();

    private static Map<String, Integer> publishedModels() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("LLaMA-2-7B", 11008);
        m.put("LLaMA-2-13B", 13824);
        m.put("LLaMA-2-70B", 28672);
        m.put("Mistral-7B", 14336);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The published masks found in {@code dir} ({@code NAME.neuron.pth} of {@link #PUBLISHED_MODELS}), by model
     * name in that order; models whose file is not there are left out. Files lacking trailing languages (70B and
     * Mistral hold six lists: ja has no neurons) get empty ones.
     */
    public static Map<String, NeuronSet> readPublished(Path dir) {
        Map<String, NeuronSet> out = new LinkedHashMap<>();
        PUBLISHED_MODELS.forEach((name, perLayer) -> {
            Path file = dir.resolve(name + ".neuron.pth");
            if (java.nio.file.Files.isRegularFile(file)) {
                out.put(name, readMasks(file, PUBLISHED_LANGUAGES, perLayer, true));  // 70B and Mistral lack ja
            }
        });
        return out;
    }

    /**
     * Reads a mask file as a neuron set of {@code languages} over neurons per layer {@code neuronsPerLayer}; the file
     * must hold exactly that many languages.
     */
    public static NeuronSet readMasks(Path file, List<String> languages, int neuronsPerLayer) {
        return readMasks(file, languages, neuronsPerLayer, false);
    }

    /**
     * Reads a mask file as {@link #readMasks(Path, List, int)} does; with {@code trailingEmpty}, languages past the
     * file's end get no neurons (trailing languages {@code identify.py} found no neurons for are missing from it).
     *
     * <pre>{@code
     * NeuronSet s = TangFiles.readMasks(Path.of("masks.pth"), List.of("en", "fr", "zh"), 5, true);
     * }</pre>
     */
    public static NeuronSet readMasks(Path file, List<String> languages, int neuronsPerLayer, boolean trailingEmpty) {
        if (neuronsPerLayer < 1) {
            throw new IllegalArgumentException("neurons per layer must be >= 1, got " + neuronsPerLayer);
        }
        Object o = TorchFile.read(file);
        if (!(o instanceof List<?> perLanguage)) {
            throw new CheckpointException(file, "holds " + describe(o) + ", expected a list over languages of lists "
                    + "over layers of index tensors");
        }
        if (perLanguage.size() > languages.size()) {
            throw new CheckpointException(file, "holds " + perLanguage.size() + " languages' neurons but "
                    + languages.size() + " languages were named " + languages);
        }
        if (perLanguage.size() < languages.size() && !trailingEmpty) {
            throw new CheckpointException(file, "holds " + perLanguage.size() + " languages' neurons but "
                    + languages.size() + " languages were named " + languages + ": name the file's languages, or "
                    + "allow trailing languages without neurons (--trailing-empty)");
        }
        int layers = -1;
        Map<String, int[][]> neurons = new LinkedHashMap<>();
        for (int k = 0; k < perLanguage.size(); k++) {
            if (!(perLanguage.get(k) instanceof List<?> perLayer)) {
                throw new CheckpointException(file, "language " + k + " (" + languages.get(k) + ") holds "
                        + describe(perLanguage.get(k)) + ", expected a list over layers");
            }
            if (layers >= 0 && perLayer.size() != layers) {
                throw new CheckpointException(file, "language " + k + " has " + perLayer.size() + " layers, language 0 "
                        + layers);
            }
            layers = perLayer.size();
            int[][] idx = new int[layers][];
            for (int l = 0; l < layers; l++) {
                if (!(perLayer.get(l) instanceof TorchFile.Tensor t) || t.longs() == null) {
                    throw new CheckpointException(file, "language " + k + ", layer " + l + " holds "
                            + describe(perLayer.get(l)) + ", expected an integer tensor of neuron indices");
                }
                idx[l] = Arrays.stream(t.asLongs()).mapToInt(v -> {
                    if (v < 0 || v >= neuronsPerLayer) {
                        throw new CheckpointException(file, "neuron index " + v + " is outside [0, " + neuronsPerLayer
                                + "): is the number of neurons per layer right?");
                    }
                    return (int) v;
                }).sorted().distinct().toArray();
            }
            neurons.put(languages.get(k), idx);
        }
        if (layers < 1) {
            throw new CheckpointException(file, "holds no layer");
        }
        for (String lang : languages.subList(perLanguage.size(), languages.size())) {
            neurons.put(lang, new int[layers][0]);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("source", file.getFileName().toString());
        settings.put("languages_in_file", perLanguage.size());
        return new NeuronSet("tang-masks", settings, languages, layers, neuronsPerLayer, neurons);
    }

    /**
     * Writes {@code languages} of {@code set} (in that order) as a Tang et al. mask file: a {@code torch.save} list
     * over languages of lists over layers of ascending int64 index tensors, which {@code torch.load} reads (also with
     * {@code weights_only=True}). Their scripts take the lists as en, zh, fr, es, vi, id, ja in that order
     * ({@link #PUBLISHED_LANGUAGES}). Unlike {@code identify.py}, a language without neurons is written (as empty
     * tensors), not dropped, so positions always match the languages.
     *
     * <pre>{@code
     * NeuronSet lape = NeuronSet.load(Path.of("lape.json"));
     * TangFiles.writeMasks(lape, List.of("en", "fr"), Path.of("lape.neuron.pth"));
     * }</pre>
     *
     * @throws IllegalArgumentException naming a language the set does not have
     */
    public static void writeMasks(NeuronSet set, List<String> languages, Path file) {
        List<Object> perLanguage = new ArrayList<>();
        for (String lang : languages) {
            if (!set.languages().contains(lang)) {
                throw new IllegalArgumentException("language " + lang + " is not in the neuron set (it has "
                        + set.languages() + ")");
            }
            List<Object> perLayer = new ArrayList<>();
            for (int l = 0; l < set.layers(); l++) {
                long[] idx = Arrays.stream(set.neurons(lang, l)).asLongStream().toArray();
                perLayer.add(new TorchFile.Tensor("LongStorage", new long[] {idx.length}, idx, null));
            }
            perLanguage.add(perLayer);
        }
        TorchFileWriter.write(file, perLanguage);
    }

    /** Reads one activation file as the counts of {@code language}. */
    public static ActivationCounts readActivations(Path file, String language) {
        Object o = TorchFile.read(file);
        if (!(o instanceof Map<?, ?> m) || !m.containsKey("n") || !m.containsKey("over_zero")) {
            throw new CheckpointException(file, "holds " + describe(o) + ", expected a dict with keys n and "
                    + "over_zero (an activation file of Tang et al.'s activation.py)");
        }
        if (!(m.get("n") instanceof Number n)) {
            throw new CheckpointException(file, "field n holds " + describe(m.get("n")) + ", expected an integer");
        }
        if (!(m.get("over_zero") instanceof TorchFile.Tensor t) || t.longs() == null || t.shape().length != 2) {
            throw new CheckpointException(file, "field over_zero holds " + describe(m.get("over_zero"))
                    + ", expected an integer tensor [layers, neurons]");
        }
        try {
            return new ActivationCounts(language, n.longValue(),
                    NeuronGrid.ofLongs((int) t.shape()[0], (int) t.shape()[1], t.asLongs()));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
    }

    /** Reads one activation file per language, in order. */
    public static List<ActivationCounts> readActivations(List<Path> files, List<String> languages) {
        if (files.size() != languages.size()) {
            throw new IllegalArgumentException(files.size() + " activation files for " + languages.size()
                    + " languages " + languages + ": give one file per language, in the same order");
        }
        List<ActivationCounts> out = new ArrayList<>();
        for (int k = 0; k < files.size(); k++) {
            out.add(readActivations(files.get(k), languages.get(k)));
        }
        return out;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof List<?> l) {
            return "a list of " + l.size();
        }
        if (o instanceof Map<?, ?> m) {
            return "a dict with keys " + m.keySet();
        }
        return o instanceof TorchFile.Tensor t ? t.toString() : "a " + o.getClass().getSimpleName();
    }
}
