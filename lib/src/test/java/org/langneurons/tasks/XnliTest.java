package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The XNLI TSV reader on small files in the official layout (header and 19 columns), good and broken. */
class XnliTest {
    static final String HEADER = String.join("\t", "language", "gold_label", "sentence1_binary_parse",
            "sentence2_binary_parse", "sentence1_parse", "sentence2_parse", "sentence1", "sentence2", "promptID",
            "pairID", "genre", "label1", "label2", "label3", "label4", "label5", "sentence1_tokenized",
            "sentence2_tokenized", "match");

    @TempDir
    Path dir;

    /** One row as the official files have it: the parse columns empty, the annotators' labels, tokenized text. */
    static String row(String language, String gold, String premise, String hypothesis, String pairId) {
        return String.join("\t", language, gold, "", "", "", "", premise, hypothesis, "1", pairId, "facetoface",
                gold, gold, gold, gold, gold, premise, hypothesis, "True");
    }

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("xnli.dev.tsv");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private Path good() throws IOException {
        return write(HEADER,
                row("en", "neutral", "He said, \"Mom, I'm home.", "He called his mother.", "1"),   // unbalanced "
                row("en", "contradiction", "\"Quoted at the start", "ends with a quote\"", "2"),
                row("vi", "neutral", "Và anh ấy nói, \"Mẹ, con về rồi.", "Anh ấy gọi mẹ.", "1"),
                row("en", "entailment", "It rained.", "It was wet.", "3"),
                row("vi", "entailment", "Trời mưa.", "Trời ướt.", "3"));
    }

    @Test
    void readsOneLanguageInFileOrderWithXnliLabels() throws IOException {
        List<ClassificationExample> vi = Xnli.read(good(), Set.of("vi"));
        assertEquals(List.of(
                new ClassificationExample("xnli:vi:1", "vi", "Và anh ấy nói, \"Mẹ, con về rồi.", "Anh ấy gọi mẹ.", 1),
                new ClassificationExample("xnli:vi:3", "vi", "Trời mưa.", "Trời ướt.", 0)), vi);
    }

    @Test
    void unescapedDoubleQuotesStayInTheirFieldAndLine() throws IOException {
        List<ClassificationExample> en = Xnli.read(good(), List.of("en"));
        assertEquals(3, en.size(), "a quote must not join lines: " + en);
        assertEquals("He said, \"Mom, I'm home.", en.get(0).text());
        assertEquals("He called his mother.", en.get(0).pair());
        assertEquals("\"Quoted at the start", en.get(1).text());
        assertEquals("ends with a quote\"", en.get(1).pair());
        assertEquals(2, en.get(1).label());
        assertEquals("xnli:en:3", en.get(2).id());
    }

    @Test
    void readAllKeepsEveryLanguage() throws IOException {
        List<ClassificationExample> all = Xnli.readAll(good());
        assertEquals(List.of("en", "en", "vi", "en", "vi"), all.stream().map(ClassificationExample::language)
                .toList());
        assertEquals(List.of(1, 2, 1, 0, 0), all.stream().map(ClassificationExample::label).toList());
    }

    @Test
    void labelsAreInXnliOrder() {
        assertEquals(List.of("entailment", "neutral", "contradiction"), Xnli.LABELS);
        assertEquals(2, Xnli.label("contradiction"));
        assertEquals(-1, Xnli.label("-"));
    }

    @Test
    void aLanguageNotInTheFileIsAnErrorListingTheFilesLanguages() throws IOException {
        Path file = good();
        TaskDataException e = assertThrows(TaskDataException.class, () -> Xnli.read(file, Set.of("vi", "xx")));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("[xx]") && e.getMessage().contains("[en, vi]"), e.getMessage());
    }

    @Test
    void aBadLabelNamesFileAndLine() throws IOException {
        Path file = write(HEADER, row("en", "neutral", "a", "b", "1"), row("en", "-", "a", "b", "2"),
                row("en", "maybe", "a", "b", "3"));
        TaskDataException e = assertThrows(TaskDataException.class, () -> Xnli.readAll(file));
        assertEquals(file, e.file());
        assertEquals("line 3", e.location(), e.getMessage());   // the "-" row: XNLI has none, so it is an error
        assertTrue(e.getMessage().startsWith(file + " line 3: gold_label \"-\""), e.getMessage());
    }

    @Test
    void aMissingHeaderColumnNamesLineOne() throws IOException {
        String header = HEADER.replace("\tsentence2\t", "\thypothesis\t");
        Path file = write(header, row("en", "neutral", "a", "b", "1"));
        TaskDataException e = assertThrows(TaskDataException.class, () -> Xnli.readAll(file));
        assertTrue(e.getMessage().startsWith(file + " line 1: the header lacks column(s) [sentence2]"),
                e.getMessage());
    }

    @Test
    void aRowMissingFieldsNamesItsLine() throws IOException {
        String shortRow = String.join("\t", "en", "neutral", "", "", "", "", "premise", "hypothesis");   // 8 fields
        Path file = write(HEADER, row("en", "neutral", "a", "b", "1"), "", row("en", "neutral", "c", "d", "2"),
                shortRow);
        TaskDataException e = assertThrows(TaskDataException.class, () -> Xnli.read(file, Set.of("en")));
        // line 3 is empty: a row with an empty language, reported although only "en" is asked for
        assertEquals(file + " line 3: empty language (an empty line?)", e.getMessage());
        Path noBlank = write(HEADER, row("en", "neutral", "a", "b", "1"), shortRow);
        e = assertThrows(TaskDataException.class, () -> Xnli.readAll(noBlank));
        assertEquals("line 3", e.location(), e.getMessage());
        assertTrue(e.getMessage().contains("has 8 tab-separated field(s) but the header has 19, so no"),
                e.getMessage());
    }

    @Test
    void anEmptyHypothesisNamesItsLine() throws IOException {
        Path file = write(HEADER, row("en", "neutral", "a", "b", "1"), row("en", "neutral", "premise", "", "2"));
        TaskDataException e = assertThrows(TaskDataException.class, () -> Xnli.readAll(file));
        assertEquals(file + " line 3: empty sentence2 (the hypothesis)", e.getMessage());
    }

    @Test
    void aMissingFileNamesItsPath() {
        Path missing = dir.resolve("XNLI-1.0/xnli.test.tsv");
        TaskDataException e = assertThrows(TaskDataException.class, () -> Xnli.readAll(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
