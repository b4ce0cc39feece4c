package org.langneurons.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads one source's documents for one language out of its unpacked package. */
interface Extractor {
    /**
     * @param root the unpacked package (the folder {@code dpkg-deb -x} or {@code tar} wrote)
     * @param lang the language
     * @param locale the source's own name for the language ({@code fr-FR}, {@code zh_CN}, {@code cmn_hans}, ...)
     * @return documents in a deterministic order, markup removed; the builder cleans and filters them further
     */
    List<Document> extract(Path root, Language lang, String locale) throws IOException;

    /** Regular files under {@code dir} whose name ends with {@code suffix}, sorted by path. */
    static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("expected folder " + dir + " is missing from the unpacked package");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        }
    }

    /** A file's text as UTF-8, with malformed bytes replaced. */
    static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Path of {@code file} relative to {@code dir}, with '/' separators. */
    static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }
}
