package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;

/**
 * The shipped tasks (org/langneurons/default/tasks/) hold what their README documents. Set LANGNEURONS_CORPUS_FULL
 * to a full corpus build to also check that rebuilding them gives the same bytes.
 */
class DefaultTasksTest {
    /** The languages whose corpus has LibreOffice help, in the corpus's order. */
    private static final List<String> LANGUAGES = List.of("en", "fr", "es", "vi", "id", "ja", "zh", "hi");
    private static final Map<String, String> LABEL_OF_MODULE = Map.of("swriter", "writer", "scalc", "calc",
            "simpress", "impress-draw", "sdraw", "impress-draw", "sbasic", "basic");

    @Test
    void moduleClassificationHasTheDocumentedBalancedCounts() {
        ParallelClassificationTask task = DefaultTasks.moduleClassification();
        assertEquals(List.of("writer", "calc", "impress-draw", "basic"), task.labels());
        assertEquals(LANGUAGES, task.languages());
        assertEquals(LANGUAGES, DefaultTasks.languages());
        assertEquals(perLabel(750), labelCounts(task, task.train()));
        assertEquals(perLabel(50), labelCounts(task, task.validation()));
        for (String lang : LANGUAGES) {
            assertEquals(perLabel(60), labelCounts(task, task.test().get(lang)), lang);
        }
        for (ClassificationExample e : all(task.train(), task.validation(), task.test())) {
            String module = e.id().substring("lohelp:".length(), e.id().indexOf('/'));
            assertEquals(LABEL_OF_MODULE.get(module), task.labels().get(e.label()), e.id());
            assertEquals(null, e.pair());
        }
        for (ClassificationExample e : task.train()) {
            int chars = e.text().codePointCount(0, e.text().length());
            assertTrue(chars >= 30 && chars <= 400, e.id() + ": " + chars + " characters");
        }
    }

    @Test
    void moduleClassificationTestIsParallel() {
        ParallelClassificationTask task = DefaultTasks.moduleClassification();
        List<ClassificationExample> en = task.test().get("en");
        for (String lang : LANGUAGES) {
            List<ClassificationExample> t = task.test().get(lang);
            assertEquals(en.stream().map(ClassificationExample::id).toList(),
                    t.stream().map(ClassificationExample::id).toList(), lang + ": same ids in the same order");
            assertEquals(en.stream().map(ClassificationExample::label).toList(),
                    t.stream().map(ClassificationExample::label).toList(), lang);
            assertTrue(t.stream().allMatch(e -> e.language().equals(lang)), lang);
            if (!lang.equals("en")) {
                long same = 0;
                for (int i = 0; i < en.size(); i++) {
                    same += en.get(i).text().equals(t.get(i).text()) ? 1 : 0;
                }
                assertEquals(0, same, lang + ": the corpus drops untranslated paragraphs");
            }
        }
    }

    @Test
    void headingExtractionHasTheDocumentedCountsAndSpans() {
        ParallelQaTask task = DefaultTasks.headingExtraction();
        assertEquals(LANGUAGES, task.languages());
        assertEquals(2000, task.train().size());
        assertEquals(200, task.validation().size());
        List<List<QaExample>> splits = new ArrayList<>(List.of(task.train(), task.validation()));
        for (String lang : LANGUAGES) {
            assertEquals(240, task.test().get(lang).size(), lang);
            splits.add(task.test().get(lang));
        }
        for (List<QaExample> split : splits) {
            int headingFirst = 0;
            for (QaExample q : split) {
                String[] lines = q.context().split("\n", -1);
                assertEquals(2, lines.length, q.id());
                assertEquals(1, q.answers().size(), q.id());
                String answer = q.answers().get(0);
                int start = q.answerStarts().get(0);
                assertEquals(answer, q.context().substring(start, start + answer.length()), q.id());
                assertTrue(start == 0 && lines[0].equals(answer)
                        || start == lines[0].length() + 1 && lines[1].equals(answer), q.id());
                headingFirst += start == 0 ? 1 : 0;
                assertEquals("Which of the two lines is the heading?", q.question());
            }
            assertEquals(split.size() / 2, headingFirst, "the heading comes first in half of the examples");
        }
        List<String> en = task.test().get("en").stream().map(QaExample::id).toList();
        for (String lang : LANGUAGES) {
            assertEquals(en, task.test().get(lang).stream().map(QaExample::id).toList(), lang);
            List<QaExample> t = task.test().get(lang);
            for (int i = 0; i < t.size(); i++) {
                assertEquals(task.test().get("en").get(i).answerStarts().get(0) == 0, t.get(i).answerStarts().get(0) == 0,
                        lang + " " + t.get(i).id() + ": the same arrangement in every language");
                assertEquals(lang, t.get(i).language());
            }
        }
    }

    @Test
    void noPageIsInTwoSplitsAndIdsAreUniqueWithinASplit() {
        ParallelClassificationTask modules = DefaultTasks.moduleClassification();
        checkPages(modules.train().stream().map(ClassificationExample::id).toList(),
                modules.validation().stream().map(ClassificationExample::id).toList(),
                modules.test().get("en").stream().map(ClassificationExample::id).toList());
        ParallelQaTask headings = DefaultTasks.headingExtraction();
        checkPages(headings.train().stream().map(QaExample::id).toList(),
                headings.validation().stream().map(QaExample::id).toList(),
                headings.test().get("en").stream().map(QaExample::id).toList());
    }

    @Test
    void validationAndTestPagesAreNotInTheShippedCorpusText() {
        Corpus corpus = Corpus.openDefault();
        Set<String> shippedPages = new HashSet<>();
        for (String lang : corpus.languages()) {
            for (Split s : List.of(Split.VALIDATION, Split.IDENTIFICATION)) {
                corpus.ids(lang, s).stream().filter(id -> id.startsWith("lohelp:")).map(DefaultTasksTest::page)
                        .forEach(shippedPages::add);
            }
        }
        assertTrue(shippedPages.size() > 100, "the shipped corpus has help pages: " + shippedPages.size());
        ParallelClassificationTask modules = DefaultTasks.moduleClassification();
        ParallelQaTask headings = DefaultTasks.headingExtraction();
        Stream.of(modules.validation().stream().map(ClassificationExample::id),
                modules.test().get("en").stream().map(ClassificationExample::id),
                headings.validation().stream().map(QaExample::id), headings.test().get("en").stream().map(QaExample::id))
                .flatMap(Function.identity()).map(DefaultTasksTest::page)
                .forEach(p -> assertFalse(shippedPages.contains(p), p));
    }

    @Test
    void rebuildingFromTheFullCorpusGivesTheSameBytes(@TempDir Path tmp) throws Exception {
        String full = System.getenv("LANGNEURONS_CORPUS_FULL");
        Assumptions.assumeTrue(full != null && !full.isBlank(), "set LANGNEURONS_CORPUS_FULL to a full corpus build");
        DefaultTaskBuilder.build(Path.of(full), tmp);
        List<Path> files;
        try (Stream<Path> s = Files.walk(tmp)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(1 + 2 * (2 + LANGUAGES.size()), files.size(), files.toString());
        for (Path f : files) {
            String resource = "/" + DefaultTasks.RESOURCE + tmp.relativize(f).toString().replace('\\', '/');
            try (var in = DefaultTasksTest.class.getResourceAsStream(resource)) {
                assertTrue(in != null, "not shipped: " + resource);
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(f), resource);
            }
        }
    }

    private static void checkPages(List<String> train, List<String> validation, List<String> test) {
        for (List<String> split : List.of(train, validation, test)) {
            assertEquals(split.size(), new HashSet<>(split).size(), "ids unique within a split");
        }
        Set<String> a = train.stream().map(DefaultTasksTest::page).collect(Collectors.toSet());
        Set<String> b = validation.stream().map(DefaultTasksTest::page).collect(Collectors.toSet());
        Set<String> c = test.stream().map(DefaultTasksTest::page).collect(Collectors.toSet());
        for (String p : b) {
            assertFalse(a.contains(p), "train and validation share " + p);
        }
        for (String p : c) {
            assertFalse(a.contains(p) || b.contains(p), "test shares " + p);
        }
        assertTrue(c.size() >= 60, "test spreads over many pages: " + c.size());
    }

    private static String page(String id) {
        return id.substring(0, id.indexOf('#'));
    }

    private static Map<String, Integer> perLabel(int n) {
        return Map.of("writer", n, "calc", n, "impress-draw", n, "basic", n);
    }

    private static Map<String, Integer> labelCounts(ParallelClassificationTask task, List<ClassificationExample> xs) {
        return xs.stream().collect(Collectors.toMap(e -> task.labels().get(e.label()), e -> 1, Integer::sum));
    }

    @SafeVarargs
    private static List<ClassificationExample> all(Object... parts) {
        List<ClassificationExample> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                l.forEach(x -> out.add((ClassificationExample) x));
            } else if (p instanceof Map<?, ?> m) {
                m.values().forEach(l -> ((List<?>) l).forEach(x -> out.add((ClassificationExample) x)));
            }
        }
        return out;
    }
}
