package org.langneurons.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import picocli.CommandLine.Option;

/** {@code --corpus}: where a command's text per language comes from. */
final class CorpusOptions {
    @Option(names = "--corpus", paramLabel = "DIR",
            description = "Text per language: DIR/LANG.txt (one document a line) or DIR/LANG.jsonl ({\"text\": ...} a "
                    + "line), or a `corpus build` directory (default: the embedded corpus).")
    Path corpus;

    /** The documents of {@code languages} at {@code split} (a folder of plain files has one split for all). */
    Map<String, List<String>> texts(List<String> languages, Split split) {
        return Corpus.texts(corpus, languages, split);
    }
}
