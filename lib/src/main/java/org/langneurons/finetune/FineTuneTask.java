package org.langneurons.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.langneurons.model.LanguageModel;

/**
 * What {@link FineTuner} trains on: encoded training examples, their differentiable loss, the task's trainable
 * tensors besides the adapter (a head), and a validation score. {@link ClassificationTraining} and
 * {@link GenerativeTraining} are the two kinds.
 *
 * <pre>{@code
 * FineTuneTask task = new ClassificationTraining(encoder, head, modules.train(), modules.validation());
 * int n = task.size();
 * }</pre>
 */
public interface FineTuneTask {

    /** Training examples. */
    int size();

    /** Mean loss of training examples {@code examples} (indices), differentiable, on {@code scope}. */
    NDArray loss(LanguageModel model, int[] examples, NDManager scope);

    /** Input tokens of training examples {@code examples} (for tokens/s). */
    long tokens(int[] examples);

    /** Tensors trained besides the adapter, by the name they are saved under (a head's weight), or none. */
    Map<String, NDArray> trainableTensors();

    /** The validation score, higher is better (accuracy, F1): the best checkpoint is the highest. */
    double validate(LanguageModel model);

    /** The name of {@link #validate}'s score, e.g. {@code accuracy}. */
    String metric();

    /** Saves {@code adapter} with the task's tensors in PEFT's layout into {@code dir}. */
    void save(LoraAdapter adapter, Path dir);
}
