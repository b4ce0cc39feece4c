package org.langneurons.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.SafetensorsFile;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * Sequence classification as Hugging Face's {@code LlamaForSequenceClassification}: the final hidden state (after
 * the final norm) of each sequence's last real token, times {@code score.weight} [C, d] (no bias). Padding on either
 * side is handled (the last real token's column comes from the batch). Saved with an adapter as PEFT does, under
 * {@link #KEY} ({@code modules_to_save = ["score"]}).
 *
 * <pre>{@code
 * try (ClassificationHead head = ClassificationHead.create(model, 3, 7)) {
 *     NDArray logits = head.logits(model, TokenBatch.of(new long[] {1, 5, 9}), scope, false);   // [1, 3]
 * }
 * }</pre>
 */
public final class ClassificationHead implements AutoCloseable {
    /** The head's key in {@code adapter_model.safetensors}, as PEFT saves a SEQ_CLS model's {@code score}. */
    public static final String KEY = "base_model.model.score.weight";
    /** PEFT's {@code modules_to_save} entry for the head. */
    public static final String MODULE = "score";

    private final NDManager manager;
    private final NDArray weight;

    private ClassificationHead(NDManager manager, NDArray weight) {
        this.manager = manager;
        this.weight = weight;
    }

    /** A new head of {@code classes} outputs, N(0, 0.02) as transformers initialises it, seeded. */
    public static ClassificationHead create(LanguageModel model, int classes, long seed) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classification head needs at least 2 classes, got " + classes);
        }
        int d = model.config().hiddenSize();
        Random random = new Random(seed);
        float[] w = new float[classes * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.02);
        }
        NDManager m = model.manager().newSubManager();
        return new ClassificationHead(m, m.create(w, new Shape(classes, d)).toType(model.dtype(), false));
    }

    /**
     * The head saved in an adapter directory ({@link #KEY} of {@code adapter_model.safetensors}).
     *
     * @throws CheckpointException naming the file when the tensor is missing or not [C, d]
     */
    public static ClassificationHead load(Path adapterDir, LanguageModel model) {
        Path file = adapterDir.resolve(LoraAdapter.WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "is missing: no classification head to load");
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            SafetensorsFile.Entry e = f.entries().get(KEY);
            if (e == null) {
                throw new CheckpointException(file, "has no classification head: tensor '" + KEY + "' is missing");
            }
            if (e.shape().length != 2 || e.shape()[1] != model.config().hiddenSize() || e.shape()[0] < 2) {
                throw new CheckpointException(file, "tensor '" + KEY + "' has shape " + java.util.Arrays.toString(
                        e.shape()) + ", expected [classes, " + model.config().hiddenSize() + "] (hidden_size)");
            }
            NDManager m = model.manager().newSubManager();
            // a copy: what read returns may share the file's read-only mapping, and the head trains in place
            NDArray w = f.read(KEY, m, DataType.FLOAT32);
            return new ClassificationHead(m, model.dtype() == DataType.FLOAT32 ? w.duplicate()
                    : w.toType(model.dtype(), false));
        }
    }

    /** Whether {@code adapterDir} holds a classification head. */
    public static boolean isSavedIn(Path adapterDir) {
        Path file = adapterDir.resolve(LoraAdapter.WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.entries().containsKey(KEY);
        }
    }

    /** Number of classes (C). */
    public int classes() {
        return (int) weight.getShape().get(0);
    }

    /** The weight [C, d] (live: trained in place). */
    public NDArray weight() {
        return weight;
    }

    /** The head's tensors as they are saved with an adapter. */
    public Map<String, NDArray> tensors() {
        return Map.of(KEY, weight);
    }

    /** PEFT's modules_to_save for this head. */
    public static List<String> modules() {
        return List.of(MODULE);
    }

    /**
     * Class logits [B, C] on {@code scope} of a batch, from each sequence's last real token: float32, or with
     * {@code differentiable} in the model's dtype (call that inside a gradient collector).
     */
    public NDArray logits(LanguageModel model, TokenBatch batch, NDManager scope, boolean differentiable) {
        NDArray hidden = model.hiddenStates(batch, scope, differentiable);
        int b = batch.size(), t = batch.width();
        // a one-hot [B, 1, T] row picks each sequence's last real column: exact (x * 1 + 0s) and differentiable
        float[] pick = new float[b * t];
        for (int i = 0; i < b; i++) {
            pick[i * t + batch.offset(i) + batch.sequences().get(i).length - 1] = 1f;
        }
        NDArray select = scope.create(pick, new Shape(b, 1, t)).toType(hidden.getDataType(), false);
        NDArray last = select.matMul(hidden).reshape(b, -1);
        NDArray logits = Linear.linear(last, weight).singletonOrThrow();
        // toType is not differentiable in DJL: a half-precision model's logits stay half while training
        return differentiable || logits.getDataType() == DataType.FLOAT32 ? logits
                : logits.toType(DataType.FLOAT32, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
