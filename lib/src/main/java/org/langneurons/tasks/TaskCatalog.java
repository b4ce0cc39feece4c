package org.langneurons.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tasks the CLI and notebooks name: the embedded default's {@code module-classification} and
 * {@code heading-extraction} (no files needed), and Mondal et al.'s {@code xnli} and {@code xquad} from a local
 * folder of the official files (nothing is downloaded).
 *
 * <ul>
 * <li>{@code xnli}: DIR holds MultiNLI's {@code multinli_1.0_train.jsonl} (or {@code .txt}) and XNLI's
 * {@code xnli.dev.tsv} and {@code xnli.test.tsv}. Training: the first {@code trainFraction} of MultiNLI's English
 * training pairs, in file order (Mondal et al.: 25%, unshuffled); validation: XNLI dev, English; test: XNLI test,
 * every language in it (the same pairs in each).</li>
 * <li>{@code xquad}: DIR holds {@code xquad.LANG.json}. As Mondal et al.'s code: the first 80% of each file's
 * questions are for training (English's; here its last twentieth is held out for validation), the last 20% are the
 * test set of every language (the same questions in each).</li>
 * <li>{@code squad-xquad}: the usual zero-shot XQuAD setting: training on SQuAD v1.1's {@code train-v1.1.json}
 * (English; answers not at their offset are dropped, as {@link QaData} records), validation on the first 500
 * questions of {@code dev-v1.1.json}, test on every {@code xquad.LANG.json} whole.</li>
 * </ul>
 *
 * <pre>{@code
 * ParallelClassificationTask modules = TaskCatalog.classification("module-classification", null, 1.0);
 * ParallelQaTask xquad = TaskCatalog.qa("xquad", Path.of("data/xquad"));
 * }</pre>
 */
public final class TaskCatalog {
    /** The kinds of task: which head and which metrics. */
    public enum Kind {
        /** A label per input (accuracy). */
        CLASSIFICATION,
        /** A span answer, generated (exact match, F1). */
        QA
    }

    /** Names of the known tasks. */
    public static final List<String> NAMES = List.of("module-classification", "heading-extraction", "xnli", "xquad",
            "squad-xquad");

    private TaskCatalog() {
    }

    /** The kind of task {@code name}. */
    public static Kind kind(String name) {
        return switch (name) {
            case "module-classification", "xnli" -> Kind.CLASSIFICATION;
            case "heading-extraction", "xquad", "squad-xquad" -> Kind.QA;
            default -> throw new IllegalArgumentException("unknown task '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** Classification task {@code name}; {@code data} is needed by {@code xnli} only. */
    public static ParallelClassificationTask classification(String name, Path data, double trainFraction) {
        if (!(trainFraction > 0 && trainFraction <= 1)) {
            throw new IllegalArgumentException("the training fraction must be in (0, 1], got " + trainFraction);
        }
        return switch (name) {
            case "module-classification" -> DefaultTasks.moduleClassification();
            case "xnli" -> xnli(requireDir(name, data), trainFraction);
            default -> throw new IllegalArgumentException("'" + name + "' is not a classification task ("
                    + kind(name) + ")");
        };
    }

    /**
     * The test sets of classification task {@code name}, by language: what an evaluation reads (for {@code xnli},
     * {@code xnli.test.tsv} alone, not MultiNLI's training file).
     */
    public static Map<String, List<ClassificationExample>> classificationTest(String name, Path data) {
        return name.equals("xnli") ? byLanguage(Xnli.readAll(requireDir(name, data).resolve("xnli.test.tsv")))
                : classification(name, data, 1.0).test();
    }

    /** Question-answering task {@code name}; {@code data} is needed by {@code xquad} only. */
    public static ParallelQaTask qa(String name, Path data) {
        return switch (name) {
            case "heading-extraction" -> DefaultTasks.headingExtraction();
            case "xquad" -> xquad(requireDir(name, data));
            case "squad-xquad" -> squadXquad(requireDir(name, data));
            default -> throw new IllegalArgumentException("'" + name + "' is not a question-answering task ("
                    + kind(name) + ")");
        };
    }

    private static Path requireDir(String name, Path data) {
        if (data == null || !Files.isDirectory(data)) {
            throw new IllegalArgumentException("task " + name + " reads its files from a local folder (--data DIR): "
                    + (data == null ? "none given" : data + " is not a directory"));
        }
        return data;
    }

    private static ParallelClassificationTask xnli(Path dir, double fraction) {
        Path train = Stream.of("multinli_1.0_train.jsonl", "multinli_1.0_train.txt").map(dir::resolve)
                .filter(Files::isRegularFile).findFirst().orElseThrow(() -> new TaskDataException(
                        dir.resolve("multinli_1.0_train.jsonl"), "file", "missing (MultiNLI's English training"
                        + " data, multinli_1.0_train.jsonl or .txt)"));
        List<ClassificationExample> all = MultiNli.read(train);
        List<ClassificationExample> first = all.subList(0, (int) Math.ceil(all.size() * fraction));
        List<ClassificationExample> validation = Xnli.read(dir.resolve("xnli.dev.tsv"), List.of("en"));
        return new ParallelClassificationTask("xnli", Xnli.LABELS, first, validation,
                classificationTest("xnli", dir));
    }

    private static List<Path> xquadFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("xquad\\.[a-z]{2,3}\\.json")).sorted().toList();
        } catch (IOException e) {
            throw new TaskDataException(dir, "folder", "cannot be listed: " + e);
        }
    }

    private static ParallelQaTask squadXquad(Path dir) {
        Path train = dir.resolve("train-v1.1.json");
        Path dev = dir.resolve("dev-v1.1.json");
        for (Path f : List.of(train, dev)) {
            if (!Files.isRegularFile(f)) {
                throw new TaskDataException(f, "file", "missing (SQuAD v1.1, for task squad-xquad)");
            }
        }
        Map<String, List<QaExample>> test = new LinkedHashMap<>();
        for (Path f : xquadFiles(dir)) {
            test.put(Squad.languageOf(f), Squad.read(f).requireConsistent().examples());
        }
        if (test.isEmpty()) {
            throw new TaskDataException(dir, "folder", "has no xquad.LANG.json test file");
        }
        List<QaExample> validation = Squad.read(dev).examples();
        return new ParallelQaTask("squad-xquad", Squad.read(train).examples(),
                validation.subList(0, Math.min(500, validation.size())), test);
    }

    private static ParallelQaTask xquad(Path dir) {
        List<Path> files = xquadFiles(dir);
        Path en = dir.resolve("xquad.en.json");
        if (!Files.isRegularFile(en)) {
            throw new TaskDataException(en, "file", "missing (XQuAD's English file trains the model)");
        }
        Map<String, List<QaExample>> test = new LinkedHashMap<>();
        List<QaExample> trainPart = null;
        for (Path f : files) {
            QaData data = Squad.read(f).requireConsistent();
            List<QaExample> q = data.examples();
            int cut = (int) (q.size() * 0.8);
            String lang = Squad.languageOf(f);
            test.put(lang, q.subList(cut, q.size()));
            if (lang.equals("en")) {
                trainPart = q.subList(0, cut);
            }
        }
        int held = Math.max(1, trainPart.size() / 20);
        return new ParallelQaTask("xquad", trainPart.subList(0, trainPart.size() - held),
                trainPart.subList(trainPart.size() - held, trainPart.size()), test);
    }

    private static Map<String, List<ClassificationExample>> byLanguage(List<ClassificationExample> examples) {
        Map<String, List<ClassificationExample>> out = new LinkedHashMap<>();
        for (ClassificationExample e : examples) {
            out.computeIfAbsent(e.language(), k -> new java.util.ArrayList<>()).add(e);
        }
        return out;
    }
}
