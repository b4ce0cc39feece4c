package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MultiNLI readers (JSONL and tab-separated) on small files in the official layouts. */
class MultiNliTest {
    static final String TSV_HEADER = String.join("\t", "gold_label", "sentence1_binary_parse",
            "sentence2_binary_parse", "sentence1_parse", "sentence2_parse", "sentence1", "sentence2", "promptID",
            "pairID", "genre", "label1", "label2", "label3", "label4", "label5");

    @TempDir
    Path dir;

    /** One JSONL line with the official fields (annotator labels, parses and genre included). */
    static String json(String gold, String premise, String hypothesis, String pairId) {
        return "{\"annotator_labels\": [\"" + gold + "\"], \"genre\": \"government\", \"gold_label\": \"" + gold
                + "\", \"pairID\": \"" + pairId + "\", \"promptID\": \"31193\", \"sentence1\": \"" + premise
                + "\", \"sentence1_binary_parse\": \"( a b )\", \"sentence1_parse\": \"(ROOT (S))\", \"sentence2\": \""
                + hypothesis + "\", \"sentence2_binary_parse\": \"( c d )\", \"sentence2_parse\": \"(ROOT (S))\"}";
    }

    static String tsvRow(String gold, String premise, String hypothesis, String pairId) {
        return String.join("\t", gold, "( a b )", "( c d )", "(ROOT (S))", "(ROOT (S))", premise, hypothesis,
                "31193", pairId, "government", gold, gold, gold, "", "");
    }

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void jsonlSkipsDashRowsAndBlankLines() throws IOException {
        Path file = write("multinli_1.0_train.jsonl",
                json("neutral", "Conceptually cream skimming has two basic dimensions.", "Product and geography.",
                        "31193n"),
                json("-", "Nobody agreed.", "On this.", "1n"),
                "",
                json("contradiction", "He said \\\"yes\\\".", "He said no.", "2c"),
                json("entailment", "It rained.", "It was wet.", "3e"));
        assertEquals(List.of(
                new ClassificationExample("mnli:31193n", "en", "Conceptually cream skimming has two basic dimensions.",
                        "Product and geography.", 1),
                new ClassificationExample("mnli:2c", "en", "He said \"yes\".", "He said no.", 2),
                new ClassificationExample("mnli:3e", "en", "It rained.", "It was wet.", 0)), MultiNli.read(file));
    }

    @Test
    void tsvReadsTheSameRows() throws IOException {
        Path file = write("multinli_1.0_dev_matched.txt", TSV_HEADER,
                tsvRow("neutral", "He said \"Mom.", "Called.", "31193n"),
                tsvRow("-", "Nobody agreed.", "On this.", "1n"),
                tsvRow("contradiction", "\"Quoted", "not\"", "2c"));
        assertEquals(List.of(
                new ClassificationExample("mnli:31193n", "en", "He said \"Mom.", "Called.", 1),
                new ClassificationExample("mnli:2c", "en", "\"Quoted", "not\"", 2)), MultiNli.read(file));
    }

    @Test
    void badJsonNamesFileAndLine() throws IOException {
        Path file = write("train.jsonl", json("neutral", "a", "b", "1n"), "{\"gold_label\": \"neutral\", ");
        TaskDataException e = assertThrows(TaskDataException.class, () -> MultiNli.readJsonl(file));
        assertEquals(file, e.file());
        assertEquals("line 2", e.location(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + " line 2: "), e.getMessage());
    }

    @Test
    void aLenientOnlyJsonLineIsRejected() throws IOException {
        Path file = write("train.jsonl", "{gold_label: 'neutral', sentence1: 'a', sentence2: 'b', pairID: '1'}");
        TaskDataException e = assertThrows(TaskDataException.class, () -> MultiNli.readJsonl(file));
        assertEquals("line 1", e.location(), e.getMessage());
    }

    @Test
    void aMissingFieldNamesTheFieldAndLine() throws IOException {
        Path file = write("train.jsonl", json("neutral", "a", "b", "1n"), json("neutral", "a", "b", "2n"),
                "{\"gold_label\": \"neutral\", \"sentence1\": \"a\", \"pairID\": \"3n\"}");
        TaskDataException e = assertThrows(TaskDataException.class, () -> MultiNli.readJsonl(file));
        assertEquals(file + " line 3: no \"sentence2\" string", e.getMessage());
    }

    @Test
    void aBadLabelNamesTheLineInBothFormats() throws IOException {
        Path jsonl = write("train.jsonl", json("neutral", "a", "b", "1n"), json("Neutral", "a", "b", "2n"));
        TaskDataException e = assertThrows(TaskDataException.class, () -> MultiNli.read(jsonl));
        assertTrue(e.getMessage().startsWith(jsonl + " line 2: gold_label \"Neutral\" is not one of"),
                e.getMessage());
        Path txt = write("train.txt", TSV_HEADER, tsvRow("neutral", "a", "b", "1n"), tsvRow("neutral", "a", "b", "2n"),
                tsvRow("unknown", "a", "b", "3n"));
        e = assertThrows(TaskDataException.class, () -> MultiNli.read(txt));
        assertTrue(e.getMessage().startsWith(txt + " line 4: gold_label \"unknown\""), e.getMessage());
    }

    @Test
    void aMissingFileNamesItsPath() {
        Path missing = dir.resolve("multinli_1.0/multinli_1.0_train.jsonl");
        TaskDataException e = assertThrows(TaskDataException.class, () -> MultiNli.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        Path missingTxt = dir.resolve("multinli_1.0_train.txt");
        e = assertThrows(TaskDataException.class, () -> MultiNli.read(missingTxt));
        assertEquals(missingTxt + ": no such file", e.getMessage());
    }
}
