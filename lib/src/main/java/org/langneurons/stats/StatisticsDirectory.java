package org.langneurons.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.langneurons.model.LanguageModel;

/**
 * A folder of per-language statistics, as {@code stats} writes it and {@code identify} reads it:
 * {@code LANG.safetensors} (the statistics), {@code LANG.relevance.safetensors} (Activation Probability p's second
 * pass) and, while a collection runs, {@code LANG.safetensors.partial}. Collections into it checkpoint and resume
 * per language, and a language already finished with the same settings is read back instead of recomputed.
 *
 * <pre>{@code
 * StatisticsDirectory dir = StatisticsDirectory.at(Path.of("out/stats"));
 * LanguageStatistics stats = dir.collect(model, textsByLanguage, StatisticsSettings.defaults(),
 *         StatisticsCollector.Progress.NONE);
 * LanguageStatistics again = dir.load(stats.languages());     // the same, from the files
 * }</pre>
 */
public final class StatisticsDirectory {
    private final Path dir;

    private StatisticsDirectory(Path dir) {
        this.dir = dir;
    }

    /** The statistics folder {@code dir} (created when something is collected into it). */
    public static StatisticsDirectory at(Path dir) {
        return new StatisticsDirectory(dir);
    }

    /** The folder. */
    public Path path() {
        return dir;
    }

    /** {@code DIR/LANG.safetensors}. */
    public Path statisticsFile(String language) {
        return dir.resolve(language + ".safetensors");
    }

    /** {@code DIR/LANG.relevance.safetensors}. */
    public Path relevanceFile(String language) {
        return dir.resolve(language + ".relevance.safetensors");
    }

    /** The statistics of {@code language}, read from its file. */
    public ActivationStatistics statistics(String language) {
        return ActivationStatistics.load(statisticsFile(language));
    }

    /** The relevance pass of {@code language}, read from its file. */
    public ActivationStatistics relevance(String language) {
        return ActivationStatistics.load(relevanceFile(language));
    }

    /** The statistics of {@code languages}, read from their files. */
    public LanguageStatistics load(List<String> languages) {
        return combine(languages.stream().map(this::statistics).toList(), ".safetensors");
    }

    /** The languages of one folder, combined; a mismatch names the folder and the files. */
    private LanguageStatistics combine(List<ActivationStatistics> stats, String suffix) {
        try {
            return LanguageStatistics.of(stats);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir + " (" + stats.stream().map(s -> s.language() + suffix)
                    .collect(java.util.stream.Collectors.joining(", ")) + "): " + e.getMessage(), e);
        }
    }

    /** The relevance passes of {@code languages}, read from their files. */
    public LanguageStatistics loadRelevance(List<String> languages) {
        return combine(languages.stream().map(this::relevance).toList(), ".relevance.safetensors");
    }

    /** Collects (or reads back) the statistics of one language into {@code LANG.safetensors}. */
    public ActivationStatistics collect(LanguageModel model, String language, List<String> docs,
            StatisticsSettings settings, StatisticsCollector.Progress progress) {
        create();
        return StatisticsCollector.collect(model, language, docs, settings, statisticsFile(language), progress);
    }

    /** Collects (or reads back) the statistics of every language of {@code texts}, in its order. */
    public LanguageStatistics collect(LanguageModel model, Map<String, List<String>> texts,
            StatisticsSettings settings, StatisticsCollector.Progress progress) {
        List<ActivationStatistics> out = new ArrayList<>();
        texts.forEach((lang, docs) -> out.add(collect(model, lang, docs, settings, progress)));
        return LanguageStatistics.of(out);
    }

    /**
     * Both passes of a language for Activation Probability p.
     *
     * @param statistics the first half's statistics, whose batch-mean p-th percentiles are the thresholds
     * @param relevance  the second half's, with the fraction of positions above them
     */
    public record RelevancePasses(ActivationStatistics statistics, ActivationStatistics relevance) {
    }

    /**
     * Mondal et al.'s two passes of one language: the documents, shuffled with the settings' seed, are split in
     * halves; the first gives the statistics ({@code LANG.safetensors}) and the batch-mean {@code percentile}-th
     * percentile thresholds, the second the relevance ({@code LANG.relevance.safetensors}). The percentile is
     * added to the settings' percentiles when they lack it.
     */
    public RelevancePasses collectRelevance(LanguageModel model, String language, List<String> docs,
            StatisticsSettings settings, double percentile, StatisticsCollector.Progress progress) {
        if (!(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("the relevance percentile must be in (0, 100), got " + percentile);
        }
        StatisticsSettings s = settings.withPercentile(percentile);
        List<String> shuffled = new ArrayList<>(docs);
        Collections.shuffle(shuffled, new Random(s.seed()));
        List<String> first = shuffled.subList(0, shuffled.size() / 2);
        List<String> second = shuffled.subList(shuffled.size() / 2, shuffled.size());
        ActivationStatistics stats = collect(model, language, first, s, progress);
        ActivationStatistics relevance = StatisticsCollector.collectRelevance(model, stats, percentile, second, s,
                relevanceFile(language), progress);
        return new RelevancePasses(stats, relevance);
    }

    /**
     * Both passes of every language of {@code texts}; returns the relevance passes (Activation Probability p's
     * input).
     */
    public LanguageStatistics collectRelevance(LanguageModel model, Map<String, List<String>> texts,
            StatisticsSettings settings, double percentile, StatisticsCollector.Progress progress) {
        List<ActivationStatistics> out = new ArrayList<>();
        texts.forEach((lang, docs) -> out.add(collectRelevance(model, lang, docs, settings, percentile, progress)
                .relevance()));
        return LanguageStatistics.of(out);
    }

    private void create() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "StatisticsDirectory[" + dir + "]";
    }
}
