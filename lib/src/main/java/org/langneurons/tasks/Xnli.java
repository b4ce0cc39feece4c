package org.langneurons.tasks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * XNLI (Conneau et al. 2018): the official {@code xnli.dev.tsv} and {@code xnli.test.tsv} of {@code XNLI-1.0.zip},
 * as premise / hypothesis pairs labelled in XNLI order: {@code entailment} 0, {@code neutral} 1,
 * {@code contradiction} 2 ({@link #LABELS}, the order of Hugging Face's {@code xnli} dataset, which Mondal et al.
 * trained with). MultiNLI ({@link MultiNli}) uses the same labels.
 *
 * <p><b>Format.</b> Tab-separated, UTF-8, one header line: {@code language gold_label sentence1_binary_parse
 * sentence2_binary_parse sentence1_parse sentence2_parse sentence1 sentence2 promptID pairID genre label1 ...
 * label5 sentence1_tokenized sentence2_tokenized match}. Only {@code language}, {@code gold_label},
 * {@code sentence1} (the premise), {@code sentence2} (the hypothesis) and {@code pairID} are read. Fields are not
 * quoted and sentences hold double quotes as they are ({@code Il a dit "non.}), so quoting is off, as in Python's
 * {@code csv.QUOTE_NONE} that the official loaders use. A {@code gold_label} outside the three (XNLI 1.0 has none,
 * not even MultiNLI's {@code "-"}) is an error naming the line.
 *
 * <p><b>Ids.</b> {@code xnli:LANG:PAIRID}: XNLI's {@code pairID} is the same in every language (row {@code 17} of
 * Vietnamese is the translation of row {@code 17} of English), so the id aligns translations.
 *
 * <p><b>Reading with DJL.</b> The file is read with DJL basicdataset's {@code CsvDataset} (commons-csv, tab
 * delimiter, quote and escape characters off, no trimming, empty lines kept). It fits: it reads a local file
 * offline ({@code optCsvFile}), and with quoting off every record is one line, so row {@code r} is line
 * {@code r + 2} and errors name their line. What it costs: the builder wants a feature column and a sampler we do
 * not use; the whole file is held as parsed records before the examples are built (memory of the order of the
 * file's size: it matters for MultiNLI's training {@code .txt}, hundreds of MB, whose JSONL twin {@link MultiNli}
 * streams instead); it decodes UTF-8 leniently (a malformed byte becomes U+FFFD instead of an error); and the
 * commons-csv it brings needs a newer commons-io than DJL's api resolves to (lib/pom.xml pins 2.20.0).
 *
 * <pre>{@code
 * List<ClassificationExample> vi = Xnli.read(Path.of("XNLI-1.0/xnli.test.tsv"), Set.of("vi"));
 * String label = Xnli.LABELS.get(vi.get(0).label());   // "entailment", "neutral" or "contradiction"
 * }</pre>
 */
public final class Xnli {
    /** The label names by index: entailment 0, neutral 1, contradiction 2. */
    public static final List<String> LABELS = List.of("entailment", "neutral", "contradiction");

    private static final List<String> COLUMNS = List.of("language", "gold_label", "sentence1", "sentence2", "pairID");

    private Xnli() {
    }

    /** The index of label {@code name} in {@link #LABELS}, or -1 when it is none of them. */
    public static int label(String name) {
        return LABELS.indexOf(name);
    }

    /**
     * The examples of {@code languages} (ISO 639-1 codes as in the file's {@code language} column) in file order.
     * A language with no row in the file is an error that lists the file's languages (a typo must not read as an
     * empty test set).
     */
    public static List<ClassificationExample> read(Path tsv, Collection<String> languages) {
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("no language asked for from " + tsv + "; use readAll for all");
        }
        return read(tsv, Set.copyOf(languages), false);
    }

    /** The examples of every language in the file, in file order. */
    public static List<ClassificationExample> readAll(Path tsv) {
        return read(tsv, Set.of(), true);
    }

    private static List<ClassificationExample> read(Path tsv, Set<String> languages, boolean all) {
        TsvTable table = TsvTable.read(tsv, COLUMNS);
        List<ClassificationExample> out = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (int row = 0; row < table.rows(); row++) {
            String language = table.cell(row, "language");
            if (language.isEmpty()) {
                // checked even for rows not asked for: an empty line or a shifted row means a damaged file
                throw new TaskDataException(tsv, "line " + TsvTable.line(row), "empty language (an empty line?)");
            }
            seen.add(language);
            if (all || languages.contains(language)) {
                out.add(example(table, row, language));
            }
        }
        if (!all && !seen.containsAll(languages)) {
            Set<String> absent = new TreeSet<>(languages);
            absent.removeAll(seen);
            throw new TaskDataException(tsv, "", "has no rows for language(s) " + absent + "; its languages are "
                    + seen);
        }
        return out;
    }

    private static ClassificationExample example(TsvTable table, int row, String language) {
        String gold = table.cell(row, "gold_label");
        int label = label(gold);
        if (label < 0) {
            throw new TaskDataException(table.file(), "line " + TsvTable.line(row), "gold_label \"" + gold
                    + "\" is not one of " + LABELS);
        }
        String premise = table.cell(row, "sentence1"), hypothesis = table.cell(row, "sentence2");
        String pairId = table.cell(row, "pairID");
        return NliRows.example(table.file(), "line " + TsvTable.line(row), "xnli:" + language + ":" + pairId,
                language, premise, hypothesis, label);
    }
}
