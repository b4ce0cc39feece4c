package org.langneurons.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classification task for zero-shot cross-lingual transfer: English training and validation examples, and test
 * examples per language that are translations of the same items (the same ids, in the same order, in every
 * language), so accuracy differences between languages are about language, not content.
 *
 * <pre>{@code
 * ParallelClassificationTask task = DefaultTasks.moduleClassification();
 * String first = task.labels().get(task.train().get(0).label());     // e.g. "calc"
 * List<ClassificationExample> hindi = task.test().get("hi");         // the same items as task.test().get("en")
 * }</pre>
 *
 * @param name       the task's name ({@code module-classification})
 * @param labels     label names; an example's {@code label} indexes this list
 * @param train      English training examples
 * @param validation English validation examples
 * @param test       per language (in the corpus's language order), the parallel test examples
 */
public record ParallelClassificationTask(String name, List<String> labels, List<ClassificationExample> train,
        List<ClassificationExample> validation, Map<String, List<ClassificationExample>> test) {

    /** Copies the lists and keeps the test languages' order. */
    public ParallelClassificationTask {
        labels = List.copyOf(labels);
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        Map<String, List<ClassificationExample>> copy = new LinkedHashMap<>();
        test.forEach((lang, examples) -> copy.put(lang, List.copyOf(examples)));
        test = Collections.unmodifiableMap(copy);
    }

    /** The test languages, in order. */
    public List<String> languages() {
        return List.copyOf(test.keySet());
    }
}
