package org.langneurons.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.io.RunCheckpoint;
import org.langneurons.model.LanguageModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate}: bits per character per language on a corpus's validation split, against a unigram baseline. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Bits per character of every language's validation text, beside a unigram character model's.",
            "Resumable: each language is kept in --checkpoint until the run completes; after Ctrl-C or a kill, the "
                + "same command continues from the finished languages (and from the batches done of the one in "
                + "progress, kept every 5 s and at Ctrl-C)."})
final class EvaluateCommand implements Runnable, Main.LongRunning {
    @Mixin
    ModelOptions options;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--corpus", paramLabel = "DIR", description = "A corpus (default: the embedded one).")
    Path corpus;

    @Option(names = "--max-chars", defaultValue = "0", description = "Characters per language, 0 = all (default).")
    int maxChars;

    @Option(names = "--json", description = "Print the table as JSON.")
    boolean json;

    @Option(names = "--markdown", description = "Print the table as Markdown (as the README shows it).")
    boolean markdown;

    @Mixin
    ResumeOption resume;

    @Override
    public void run() {
        Corpus c = corpus == null ? Corpus.openDefault() : Corpus.open(corpus);
        // Ctrl-C or a kill: the batches done of the language in progress are kept, and a rerun continues from them.
        try (StopOnExit exit = new StopOnExit()) {
            RunCheckpoint checkpoint = resume.open(null, exit, Map.of());
            exit.onRequest(() -> System.err.println("\nstopping after the batch in progress"));
            try (LanguageModel model = adapter.attachTo(options.load())) {
                print(LanguageQuality.measure(model, c, maxChars, checkpoint));
                ResumeOption.completed(checkpoint);
            } catch (RunCheckpoint.Stopped e) {
                ResumeOption.stopped(e);
            }
        }
    }

    private void print(List<LanguageQuality> table) {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            table.forEach(q -> out.put(q.language(), Map.of("characters", q.characters(), "tokens", q.tokens(),
                    "bits_per_character", q.bitsPerCharacter(), "unigram_bits_per_character",
                    q.unigramBitsPerCharacter())));
            Json.print(System.out, out);
            return;
        }
        if (markdown) {
            System.out.println("| language | characters | tokens / character | bits / character | unigram bits / "
                    + "character |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (LanguageQuality q : table) {
                System.out.printf("| %s | %,d | %.3f | %.3f | %.3f |%n", q.language(), q.characters(),
                        q.tokensPerCharacter(), q.bitsPerCharacter(), q.unigramBitsPerCharacter());
            }
            return;
        }
        System.out.printf("%-5s %10s %12s %14s %10s%n", "lang", "chars", "tokens/char", "bits/char", "unigram");
        for (LanguageQuality q : table) {
            System.out.printf("%-5s %10d %12.3f %14.3f %10.3f%n", q.language(), q.characters(),
                    q.tokensPerCharacter(), q.bitsPerCharacter(), q.unigramBitsPerCharacter());
        }
    }
}
