package org.langneurons.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Language;
import org.langneurons.corpus.Split;
import org.langneurons.io.TextTokenizer;
import org.langneurons.train.BpeTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenizer train}: a balanced byte-level BPE tokenizer from a corpus's training split. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Train tokenizers.",
        subcommands = TokenizerCommand.Train.class)
final class TokenizerCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a byte-level BPE tokenizer on the training split of a corpus, with the same number"
                + " of characters from every language, and save it as a Hugging Face tokenizer.json.",
                "Prints tokens per character of every language's validation split."})
    static final class Train implements Runnable, Main.LongRunning {
        @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "A corpus (corpus build).")
        Path corpus;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The tokenizer.json to write.")
        Path out;

        @Mixin
        LanguageOptions langs;

        @Option(names = "--vocab-size", defaultValue = "4096", description = "Default: ${DEFAULT-VALUE}.")
        int vocabSize;

        @Option(names = "--chars-per-language", defaultValue = "300000", description = "Default: ${DEFAULT-VALUE}.")
        long charsPerLanguage;

        @Override
        public void run() {
            Corpus c = Corpus.open(corpus);
            List<Language> languages = langs.languages();
            Map<String, List<String>> train = c.documents(languages, Split.TRAIN);
            Map<String, List<String>> validation = c.documents(languages, Split.VALIDATION);
            var settings = BpeTrainer.Settings.defaults().withVocabSize(vocabSize)
                    .withCharsPerLanguage(charsPerLanguage);
            var result = BpeTrainer.trainWithReport(train, settings);
            result.model().save(out);
            System.out.printf("%s: %d tokens, trained in %.1f s%n", out, result.model().vocabSize(),
                    result.millis() / 1000.0);
            try (TextTokenizer tokenizer = TextTokenizer.load(out)) {
                BpeTrainer.tokensPerCharacter(tokenizer, validation).forEach((lang, t) ->
                        System.out.printf("%-4s %s%n", lang, t));
            }
        }
    }
}
