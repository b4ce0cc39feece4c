package org.langneurons.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;
import org.langneurons.tasks.ClassificationExample;
import org.langneurons.model.Scalars;

/**
 * A sequence-classification task for {@link FineTuner}: cross-entropy of a {@link ClassificationHead} over the
 * examples' labels; validation accuracy. Examples are encoded once, here.
 *
 * <pre>{@code
 * try (ClassificationHead head4 = ClassificationHead.create(model, modules.labels().size(), 42)) {
 *     ClassificationTraining task = new ClassificationTraining(encoder, head4, modules.train(), modules.validation());
 *     int[] predicted = ClassificationTraining.predict(model, head4, encoder, modules.test().get("hi"), 16);
 * }
 * }</pre>
 */
public final class ClassificationTraining implements FineTuneTask {
    /** Examples per forward when predicting. */
    private static final int EVAL_BATCH = 16;

    private final TaskEncoder encoder;
    private final ClassificationHead head;
    private final List<long[]> ids = new ArrayList<>();
    private final int[] labels;
    private final List<ClassificationExample> validation;

    /**
     * @param train      training examples; labels must be below the head's classes
     * @param validation examples for {@link #validate} (may be empty: score 0)
     */
    public ClassificationTraining(TaskEncoder encoder, ClassificationHead head, List<ClassificationExample> train,
            List<ClassificationExample> validation) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.encoder = encoder;
        this.head = head;
        this.labels = new int[train.size()];
        for (int i = 0; i < train.size(); i++) {
            ClassificationExample e = train.get(i);
            checkLabel(e, head.classes());
            ids.add(encoder.classification(e));
            labels[i] = e.label();
        }
        validation.forEach(e -> checkLabel(e, head.classes()));
        this.validation = List.copyOf(validation);
    }

    private static void checkLabel(ClassificationExample e, int classes) {
        if (e.label() >= classes) {
            throw new IllegalArgumentException("example " + e.id() + " has label " + e.label() + " but the head has "
                    + classes + " classes");
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public NDArray loss(LanguageModel model, int[] examples, NDManager scope) {
        List<long[]> batch = new ArrayList<>();
        float[] onehot = new float[examples.length * head.classes()];
        for (int i = 0; i < examples.length; i++) {
            batch.add(ids.get(examples[i]));
            onehot[i * head.classes() + labels[examples[i]]] = 1f;
        }
        NDArray logits = head.logits(model, new TokenBatch(batch, TokenBatch.Padding.RIGHT), scope, true);
        NDArray target = scope.create(onehot, new Shape(examples.length, head.classes()))
                .toType(logits.getDataType(), false);
        // cross-entropy: -log softmax at the label, averaged over the batch
        return Scalars.div(logits.logSoftmax(-1).mul(target).sum().neg(), examples.length);
    }

    @Override
    public long tokens(int[] examples) {
        long n = 0;
        for (int e : examples) {
            n += ids.get(e).length;
        }
        return n;
    }

    @Override
    public Map<String, NDArray> trainableTensors() {
        return head.tensors();
    }

    @Override
    public double validate(LanguageModel model) {
        if (validation.isEmpty()) {
            return 0;
        }
        int[] predicted = predict(model, head, encoder, validation, EVAL_BATCH);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == validation.get(i).label() ? 1 : 0;
        }
        return (double) correct / predicted.length;
    }

    @Override
    public String metric() {
        return "accuracy";
    }

    @Override
    public void save(LoraAdapter adapter, Path dir) {
        adapter.save(dir, head.tensors(), "SEQ_CLS", ClassificationHead.modules());
    }

    /** The head's predicted class of each example (argmax of its logits), in batches of {@code batchSize}. */
    public static int[] predict(LanguageModel model, ClassificationHead head, TaskEncoder encoder,
            List<ClassificationExample> examples, int batchSize) {
        int[] out = new int[examples.size()];
        for (int from = 0; from < examples.size(); from += batchSize) {
            int to = Math.min(examples.size(), from + batchSize);
            List<long[]> batch = examples.subList(from, to).stream().map(encoder::classification).toList();
            try (NDManager scope = model.manager().newSubManager()) {
                long[] argmax = head.logits(model, new TokenBatch(batch, TokenBatch.Padding.RIGHT), scope, false)
                        .argMax(-1).toLongArray();
                for (int i = 0; i < argmax.length; i++) {
                    out[from + i] = (int) argmax[i];
                }
            }
        }
        return out;
    }
}
