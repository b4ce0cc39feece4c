package org.langneurons.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.SafetensorsFile;
import org.langneurons.io.SafetensorsWriter;
import org.langneurons.model.Architecture;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Projection;
import org.langneurons.report.JsonFiles;
import org.langneurons.model.Scalars;

/**
 * LoRA on a frozen model: for each targeted projection of every layer, {@code y = x W^T + (alpha / r) x A^T B^T},
 * with A [r, in] drawn as PEFT does (uniform in +-1/sqrt(in), Kaiming's bound for a = sqrt(5)) and B [out, r] zero, so
 * a new adapter changes nothing. With a {@link GateMask}, the gate projection's update is Mondal et al.'s
 * {@code A (B * M)}: the output rows of frozen neurons get exactly zero, so their pre-activations (given the same
 * input), their merged weight rows and B's rows (zero gradient) stay bit for bit what they were.
 *
 * <p>Saved in PEFT's layout: {@code adapter_config.json} and {@code adapter_model.safetensors} with keys
 * {@code base_model.model.<module>.lora_A.weight} / {@code lora_B.weight} (B stored already masked, so PEFT runs it
 * unchanged), plus {@code neuron_mask.json} when masked. An adapter trained with PEFT loads here too.
 *
 * <pre>{@code
 * try (LanguageModel model = LanguageModel.defaultModel();
 *         LoraAdapter lora = LoraAdapter.create(model, LoraConfig.mondalXnli(), null, 7)) {
 *     lora.attach();                        // the model's forwards now include the adapter
 *     lora.save(Path.of("adapter"), Map.of(), "CAUSAL_LM", List.of());
 *     lora.detach();
 * }
 * }</pre>
 */
public final class LoraAdapter implements AutoCloseable {
    /** PEFT's prefix of every saved key: the PeftModel's {@code base_model.model}. */
    public static final String KEY_PREFIX = "base_model.model.";
    /** The adapter files, as PEFT names them. */
    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    public static final String MASK_FILE = "neuron_mask.json";

    private final LanguageModel model;
    private final LoraConfig config;
    private final List<String> targets;
    private final GateMask mask;
    private final NDManager manager;
    /** A and B of every (layer, target), by PEFT key, in layer then forward order. */
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    /** [out] 1/0 rows of the gate per layer when masked. */
    private final NDArray[] gateRows;
    private boolean training;
    private boolean attached;

    private LoraAdapter(LanguageModel model, LoraConfig config, GateMask mask) {
        this.model = model;
        this.config = config;
        this.targets = config.targetsFor(model.config().architecture());
        this.mask = mask;
        this.manager = model.manager().newSubManager();
        this.gateRows = new NDArray[model.config().layers()];
    }

    /**
     * A new adapter for {@code model}: A seeded, B zero.
     *
     * @param mask the gate's trainable neurons, or null for none masked (a mask of all neurons is the same); with a
     *             mask, {@code gate} is added to the targets when missing
     */
    public static LoraAdapter create(LanguageModel model, LoraConfig config, GateMask mask, long seed) {
        // a mask of every neuron is a plain gate LoRA: nothing to multiply, nothing to save beside it
        mask = mask != null && mask.isAll() ? null : mask;
        LoraConfig c = mask == null || config.targetsFor(model.config().architecture()).contains("gate") ? config
                : config.withTargets(concat(config.targets(), "gate"));
        LoraAdapter adapter = new LoraAdapter(model, c, mask);
        try {
            Random random = new Random(seed);
            adapter.forEachTarget((layer, target, p) -> {
                int in = (int) p.inFeatures();
                float bound = (float) (1 / Math.sqrt(in));
                float[] a = new float[c.rank() * in];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (random.nextFloat() * 2 - 1) * bound;
                }
                adapter.put(layer, target, adapter.manager.create(a, new Shape(c.rank(), in)),
                        adapter.manager.zeros(new Shape(p.outFeatures(), c.rank())));
            });
            adapter.prepareMask();
            return adapter;
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
    }

    private static List<String> concat(List<String> list, String extra) {
        List<String> out = new ArrayList<>(list);
        out.add(extra);
        return out;
    }

    private interface TargetVisitor {
        void visit(int layer, String target, Projection projection);
    }

    private void forEachTarget(TargetVisitor visitor) {
        for (int l = 0; l < model.config().layers(); l++) {
            for (String t : targets) {
                visitor.visit(l, t, model.projection(l, t));
            }
        }
    }

    /** The PEFT key of A ({@code "lora_A"}) or B ({@code "lora_B"}) of a target. */
    public String key(int layer, String target, String which) {
        return KEY_PREFIX + model.config().architecture().modulePath(layer, target) + "." + which + ".weight";
    }

    /** Stores copies in the model's dtype: arrays read from a file may share its read-only mapping. */
    private void put(int layer, String target, NDArray a, NDArray b) {
        DataType dtype = model.dtype();
        parameters.put(key(layer, target, "lora_A"), a.getDataType() == dtype ? a.duplicate() : a.toType(dtype, false));
        parameters.put(key(layer, target, "lora_B"), b.getDataType() == dtype ? b.duplicate() : b.toType(dtype, false));
    }

    private void prepareMask() {
        if (mask == null) {
            return;
        }
        int layers = model.config().layers();
        long neurons = model.projection(0, "gate").outFeatures();
        if (mask.layers() != layers || mask.neuronsPerLayer() != neurons) {
            throw new IllegalArgumentException("the neuron mask is " + mask.layers() + " x " + mask.neuronsPerLayer()
                    + " but the model's gate projections are " + layers + " x " + neurons);
        }
        if (mask.isAll()) {
            return;
        }
        for (int l = 0; l < layers; l++) {
            gateRows[l] = manager.create(mask.rowMask(l)).toType(model.dtype(), false);
            // B is stored masked: a frozen row is zero from the start and its gradient is zero
            NDArray b = parameters.get(key(l, "gate", "lora_B"));
            b.muli(gateRows[l].reshape(-1, 1));
        }
    }

    /** The settings (targets as the architecture names them). */
    public LoraConfig config() {
        return config.withTargets(targets);
    }

    /** The gate's neuron mask, or null. */
    public GateMask mask() {
        return mask;
    }

    /** A and B of every target by PEFT key: the trainable parameters (live arrays). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Trainable parameter count. */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(NDArray::size).sum();
    }

    /** Dropout on (training) or off (evaluation, the default). */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /** Adds the adapter to the model's projections (a no-op when attached). */
    public LoraAdapter attach() {
        if (!attached) {
            forEachTarget((layer, target, p) -> model.setAdapter(layer, target, delta(layer, target)));
            attached = true;
        }
        return this;
    }

    /** Removes the adapter from the model's projections. */
    public void detach() {
        if (attached) {
            forEachTarget((layer, target, p) -> model.setAdapter(layer, target, null));
            attached = false;
        }
    }

    private Projection.Adapter delta(int layer, String target) {
        NDArray a = parameters.get(key(layer, target, "lora_A"));
        NDArray b = parameters.get(key(layer, target, "lora_B"));
        NDArray rows = target.equals("gate") ? gateRows[layer] : null;
        float scaling = (float) config.scaling();
        return x -> {
            NDArray in = training && config.dropout() > 0
                    ? Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow() : x;
            // results land on x's manager (the forward's scope); B's frozen rows are multiplied out of the output
            // instead of B (the same floats: a row times 1 is itself, times 0 is 0) so nothing lands on ours
            NDArray out = Linear.linear(Linear.linear(in, a).singletonOrThrow(), b).singletonOrThrow();
            if (rows != null) {
                out = out.mul(rows);
            }
            return Scalars.mul(out, scaling);
        };
    }

    /** The update of one target's weight, {@code scaling * (B * M) A}, [out, in] float32 on {@code out}. */
    public NDArray weightDelta(int layer, String target, NDManager out) {
        NDArray a = parameters.get(key(layer, target, "lora_A"));
        NDArray b = parameters.get(key(layer, target, "lora_B"));
        if (a == null) {
            throw new IllegalArgumentException("the adapter has no target '" + target + "' (it has " + targets + ")");
        }
        try (NDManager scope = out.newSubManager()) {
            NDArray bf = b.toType(DataType.FLOAT32, true);
            bf.attach(scope);
            NDArray rows = target.equals("gate") ? gateRows[layer] : null;
            if (rows != null) {
                bf = bf.mul(rows.toType(DataType.FLOAT32, false).reshape(-1, 1));
            }
            NDArray delta = Scalars.mul(bf.matMul(a.toType(DataType.FLOAT32, true)), (float) config.scaling());
            delta.attach(out);
            return delta;
        }
    }

    /**
     * The merged weights {@code W + scaling (B * M) A} of every target by Hugging Face tensor name (float32, on
     * {@code out}): what {@link MergedCheckpoint} writes in place of the base's.
     */
    public Map<String, NDArray> mergedWeights(NDManager out) {
        Map<String, NDArray> merged = new LinkedHashMap<>();
        forEachTarget((layer, target, p) -> {
            NDArray delta = weightDelta(layer, target, out);
            NDArray w = p.weight().toType(DataType.FLOAT32, true);
            w.attach(out);
            merged.put(model.config().architecture().modulePath(layer, target) + ".weight", w.add(delta));
            w.close();
            delta.close();
        });
        return merged;
    }

    /**
     * What a masked gate update did, checked on the merged weights: neurons frozen by the mask (all must be
     * unchanged bit for bit) and trainable ones (how many moved).
     *
     * @param frozen           frozen neurons over all layers
     * @param frozenChanged    frozen neurons whose merged gate row differs from the model's in any bit (0 expected)
     * @param trainable        trainable neurons
     * @param trainableChanged trainable neurons whose row moved
     */
    public record MaskCheck(int frozen, int frozenChanged, int trainable, int trainableChanged) {
    }

    /** Compares every gate row of the merged weights with the model's; without a mask, every neuron is trainable. */
    public MaskCheck checkMask() {
        int frozen = 0, frozenChanged = 0, trainable = 0, trainableChanged = 0;
        if (!targets.contains("gate")) {
            return new MaskCheck(0, 0, 0, 0);
        }
        try (NDManager scope = manager.newSubManager()) {
            for (int l = 0; l < model.config().layers(); l++) {
                Projection p = model.projection(l, "gate");
                NDArray base = p.weight().toType(DataType.FLOAT32, true);
                base.attach(scope);
                NDArray merged = base.add(weightDelta(l, "gate", scope));
                // a row is unchanged when every element's bits are: compare the raw int views
                boolean[] same = rowsEqual(base, merged);
                float[] m = mask == null ? null : mask.rowMask(l);
                for (int n = 0; n < same.length; n++) {
                    boolean isTrainable = m == null || m[n] == 1f;
                    if (isTrainable) {
                        trainable++;
                        trainableChanged += same[n] ? 0 : 1;
                    } else {
                        frozen++;
                        frozenChanged += same[n] ? 0 : 1;
                    }
                }
            }
        }
        return new MaskCheck(frozen, frozenChanged, trainable, trainableChanged);
    }

    private static boolean[] rowsEqual(NDArray a, NDArray b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        int rows = (int) a.getShape().get(0), cols = (int) a.getShape().get(1);
        boolean[] out = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            boolean same = true;
            for (int c = 0; c < cols && same; c++) {
                same = Float.floatToIntBits(x[r * cols + c]) == Float.floatToIntBits(y[r * cols + c]);
            }
            out[r] = same;
        }
        return out;
    }

    // ---- PEFT layout ----

    /**
     * Writes the adapter in PEFT's layout into {@code dir}: {@code adapter_config.json},
     * {@code adapter_model.safetensors} (float32; {@code extra} tensors, e.g. a classification head's
     * {@code base_model.model.score.weight}, stored beside the LoRA weights), and {@code neuron_mask.json} when masked.
     *
     * @param taskType      PEFT's task type: {@code CAUSAL_LM} or {@code SEQ_CLS}
     * @param modulesToSave PEFT's {@code modules_to_save} (e.g. {@code ["score"]}), or empty
     */
    public void save(Path dir, Map<String, NDArray> extra, String taskType, List<String> modulesToSave) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot create the adapter directory: " + e, e);
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>(parameters);
        tensors.putAll(extra);
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of());
        Architecture arch = model.config().architecture();
        JsonObject c = new JsonObject();
        c.addProperty("peft_type", "LORA");
        c.addProperty("task_type", taskType);
        c.addProperty("r", config.rank());
        c.addProperty("lora_alpha", config.alpha());
        c.addProperty("lora_dropout", config.dropout());
        JsonArray modules = new JsonArray();
        targets.forEach(t -> modules.add(arch.moduleLeaf(t)));
        c.add("target_modules", modules);
        c.addProperty("bias", "none");
        c.addProperty("fan_in_fan_out", false);
        c.addProperty("use_rslora", false);
        c.addProperty("inference_mode", true);
        if (modulesToSave.isEmpty()) {
            c.add("modules_to_save", null);
        } else {
            JsonArray save = new JsonArray();
            modulesToSave.forEach(save::add);
            c.add("modules_to_save", save);
        }
        c.addProperty("base_model_name_or_path", model.directory() == null ? null : model.directory().toString());
        JsonFiles.write(dir.resolve(CONFIG_FILE), c);
        try {
            Files.deleteIfExists(dir.resolve(MASK_FILE));
        } catch (IOException e) {
            throw new CheckpointException(dir.resolve(MASK_FILE), "cannot replace: " + e, e);
        }
        if (mask != null) {
            mask.save(dir.resolve(MASK_FILE));
        }
    }

    /**
     * Loads an adapter in PEFT's layout (ours or PEFT's own) for {@code model}; {@code neuron_mask.json} beside it,
     * when present, masks the gate. Keys of {@code modules_to_save} modules (a task head) are left to their reader;
     * any other unknown key, a missing one or a wrong shape is an error naming the file and the tensor.
     */
    public static LoraAdapter load(Path dir, LanguageModel model) {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weights)) {
            throw new CheckpointException(dir, "is not a PEFT adapter directory: it needs " + CONFIG_FILE + " and "
                    + WEIGHTS_FILE + (Files.isRegularFile(dir.resolve("adapter_model.bin"))
                    ? " (adapter_model.bin is not read: save with safe_serialization=True)" : ""));
        }
        PeftConfig peft = PeftConfig.read(configFile, model.config().architecture());
        GateMask mask = Files.isRegularFile(dir.resolve(MASK_FILE)) ? GateMask.load(dir.resolve(MASK_FILE)) : null;
        LoraAdapter adapter = new LoraAdapter(model, peft.lora(), mask);
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            Set<String> expected = new java.util.HashSet<>();
            adapter.forEachTarget((layer, target, p) -> {
                String ka = adapter.key(layer, target, "lora_A");
                String kb = adapter.key(layer, target, "lora_B");
                expected.add(ka);
                expected.add(kb);
                NDArray a = read(file, ka, new long[] {peft.lora().rank(), p.inFeatures()}, adapter.manager);
                NDArray b = read(file, kb, new long[] {p.outFeatures(), peft.lora().rank()}, adapter.manager);
                adapter.put(layer, target, a, b);
            });
            for (String name : file.entries().keySet()) {
                if (!expected.contains(name) && !peft.isModuleToSave(name)) {
                    throw new CheckpointException(weights, "tensor '" + name + "' is not a LoRA weight of the targets "
                            + peft.lora().targets() + " of this " + model.config().architecture() + " model with "
                            + model.config().layers() + " layers, nor of modules_to_save " + peft.modulesToSave());
                }
            }
            adapter.prepareMask();
            return adapter;
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
    }

    private static NDArray read(SafetensorsFile file, String name, long[] shape, NDManager manager) {
        SafetensorsFile.Entry entry = file.entries().get(name);
        if (entry == null) {
            throw new CheckpointException(file.path(), "tensor '" + name + "' is missing (expected shape "
                    + Arrays.toString(shape) + ")");
        }
        if (!Arrays.equals(entry.shape(), shape)) {
            throw new CheckpointException(file.path(), "tensor '" + name + "' has shape "
                    + Arrays.toString(entry.shape()) + ", expected " + Arrays.toString(shape) + " ([r, in] for lora_A,"
                    + " [out, r] for lora_B)");
        }
        return file.read(name, manager, DataType.FLOAT32);
    }

    /**
     * What of a PEFT {@code adapter_config.json} this library uses, checked: LoRA settings, and the modules saved
     * whole beside it (a task head).
     *
     * @param lora          rank, alpha, dropout and targets by short name
     * @param taskType      PEFT's task_type, or null
     * @param modulesToSave module names saved whole, e.g. {@code score}
     */
    public record PeftConfig(LoraConfig lora, String taskType, List<String> modulesToSave) {

        /** Whether {@code key} of adapter_model.safetensors belongs to one of the modules saved whole. */
        public boolean isModuleToSave(String key) {
            String name = key.startsWith(KEY_PREFIX) ? key.substring(KEY_PREFIX.length()) : key;
            return modulesToSave.stream().anyMatch(m -> name.equals(m + ".weight") || name.equals(m + ".bias")
                    || name.startsWith(m + "."));
        }

        /** Reads and checks {@code adapter_config.json}; errors name the file and the field. */
        public static PeftConfig read(Path file, Architecture architecture) {
            JsonObject c;
            try {
                c = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException(file, "is not a readable JSON object: " + e.getMessage(), e);
            }
            try {
                String type = string(c, "peft_type");
                if (!"LORA".equals(type)) {
                    throw new IllegalArgumentException("field 'peft_type' is " + type + "; only LORA is supported");
                }
                if (c.has("fan_in_fan_out") && !c.get("fan_in_fan_out").isJsonNull()
                        && c.get("fan_in_fan_out").getAsBoolean()) {
                    throw new IllegalArgumentException("field 'fan_in_fan_out' is true (GPT-2 Conv1D layout), which no"
                            + " supported architecture uses");
                }
                for (String unsupported : List.of("use_rslora", "use_dora")) {
                    if (c.has(unsupported) && !c.get(unsupported).isJsonNull()
                            && c.get(unsupported).getAsBoolean()) {
                        throw new IllegalArgumentException("field '" + unsupported + "' is true: not supported");
                    }
                }
                for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
                    if (c.has(pattern) && c.get(pattern).isJsonObject() && c.getAsJsonObject(pattern).size() > 0) {
                        throw new IllegalArgumentException("field '" + pattern + "' sets per-module values: not"
                                + " supported");
                    }
                }
                if (c.has("layers_to_transform") && !c.get("layers_to_transform").isJsonNull()) {
                    throw new IllegalArgumentException("field 'layers_to_transform' limits the layers: not supported"
                            + " (every layer is adapted)");
                }
                if (c.has("bias") && !c.get("bias").isJsonNull() && !"none".equals(c.get("bias").getAsString())) {
                    throw new IllegalArgumentException("field 'bias' is " + c.get("bias") + ": only \"none\" is"
                            + " supported");
                }
                int r = c.get("r").getAsInt();
                double alpha = c.has("lora_alpha") ? c.get("lora_alpha").getAsDouble() : 8;
                double dropout = c.has("lora_dropout") && !c.get("lora_dropout").isJsonNull()
                        ? c.get("lora_dropout").getAsDouble() : 0;
                List<String> leaves = new ArrayList<>();
                JsonElement t = c.get("target_modules");
                if (t == null || t.isJsonNull()) {
                    throw new IllegalArgumentException("field 'target_modules' is missing");
                }
                if (t.isJsonArray()) {
                    t.getAsJsonArray().forEach(e -> leaves.add(e.getAsString()));
                } else {
                    throw new IllegalArgumentException("field 'target_modules' must be a list of module names (a"
                            + " regular expression is not supported), got " + t);
                }
                List<String> targets = new ArrayList<>();
                for (String leaf : leaves) {
                    String shortName = architecture.projectionNames().stream()
                            .filter(n -> architecture.moduleLeaf(n).equals(leaf)).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("field 'target_modules' names '" + leaf
                                    + "', not a projection of a " + architecture + " block (those are: "
                                    + architecture.projectionNames().stream().map(architecture::moduleLeaf).toList()
                                    + ")"));
                    targets.add(shortName);
                }
                // forward order, whatever order the file lists them in
                targets.sort(java.util.Comparator.comparingInt(architecture.projectionNames()::indexOf));
                List<String> save = new ArrayList<>();
                if (c.has("modules_to_save") && c.get("modules_to_save").isJsonArray()) {
                    c.getAsJsonArray("modules_to_save").forEach(e -> save.add(e.getAsString()));
                }
                String task = c.has("task_type") && !c.get("task_type").isJsonNull()
                        ? c.get("task_type").getAsString() : null;
                return new PeftConfig(new LoraConfig(r, alpha, dropout, targets), task, save);
            } catch (RuntimeException e) {
                throw new CheckpointException(file, e.getMessage(), e);
            }
        }

        private static String string(JsonObject c, String field) {
            if (!c.has(field) || c.get(field).isJsonNull()) {
                throw new IllegalArgumentException("field '" + field + "' is missing");
            }
            return c.get(field).getAsString();
        }
    }

    /** Detaches the adapter and frees its arrays. */
    @Override
    public void close() {
        detach();
        manager.close();
    }
}
