package org.langneurons.tasks;

import java.nio.file.Path;
import java.util.List;

/**
 * The questions of one SQuAD-format file ({@link Squad#read}) and the answers that were left out because their text
 * is not the context's text at their {@code answer_start}.
 *
 * <pre>{@code
 * QaData train = Squad.read(Path.of("train-v1.1.json"));
 * train.mismatches().forEach(m -> System.err.println("left out: " + m));
 * QaData vi = Squad.read(Path.of("xquad/xquad.vi.json")).requireConsistent();   // XQuAD: none expected
 * }</pre>
 *
 * @param file       the file read
 * @param examples   its questions, in file order, each with the answers whose offsets hold
 * @param mismatches the answers left out, in file order (a question all of whose answers are left out is left out)
 */
public record QaData(Path file, List<QaExample> examples, List<Mismatch> mismatches) {

    /** Copies the lists. */
    public QaData {
        examples = List.copyOf(examples);
        mismatches = List.copyOf(mismatches);
    }

    /** This data when nothing was left out; else a {@link TaskDataException} naming the first mismatch. */
    public QaData requireConsistent() {
        if (mismatches.isEmpty()) {
            return this;
        }
        Mismatch first = mismatches.get(0);
        throw new TaskDataException(file, first.location(), first.problem() + (mismatches.size() == 1 ? ""
                : " (and " + (mismatches.size() - 1) + " more answer(s) not at their offsets)"));
    }

    /**
     * An answer whose text is not in the context at its offset.
     *
     * <pre>{@code
     * QaData.Mismatch m = new QaData.Mismatch("q1", "data[0].paragraphs[0].qas[0].answers[0]", "Denver", 3, "ver wo");
     * String where = m.location();   // "data[0].paragraphs[0].qas[0].answers[0] (question q1)"
     * }</pre>
     *
     * @param questionId  the question's id
     * @param path        the JSON path of the answer
     * @param answer      its text
     * @param answerStart its {@code answer_start} (in code points)
     * @param atOffset    what the context has there (as many characters as the answer, fewer at its end)
     */
    public record Mismatch(String questionId, String path, String answer, int answerStart, String atOffset) {

        /** The JSON path and the question id. */
        public String location() {
            return path + " (question " + questionId + ")";
        }

        /** What is wrong, in words. */
        public String problem() {
            return "answer \"" + answer + "\" is not at answer_start " + answerStart + ": the context has \""
                    + atOffset + "\" there";
        }

        @Override
        public String toString() {
            return location() + ": " + problem();
        }
    }
}
