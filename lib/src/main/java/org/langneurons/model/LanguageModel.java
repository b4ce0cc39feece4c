package org.langneurons.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookName;
import org.langneurons.hooks.Hooks;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.CheckpointWeights;
import org.langneurons.io.TextTokenizer;

/**
 * A decoder-only language model loaded from a Hugging Face checkpoint directory, with named hook points on every
 * block. The one entry point for running a model: logits, hooks-only runs, token losses, perplexity and generation.
 *
 * <pre>{@code
 * try (LanguageModel model = LanguageModel.load(Path.of("Llama-3.1-8B"), LoadOptions.parse("gpu", "fp16"))) {
 *     System.out.println(model.describe());
 *     String text = model.generate("La capitale de la France est", GenerationConfig.greedy(20));
 *     try (HookHandle off = model.hooks().add(HookName.mlpAct(20), (name, act, ctx) -> act.mul(0))) {
 *         Perplexity ppl = model.perplexity(List.of(text), 512, 8);
 *     }
 * }
 * }</pre>
 */
public final class LanguageModel implements AutoCloseable {
    private final Path directory;
    private final ModelConfig config;
    private final LoadOptions options;
    private final NDManager manager;
    private final Decoder decoder;
    private final Hooks hooks;
    private final TextTokenizer tokenizer;
    private final Set<Long> eosIds;
    private final long parameters;
    private final Set<String> storedDtypes;

    private LanguageModel(Path directory, ModelConfig config, LoadOptions options, NDManager manager, Decoder decoder,
            TextTokenizer tokenizer, Set<Long> eosIds, long parameters, Set<String> storedDtypes) {
        this.directory = directory;
        this.config = config;
        this.options = options;
        this.manager = manager;
        this.decoder = decoder;
        this.hooks = new Hooks(config.layers(), config.architecture().hookPoints(),
                config.architecture()::missingHookPoint);
        this.tokenizer = tokenizer;
        this.eosIds = Set.copyOf(eosIds);
        this.parameters = parameters;
        this.storedDtypes = Set.copyOf(storedDtypes);
    }

    /** Classpath folder of the embedded default model. */
    static final String DEFAULT_MODEL = "org/langneurons/default/model";

    /**
     * The embedded default: a small multilingual Llama-architecture model trained by this library on its 16-language
     * corpus (see the README), in FP32 on the CPU.
     */
    public static LanguageModel defaultModel() {
        return defaultModel(LoadOptions.defaults());
    }

    /** The embedded default model with the given device and precision. */
    public static LanguageModel defaultModel(LoadOptions options) {
        return load(defaultModelDirectory(), options);
    }

    /** The folder the embedded default model is extracted to (done once per version of the model). */
    public static Path defaultModelDirectory() {
        return org.langneurons.io.EmbeddedResources.extract(DEFAULT_MODEL, "default-model");
    }

    /**
     * Opens {@code "default"} (the embedded default model) or a checkpoint directory: what notebooks' parameter cells
     * and the CLI's {@code --model} take.
     */
    public static LanguageModel open(String defaultOrDirectory, LoadOptions options) {
        if (defaultOrDirectory.equals("default") && !Files.exists(Path.of("default"))) {
            return defaultModel(options);
        }
        return load(Path.of(defaultOrDirectory), options);
    }

    /** Loads {@code directory} in FP32 on the CPU. */
    public static LanguageModel load(Path directory) {
        return load(directory, LoadOptions.defaults());
    }

    /**
     * Loads a checkpoint directory: config.json, model.safetensors (or its sharded index), and tokenizer.json and
     * generation_config.json when present.
     *
     * @throws CheckpointException naming the file, field or tensor when anything is missing or malformed
     */
    public static LanguageModel load(Path directory, LoadOptions options) {
        if (!Files.isDirectory(directory)) {
            throw new CheckpointException(directory, "not a directory (expected a Hugging Face checkpoint directory)");
        }
        TorchNatives.check();
        requireDevice(options.device());
        ModelConfig config = ModelConfig.read(directory);
        NDManager manager = NDManager.newBaseManager(options.device());
        try (CheckpointWeights weights = CheckpointWeights.open(directory)) {
            Decoder decoder = decoder(config, new CheckpointSource(weights, manager), manager, options.dtype());
            TextTokenizer tokenizer = Files.isRegularFile(directory.resolve("tokenizer.json"))
                    ? TextTokenizer.load(directory) : null;
            Set<Long> eos = new LinkedHashSet<>(config.eosTokenIds());
            eos.addAll(generationEos(directory.resolve("generation_config.json")));
            return new LanguageModel(directory, config, options, manager, decoder, tokenizer, eos,
                    weights.elementsRead(), weights.storedDtypes());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A model over weights already in memory, keyed by Hugging Face name (as a checkpoint would store them), e.g.
     * parameters being trained: the model uses these very arrays, so updates to them show in its outputs. The arrays
     * stay owned by the caller; closing the model frees only what it created.
     *
     * @param manager   the manager the arrays live on (its device is the model's)
     * @param tokenizer a tokenizer the model takes ownership of, or null
     */
    public static LanguageModel fromWeights(ModelConfig config, Map<String, NDArray> weights, NDManager manager,
            TextTokenizer tokenizer) {
        DataType dtype = weights.values().iterator().next().getDataType();
        LoadOptions options = new LoadOptions(manager.getDevice(), dtype);
        NDManager own = manager.newSubManager();
        try {
            Decoder decoder = decoder(config, new MemoryWeights(weights), own, dtype);
            long parameters = weights.entrySet().stream()
                    .filter(e -> !(config.tieEmbeddings() && e.getKey().equals("lm_head.weight")))
                    .mapToLong(e -> e.getValue().size()).sum();
            return new LanguageModel(null, config, options, own, decoder, tokenizer,
                    new LinkedHashSet<>(config.eosTokenIds()), parameters, Set.of(dtype.toString()));
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    private static Decoder decoder(ModelConfig config, WeightSource source, NDManager manager, DataType dtype) {
        return config.architecture() == Architecture.BLOOM ? BloomDecoder.load(config, source, manager, dtype)
                : LlamaFamilyDecoder.load(config, source, manager, dtype);
    }

    private static void requireDevice(Device device) {
        if (device.isGpu()) {
            int gpus = Engine.getInstance().getGpuCount();
            if (device.getDeviceId() >= gpus) {
                throw new IllegalArgumentException("device " + device + " requested, but DJL's PyTorch engine sees "
                        + gpus + " GPU(s): it loaded " + (gpus == 0 ? "CPU-only natives" : "CUDA natives")
                        + " (README, GPU: a CUDA libtorch in PYTORCH_LIBRARY_PATH with glue built by env/gpu-setup.sh,"
                        + " or DJL's own cu128 download on an online machine with PYTORCH_FLAVOR=cu128)");
            }
        }
    }

    private static List<Long> generationEos(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            List<Long> ids = new ArrayList<>();
            if (json.has("eos_token_id") && !json.get("eos_token_id").isJsonNull()) {
                var e = json.get("eos_token_id");
                if (e.isJsonArray()) {
                    e.getAsJsonArray().forEach(x -> ids.add(x.getAsLong()));
                } else {
                    ids.add(e.getAsLong());
                }
            }
            return ids;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "is not a valid generation config: " + e.getMessage(), e);
        }
    }

    /** The architecture hyper-parameters. */
    public ModelConfig config() {
        return config;
    }

    /** The hook registry: add hooks here, scoped by the returned handles. */
    public Hooks hooks() {
        return hooks;
    }

    /** The tokenizer, when the checkpoint has a tokenizer.json. */
    public Optional<TextTokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** The checkpoint directory (null for a model built {@link #fromWeights from weights in memory}). */
    public Path directory() {
        return directory;
    }

    /** The device the model runs on. */
    public Device device() {
        return options.device();
    }

    /** The compute dtype (FLOAT32 or FLOAT16). */
    public DataType dtype() {
        return options.dtype();
    }

    /** The manager that owns the weights; create input arrays on a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    /** Number of parameters (tied embeddings counted once). */
    public long parameterCount() {
        return parameters;
    }

    /** The dtypes of the tensors as stored on disk, e.g. {@code [BF16]}. */
    public Set<String> storedDtypes() {
        return storedDtypes;
    }

    /** The token ids that end a sequence (config.json and generation_config.json). */
    public Set<Long> eosTokenIds() {
        return eosIds;
    }

    /**
     * Two lines for a reader: the checkpoint directory, then the architecture and its sizes, e.g.
     * {@code LLAMA: 4 layers x 688 neurons, hidden size 256, vocabulary 4,096, 4,212,992 parameters, on cpu()}.
     */
    public String describe() {
        return String.format("%s%n%s: %d layers x %d neurons, hidden size %d, vocabulary %,d, %,d parameters, on %s",
                directory(), config.architecture(), config.layers(), config.neuronsPerLayer(), config.hiddenSize(),
                config.vocabSize(), parameterCount(), device());
    }

    /** The blocks, for the package's own use (an adapter's target projections, tests). */
    List<DecoderBlock> blocks() {
        return decoder.blocks;
    }

    // ---- forward ----

    /**
     * The state of one inference call on {@code scope}: [B, T] ids with a [B, S] mask, S = past + T; each block's
     * intermediates are freed when the block ends.
     */
    private ForwardPass pass(NDManager scope, long[] ids, long[] mask, int batch, int pastLength, int promptLength,
            KvCache cache) {
        return pass(scope, false, ids, mask, batch, pastLength, promptLength, cache);
    }

    /** The same, {@code differentiable} keeping every intermediate on scope for autograd's backward pass. */
    private ForwardPass pass(NDManager scope, boolean differentiable, long[] ids, long[] mask, int batch,
            int pastLength, int promptLength, KvCache cache) {
        return new ForwardPass(scope, differentiable, ids, mask, batch, pastLength, promptLength, cache, hooks,
                config.slidingWindow(), decoder.alibiSlopes());
    }

    /** Logits [B, T, vocab] float32 of a forward call, or [B, 1, vocab] for the last position only. */
    private NDArray forward(ForwardPass pass, boolean lastOnly) {
        NDArray residual = decoder.run(pass);
        if (lastOnly) {
            residual = residual.get(":, -1:, :");
        }
        return decoder.logits(decoder.finalNorm(residual));
    }

    /** One generation step for {@link Generator}: logits [B, 1, vocab] float32 of the last position, on scope. */
    NDArray lastLogits(NDManager scope, long[] ids, long[] mask, int batch, int pastLength, int promptLength,
            KvCache cache) {
        return forward(pass(scope, ids, mask, batch, pastLength, promptLength, cache), true);
    }

    /**
     * Logits of a batch: [B, T, vocab] float32 on {@code out}, in the batch's padded layout (rows of padding
     * positions are meaningless). Hooks run during the call.
     */
    public NDArray logits(TokenBatch batch, NDManager out) {
        batch.checkIds(config.vocabSize());
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = forward(pass(scope, batch.paddedIds(0), batch.mask(), batch.size(), 0, batch.width(),
                    null), false);
            logits.attach(out);
            return logits;
        }
    }

    /**
     * Runs the blocks on a batch for what the hooks see, and nothing after them (no final norm, no LM head): as
     * TransformerLens's {@code run_with_hooks}, the cheapest forward for activation statistics. Everything it makes
     * is freed before it returns; hooks keep what they need (see {@code ActivationCache}).
     *
     * <pre>{@code
     * try (ActivationCache cache = ActivationCache.record(model.hooks(), manager, HookName.mlpAct(0))) {
     *     model.run(batch);
     *     NDArray neurons = cache.get(HookName.mlpAct(0));
     * }
     * }</pre>
     */
    public void run(TokenBatch batch) {
        runBlocks(batch, null);
    }

    /**
     * The residual stream after the last block, [B, T, d] on {@code out}, without the final norm and the LM head: a
     * forward for what the hooks see (activation statistics) at less cost than {@link #logits}. Hooks run during the
     * call.
     */
    public NDArray lastHiddenState(TokenBatch batch, NDManager out) {
        return runBlocks(batch, out);
    }

    /** The blocks' forward on a scope of its own; returns the residual stream attached to {@code out}, or null. */
    private NDArray runBlocks(TokenBatch batch, NDManager out) {
        batch.checkIds(config.vocabSize());
        try (NDManager scope = manager.newSubManager()) {
            NDArray hidden = decoder.run(pass(scope, batch.paddedIds(0), batch.mask(), batch.size(), 0, batch.width(),
                    null));
            if (out == null) {
                return null;
            }
            hidden.attach(out);
            return hidden;
        }
    }

    /** Logits of each sequence, unpadded, on the host: [sequence][position][vocab]. */
    public float[][][] logits(long[]... sequences) {
        TokenBatch batch = TokenBatch.of(sequences);
        try (NDManager scope = manager.newSubManager()) {
            float[] flat = logits(batch, scope).toFloatArray();
            int t = batch.width(), v = config.vocabSize();
            float[][][] out = new float[batch.size()][][];
            for (int i = 0; i < batch.size(); i++) {
                out[i] = new float[sequences[i].length][];
                for (int p = 0; p < sequences[i].length; p++) {
                    int from = (i * t + batch.offset(i) + p) * v;
                    out[i][p] = Arrays.copyOfRange(flat, from, from + v);
                }
            }
            return out;
        }
    }

    /**
     * Negative log-likelihood (nats) of every token after the first, per sequence: entry p is -log P(token p+1 |
     * tokens 0..p). Computed in float32 from the logits; hooks run during the call.
     */
    public float[][] tokenNll(TokenBatch batch) {
        batch.checkIds(config.vocabSize());
        try (NDManager scope = manager.newSubManager()) {
            ForwardPass pass = pass(scope, batch.paddedIds(0), batch.mask(), batch.size(), 0, batch.width(), null);
            return tokenNll(batch, pass, decoder.run(pass));
        }
    }

    /**
     * {@link #tokenNll(TokenBatch)} of one batch under each of several hook settings: a variant registers hooks and
     * returns the handle that removes them (an intervention's {@code () -> intervention.apply(model)}; one that
     * registers nothing gives the plain forward). The blocks before the first layer a variant hooks run once, without
     * the variants' hooks, and every variant continues from their output (hooks change nothing before their layer, so
     * each result is bit for bit the one a separate forward gives): K interventions on the upper layers cost one
     * shared lower part plus K upper parts. Hooks registered before the call run in the shared part once, and again
     * in each variant's own blocks.
     *
     * <pre>{@code
     * List<java.util.function.Supplier<HookHandle>> variants = List.of(() -> () -> { }, () -> model.hooks().add(
     *         HookName.mlpAct(3), (name, act, ctx) -> act.zerosLike()));
     * List<float[][]> nll = model.tokenNll(batch, variants);    // [variant][sequence][position]
     * }</pre>
     */
    public List<float[][]> tokenNll(TokenBatch batch, List<? extends Supplier<HookHandle>> variants) {
        batch.checkIds(config.vocabSize());
        int layers = config.layers();
        int[] first = new int[variants.size()];
        for (int v = 0; v < first.length; v++) {
            Map<HookName, Integer> before = hooks.counts();
            try (HookHandle h = variants.get(v).get()) {
                first[v] = hooks.firstLayerAddedSince(before);
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            ForwardPass pass = pass(scope, batch.paddedIds(0), batch.mask(), batch.size(), 0, batch.width(), null);
            // the residual stream entering each layer a variant starts from (index layers: after the last block)
            NDArray[] entering = new NDArray[layers + 1];
            int last = Arrays.stream(first).max().orElse(0);
            NDArray x = decoder.embed(pass.ids);
            for (int l = 0; l <= last; l++) {
                final int layer = l;
                boolean kept = Arrays.stream(first).anyMatch(f -> f == layer);
                if (kept) {
                    entering[l] = x;
                }
                if (l < last) {
                    x = decoder.block(pass, l, x, kept);
                }
            }
            List<float[][]> out = new ArrayList<>();
            for (int v = 0; v < first.length; v++) {
                if (first[v] == layers) {
                    out.add(tokenNll(batch, pass, entering[layers].duplicate()));
                    continue;
                }
                try (HookHandle h = variants.get(v).get()) {
                    out.add(tokenNll(batch, pass, decoder.runFrom(pass, entering[first[v]], first[v], true)));
                }
            }
            return out;
        }
    }

    /** The NLLs of {@code batch} from the residual stream after the last block, which is freed here. */
    private float[][] tokenNll(TokenBatch batch, ForwardPass pass, NDArray residual) {
        int b = batch.size(), t = batch.width();
        float[] nll = new float[0];
        try (NDManager scope = pass.scope.newSubManager()) {
            residual.attach(scope);         // what is computed from it lands on its manager: freed below
            if (t > 1) {
                // the last position predicts nothing: leave it out before the LM head, not after (no logits copy)
                NDArray logProbs = decoder.logits(decoder.finalNorm(residual.get(":, :-1, :"))).logSoftmax(-1);
                NDArray targets = pass.ids.get(":, 1:").expandDims(-1);
                targets.attach(scope);
                nll = logProbs.gather(targets, 2).neg().toFloatArray();
            }
        }
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            int n = batch.sequences().get(i).length - 1;
            int from = i * (t - 1) + batch.offset(i);
            out[i] = Arrays.copyOfRange(nll, from, from + n);
        }
        return out;
    }

    /**
     * Mean cross-entropy (nats) of every real token after the first, as a scalar on {@code scope}: differentiable, so
     * a trainer calls it inside a gradient collector. Every intermediate array lives on {@code scope}.
     */
    public NDArray loss(TokenBatch batch, NDManager scope) {
        int[] fromSecond = new int[batch.size()];
        Arrays.fill(fromSecond, 1);
        return loss(batch, fromSecond, scope);
    }

    /**
     * Mean cross-entropy (nats) of the tokens of sequence i from index {@code firstTarget[i]} on (indices of the
     * unpadded sequence, >= 1): a generative task's loss on its answer tokens only, the prompt being context.
     * Differentiable, as {@link #loss(TokenBatch, NDManager)}.
     *
     * <pre>{@code
     * long[] promptAndAnswer = {1, 40, 41, 42, 7, 8, 2};           // prompt of 4 tokens, answer 7 8 </s>
     * NDArray l = model.loss(TokenBatch.of(promptAndAnswer), new int[] {4}, scope);
     * }</pre>
     */
    public NDArray loss(TokenBatch batch, int[] firstTarget, NDManager scope) {
        batch.checkIds(config.vocabSize());
        int b = batch.size(), t = batch.width();
        if (t < 2) {
            throw new IllegalArgumentException("empty input: a loss needs sequences of at least 2 tokens");
        }
        if (firstTarget.length != b) {
            throw new IllegalArgumentException(firstTarget.length + " first targets for " + b + " sequences");
        }
        // weight of the target in column c + 1, predicted from column c
        float[] weights = new float[b * (t - 1)];
        for (int i = 0; i < b; i++) {
            int n = batch.sequences().get(i).length, offset = batch.offset(i);
            if (firstTarget[i] < 1 || firstTarget[i] >= n) {
                throw new IllegalArgumentException("sequence " + i + " has " + n + " tokens: its first target must be"
                        + " in [1, " + (n - 1) + "], got " + firstTarget[i]);
            }
            for (int p = firstTarget[i]; p < n; p++) {
                weights[i * (t - 1) + offset + p - 1] = 1f;
            }
        }
        ForwardPass pass = pass(scope, true, batch.paddedIds(0), batch.mask(), b, 0, t, null);
        NDArray logProbs = forward(pass, false).get(":, :-1, :").logSoftmax(-1);
        NDArray targets = pass.ids.get(":, 1:").expandDims(-1);
        NDArray nll = logProbs.gather(targets, 2).neg().squeeze(-1);
        NDArray counted = scope.create(weights, new ai.djl.ndarray.types.Shape(b, t - 1));
        return nll.mul(counted).sum().div(counted.sum());
    }

    /**
     * The final hidden states (after the final norm) of a batch, [B, T, d] in the model's dtype on {@code scope}, in
     * the batch's padded layout: what a task head reads. With {@code differentiable}, every intermediate stays on
     * {@code scope} for autograd's backward (call it inside a gradient collector); without, each block's
     * intermediates are freed as it ends. Hooks and adapters run during the call.
     */
    public NDArray hiddenStates(TokenBatch batch, NDManager scope, boolean differentiable) {
        batch.checkIds(config.vocabSize());
        if (differentiable) {
            ForwardPass pass = pass(scope, true, batch.paddedIds(0), batch.mask(), batch.size(), 0, batch.width(),
                    null);
            return decoder.finalNorm(decoder.run(pass));
        }
        try (NDManager call = manager.newSubManager()) {
            ForwardPass pass = pass(call, batch.paddedIds(0), batch.mask(), batch.size(), 0, batch.width(), null);
            NDArray hidden = decoder.finalNorm(decoder.run(pass));
            hidden.attach(scope);
            return hidden;
        }
    }

    // ---- adapters ----

    /**
     * The linear layer {@code projection} (a name of {@link Architecture#projectionNames}) of block {@code layer}:
     * the model's own weight arrays and the adapter attached to it, if any.
     */
    public Projection projection(int layer, String projection) {
        return block(layer).projection(projection);
    }

    /**
     * Attaches {@code adapter} to projection {@code projection} of block {@code layer}, replacing the one there;
     * null detaches. The weights are untouched (an adapter adds its output to theirs), and hooks and interventions
     * run as before. LoRA goes through this.
     *
     * <pre>{@code
     * model.setAdapter(0, "q", x -> x.mul(0f));   // a no-op adapter on layer 0's q_proj
     * model.setAdapter(0, "q", null);             // detached
     * }</pre>
     */
    public void setAdapter(int layer, String projection, Projection.Adapter adapter) {
        DecoderBlock block = block(layer);
        decoder.setBlock(layer, block.withProjection(projection, block.projection(projection).withAdapter(adapter)));
    }

    private DecoderBlock block(int layer) {
        if (layer < 0 || layer >= config.layers()) {
            throw new IllegalArgumentException("layer " + layer + " is out of range: the model has " + config.layers()
                    + " layers (0.." + (config.layers() - 1) + ")");
        }
        return decoder.blocks.get(layer);
    }

    /**
     * Perplexity of texts: each text is tokenized (with the tokenizer's special tokens), cut into consecutive windows
     * of at most {@code maxLength} tokens, and every token after a window's first is scored; the same as
     * {@code perplexity(tokenize(texts, maxLength), batchSize)}.
     */
    public Perplexity perplexity(List<String> texts, int maxLength, int batchSize) {
        requireTokenizer();
        if (maxLength < 2 || batchSize < 1) {
            throw new IllegalArgumentException("max length must be >= 2 and batch size >= 1");
        }
        return perplexity(tokenize(texts, maxLength), batchSize);
    }

    /**
     * Tokenizes texts once for {@link #perplexity(TokenizedText, int)}: each with the tokenizer's special tokens, cut
     * into consecutive windows of at most {@code maxLength} tokens ({@link TokenWindows#cut}), leaving out a final
     * window of a single token (it has nothing to predict).
     */
    public TokenizedText tokenize(List<String> texts, int maxLength) {
        TextTokenizer tok = requireTokenizer();
        if (maxLength < 2) {
            throw new IllegalArgumentException("max length must be >= 2, got " + maxLength);
        }
        List<long[]> windows = new ArrayList<>();
        long characters = 0;
        for (String text : texts) {
            characters += text.codePointCount(0, text.length());
            windows.addAll(TokenWindows.cut(tok.encode(text), maxLength, 2));
        }
        return new TokenizedText(windows, characters);
    }

    /**
     * Perplexity of tokenized text: every token after a window's first is scored, windows batched {@code batchSize}
     * at a time in order; the NLL is summed in that order, so the result does not depend on how the texts were split.
     *
     * @throws IllegalArgumentException when no window holds a token to predict
     */
    public Perplexity perplexity(TokenizedText text, int batchSize) {
        return perplexity(text, batchSize, (done, total) -> { });
    }

    /**
     * {@link #perplexity(TokenizedText, int)}, telling {@code progress} after every batch how many of the text's
     * tokens are scored.
     */
    public Perplexity perplexity(TokenizedText text, int batchSize, Perplexity.Progress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        List<long[]> windows = text.windows();
        if (windows.stream().allMatch(w -> w.length < 2)) {
            throw new IllegalArgumentException("empty input: the texts hold no token to predict");
        }
        Perplexity.Sum sum = new Perplexity.Sum();
        long total = windows.stream().mapToLong(w -> w.length).sum(), done = 0;
        try (ThreadTuner tuner = ThreadTuner.forBatches(this)) {
            for (TokenBatch batch : text.batches(batchSize)) {
                tuner.begin();
                sum.add(tokenNll(batch));
                tuner.end((long) batch.size() * batch.width());
                done += batch.tokens();
                progress.update(done, total);
            }
        }
        return sum.perplexity(text.characters());
    }

    // ---- generation ----

    /** Generates a continuation of one text prompt and returns the generated text. */
    public String generate(String prompt, GenerationConfig generation) {
        return generateText(List.of(prompt), generation).texts().get(0);
    }

    /** Generates continuations of text prompts, batched with left padding. */
    public Generation generateText(List<String> prompts, GenerationConfig generation) {
        TextTokenizer tok = requireTokenizer();
        return generate(prompts.stream().map(tok::encode).toList(), generation);
    }

    /**
     * Generates from token-id prompts, batched with left padding. Hooks run at every step (with the KV cache, step 0
     * covers the prompt and each later step one new position per sequence; see {@code HookContext}).
     */
    public Generation generate(List<long[]> prompts, GenerationConfig generation) {
        return generate(prompts, generation, null);
    }

    /**
     * Generates as {@link #generate(List, GenerationConfig)} does, giving {@code listener} (when not null) each token
     * as it is chosen. Generation stops at the model's context: a sequence reaching {@code max_position_embeddings}
     * positions ends with {@link Generation.StopReason#LENGTH}, with a warning on standard error, as transformers
     * warns.
     *
     * <pre>{@code
     * LanguageModel model = LanguageModel.load(Path.of("Llama-3.1-8B"));
     * model.generate(List.of(new long[] {128000, 791}), GenerationConfig.greedy(64),
     *         (sequence, token) -> System.out.print(token + " "));
     * }</pre>
     */
    public Generation generate(List<long[]> prompts, GenerationConfig generation, Generation.Listener listener) {
        return new Generator(this, generation, listener).generate(prompts);
    }

    /** The tokenizer, or an error naming the checkpoint when it has none. */
    TextTokenizer requireTokenizer() {
        if (tokenizer == null) {
            throw new CheckpointException(directory, "no tokenizer.json: text input needs a tokenizer"
                    + " (token ids do not)");
        }
        return tokenizer;
    }

    /** Frees the weights and the tokenizer. */
    @Override
    public void close() {
        hooks.clear();
        if (tokenizer != null) {
            tokenizer.close();
        }
        manager.close();
    }
}
