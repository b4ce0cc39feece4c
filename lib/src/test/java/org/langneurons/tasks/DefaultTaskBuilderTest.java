package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder on a small synthetic corpus (en, fr with the help; ta without), laid out so that every page's split
 * follows from the rules whatever the hash order of the pages:
 *
 * <ul>
 *   <li>per label, page A is in fr's shipped validation split (so it can only be train), page B has no French
 *       paragraphs (so it cannot be test and becomes validation), page C is translated and only in train (test);</li>
 *   <li>for headings, page h1 (en+fr, train only) is test, h2 has an English-only heading (validation), h3 is in
 *       fr's identification split (train).</li>
 * </ul>
 */
class DefaultTaskBuilderTest {
    private static final List<String> MODULES = List.of("swriter", "scalc", "simpress", "sbasic");
    private static final List<String> LABELS = List.of("writer", "calc", "impress-draw", "basic");
    private static final DefaultTaskBuilder.Sizes SIZES = new DefaultTaskBuilder.Sizes(1, 1, 2, 5, 2, 1, 3, 6);

    @TempDir
    Path tmp;

    /** lang -> split -> lines "id\ttext". */
    private final Map<String, Map<String, List<String>>> corpus = new LinkedHashMap<>();

    @Test
    void splitsPagesByTheRules() throws Exception {
        Path dir = syntheticCorpus();
        Path out = tmp.resolve("tasks");
        List<DefaultTaskBuilder.Built> built = DefaultTaskBuilder.build(dir, out, SIZES);

        assertEquals(List.of(new DefaultTaskBuilder.Built("module-classification", 4, 4, Map.of("en", 8, "fr", 8)),
                new DefaultTaskBuilder.Built("heading-extraction", 2, 1, Map.of("en", 3, "fr", 3))), built);
        assertEquals(List.of("en", "fr"), List.copyOf(built.get(0).test().keySet()), "ta has no help: no test set");

        // module-classification: train = A's one long paragraph, validation = B's first, test = C's first two
        List<ClassificationExample> train = DefaultTaskFiles.readClassification(
                out.resolve("module-classification/train.jsonl"), LABELS);
        List<ClassificationExample> validation = DefaultTaskFiles.readClassification(
                out.resolve("module-classification/validation.jsonl"), LABELS);
        Map<String, List<ClassificationExample>> test = new LinkedHashMap<>();
        for (String lang : List.of("en", "fr")) {
            test.put(lang, DefaultTaskFiles.readClassification(
                    out.resolve("module-classification/test/" + lang + ".jsonl"), LABELS));
        }
        Set<String> expectTrain = new TreeSet<>(), expectValidation = new TreeSet<>(), expectTest = new TreeSet<>();
        for (String m : MODULES) {
            expectTrain.add(id(m, "a", 1));
            expectValidation.add(id(m.equals("simpress") ? "sdraw" : m, "b", 1));
            expectTest.add(id(m, "c", 1));
            expectTest.add(id(m, "c", 2));
        }
        assertEquals(expectTrain, ids(train));
        assertEquals(expectValidation, ids(validation));
        assertEquals(expectTest, ids(test.get("en")));
        for (ClassificationExample e : Stream.concat(train.stream(), validation.stream()).toList()) {
            assertEquals(LABELS.get(MODULES.indexOf(module(e.id()))), LABELS.get(e.label()), e.id());
            assertEquals("en", e.language());
            assertEquals(english(e.id()), e.text());
        }
        assertEquals(test.get("en").stream().map(ClassificationExample::id).toList(),
                test.get("fr").stream().map(ClassificationExample::id).toList(), "same items, same order");
        for (ClassificationExample e : test.get("fr")) {
            assertEquals("fr", e.language());
            assertEquals(french(e.id()), e.text());
            assertEquals(test.get("en").stream().filter(x -> x.id().equals(e.id())).findFirst().orElseThrow().label(),
                    e.label());
        }

        // heading-extraction: h1's three paragraphs (p0 has no heading above: the first, A), h2's one, h3's two
        List<QaExample> qaTest = DefaultTaskFiles.readQa(out.resolve("heading-extraction/test/fr.jsonl"));
        Map<String, String> headingOf = Map.of("lohelp:shared/h1#par_id0", "lohelp:shared/h1#hd_idA",
                "lohelp:shared/h1#par_id1", "lohelp:shared/h1#hd_idA",
                "lohelp:shared/h1#par_id2", "lohelp:shared/h1#hd_idB");
        assertEquals(headingOf.keySet(), qaTest.stream().map(QaExample::id).collect(Collectors.toSet()));
        int headingFirst = 0;
        for (QaExample q : qaTest) {
            String heading = french(headingOf.get(q.id())), paragraph = french(q.id());
            assertEquals(List.of(heading), q.answers());
            assertEquals(DefaultTaskBuilder.HEADING_QUESTION, q.question());
            if (q.answerStarts().get(0) == 0) {
                headingFirst++;
                assertEquals(heading + "\n" + paragraph, q.context());
            } else {
                assertEquals(paragraph + "\n" + heading, q.context());
                assertEquals(paragraph.length() + 1, q.answerStarts().get(0));
            }
        }
        assertEquals(2, headingFirst, "positions 0 and 2 of 3 put the heading first");
        List<QaExample> qaValidation = DefaultTaskFiles.readQa(out.resolve("heading-extraction/validation.jsonl"));
        assertEquals(1, qaValidation.size());
        assertEquals("lohelp:smath/h2#par_id1", qaValidation.get(0).id());
        assertEquals(List.of(english("lohelp:smath/h2#hd_idX")), qaValidation.get(0).answers());
        assertEquals(Set.of("lohelp:shared/h3#par_id1", "lohelp:shared/h3#par_id2"),
                DefaultTaskFiles.readQa(out.resolve("heading-extraction/train.jsonl")).stream().map(QaExample::id)
                        .collect(Collectors.toSet()));
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"languages\": [\n    \"en\",\n    \"fr\"\n  ]"), manifest);
    }

    @Test
    void sameCorpusGivesByteIdenticalFiles() throws Exception {
        Path dir = syntheticCorpus();
        DefaultTaskBuilder.build(dir, tmp.resolve("one"), SIZES);
        DefaultTaskBuilder.build(dir, tmp.resolve("two"), SIZES);
        List<Path> files;
        try (Stream<Path> s = Files.walk(tmp.resolve("one"))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(9, files.size(), "manifest + 2 tasks x (train, validation, 2 test languages): " + files);
        for (Path f : files) {
            Path other = tmp.resolve("two").resolve(tmp.resolve("one").relativize(f));
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), f.toString());
        }
    }

    @Test
    void tooSmallACorpusSaysWhatIsMissing() throws Exception {
        Path dir = syntheticCorpus();
        DefaultTaskBuilder.Sizes big = new DefaultTaskBuilder.Sizes(1, 1, 4, 5, 2, 1, 3, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefaultTaskBuilder.build(dir, tmp.resolve("x"), big));
        assertTrue(e.getMessage().contains("only 3 examples for module-classification test, label writer"),
                e.getMessage());
    }

    @Test
    void theShippedCorpusWithoutTrainIsRefusedByName() throws Exception {
        Path dir = syntheticCorpus();
        Files.delete(dir.resolve("en/train.txt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefaultTaskBuilder.build(dir, tmp.resolve("x"), SIZES));
        assertTrue(e.getMessage().startsWith(dir.resolve("en/train.txt") + " is missing"), e.getMessage());
    }

    // ---- the synthetic corpus ----

    private Path syntheticCorpus() throws Exception {
        for (String lang : List.of("en", "fr", "ta")) {
            Map<String, List<String>> splits = new LinkedHashMap<>();
            for (String s : List.of("train", "validation", "identification")) {
                splits.put(s, new ArrayList<>());
            }
            corpus.put(lang, splits);
        }
        for (String m : MODULES) {
            String impressOrDraw = m.equals("simpress") ? "sdraw" : m;    // B of impress-draw is a Draw page
            // A: translated, but fr's corpus holds it in validation (shipped text): train only
            page(m, "a", "train", "validation", 1);
            add("en", "train", id(m, "a", 9), "Too short.");                       // under 30 characters: unused
            // B: no French: not test; validation takes its first paragraph
            if (m.equals("swriter")) {
                // an id the help repeats within a page is ambiguous and left out (else validation would take it)
                add("en", "train", "lohelp:swriter/b#par_id0", english("lohelp:swriter/b#par_id0"));
                add("en", "train", "lohelp:swriter/b#par_id0", english("lohelp:swriter/b#par_id0") + " Again.");
            }
            page(impressOrDraw, "b", "train", null, 2);
            // C: translated, train everywhere: test takes its first two of three paragraphs
            page(m, "c", "train", "train", 3);
        }
        // pages of modules the classification leaves out
        page("smath", "z", "train", "train", 2);
        // headings: h1 test, h2 validation (heading in English only), h3 train (fr puts it in identification)
        for (String lang : List.of("en", "fr")) {
            for (String id : List.of("lohelp:shared/h1#par_id0", "lohelp:shared/h1#hd_idA",
                    "lohelp:shared/h1#par_id1", "lohelp:shared/h1#hd_idB", "lohelp:shared/h1#par_id2")) {
                add(lang, "train", id, lang.equals("en") ? english(id) : french(id));
            }
        }
        add("en", "train", "lohelp:smath/h2#hd_idX", english("lohelp:smath/h2#hd_idX"));
        add("en", "train", "lohelp:smath/h2#par_id1", english("lohelp:smath/h2#par_id1"));
        add("fr", "train", "lohelp:smath/h2#par_id1", french("lohelp:smath/h2#par_id1"));
        for (String lang : List.of("en", "fr")) {
            String split = lang.equals("fr") ? "identification" : "train";
            for (String id : List.of("lohelp:shared/h3#hd_idY", "lohelp:shared/h3#par_id1",
                    "lohelp:shared/h3#par_id2")) {
                add(lang, split, id, lang.equals("en") ? english(id) : french(id));
            }
        }
        add("ta", "train", "udhr:article-1", "எல்லா மனிதர்களும் சுதந்திரமாகவே பிறக்கின்றனர்.");

        Path dir = tmp.resolve("corpus");
        StringBuilder manifest = new StringBuilder("{\"format\":\"langneurons-corpus/1\",\"built\":\"test\",");
        manifest.append("\"sources\":{\"lohelp\":{\"title\":\"LibreOffice help\",\"license\":\"MPL-2.0\",")
                .append("\"copyright\":\"LibreOffice contributors\",\"packages\":{}}},\"languages\":{");
        manifest.append(corpus.keySet().stream().map(l -> "\"" + l + "\":{}").collect(Collectors.joining(",")));
        manifest.append("}}");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("manifest.json"), manifest);
        for (var lang : corpus.entrySet()) {
            Files.createDirectories(dir.resolve(lang.getKey()));
            for (var split : lang.getValue().entrySet()) {
                StringBuilder ids = new StringBuilder(), txt = new StringBuilder();
                for (String line : split.getValue()) {
                    ids.append(line, 0, line.indexOf('\t')).append('\n');
                    txt.append(line.substring(line.indexOf('\t') + 1)).append('\n');
                }
                Files.writeString(dir.resolve(lang.getKey()).resolve(split.getKey() + ".ids"), ids,
                        StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(lang.getKey()).resolve(split.getKey() + ".txt"), txt,
                        StandardCharsets.UTF_8);
            }
        }
        return dir;
    }

    /** A page of {@code n} paragraphs in English (in {@code enSplit}) and in French (in {@code frSplit}, if any). */
    private void page(String module, String page, String enSplit, String frSplit, int n) {
        for (int i = 1; i <= n; i++) {
            add("en", enSplit, id(module, page, i), english(id(module, page, i)));
            if (frSplit != null) {
                add("fr", frSplit, id(module, page, i), french(id(module, page, i)));
            }
        }
    }

    private void add(String lang, String split, String id, String text) {
        corpus.get(lang).get(split).add(id + "\t" + text);
    }

    private static String id(String module, String page, int paragraph) {
        return "lohelp:" + module + "/" + page + "#par_id" + paragraph;
    }

    private static String module(String id) {
        String m = id.substring("lohelp:".length(), id.indexOf('/'));
        return m.equals("sdraw") ? "simpress" : m;
    }

    /** A distinct English text of at least 30 characters for every id. */
    private static String english(String id) {
        return "This paragraph explains the document " + id + " in English.";
    }

    private static String french(String id) {
        return "Ce paragraphe explique le document " + id + " en français.";
    }

    private static Set<String> ids(List<ClassificationExample> examples) {
        return examples.stream().map(ClassificationExample::id).collect(Collectors.toCollection(TreeSet::new));
    }
}
