package org.langneurons.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named tasks, xnli and xquad assembled from small files in the official layouts as Mondal et al. split them. */
class TaskCatalogTest {
    @TempDir
    Path dir;

    @Test
    void xnliTakesTheFirstFractionOfMultiNliAndEveryTestLanguage() throws IOException {
        List<String> train = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            train.add(MultiNliTest.json(i % 2 == 0 ? "entailment" : "contradiction", "p" + i, "h" + i, i + "e"));
        }
        Files.writeString(dir.resolve("multinli_1.0_train.jsonl"), String.join("\n", train) + "\n");
        Files.writeString(dir.resolve("xnli.dev.tsv"), String.join("\n", XnliTest.HEADER,
                XnliTest.row("en", "neutral", "a", "b", "1"), XnliTest.row("vi", "neutral", "a", "b", "1")) + "\n");
        Files.writeString(dir.resolve("xnli.test.tsv"), String.join("\n", XnliTest.HEADER,
                XnliTest.row("en", "neutral", "c", "d", "7"), XnliTest.row("hi", "neutral", "c", "d", "7"),
                XnliTest.row("en", "contradiction", "e", "f", "8"), XnliTest.row("hi", "contradiction", "e", "f", "8"))
                + "\n");
        ParallelClassificationTask t = TaskCatalog.classification("xnli", dir, 0.25);
        assertEquals(List.of("mnli:0e", "mnli:1e"), t.train().stream().map(ClassificationExample::id).toList());
        assertEquals(List.of(0, 2), t.train().stream().map(ClassificationExample::label).toList());
        assertEquals(1, t.validation().size());
        assertEquals("en", t.validation().get(0).language());
        assertEquals(List.of("en", "hi"), t.languages());
        assertEquals(List.of("xnli:hi:7", "xnli:hi:8"), t.test().get("hi").stream().map(ClassificationExample::id)
                .toList());
        assertEquals(TaskCatalog.Kind.CLASSIFICATION, TaskCatalog.kind("xnli"));

        Files.delete(dir.resolve("multinli_1.0_train.jsonl"));
        // an evaluation reads the test file alone
        assertEquals(t.test(), TaskCatalog.classificationTest("xnli", dir));
        TaskDataException e = assertThrows(TaskDataException.class, () -> TaskCatalog.classification("xnli", dir,
                0.25));
        assertTrue(e.getMessage().contains("multinli_1.0_train.jsonl"), e.getMessage());
    }

    private static String xquad(String language, int questions) {
        StringBuilder qas = new StringBuilder();
        for (int i = 0; i < questions; i++) {
            qas.append(i == 0 ? "" : ",").append("{\"id\": \"q").append(i).append("\", \"question\": \"")
                    .append(language).append(" question ").append(i).append("?\", \"answers\": [{\"text\": \"Denver\","
                    + " \"answer_start\": 0}]}");
        }
        return "{\"version\": \"1.0\", \"data\": [{\"title\": \"t\", \"paragraphs\": [{\"context\": \"Denver won.\","
                + " \"qas\": [" + qas + "]}]}]}";
    }

    @Test
    void xquadTrainsOnTheFirstEightyPercentOfEnglishAndTestsOnTheLastTwentyOfEach() throws IOException {
        Files.writeString(dir.resolve("xquad.en.json"), xquad("en", 40));
        Files.writeString(dir.resolve("xquad.vi.json"), xquad("vi", 40));
        ParallelQaTask t = TaskCatalog.qa("xquad", dir);
        // 32 questions train (the last 1/20 of them, 1, held out for validation), 8 test per language
        assertEquals(31, t.train().size());
        assertEquals(List.of("q31"), t.validation().stream().map(QaExample::id).toList());
        assertEquals(List.of("en", "vi"), t.languages());
        assertEquals(8, t.test().get("vi").size());
        assertEquals("q32", t.test().get("vi").get(0).id());
        assertEquals(t.test().get("en").stream().map(QaExample::id).toList(),
                t.test().get("vi").stream().map(QaExample::id).toList());
        Files.delete(dir.resolve("xquad.en.json"));
        assertThrows(TaskDataException.class, () -> TaskCatalog.qa("xquad", dir));
    }

    @Test
    void squadXquadTrainsOnSquadAndTestsOnWholeXquadFiles() throws IOException {
        Files.writeString(dir.resolve("train-v1.1.json"), xquad("en", 12));
        Files.writeString(dir.resolve("dev-v1.1.json"), xquad("en", 3));
        TaskDataException missing = assertThrows(TaskDataException.class, () -> TaskCatalog.qa("squad-xquad", dir));
        assertTrue(missing.getMessage().contains("xquad.LANG.json"), missing.getMessage());
        Files.writeString(dir.resolve("xquad.vi.json"), xquad("vi", 5));
        ParallelQaTask t = TaskCatalog.qa("squad-xquad", dir);
        assertEquals(12, t.train().size());
        assertEquals(3, t.validation().size());
        assertEquals(List.of("vi"), t.languages());
        assertEquals(5, t.test().get("vi").size());
        Files.delete(dir.resolve("dev-v1.1.json"));
        missing = assertThrows(TaskDataException.class, () -> TaskCatalog.qa("squad-xquad", dir));
        assertTrue(missing.getMessage().contains("dev-v1.1.json"), missing.getMessage());
    }

    @Test
    void unknownNamesAndMissingFoldersSaySo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskCatalog.kind("sst2"));
        assertTrue(e.getMessage().contains("module-classification"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TaskCatalog.classification("xnli", null, 0.25));
        assertTrue(e.getMessage().contains("--data"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskCatalog.qa("module-classification", null));
        assertEquals(4, TaskCatalog.classification("module-classification", null, 1).labels().size());
    }
}
