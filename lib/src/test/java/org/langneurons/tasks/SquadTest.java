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

/** The SQuAD v1.1 / XQuAD reader on small files in the official layout, good and broken. */
class SquadTest {
    @TempDir
    Path dir;

    /**
     * Two articles; the second context starts with U+1D538 (outside the BMP), so its answer_start (12, in code
     * points) is one less than the Java index (13).
     */
    static final String GOOD = """
            {"version": "1.0", "data": [
              {"title": "Super_Bowl_50", "paragraphs": [
                {"context": "Denver won Super Bowl 50.", "qas": [
                  {"id": "q1", "question": "Who won?",
                   "answers": [{"text": "Denver", "answer_start": 0}, {"text": "Denver", "answer_start": 0}]},
                  {"id": "q2", "question": "Which Super Bowl?",
                   "answers": [{"text": "Super Bowl 50", "answer_start": 11}]}]}]},
              {"title": "Ha_Noi", "paragraphs": [
                {"context": "\\uD835\\uDD38 Thành phố Hà Nội.", "qas": [
                  {"id": "q3", "question": "Thành phố nào?", "answers": [{"text": "Hà Nội", "answer_start": 12}]}]}]}
            ]}
            """;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsEveryQuestionWithItsLanguageFromTheFileName() throws IOException {
        QaData data = Squad.read(write("xquad.vi.json", GOOD)).requireConsistent();
        assertEquals(List.of(
                new QaExample("q1", "vi", "Denver won Super Bowl 50.", "Who won?", List.of("Denver", "Denver"),
                        List.of(0, 0)),
                new QaExample("q2", "vi", "Denver won Super Bowl 50.", "Which Super Bowl?", List.of("Super Bowl 50"),
                        List.of(11)),
                new QaExample("q3", "vi", "\uD835\uDD38 Thành phố Hà Nội.", "Thành phố nào?", List.of("Hà Nội"),
                        List.of(12))), data.examples());
        assertEquals(List.of(), data.mismatches());
        QaExample q3 = data.examples().get(2);
        assertEquals(13, q3.context().indexOf("Hà Nội"));   // the Java index; answer_start counts code points
        assertEquals(13, q3.context().offsetByCodePoints(0, q3.answerStarts().get(0)));
    }

    @Test
    void languageComesFromTheOfficialNames() {
        assertEquals("zh", Squad.languageOf(Path.of("xquad/xquad.zh.json")));
        assertEquals("en", Squad.languageOf(Path.of("train-v1.1.json")));
        assertEquals("en", Squad.languageOf(Path.of("dev-v1.1.json")));
        TaskDataException e = assertThrows(TaskDataException.class, () -> Squad.languageOf(Path.of("qa.json")));
        assertTrue(e.getMessage().startsWith("qa.json: cannot tell the language"), e.getMessage());
    }

    @Test
    void answersNotAtTheirOffsetAreLeftOutAndListed() throws IOException {
        String text = GOOD.replace("{\"text\": \"Denver\", \"answer_start\": 0}]",
                        "{\"text\": \"Denver\", \"answer_start\": 1}]")   // q1's second answer one off
                .replace("\"answer_start\": 11", "\"answer_start\": 999");   // q2's only answer out of range
        Path file = write("train-v1.1.json", text);
        QaData data = Squad.read(file);
        assertEquals(List.of("q1", "q3"), data.examples().stream().map(QaExample::id).toList());
        assertEquals(List.of("Denver"), data.examples().get(0).answers());
        assertEquals("en", data.examples().get(0).language());
        assertEquals(List.of(
                new QaData.Mismatch("q1", "data[0].paragraphs[0].qas[0].answers[1]", "Denver", 1, "enver "),
                new QaData.Mismatch("q2", "data[0].paragraphs[0].qas[1].answers[0]", "Super Bowl 50", 999, "")),
                data.mismatches());
        TaskDataException e = assertThrows(TaskDataException.class, data::requireConsistent);
        assertEquals(file + " data[0].paragraphs[0].qas[0].answers[1] (question q1): answer \"Denver\" is not at "
                + "answer_start 1: the context has \"enver \" there (and 1 more answer(s) not at their offsets)",
                e.getMessage());
    }

    @Test
    void badJsonNamesTheFileAndLine() throws IOException {
        Path file = write("xquad.de.json", GOOD.substring(0, GOOD.indexOf("\"q2\"")));
        TaskDataException e = assertThrows(TaskDataException.class, () -> Squad.read(file));
        assertTrue(e.getMessage().startsWith(file + ": is not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("line 6"), e.getMessage());   // Gson's position: where the text ends
    }

    @Test
    void aMissingFieldNamesItsPathAndQuestion() throws IOException {
        Path file = write("xquad.de.json", GOOD.replace("\"question\": \"Which Super Bowl?\",", ""));
        TaskDataException e = assertThrows(TaskDataException.class, () -> Squad.read(file));
        assertEquals(file + " data[0].paragraphs[0].qas[1] (question q2): no \"question\" string", e.getMessage());
        Path noContext = write("xquad.es.json", GOOD.replace("\"context\": \"Denver won Super Bowl 50.\",", ""));
        e = assertThrows(TaskDataException.class, () -> Squad.read(noContext));
        assertEquals(noContext + " data[0].paragraphs[0]: no \"context\" string", e.getMessage());
    }

    @Test
    void aNonIntegerOffsetNamesTheAnswer() throws IOException {
        Path file = write("xquad.de.json", GOOD.replace("\"answer_start\": 11", "\"answer_start\": \"11\""));
        TaskDataException e = assertThrows(TaskDataException.class, () -> Squad.read(file));
        assertEquals(file + " data[0].paragraphs[0].qas[1].answers[0] (question q2): no \"answer_start\" integer "
                + "(found \"11\")", e.getMessage());
    }

    @Test
    void anUnanswerableQuestionIsAnError() throws IOException {
        Path file = write("dev-v1.1.json", GOOD.replace("[{\"text\": \"Super Bowl 50\", \"answer_start\": 11}]", "[]"));
        TaskDataException e = assertThrows(TaskDataException.class, () -> Squad.read(file));
        assertTrue(e.getMessage().startsWith(file + " data[0].paragraphs[0].qas[1] (question q2): has no answers"),
                e.getMessage());
    }

    @Test
    void aMissingFileNamesItsPath() {
        Path missing = dir.resolve("xquad/xquad.th.json");
        TaskDataException e = assertThrows(TaskDataException.class, () -> Squad.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
