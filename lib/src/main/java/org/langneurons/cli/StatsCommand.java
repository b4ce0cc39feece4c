package org.langneurons.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Language;
import org.langneurons.corpus.Split;
import org.langneurons.model.LanguageModel;
import org.langneurons.notebook.Display;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.PercentileSketch;
import org.langneurons.stats.RecordedTensor;
import org.langneurons.stats.StatisticsCollector;
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
final class StatsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions options;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Text per language (default: embedded).")
    Path corpus;

    @Option(names = "--langs", defaultValue = "all", paramLabel = "L,L",
            description = "Language codes, or set1, set6, all (default: ${DEFAULT-VALUE}).")
    String langs;

    @Option(names = "--tokens-per-lang", defaultValue = "1000000", paramLabel = "N",
            description = "Token budget per language (default: ${DEFAULT-VALUE}).")
    long tokens;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the statistics go.")
    Path out;

    @Option(names = "--tensor", defaultValue = "act", paramLabel = "T",
            description = "act (mlp.act, the neurons; Tang et al.) or gate (mlp.gate, pre-activation; Mondal et "
                    + "al.) (default: ${DEFAULT-VALUE}).")
    String tensor;

    @Option(names = "--percentiles", defaultValue = "batch-mean", paramLabel = "MODE",
            description = "batch-mean (per batch, averaged over batches; Mondal et al.) or sketch (also global "
                    + "percentiles over all tokens, within 2%% relative error) (default: ${DEFAULT-VALUE}).")
    String percentileMode;

    @Option(names = "--relevance", paramLabel = "P", description = "Also the Activation Probability P stage 2.")
    Double relevance;

    @Option(names = "--max-length", defaultValue = "512", description = "Tokens per window (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "8", description = "Windows per forward (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "Shuffle seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--include-padding", description = "Count padding positions too (as Mondal et al.'s code).")
    boolean includePadding;

    @Option(names = "--per-document",
            description = "Each document in windows of its own, right-padded (every document then starts without "
                    + "context), instead of one packed stream.")
    boolean perDocument;

    @Option(names = "--checkpoint-every", defaultValue = "50",
            description = "Batches between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @Override
    public void run() {
        List<String> languages;
        StatisticsCollector.Settings settings;
        try {
            languages = Language.parseCodes(langs);
            settings = StatisticsCollector.Settings.defaults().withTensor(RecordedTensor.parse(tensor))
                    .withTokenBudget(tokens).withMaxLength(maxLength).withBatchSize(batchSize).withSeed(seed)
                    .withIncludePadding(includePadding).withPacked(!perDocument).withCheckpointEvery(checkpointEvery)
                    .withSketch(switch (percentileMode) {
                        case "batch-mean" -> null;
                        case "sketch" -> PercentileSketch.defaults();
                        default -> throw new IllegalArgumentException("--percentiles must be batch-mean or sketch, "
                                + "got " + percentileMode);
                    });
            if (relevance != null && !(relevance > 0 && relevance < 100)) {
                throw new IllegalArgumentException("--relevance must be a percentile in (0, 100), got " + relevance);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (relevance != null && java.util.Arrays.stream(settings.percentiles()).noneMatch(p -> p == relevance)) {
            double[] ps = java.util.Arrays.copyOf(settings.percentiles(), settings.percentiles().length + 1);
            ps[ps.length - 1] = relevance;
            settings = settings.withPercentiles(ps);
        }
        Map<String, List<String>> texts = Corpus.texts(corpus, languages, Split.IDENTIFICATION);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + out + ": " + e.getMessage(), e);
        }
        // Ctrl-C or a kill: the batch in progress finishes and is checkpointed before the JVM exits.
        try (StopOnExit exit = new StopOnExit()) {
            Progress progress = new Progress(quiet, exit::requested);
            try (LanguageModel model = options.load()) {
                System.out.printf("%-6s %12s %10s %12s%n", "lang", "tokens", "batches", "mean P(>0)");
                for (String lang : languages) {
                    List<String> docs = texts.get(lang);
                    List<String> first = docs, second = null;
                    if (relevance != null) {
                        List<String> shuffled = new ArrayList<>(docs);
                        Collections.shuffle(shuffled, new Random(seed));
                        first = shuffled.subList(0, shuffled.size() / 2);
                        second = shuffled.subList(shuffled.size() / 2, shuffled.size());
                    }
                    ActivationStatistics s = StatisticsCollector.collect(model, lang, first, settings,
                            out.resolve(lang + ".safetensors"), progress);
                    progress.done();
                    print(s);
                    if (second != null) {
                        ActivationStatistics r = StatisticsCollector.collectRelevance(model, s, relevance, second,
                                settings, out.resolve(lang + ".relevance.safetensors"), progress);
                        progress.done();
                        print(r);
                    }
                }
            } catch (StatisticsCollector.Stopped e) {
                progress.done();
                System.out.println(e.getMessage() + ": run the same command to resume");
            }
        }
    }

    private static void print(ActivationStatistics s) {
        float[][] p = s.activationProbability();
        double mean = 0;
        for (float[] layer : p) {
            for (float v : layer) {
                mean += v;
            }
        }
        mean /= (double) s.layers() * s.neurons();
        System.out.printf("%-6s %,12d %,10d %12.4f%s%n", s.language(), s.tokens(), s.batches(), mean,
                s.hasRelevance() ? "  (relevance pass)" : "");
    }

    /** A one-line progress display on standard error: tokens, tokens/s, ETA; stops when {@code stop} says so. */
    static final class Progress implements StatisticsCollector.Progress {
        private final boolean quiet;
        private final BooleanSupplier stop;
        private long lastPrint;
        private boolean printed;

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
            long now = System.nanoTime();
            if (quiet || now - lastPrint < 500_000_000L && done < total) {
                return;
            }
            lastPrint = now;
            printed = true;
            double eta = rate > 0 ? (total - done) / rate : 0;
            System.err.printf("\r%s  %,d / %,d tokens  %,.0f tokens/s  ETA %s   ", language, done, total, rate,
                    Display.duration(eta));
        }

        void done() {
            if (printed) {
                System.err.println();
                printed = false;
            }
        }
    }
}
