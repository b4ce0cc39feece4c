package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task files' JSON lines: what is written reads back, and every malformed line is reported by file and line. */
class DefaultTaskFilesTest {
    private static final List<String> LABELS = List.of("writer", "calc");

    @TempDir
    Path dir;

    @Test
    void classificationLinesReadBackAsWritten() throws Exception {
        ClassificationExample a = new ClassificationExample("lohelp:scalc/x#par_id1", "fr", "Calcule la somme \"=\".",
                null, 1);
        Path f = write("a.jsonl", DefaultTaskFiles.classificationLine(a, LABELS) + "\n");
        assertEquals("{\"id\":\"lohelp:scalc/x#par_id1\",\"language\":\"fr\",\"text\":\"Calcule la somme \\\"=\\\".\","
                + "\"label\":\"calc\"}\n", Files.readString(f));
        assertEquals(List.of(a), DefaultTaskFiles.readClassification(f, LABELS));
    }

    @Test
    void qaLinesReadBackAsWritten() throws Exception {
        String paragraph = "पाठ लिखें.";
        QaExample q = new QaExample("lohelp:swriter/y#par_id2", "hi", paragraph + "\nशीर्षक", "Which?",
                List.of("शीर्षक"), List.of(paragraph.length() + 1));
        Path f = write("q.jsonl", DefaultTaskFiles.qaLine(q) + "\n");
        assertEquals(List.of(q), DefaultTaskFiles.readQa(f));
    }

    @Test
    void malformedJsonNamesFileAndLine() throws Exception {
        Path f = write("bad.jsonl", "{\"id\":\"a\",\"language\":\"en\",\"text\":\"Some text here.\",\"label\":\"calc\"}\n"
                + "{\"id\":\"b\",\"language\":\"en\",\"text\":\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefaultTaskFiles.readClassification(f, LABELS));
        assertTrue(e.getMessage().startsWith(f + " line 2: not JSON"), e.getMessage());
    }

    @Test
    void unknownLabelMissingFieldAndEmptyLineNameTheLine() throws Exception {
        Path label = write("label.jsonl", "{\"id\":\"a\",\"language\":\"en\",\"text\":\"Text.\",\"label\":\"math\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefaultTaskFiles.readClassification(label, LABELS));
        assertEquals(label + " line 1: unknown label \"math\" (the task's labels are [writer, calc])", e.getMessage());

        Path missing = write("missing.jsonl", "{\"id\":\"a\",\"language\":\"en\",\"text\":\"x\",\"label\":\"calc\"}\n"
                + "{\"id\":\"b\",\"language\":\"en\",\"label\":\"calc\"}\n");
        e = assertThrows(IllegalArgumentException.class, () -> DefaultTaskFiles.readClassification(missing, LABELS));
        assertEquals(missing + " line 2: no \"text\" string field", e.getMessage());

        Path empty = write("empty.jsonl", "{\"id\":\"a\",\"language\":\"en\",\"text\":\"x\",\"label\":\"calc\"}\n\n");
        e = assertThrows(IllegalArgumentException.class, () -> DefaultTaskFiles.readClassification(empty, LABELS));
        assertTrue(e.getMessage().startsWith(empty + " line 2: empty line"), e.getMessage());
    }

    @Test
    void answerNotAtItsOffsetNamesTheLine() throws Exception {
        Path f = write("qa.jsonl", "{\"id\":\"a\",\"language\":\"en\",\"context\":\"Heading\\nBody text.\","
                + "\"question\":\"Q?\",\"answers\":[\"Heading\"],\"answer_starts\":[0]}\n"
                + "{\"id\":\"b\",\"language\":\"en\",\"context\":\"Heading\\nBody text.\","
                + "\"question\":\"Q?\",\"answers\":[\"Heading\"],\"answer_starts\":[1]}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DefaultTaskFiles.readQa(f));
        assertEquals(f + " line 2: answer \"Heading\" is not at offset 1 of the context", e.getMessage());
    }

    @Test
    void invalidUtf8NamesTheLine() throws Exception {
        Path f = dir.resolve("latin1.jsonl");
        Files.write(f, "{\"id\":\"a\",\"language\":\"fr\",\"text\":\"caf\u00e9\",\"label\":\"calc\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefaultTaskFiles.readClassification(f, LABELS));
        assertTrue(e.getMessage().startsWith(f + " line 1: not UTF-8 text"), e.getMessage());
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }
}
