package org.langneurons.cli;

import java.util.List;
import org.langneurons.corpus.Language;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --langs}: the languages a command works on, as codes or a named set. */
final class LanguageOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--langs", defaultValue = "all", paramLabel = "L,L",
            description = "Language codes in order (en,fr,es,vi,id,ja,zh,bn,hi,ta,te,mr,ur,kn,ml,pa), or set1, set6, "
                    + "all (default: ${DEFAULT-VALUE}).")
    String langs;

    /** The languages of the embedded corpus, or a usage error naming --langs. */
    List<Language> languages() {
        try {
            return Language.parseList(langs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--langs: " + e.getMessage());
        }
    }

    /** The codes, or a usage error naming --langs. */
    List<String> codes() {
        try {
            return Language.parseCodes(langs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--langs: " + e.getMessage());
        }
    }
}
