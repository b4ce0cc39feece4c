package org.langneurons.tasks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.langneurons.corpus.Corpus;

/**
 * Builds the embedded default's two fine-tuning tasks from the LibreOffice help documents of a full corpus
 * directory (all three splits, as {@code langneurons corpus build} writes it), deterministically: the same corpus
 * gives byte-identical files. The rules, counts and file format are in the tasks folder's {@code README.md}
 * ({@code org/langneurons/default/tasks/}).
 *
 * <ul>
 *   <li>{@code module-classification}: a help paragraph's label is its module (Writer, Calc, Impress+Draw,
 *       Basic); English train and validation, test in every language that has the help, the same paragraphs in
 *       each.</li>
 *   <li>{@code heading-extraction}: a heading and a paragraph of the same page, in either order, one per line; the
 *       answer is the heading line.</li>
 * </ul>
 *
 * <p>Whole help pages go to one split of a task: pages are taken in the order of a salted SHA-256 of their name
 * (the seed), test first, then validation, the rest is train. Test and validation pages must be in the corpus's train
 * split in every language that has them, so their text is never in the shipped validation or identification text.
 *
 * <pre>{@code
 * List<DefaultTaskBuilder.Built> built = DefaultTaskBuilder.build(Path.of("corpus-full"), Path.of("tasks"));
 * int englishTest = built.get(0).test().get("en");     // 240 for module-classification
 * }</pre>
 */
public final class DefaultTaskBuilder {
    /** The module-classification labels, in label-index order. */
    public static final List<String> MODULE_LABELS = List.of("writer", "calc", "impress-draw", "basic");
    /** The heading-extraction question, in English for every language (as Mondal et al.'s prompts are). */
    public static final String HEADING_QUESTION = "Which of the two lines is the heading?";
    /** Fewest characters (code points) of an English paragraph that a task uses. */
    public static final int MIN_CHARS = 30;
    /** Most characters of an English paragraph that a task uses (keeps contexts short for small models). */
    public static final int MAX_CHARS = 400;

    /** Salt of the page order and of the example order: changing it is changing the seed. */
    static final String SALT = "langneurons-tasks-v1:";

    private DefaultTaskBuilder() {
    }

    /**
     * How many examples each split gets.
     *
     * <pre>{@code
     * DefaultTaskBuilder.Sizes small = new DefaultTaskBuilder.Sizes(100, 10, 10, 5, 200, 20, 20, 6);
     * }</pre>
     *
     * @param moduleTrainPerLabel      English training paragraphs per label
     * @param moduleValidationPerLabel English validation paragraphs per label
     * @param moduleTestPerLabel       test paragraphs per label (the same in every language)
     * @param modulePageCap            most paragraphs of one page in validation or test
     * @param headingTrain             English heading-extraction training examples
     * @param headingValidation        English heading-extraction validation examples
     * @param headingTest              heading-extraction test examples per language
     * @param headingPageCap           most examples of one page in validation or test
     */
    public record Sizes(int moduleTrainPerLabel, int moduleValidationPerLabel, int moduleTestPerLabel,
            int modulePageCap, int headingTrain, int headingValidation, int headingTest, int headingPageCap) {
        /** The sizes of the shipped tasks. */
        public static final Sizes DEFAULT = new Sizes(750, 50, 60, 5, 2000, 200, 240, 6);

        /** Checks that every size is positive. */
        public Sizes {
            if (Stream.of(moduleTrainPerLabel, moduleValidationPerLabel, moduleTestPerLabel, modulePageCap,
                    headingTrain, headingValidation, headingTest, headingPageCap).anyMatch(n -> n <= 0)) {
                throw new IllegalArgumentException("every task size must be positive");
            }
        }
    }

    /**
     * What one task got.
     *
     * @param task       the task's folder name
     * @param train      English training examples
     * @param validation English validation examples
     * @param test       test examples per language
     */
    public record Built(String task, int train, int validation, Map<String, Integer> test) {
        /** Copies the test counts, keeping the languages' order. */
        public Built {
            test = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(test));
        }
    }

    /** Builds both tasks with the default sizes into {@code outDir} (its {@code manifest.json} and task folders). */
    public static List<Built> build(Path corpusDir, Path outDir) {
        return build(corpusDir, outDir, Sizes.DEFAULT);
    }

    /** Builds both tasks with the given sizes. */
    public static List<Built> build(Path corpusDir, Path outDir, Sizes sizes) {
        HelpPages help = HelpPages.read(corpusDir);
        List<String> pages = new ArrayList<>(help.pages());
        pages.sort(order("page:"));
        Map<String, List<ClassificationExample>> module = moduleClassification(help, pages, sizes);
        Map<String, List<QaExample>> heading = headingExtraction(help, pages, sizes);

        JsonObject manifest = new JsonObject();
        manifest.addProperty("format", "langneurons-tasks/1");
        manifest.addProperty("description", "Fine-tuning tasks of the embedded default, parallel across languages: "
                + "English train and validation, the same test items in every language. See README.md.");
        manifest.add("corpus", corpusRecord(corpusDir));
        JsonArray langs = new JsonArray();
        help.languages().forEach(langs::add);
        manifest.add("languages", langs);
        JsonObject tasks = new JsonObject();
        manifest.add("tasks", tasks);
        List<Built> built = new ArrayList<>();
        try {
            built.add(write(outDir, DefaultTaskFiles.MODULE, module,
                    e -> DefaultTaskFiles.classificationLine(e, MODULE_LABELS)));
            built.add(write(outDir, DefaultTaskFiles.HEADING, heading, DefaultTaskFiles::qaLine));
            JsonObject m = record(built.get(0));
            JsonArray labels = new JsonArray();
            MODULE_LABELS.forEach(labels::add);
            m.add("labels", labels);
            tasks.add(DefaultTaskFiles.MODULE, m);
            JsonObject h = record(built.get(1));
            h.addProperty("question", HEADING_QUESTION);
            tasks.add(DefaultTaskFiles.HEADING, h);
            Files.writeString(outDir.resolve("manifest.json"), DefaultTaskFiles.PRETTY.toJson(manifest) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tasks into " + outDir + ": " + e.getMessage(), e);
        }
        return built;
    }

    // ---- module classification ----

    /** The label index of a page's module, or -1 for modules the task leaves out (shared, smath, schart, ...). */
    static int moduleLabel(String page) {
        return switch (HelpPages.module(page)) {
            case "swriter" -> 0;
            case "scalc" -> 1;
            case "simpress", "sdraw" -> 2;
            case "sbasic" -> 3;
            default -> -1;
        };
    }

    /** Keys "train", "validation" and "test:LANG", each list in example order. */
    private static Map<String, List<ClassificationExample>> moduleClassification(HelpPages help, List<String> pages,
            Sizes sizes) {
        List<String> langs = help.languages();
        int labels = MODULE_LABELS.size();
        int[] testLeft = new int[labels];
        int[] validationLeft = new int[labels];
        java.util.Arrays.fill(testLeft, sizes.moduleTestPerLabel());
        java.util.Arrays.fill(validationLeft, sizes.moduleValidationPerLabel());
        List<String> test = new ArrayList<>();
        List<String> validation = new ArrayList<>();
        List<List<String>> pool = new ArrayList<>();
        for (int label = 0; label < labels; label++) {
            pool.add(new ArrayList<>());
        }
        for (String page : pages) {
            int label = moduleLabel(page);
            if (label < 0) {
                continue;
            }
            List<String> paragraphs = paragraphs(help, page);
            if (testLeft[label] > 0 && help.onlyInCorpusTrain(page)) {
                List<String> c = paragraphs.stream().filter(id -> help.inAll(langs, id))
                        .limit(Math.min(sizes.modulePageCap(), testLeft[label])).toList();
                if (!c.isEmpty()) {
                    test.addAll(c);     // the page's other paragraphs are used nowhere
                    testLeft[label] -= c.size();
                    continue;
                }
            }
            if (validationLeft[label] > 0 && help.onlyInCorpusTrain(page) && !paragraphs.isEmpty()) {
                List<String> c = paragraphs.stream()
                        .limit(Math.min(sizes.modulePageCap(), validationLeft[label])).toList();
                validation.addAll(c);
                validationLeft[label] -= c.size();
                continue;
            }
            pool.get(label).addAll(paragraphs);
        }
        List<String> train = new ArrayList<>();
        for (int label = 0; label < labels; label++) {
            need("module-classification test, label " + MODULE_LABELS.get(label) + " (paragraphs in all of "
                    + langs + ")", sizes.moduleTestPerLabel() - testLeft[label], sizes.moduleTestPerLabel());
            need("module-classification validation, label " + MODULE_LABELS.get(label),
                    sizes.moduleValidationPerLabel() - validationLeft[label], sizes.moduleValidationPerLabel());
            List<String> p = new ArrayList<>(pool.get(label));
            need("module-classification train, label " + MODULE_LABELS.get(label), p.size(),
                    sizes.moduleTrainPerLabel());
            p.sort(order("item:"));
            train.addAll(p.subList(0, sizes.moduleTrainPerLabel()));
        }
        Map<String, List<ClassificationExample>> out = new LinkedHashMap<>();
        out.put("train", classification(help, "en", train));
        out.put("validation", classification(help, "en", validation));
        for (String lang : langs) {
            out.put("test:" + lang, classification(help, lang, test));
        }
        return out;
    }

    private static List<ClassificationExample> classification(HelpPages help, String lang, List<String> ids) {
        return ids.stream().sorted(order("item:"))
                .map(id -> new ClassificationExample(id, lang, help.text(lang, id), null, moduleLabel(id))).toList();
    }

    // ---- heading extraction ----

    /** Keys "train", "validation" and "test:LANG", each list in example order. */
    private static Map<String, List<QaExample>> headingExtraction(HelpPages help, List<String> pages, Sizes sizes) {
        List<String> langs = help.languages();
        List<String> english = List.of("en");
        int testLeft = sizes.headingTest();
        int validationLeft = sizes.headingValidation();
        List<String[]> test = new ArrayList<>();
        List<String[]> validation = new ArrayList<>();
        List<String[]> pool = new ArrayList<>();
        for (String page : pages) {
            if (testLeft > 0 && help.onlyInCorpusTrain(page)) {
                List<String[]> c = pairs(help, page, langs).stream()
                        .limit(Math.min(sizes.headingPageCap(), testLeft)).toList();
                if (!c.isEmpty()) {
                    test.addAll(c);
                    testLeft -= c.size();
                    continue;
                }
            }
            List<String[]> all = pairs(help, page, english);
            if (validationLeft > 0 && help.onlyInCorpusTrain(page) && !all.isEmpty()) {
                List<String[]> c = all.stream().limit(Math.min(sizes.headingPageCap(), validationLeft)).toList();
                validation.addAll(c);
                validationLeft -= c.size();
                continue;
            }
            pool.addAll(all);
        }
        need("heading-extraction test (pairs in all of " + langs + ")", sizes.headingTest() - testLeft,
                sizes.headingTest());
        need("heading-extraction validation", sizes.headingValidation() - validationLeft, sizes.headingValidation());
        need("heading-extraction train", pool.size(), sizes.headingTrain());
        pool.sort(Comparator.comparing((String[] pair) -> pair[0], order("item:")));
        List<String[]> train = pool.subList(0, sizes.headingTrain());
        Map<String, List<QaExample>> out = new LinkedHashMap<>();
        out.put("train", headingExamples(help, "en", train));
        out.put("validation", headingExamples(help, "en", validation));
        for (String lang : langs) {
            out.put("test:" + lang, headingExamples(help, lang, test));
        }
        return out;
    }

    /**
     * A page's (paragraph id, heading id) pairs among the documents every one of {@code langs} has: each paragraph
     * with the nearest such heading above it, or the page's first such heading when none is above.
     */
    static List<String[]> pairs(HelpPages help, String page, List<String> langs) {
        List<String> ids = help.englishIds(page);
        List<String> headings = ids.stream().filter(id -> HelpPages.isHeading(id) && help.inAll(langs, id)).toList();
        List<String[]> out = new ArrayList<>();
        if (headings.isEmpty()) {
            return out;
        }
        String current = null;
        for (String id : ids) {
            if (headings.contains(id)) {
                current = id;
            } else if (isTaskParagraph(help, id) && help.inAll(langs, id)) {
                out.add(new String[] {id, current != null ? current : headings.get(0)});
            }
        }
        return out;
    }

    /** The examples in order of a salted hash of the paragraph id; even positions put the heading first. */
    private static List<QaExample> headingExamples(HelpPages help, String lang, List<String[]> pairs) {
        List<String[]> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparing((String[] pair) -> pair[0], order("item:")));
        List<QaExample> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            String paragraph = help.text(lang, sorted.get(i)[0]);
            String heading = help.text(lang, sorted.get(i)[1]);
            boolean headingFirst = i % 2 == 0;
            String context = headingFirst ? heading + "\n" + paragraph : paragraph + "\n" + heading;
            int start = headingFirst ? 0 : paragraph.length() + 1;
            out.add(new QaExample(sorted.get(i)[0], lang, context, HEADING_QUESTION, List.of(heading),
                    List.of(start)));
        }
        return out;
    }

    // ---- shared ----

    /** A page's task paragraphs in page order: {@code #par_} documents of 30 to 400 English characters. */
    private static List<String> paragraphs(HelpPages help, String page) {
        return help.englishIds(page).stream().filter(id -> isTaskParagraph(help, id)).toList();
    }

    private static boolean isTaskParagraph(HelpPages help, String id) {
        if (!HelpPages.isParagraph(id)) {
            return false;
        }
        String en = help.text("en", id);
        int chars = en.codePointCount(0, en.length());
        return chars >= MIN_CHARS && chars <= MAX_CHARS;
    }

    /** Order by the first 8 bytes of SHA-256(SALT + kind + key), unsigned; ties (never seen) by the key. */
    static Comparator<String> order(String kind) {
        Map<String, Long> cache = new java.util.HashMap<>();
        return Comparator.comparing((String key) -> cache.computeIfAbsent(key, k -> position(kind, k)),
                Long::compareUnsigned).thenComparing(Comparator.naturalOrder());
    }

    /** The first 8 bytes of SHA-256(SALT + kind + key) as an unsigned 64-bit number. */
    static long position(String kind, String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((SALT + kind + key)
                    .getBytes(StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(d, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void need(String what, int have, int wanted) {
        if (have < wanted) {
            throw new IllegalArgumentException("the corpus gives only " + have + " examples for " + what
                    + ", " + wanted + " wanted (a smaller or different corpus than the one the sizes are for?)");
        }
    }

    private static JsonObject corpusRecord(Path corpusDir) {
        JsonObject corpus = Corpus.open(corpusDir).manifest();
        JsonObject out = new JsonObject();
        out.add("built", corpus.get("built"));
        JsonElement lohelp = corpus.has("sources") ? corpus.getAsJsonObject("sources").get("lohelp") : null;
        if (lohelp != null && lohelp.isJsonObject()) {
            for (String key : List.of("title", "license", "copyright")) {
                out.add(key, lohelp.getAsJsonObject().get(key));
            }
            JsonObject versions = new JsonObject();
            JsonElement packages = lohelp.getAsJsonObject().get("packages");
            if (packages != null && packages.isJsonObject()) {
                packages.getAsJsonObject().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> versions.add(e.getKey(), e.getValue()));
            }
            out.add("packages", versions);
        }
        return out;
    }

    private static <T> Built write(Path outDir, String task, Map<String, List<T>> splits,
            java.util.function.Function<T, String> line) throws IOException {
        Path dir = outDir.resolve(task);
        Files.createDirectories(dir.resolve("test"));
        try (Stream<Path> old = Files.list(dir.resolve("test"))) {
            for (Path p : old.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                Files.delete(p);    // a language the corpus no longer has must not linger
            }
        }
        Map<String, Integer> test = new LinkedHashMap<>();
        for (Map.Entry<String, List<T>> e : splits.entrySet()) {
            String split = e.getKey().startsWith("test:") ? "test" : e.getKey();
            String lang = split.equals("test") ? e.getKey().substring(5) : "en";
            StringBuilder text = new StringBuilder();
            e.getValue().forEach(x -> text.append(line.apply(x)).append('\n'));
            Files.writeString(outDir.resolve(DefaultTaskFiles.file(task, split, lang)), text,
                    StandardCharsets.UTF_8);
            if (split.equals("test")) {
                test.put(lang, e.getValue().size());
            }
        }
        return new Built(task, splits.get("train").size(), splits.get("validation").size(), test);
    }

    private static JsonObject record(Built b) {
        JsonObject o = new JsonObject();
        o.addProperty("train", b.train());
        o.addProperty("validation", b.validation());
        JsonObject test = new JsonObject();
        b.test().forEach(test::addProperty);
        o.add("test", test);
        return o;
    }
}
