package org.langneurons.tasks;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MultiNLI 1.0 (Williams et al. 2018), the English data XNLI was translated from and Mondal et al.'s XNLI training
 * set: {@code multinli_1.0_train.jsonl} (or {@code _dev_matched} / {@code _dev_mismatched}), or the tab-separated
 * {@code .txt} twin of each. Labels are {@link Xnli#LABELS} (entailment 0, neutral 1, contradiction 2); every
 * example is {@code "en"} with id {@code mnli:PAIRID}.
 *
 * <p><b>Skipped rows.</b> A row whose {@code gold_label} is {@code "-"} (the annotators did not agree; there are
 * such rows in the dev files) is skipped, as the official loaders (Hugging Face's {@code multi_nli}, GLUE) do. Any
 * other label outside the three is an error naming the line.
 *
 * <p><b>Formats.</b> JSONL: one object a line with string fields {@code gold_label}, {@code sentence1} (premise),
 * {@code sentence2} (hypothesis) and {@code pairID}; other fields are ignored, and so are blank lines. The
 * {@code .txt}: tab-separated with the header {@code gold_label sentence1_binary_parse sentence2_binary_parse
 * sentence1_parse sentence2_parse sentence1 sentence2 promptID pairID genre label1 ... label5}, unquoted, read like
 * XNLI's files (see {@link Xnli} for how and why with DJL's {@code CsvDataset}). The JSONL reader streams the file;
 * the {@code .txt} reader holds it whole while reading.
 *
 * <pre>{@code
 * List<ClassificationExample> train = MultiNli.read(Path.of("multinli_1.0/multinli_1.0_train.jsonl"));
 * List<ClassificationExample> quarter = train.subList(0, train.size() / 4);   // Mondal et al.: the first 25%
 * }</pre>
 */
public final class MultiNli {
    private static final List<String> COLUMNS = List.of("gold_label", "sentence1", "sentence2", "pairID");

    private MultiNli() {
    }

    /** The examples of {@code file}: JSONL when its name ends in {@code .jsonl}, else the tab-separated format. */
    public static List<ClassificationExample> read(Path file) {
        return file.getFileName().toString().endsWith(".jsonl") ? readJsonl(file) : readTsv(file);
    }

    /** The examples of a MultiNLI {@code .jsonl} file, in file order. */
    public static List<ClassificationExample> readJsonl(Path jsonl) {
        if (!Files.isRegularFile(jsonl)) {
            throw new TaskDataException(jsonl, "", "no such file");
        }
        List<ClassificationExample> out = new ArrayList<>();
        int line = 0;
        try (BufferedReader reader = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                line++;
                if (!text.isBlank()) {
                    ClassificationExample e = jsonExample(jsonl, line, text);
                    if (e != null) {
                        out.add(e);
                    }
                }
            }
        } catch (CharacterCodingException e) {
            throw new TaskDataException(jsonl, "line " + (line + 1), "is not valid UTF-8", e);
        } catch (IOException e) {
            throw new TaskDataException(jsonl, "", "cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    /** The examples of a MultiNLI tab-separated {@code .txt} file, in file order. */
    public static List<ClassificationExample> readTsv(Path txt) {
        TsvTable table = TsvTable.read(txt, COLUMNS);
        List<ClassificationExample> out = new ArrayList<>();
        for (int row = 0; row < table.rows(); row++) {
            String location = "line " + TsvTable.line(row);
            ClassificationExample e = example(txt, location, table.cell(row, "gold_label"),
                    table.cell(row, "sentence1"), table.cell(row, "sentence2"), table.cell(row, "pairID"));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static ClassificationExample jsonExample(Path file, int line, String text) {
        String gold, premise, hypothesis, pairId;
        try {
            JsonElement value = StrictJson.parse(new StringReader(text));
            if (!value.isJsonObject()) {
                throw new JsonParseException("not a JSON object");
            }
            gold = StrictJson.string(value.getAsJsonObject(), "gold_label");
            premise = StrictJson.string(value.getAsJsonObject(), "sentence1");
            hypothesis = StrictJson.string(value.getAsJsonObject(), "sentence2");
            pairId = StrictJson.string(value.getAsJsonObject(), "pairID");
        } catch (JsonParseException | IOException e) {
            throw new TaskDataException(file, "line " + line, e.getMessage(), e);
        }
        return example(file, "line " + line, gold, premise, hypothesis, pairId);
    }

    /** The example of one row, or null for a {@code "-"} row. */
    private static ClassificationExample example(Path file, String location, String gold, String premise,
            String hypothesis, String pairId) {
        if (gold.equals("-")) {
            return null;
        }
        int label = Xnli.label(gold);
        if (label < 0) {
            throw new TaskDataException(file, location, "gold_label \"" + gold + "\" is not one of " + Xnli.LABELS
                    + " or \"-\"");
        }
        return NliRows.example(file, location, "mnli:" + pairId, "en", premise, hypothesis, label);
    }
}
