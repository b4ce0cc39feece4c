package org.langneurons.corpus;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A corpus directory: {@code manifest.json} and, per language, {@code LANG/SPLIT.txt} (UTF-8, one document a line)
 * with {@code LANG/SPLIT.ids} (the alignment id of each line, {@code -} for none). The project's default corpus
 * (validation and identification of the 16 languages) ships inside the library: {@link #openDefault()}; the training
 * split is rebuilt with {@code langneurons corpus build}.
 *
 * <pre>{@code
 * Corpus corpus = Corpus.openDefault();
 * List<String> fr = corpus.documents("fr", Split.VALIDATION);
 * Map<String, List<String>> set1 = corpus.documents(Language.SET1, Split.IDENTIFICATION);
 * }</pre>
 */
public final class Corpus {
    /** Class-path folder of the default corpus. */
    public static final String DEFAULT_RESOURCE = "/org/langneurons/default/corpus/";

    private static FileSystem jarFileSystem;

    private final Path dir;
    private final JsonObject manifest;
    private final List<String> languages;

    private Corpus(Path dir, JsonObject manifest, List<String> languages) {
        this.dir = dir;
        this.manifest = manifest;
        this.languages = languages;
    }

    /** Opens a corpus directory; fails with a message naming the file if its manifest is missing or malformed. */
    public static Corpus open(Path dir) {
        Path m = dir.resolve("manifest.json");
        JsonObject manifest;
        try {
            manifest = JsonParser.parseString(Files.readString(m, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(m + " is missing: not a corpus directory (build one with "
                    + "`langneurons corpus build --out DIR`)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(m + " cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(m + " is not a JSON object: " + e.getMessage(), e);
        }
        JsonElement langs = manifest.get("languages");
        if (langs == null || !langs.isJsonObject()) {
            throw new IllegalArgumentException(m + " has no \"languages\" object");
        }
        return new Corpus(dir, manifest, List.copyOf(langs.getAsJsonObject().keySet()));
    }

    /**
     * Per language, the documents of {@code split}: from the embedded corpus when {@code dir} is null, from a corpus
     * that {@code corpus build} wrote, or from a folder of {@code LANG.txt} / {@code LANG.jsonl} files (whose whole
     * text is the split, see {@link TextFolder}).
     */
    public static java.util.Map<String, List<String>> texts(Path dir, List<String> languages, Split split) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String lang : languages) {
            out.put(lang, dir == null ? openDefault().documents(lang, split) : TextFolder.documents(dir, lang, split));
        }
        return out;
    }

    /** The corpus that ships with the library (validation and identification splits of the 16 languages). */
    public static synchronized Corpus openDefault() {
        URL url = Corpus.class.getResource(DEFAULT_RESOURCE + "manifest.json");
        if (url == null) {
            throw new IllegalStateException("the default corpus (" + DEFAULT_RESOURCE + ") is not on the class path");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                if (jarFileSystem == null) {
                    try {
                        jarFileSystem = FileSystems.newFileSystem(uri, Map.of());
                    } catch (FileSystemAlreadyExistsException e) {
                        jarFileSystem = FileSystems.getFileSystem(uri);
                    }
                }
                return open(jarFileSystem.getPath(DEFAULT_RESOURCE));
            }
            return open(Path.of(uri).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the default corpus at " + url + ": " + e, e);
        }
    }

    /** The corpus directory (inside the library's jar for {@link #openDefault()}). */
    public Path directory() {
        return dir;
    }

    /** Language codes, in the manifest's order. */
    public List<String> languages() {
        return languages;
    }

    /** The parsed {@code manifest.json}. */
    public JsonObject manifest() {
        return manifest;
    }

    /** Whether the split's file is present (the default corpus has no training split). */
    public boolean has(String lang, Split split) {
        return Files.isRegularFile(file(lang, split, ".txt"));
    }

    /** The documents of a split, one per line of {@code LANG/SPLIT.txt}. */
    public List<String> documents(String lang, Split split) {
        return lines(lang, split, ".txt");
    }

    /** The documents of a split for each of {@code languages}, in their order. */
    public java.util.Map<String, List<String>> documents(List<Language> languages, Split split) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        languages.forEach(lang -> out.put(lang.code(), documents(lang.code(), split)));
        return out;
    }

    /** The alignment ids of the documents of a split ({@code -} where a document has none), line by line. */
    public List<String> ids(String lang, Split split) {
        return lines(lang, split, ".ids");
    }

    /** Characters (code points) of a split as the manifest records them (also for a split that is not present). */
    public long characters(String lang, Split split) {
        return languageEntry(lang).getAsJsonObject("splits").getAsJsonObject(split.fileStem()).get("characters")
                .getAsLong();
    }

    /** The manifest's entry for a language. */
    public JsonObject languageEntry(String lang) {
        if (!languages.contains(lang)) {
            throw new IllegalArgumentException("language '" + lang + "' is not in the corpus at " + dir
                    + " (it has " + String.join(",", languages) + ")");
        }
        return manifest.getAsJsonObject("languages").getAsJsonObject(lang);
    }

    private Path file(String lang, Split split, String ext) {
        languageEntry(lang);
        return dir.resolve(lang).resolve(split.fileStem() + ext);
    }

    private List<String> lines(String lang, Split split, String ext) {
        Path f = file(lang, split, ext);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(f + " is missing" + (split == Split.TRAIN
                    ? ": the training split is not shipped; build it with `langneurons corpus build --out DIR`" : ""));
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(f)))
                    .toString();
            List<String> out = new ArrayList<>();
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    out.add(line);
                }
            }
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(f + " is not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException(f + " cannot be read: " + e.getMessage(), e);
        }
    }
}
