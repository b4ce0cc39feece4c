package org.langneurons.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The weights of a Hugging Face checkpoint directory: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}. Tensors are looked up by their Hugging Face names, shape-checked, and read
 * memory-mapped onto a device one at a time; {@link #requireAllUsed} then rejects tensors the model did not use.
 *
 * <pre>{@code
 * try (CheckpointWeights weights = CheckpointWeights.open(Path.of("Llama-3.1-8B"))) {
 *     System.out.println(weights.storedDtypes());   // [BF16]
 *     NDArray norm = weights.read("model.norm.weight", new Shape(4096), "hidden_size", manager, DataType.FLOAT32);
 * }
 * }</pre>
 */
public final class CheckpointWeights implements AutoCloseable {
    private final Path directory;
    /** model.safetensors, or model.safetensors.index.json: the file that lists the tensors, for error messages. */
    private final Path source;
    private final Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
    private final List<SafetensorsFile> files;
    private final Set<String> used = new LinkedHashSet<>();
    private long elementsRead;

    private CheckpointWeights(Path directory, Path source, Map<String, SafetensorsFile> fileOf,
            List<SafetensorsFile> files) {
        this.directory = directory;
        this.source = source;
        this.fileOf.putAll(fileOf);
        this.files = files;
    }

    /** Opens the weights of {@code directory}, checking every file's header and the index's file names. */
    public static CheckpointWeights open(Path directory) {
        Path single = directory.resolve("model.safetensors");
        Path index = directory.resolve("model.safetensors.index.json");
        if (Files.isRegularFile(index)) {
            return openSharded(directory, index);
        }
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            file.entries().keySet().forEach(name -> fileOf.put(name, file));
            return new CheckpointWeights(directory, single, fileOf, List.of(file));
        }
        String hint = Files.exists(directory.resolve("pytorch_model.bin"))
                ? " (pytorch_model.bin is not read: convert it to safetensors)" : "";
        throw new CheckpointException(directory, "no model.safetensors or model.safetensors.index.json" + hint);
    }

    private static CheckpointWeights openSharded(Path directory, Path index) {
        JsonObject weightMap;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(index));
            if (!root.isJsonObject() || !root.getAsJsonObject().has("weight_map")
                    || !root.getAsJsonObject().get("weight_map").isJsonObject()) {
                throw new CheckpointException(index, "expected an object with a \"weight_map\" object");
            }
            weightMap = root.getAsJsonObject().getAsJsonObject("weight_map");
        } catch (IOException e) {
            throw new CheckpointException(index, "cannot be read: " + e, e);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(index, "is not valid JSON: " + StrictJson.syntaxError(e), e);
        }
        Map<String, SafetensorsFile> byShard = new LinkedHashMap<>();
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : weightMap.entrySet()) {
                String shardName = e.getValue().getAsString();
                Path shard = directory.resolve(shardName).normalize();
                if (!shard.startsWith(directory.normalize()) || !Files.isRegularFile(shard)) {
                    throw new CheckpointException(index, "tensor '" + e.getKey() + "' maps to shard '" + shardName
                            + "', which is not a file in " + directory);
                }
                SafetensorsFile file = byShard.computeIfAbsent(shardName, n -> SafetensorsFile.open(shard));
                if (!file.entries().containsKey(e.getKey())) {
                    throw new CheckpointException(shard, "tensor '" + e.getKey()
                            + "' is listed in model.safetensors.index.json but not stored in this shard");
                }
                fileOf.put(e.getKey(), file);
            }
        } catch (RuntimeException e) {
            byShard.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new CheckpointWeights(directory, index, fileOf, List.copyOf(byShard.values()));
    }

    /** The checkpoint directory. */
    public Path directory() {
        return directory;
    }

    /** The names of every stored tensor, in the order the files list them. */
    public Set<String> names() {
        return java.util.Collections.unmodifiableSet(fileOf.keySet());
    }

    /** The stored shape of tensor {@code name}. */
    public Shape shape(String name) {
        SafetensorsFile file = fileOf.get(name);
        if (file == null) {
            throw new CheckpointException(source, "tensor '" + name + "' is missing");
        }
        return file.entry(name).djlShape();
    }

    /** Whether a tensor of this name is stored. */
    public boolean contains(String name) {
        return fileOf.containsKey(name);
    }

    /** The dtypes stored, e.g. {@code [BF16]}. */
    public Set<String> storedDtypes() {
        return files.stream().flatMap(f -> f.entries().values().stream()).map(SafetensorsFile.Entry::dtype)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Reads tensor {@code name} onto {@code manager}'s device as {@code dtype}, after checking that it exists and has
     * exactly {@code expected} shape.
     *
     * @param why which config fields the expected shape comes from, for the error message
     */
    public NDArray read(String name, Shape expected, String why, NDManager manager, DataType dtype) {
        SafetensorsFile file = fileOf.get(name);
        if (file == null) {
            throw new CheckpointException(source, "tensor '" + name + "' is missing (expected shape "
                    + expected + " from " + why + ")");
        }
        SafetensorsFile.Entry entry = file.entry(name);
        if (!Arrays.equals(entry.shape(), expected.getShape())) {
            throw new CheckpointException(file.path(), "tensor '" + name + "' has shape "
                    + Arrays.toString(entry.shape()) + ", expected " + Arrays.toString(expected.getShape())
                    + " (from " + why + ")");
        }
        if (used.add(name)) {
            elementsRead += entry.numel();
        }
        NDArray array = file.read(name, manager, dtype);
        warnIfNaN(file, name, array);
        return array;
    }

    /** NaN weights load (the file is well formed) but poison every output: say which tensor holds them. */
    private void warnIfNaN(SafetensorsFile file, String name, NDArray array) {
        long nan;
        try (NDArray mask = array.isNaN(); NDArray count = mask.countNonzero()) {
            nan = count.getLong();
        }
        if (nan > 0) {
            String warning = file.path() + ": tensor '" + name + "' holds " + nan + " NaN value(s)";
            warnings.add(warning);
            System.err.println("warning: " + warning);
        }
    }

    /** Warnings about the weights read so far (NaN values), each naming the file and tensor. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private final List<String> warnings = new java.util.ArrayList<>();

    /** Elements of the distinct tensors read so far: the parameter count once a model is loaded. */
    public long elementsRead() {
        return elementsRead;
    }

    /**
     * Fails when a stored tensor was not read, unless {@code ignorable} accepts its name (e.g. rotary buffers); a
     * checkpoint with tensors the model does not use is not the model the config describes.
     */
    public void requireAllUsed(Predicate<String> ignorable) {
        List<String> unused = fileOf.keySet().stream().filter(n -> !used.contains(n) && !ignorable.test(n)).toList();
        if (!unused.isEmpty()) {
            throw new CheckpointException(source, unused.size() + " stored tensor(s) are not part of the model"
                    + " config.json describes, e.g. " + unused.subList(0, Math.min(5, unused.size())));
        }
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
