package org.langneurons.tasks;

import ai.djl.basicdataset.tabular.CsvDataset;
import ai.djl.basicdataset.tabular.utils.Feature;
import ai.djl.basicdataset.tabular.utils.Featurizers;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * A tab-separated file with a header line (XNLI's {@code xnli.*.tsv}, MultiNLI's {@code multinli_1.0_*.txt}), read
 * with DJL's {@link CsvDataset}; cells are looked up by row and column name, and errors name the file and line.
 *
 * <p>Quoting is off: these files put double quotes into sentences unescaped ({@code He said "no.}), as Python's
 * {@code csv.QUOTE_NONE} reads them; with quotes off a record never spans lines, so row {@code r} (0-based) is
 * line {@code r + 2} of the file (line 1 is the header; empty lines are kept as rows so the count stays right).
 * Fields are kept as they are (no trimming).
 */
final class TsvTable {
    /** Tabs, no quotes or escapes, nothing trimmed, empty lines kept, the first line the header. */
    private static final CSVFormat FORMAT = CSVFormat.TDF.builder()
            .setQuote(null)
            .setEscape(null)
            .setIgnoreSurroundingSpaces(false)
            .setTrim(false)
            .setIgnoreEmptyLines(false)
            .setHeader()
            .setSkipHeaderRecord(true)
            .get();

    private final Path file;
    private final CsvDataset data;
    private final List<String> header;

    private TsvTable(Path file, CsvDataset data, List<String> header) {
        this.file = file;
        this.data = data;
        this.header = header;
    }

    /**
     * Reads {@code file}, which must have each of {@code required} in its header; a file without data rows reads
     * as an empty table.
     */
    static TsvTable read(Path file, List<String> required) {
        if (!Files.isRegularFile(file)) {
            throw new TaskDataException(file, "", "no such file");
        }
        // CsvDataset wants a feature and a sampler although we only read cells: give it one string column
        CsvDataset data = CsvDataset.builder()
                .optCsvFile(file)
                .setCsvFormat(FORMAT)
                .addFeature(new Feature(required.get(0), Featurizers.getStringFeaturizer(false)))
                .noLabels()
                .setSampling(1, false)
                .build();
        try {
            data.prepare();
        } catch (IOException | UncheckedIOException | TranslateException e) {
            throw new TaskDataException(file, "", "cannot be read: " + e.getMessage(), e);
        }
        List<String> header = data.getColumnNames();
        if (data.size() > 0) {
            List<String> missing = required.stream().filter(c -> !header.contains(c)).toList();
            if (!missing.isEmpty()) {
                throw new TaskDataException(file, "line 1", "the header lacks column(s) " + missing
                        + "; it has " + header);
            }
        }
        return new TsvTable(file, data, header);
    }

    /** The number of data rows. */
    int rows() {
        return Math.toIntExact(data.size());
    }

    /** The line of the file that holds row {@code row}. */
    static int line(int row) {
        return row + 2;
    }

    /** The cell of {@code row} in {@code column}; a row too short to have it is an error naming its line. */
    String cell(int row, String column) {
        try {
            return data.getCell(row, column);
        } catch (IllegalArgumentException e) {
            // commons-csv: the row has fewer fields than the header; count them for the message
            int fields = 0;
            while (fields < header.size() && has(row, header.get(fields))) {
                fields++;
            }
            throw new TaskDataException(file, "line " + line(row), "has " + fields + " tab-separated field(s) but "
                    + "the header has " + header.size() + ", so no " + column, e);
        }
    }

    private boolean has(int row, String column) {
        try {
            data.getCell(row, column);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The file read. */
    Path file() {
        return file;
    }
}
