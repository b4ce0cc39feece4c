package org.langneurons.tasks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The embedded default's two fine-tuning tasks, read from the library's class path
 * ({@code org/langneurons/default/tasks/}, described in its {@code README.md}): LibreOffice help paragraphs,
 * English train and validation, and test items that are the same paragraphs translated in every language that has
 * the help (en fr es vi id ja zh hi).
 *
 * <pre>{@code
 * ParallelClassificationTask modules = DefaultTasks.moduleClassification();   // writer / calc / impress-draw / basic
 * ParallelQaTask headings = DefaultTasks.headingExtraction();                  // which line is the heading?
 * int perLanguage = modules.test().get("fr").size();                           // 240
 * }</pre>
 */
public final class DefaultTasks {
    /** Class-path folder of the tasks. */
    public static final String RESOURCE = "org/langneurons/default/tasks/";

    private DefaultTasks() {
    }

    /**
     * Help paragraphs labelled by their LibreOffice module: {@code writer}, {@code calc}, {@code impress-draw},
     * {@code basic}; 750 English training paragraphs a label, 50 validation, 60 test a label in every language.
     */
    public static ParallelClassificationTask moduleClassification() {
        JsonObject task = task(DefaultTaskFiles.MODULE);
        List<String> labels = new ArrayList<>();
        task.getAsJsonArray("labels").forEach(l -> labels.add(l.getAsString()));
        Map<String, List<ClassificationExample>> splits = read(DefaultTaskFiles.MODULE, task,
                (name, in) -> DefaultTaskFiles.readClassification(name, in, labels), ClassificationExample::language);
        return new ParallelClassificationTask(DefaultTaskFiles.MODULE, labels, splits.remove("train"),
                splits.remove("validation"), splits);
    }

    /**
     * A heading and a paragraph of one help page, one per line in either order; the answer is the heading (a span
     * of the context); the question is English in every language. 2,000 English training examples, 200
     * validation, 240 test in every language.
     */
    public static ParallelQaTask headingExtraction() {
        JsonObject task = task(DefaultTaskFiles.HEADING);
        Map<String, List<QaExample>> splits = read(DefaultTaskFiles.HEADING, task, DefaultTaskFiles::readQa,
                QaExample::language);
        return new ParallelQaTask(DefaultTaskFiles.HEADING, splits.remove("train"), splits.remove("validation"),
                splits);
    }

    /** The test languages, in order (the languages of the corpus that have LibreOffice help). */
    public static List<String> languages() {
        List<String> out = new ArrayList<>();
        manifest().getAsJsonArray("languages").forEach(l -> out.add(l.getAsString()));
        return List.copyOf(out);
    }

    /** The parsed {@code manifest.json} of the tasks folder. */
    public static JsonObject manifest() {
        String name = RESOURCE + "manifest.json";
        try (InputStream in = open(name)) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded " + name + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject task(String task) {
        JsonElement t = manifest().getAsJsonObject("tasks").get(task);
        if (t == null || !t.isJsonObject()) {
            throw new IllegalStateException(RESOURCE + "manifest.json has no task " + task + " (a broken build?)");
        }
        return t.getAsJsonObject();
    }

    /** Train, validation and each language's test, in that order; each file's count checked against the manifest. */
    private static <T> Map<String, List<T>> read(String taskName, JsonObject task,
            java.util.function.BiFunction<String, InputStream, List<T>> reader, Function<T, String> languageOf) {
        Map<String, List<T>> out = new LinkedHashMap<>();
        Function<String, List<T>> load = name -> {
            try (InputStream in = open(RESOURCE + name)) {
                return reader.apply(RESOURCE + name, in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read embedded " + RESOURCE + name + ": " + e.getMessage(), e);
            }
        };
        for (String split : List.of("train", "validation")) {
            String file = DefaultTaskFiles.file(taskName, split, "en");
            out.put(split, checked(load.apply(file), task.get(split).getAsInt(), file, "en", languageOf));
        }
        for (Map.Entry<String, JsonElement> e : task.getAsJsonObject("test").entrySet()) {
            String file = DefaultTaskFiles.file(taskName, "test", e.getKey());
            out.put(e.getKey(), checked(load.apply(file), e.getValue().getAsInt(), file, e.getKey(), languageOf));
        }
        return out;
    }

    private static <T> List<T> checked(List<T> examples, int expected, String file, String language,
            Function<T, String> languageOf) {
        if (examples.size() != expected) {
            throw new IllegalStateException(RESOURCE + file + " has " + examples.size() + " examples, its manifest "
                    + "says " + expected + " (a broken build?)");
        }
        for (int i = 0; i < examples.size(); i++) {
            if (!language.equals(languageOf.apply(examples.get(i)))) {
                throw new IllegalStateException(RESOURCE + file + " line " + (i + 1) + ": language "
                        + languageOf.apply(examples.get(i)) + ", expected " + language);
            }
        }
        return examples;
    }

    private static InputStream open(String resource) {
        InputStream in = DefaultTasks.class.getResourceAsStream("/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing embedded resource " + resource + " (a broken build?)");
        }
        return in;
    }
}
