package org.langneurons.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An extractive (answer-is-a-span) task for zero-shot cross-lingual transfer: English training and validation
 * examples, and test examples per language that are translations of the same items (the same ids, in the same
 * order, in every language).
 *
 * <pre>{@code
 * ParallelQaTask task = DefaultTasks.headingExtraction();
 * QaExample e = task.test().get("ja").get(0);
 * String gold = e.context().substring(e.answerStarts().get(0), e.answerStarts().get(0) + e.answers().get(0).length());
 * }</pre>
 *
 * @param name       the task's name ({@code heading-extraction})
 * @param train      English training examples
 * @param validation English validation examples
 * @param test       per language (in the corpus's language order), the parallel test examples
 */
public record ParallelQaTask(String name, List<QaExample> train, List<QaExample> validation,
        Map<String, List<QaExample>> test) {

    /** Copies the lists and keeps the test languages' order. */
    public ParallelQaTask {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        Map<String, List<QaExample>> copy = new LinkedHashMap<>();
        test.forEach((lang, examples) -> copy.put(lang, List.copyOf(examples)));
        test = Collections.unmodifiableMap(copy);
    }

    /** The test languages, in order. */
    public List<String> languages() {
        return List.copyOf(test.keySet());
    }
}
