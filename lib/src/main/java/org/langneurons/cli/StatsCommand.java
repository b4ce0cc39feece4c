package org.langneurons.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.langneurons.corpus.Split;
import org.langneurons.model.LanguageModel;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.PercentileSketch;
import org.langneurons.stats.RecordedTensor;
import org.langneurons.stats.StatisticsCollector;
import org.langneurons.stats.StatisticsDirectory;
import org.langneurons.stats.StatisticsSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stats}: per-language activation statistics of every neuron, checkpointed and resumable. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Activation statistics of every neuron per language: counts above zero, mean, std, min, max "
                + "and percentiles, written to OUT/LANG.safetensors (format: see ActivationStatistics).",
            "Text: --corpus DIR with LANG.txt (one document a line) or LANG.jsonl ({\"text\": ...} a line), or a "
                + "project corpus; without --corpus, the embedded identification set.",
            "Documents are shuffled with --seed, joined into one token stream of --tokens-per-lang tokens (each "
                + "followed by the model's EOS) and cut into windows of --max-length tokens, as Tang et al.'s "
                + "activation.py cuts its concatenated text; --per-document cuts each document on its own. A run "
                + "checkpoints every --checkpoint-every batches, and on Ctrl-C or a kill after the batch in progress; "
                + "run the same command again to resume, finished languages are skipped.",
            "--relevance P adds Mondal et al.'s stage 2: the shuffled documents are split in halves, the first "
                + "gives the statistics (and the batch-mean P-th percentile thresholds), the second the relevance "
                + "(OUT/LANG.relevance.safetensors), which `identify --method actprob` reads."})
final class StatsCommand implements Runnable, Main.LongRunning {
    @Mixin
    ModelOptions options;

    @Mixin
    AdapterOption adapter;

    @Mixin
    CorpusOptions corpus;

    @Mixin
    LanguageOptions languages;

    @Mixin
    WindowOptions windows;

    @Option(names = "--tokens-per-lang", defaultValue = "1000000", paramLabel = "N",
            description = "Token budget per language (default: ${DEFAULT-VALUE}).")
    long tokens;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the statistics go.")
    Path out;

    @Option(names = "--tensor", defaultValue = "act", paramLabel = "T", converter = Converters.Tensor.class,
            description = "act (mlp.act, the neurons; Tang et al.) or gate (mlp.gate, pre-activation; Mondal et "
                    + "al.) (default: ${DEFAULT-VALUE}).")
    RecordedTensor tensor;

    @Option(names = "--percentiles", defaultValue = "batch-mean", paramLabel = "MODE",
            converter = PercentileMode.Converter.class,
            description = "batch-mean (per batch, averaged over batches; Mondal et al.), sketch (also global "
                    + "percentiles over all tokens, within 2%% relative error) or none (counts, sums, extremes: all "
                    + "LAPE needs, and faster) (default: ${DEFAULT-VALUE}).")
    PercentileMode percentileMode;

    @Option(names = "--relevance", paramLabel = "P", description = "Also the Activation Probability P stage 2.")
    Double relevance;

    @Option(names = "--seed", defaultValue = "0", description = "Shuffle seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--include-padding", description = "Count padding positions too (as a plain forward hook "
            + "sees them; neither paper's packed windows had padding).")
    boolean includePadding;

    @Option(names = "--aggregation", defaultValue = "pooled", paramLabel = "A",
            converter = Converters.Aggregation.class, description = "pooled (probability, mean and std over all counted positions; Tang et al.) or batch-mean "
                    + "(per batch, averaged over batches, std unbiased; Mondal et al.) (default: ${DEFAULT-VALUE}).")
    StatisticsSettings.Aggregation aggregation;

    @Option(names = "--separator", defaultValue = "eos", paramLabel = "S",
            converter = Converters.Separator.class, description = "What follows each document of the packed stream: eos (the model's EOS token) or none "
                    + "(only the tokenizer's own special tokens, as Mondal et al.) (default: ${DEFAULT-VALUE}).")
    StatisticsSettings.Separator separator;

    @Option(names = "--full-windows-only",
            description = "Drop the packed stream's last window when shorter than --max-length (both papers' code).")
    boolean fullWindowsOnly;

    @Option(names = "--full-batches-only",
            description = "Drop the last batch when it has fewer than --batch-size windows (Mondal et al.'s "
                    + "drop_last).")
    boolean fullBatchesOnly;

    @Option(names = "--per-document",
            description = "Each document in windows of its own, right-padded (every document then starts without "
                    + "context), instead of one packed stream.")
    boolean perDocument;

    @Option(names = "--checkpoint-every", defaultValue = "50", paramLabel = "N",
            description = "Batches between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    /** How percentiles are kept: per batch only, or also over all tokens. */
    enum PercentileMode {
        BATCH_MEAN("batch-mean"),
        SKETCH("sketch"),
        NONE("none");

        private final String label;

        PercentileMode(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }

        /** Converts batch-mean or sketch. */
        static final class Converter extends Converters.ByWord<PercentileMode> {
            Converter() {
                super(PercentileMode.class);
            }
        }
    }

    @Override
    public void run() {
        List<String> langs = languages.codes();
        StatisticsSettings settings;
        try {
            settings = StatisticsSettings.builder().tensor(tensor).tokenBudget(tokens).maxLength(windows.maxLength)
                    .batchSize(windows.batchSize).seed(seed).includePadding(includePadding).packed(!perDocument)
                    .checkpointEvery(checkpointEvery)
                    .aggregation(aggregation).separator(separator)
                    .fullWindowsOnly(fullWindowsOnly).fullBatchesOnly(fullBatchesOnly)
                    .sketch(percentileMode == PercentileMode.SKETCH ? PercentileSketch.defaults() : null)
                    .percentiles(percentileMode == PercentileMode.NONE ? new double[0]
                            : StatisticsSettings.DEFAULT_PERCENTILES).build();
            if (relevance != null && !(relevance > 0 && relevance < 100)) {
                throw new IllegalArgumentException("--relevance must be a percentile in (0, 100), got " + relevance);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(languages.spec.commandLine(), e.getMessage());
        }
        Map<String, List<String>> texts = corpus.texts(langs, Split.IDENTIFICATION);
        StatisticsDirectory dir = StatisticsDirectory.at(out);
        // Ctrl-C or a kill: the batch in progress finishes and is checkpointed before the JVM exits.
        try (StopOnExit exit = new StopOnExit()) {
            Progress progress = new Progress(quiet, exit::requested);
            List<String> finished = langs.stream().filter(l -> Files.exists(dir.statisticsFile(l))
                    && (relevance == null || Files.exists(dir.relevanceFile(l)))).toList();
            if (!finished.isEmpty()) {
                System.err.println("resumed: " + String.join(", ", finished) + " finished before, read back from "
                        + out + " if their settings match");
            }
            try (LanguageModel model = adapter.attachTo(options.load())) {
                System.out.printf("%-6s %12s %10s %12s%n", "lang", "tokens", "batches", "mean P(>0)");
                for (String lang : langs) {
                    if (relevance == null) {
                        print(dir.collect(model, lang, texts.get(lang), settings, progress));
                        progress.done();
                    } else {
                        var passes = dir.collectRelevance(model, lang, texts.get(lang), settings, relevance,
                                progress);
                        progress.done();
                        print(passes.statistics());
                        print(passes.relevance());
                    }
                }
            } catch (StatisticsCollector.Stopped e) {
                progress.done();
                System.out.println(e.getMessage() + ": run the same command to resume");
            }
        }
    }

    private static void print(ActivationStatistics s) {
        System.out.printf("%-6s %,12d %,10d %12.4f%s%n", s.language(), s.tokens(), s.batches(),
                s.meanActivationProbability(), s.hasRelevance() ? "  (relevance pass)" : "");
    }
    /** A {@link ProgressLine} per language on standard error; stops when {@code stop} says so. */
    static final class Progress implements StatisticsCollector.Progress {
        private final boolean quiet;
        private final BooleanSupplier stop;
        private ProgressLine line;

        Progress(boolean quiet, BooleanSupplier stop) {
            this.quiet = quiet;
            this.stop = stop;
        }

        @Override
        public boolean stopRequested() {
            return stop.getAsBoolean();
        }

        @Override
        public void update(String language, long done, long total, double rate) {
            if (quiet) {
                return;
            }
            if (line == null || !line.label().equals(language)) {
                done();
                line = new ProgressLine(System.err, language, "tokens");
            }
            line.update(done, total, rate);     // the collector's rate: a resumed run's counts only this run
        }

        void done() {
            if (line != null) {
                line.done();
                line = null;
            }
        }
    }
}
