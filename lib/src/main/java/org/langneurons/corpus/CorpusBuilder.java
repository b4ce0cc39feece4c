package org.langneurons.corpus;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds a corpus directory (see {@link Corpus} and the package documentation for the format) from the sources of
 * {@link Source#ALL}: fetches and unpacks their packages into a cache, extracts each language's text, cleans it
 * ({@link TextCleaner}), drops what is too short, in the wrong script, still English, or an exact duplicate, splits it
 * ({@link Splits}) and writes the splits, the alignment ids and {@code manifest.json}.
 *
 * <pre>{@code
 * CorpusBuilder builder = new CorpusBuilder(Path.of("cache"), System.err::println);
 * List<CorpusBuilder.LanguageStats> stats = builder.build(Path.of("corpus"), Language.SET1,
 *         Splits.DEFAULT_CAP_CHARS, null);
 * long frenchTrainChars = stats.get(1).characters(Split.TRAIN);   // SET1 is en, fr, ...
 * }</pre>
 */
public final class CorpusBuilder {
    /** Version of the directory format written to the manifest. */
    public static final String FORMAT = "langneurons-corpus/1";
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final PackageCache cache;
    private final Consumer<String> log;
    private final Map<String, List<Document>> englishDocs = new HashMap<>();
    private final Map<String, Set<String>> englishTexts = new HashMap<>();
    private final Map<String, Map<String, Map<String, String>>> fetched = new TreeMap<>();

    /**
     * @param cacheDir where downloaded and unpacked packages are kept (reused by later builds)
     * @param log progress messages
     */
    public CorpusBuilder(Path cacheDir, Consumer<String> log) {
        this.cache = new PackageCache(cacheDir, log);
        this.log = log;
    }

    /** Characters and documents of one language: per split, and per source and split. */
    public record LanguageStats(Language language, Map<Split, long[]> splits, Map<String, Map<Split, Long>> sources,
            Map<String, Integer> dropped, int overflowUnits) {
        /** Characters (code points) of a split. */
        public long characters(Split s) {
            return splits.get(s)[1];
        }

        /** Documents of a split. */
        public long documents(Split s) {
            return splits.get(s)[0];
        }
    }

    /**
     * Builds the corpus.
     *
     * @param out the corpus directory (created; existing split files of the languages built are replaced)
     * @param languages the languages to build
     * @param capChars the cap of validation and of identification, in characters per language
     * @param evalOut if not null, a second directory that receives the same corpus without the training split
     *        (what the project commits)
     * @return per-language figures, in the order of {@code languages}
     */
    public List<LanguageStats> build(Path out, List<Language> languages, long capChars, Path evalOut)
            throws IOException {
        if (capChars <= 0) {
            throw new IllegalArgumentException("the cap must be a positive number of characters, not " + capChars);
        }
        Files.createDirectories(out);
        List<LanguageStats> stats = new ArrayList<>();
        Map<String, Object> langs = new LinkedHashMap<>();
        for (Language lang : languages) {
            LanguageStats s = buildLanguage(out, lang, capChars, langs);
            stats.add(s);
        }
        Map<String, Object> manifest = manifest(languages, capChars, langs);
        write(out, manifest, List.of(Split.values()));
        if (evalOut != null) {
            Files.createDirectories(evalOut);
            for (Language lang : languages) {
                Path d = evalOut.resolve(lang.code());
                Files.createDirectories(d);
                Files.deleteIfExists(d.resolve(Split.TRAIN.fileStem() + ".txt"));
                Files.deleteIfExists(d.resolve(Split.TRAIN.fileStem() + ".ids"));
                for (Split sp : List.of(Split.VALIDATION, Split.IDENTIFICATION)) {
                    for (String ext : List.of(".txt", ".ids")) {
                        Files.copy(out.resolve(lang.code()).resolve(sp.fileStem() + ext),
                                d.resolve(sp.fileStem() + ext), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            write(evalOut, manifest, List.of(Split.VALIDATION, Split.IDENTIFICATION));
        }
        return stats;
    }

    private LanguageStats buildLanguage(Path out, Language lang, long capChars, Map<String, Object> langs)
            throws IOException {
        log.accept("building " + lang.code() + " (" + lang.englishName() + ")");
        List<Document> docs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> dropped = new TreeMap<>();
        for (Source source : Source.ALL) {
            if (!source.covers(lang)) {
                continue;
            }
            List<Document> raw = extract(source, lang);
            Set<String> english = lang != Language.EN && source.covers(Language.EN) ? englishTexts(source) : Set.of();
            int kept = 0;
            for (Document d : raw) {
                String t = TextCleaner.clean(d.text());
                String why = TextCleaner.rejection(t, lang);
                if (why == null && english.contains(t)) {
                    why = "untranslated";
                }
                if (why == null && !seen.add(t)) {
                    why = "duplicate";
                }
                if (why != null) {
                    dropped.merge(why, 1, Integer::sum);
                    continue;
                }
                docs.add(new Document(d.id(), t));
                kept++;
            }
            log.accept("  " + source.id() + ": " + kept + " of " + raw.size() + " documents kept");
        }
        Splits.Assignment a = Splits.assign(docs, lang, capChars);
        if (a.mixedDropped() > 0) {
            dropped.put("mixed_script_held_out", a.mixedDropped());
        }
        Path dir = out.resolve(lang.code());
        Files.createDirectories(dir);
        Map<Split, long[]> splitStats = new EnumMap<>(Split.class);
        Map<String, Map<Split, Long>> sourceStats = new TreeMap<>();
        Map<String, Object> splitJson = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            List<Document> part = a.splits().get(s);
            StringBuilder text = new StringBuilder();
            StringBuilder ids = new StringBuilder();
            long chars = 0;
            Set<String> units = new HashSet<>();
            for (Document d : part) {
                text.append(d.text()).append('\n');
                ids.append(d.id() == null ? "-" : d.id()).append('\n');
                int n = TextCleaner.length(d.text());
                chars += n;
                units.add(Splits.unit(d.id(), d.text()));
                sourceStats.computeIfAbsent(sourceOf(d), k -> new EnumMap<>(Split.class)).merge(s, (long) n, Long::sum);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve(s.fileStem() + ".txt"), bytes);
            Files.writeString(dir.resolve(s.fileStem() + ".ids"), ids, StandardCharsets.UTF_8);
            splitStats.put(s, new long[] {part.size(), chars});
            Map<String, Object> sj = new LinkedHashMap<>();
            sj.put("documents", part.size());
            sj.put("characters", chars);
            sj.put("units", units.size());
            sj.put("bytes", bytes.length);
            sj.put("sha256", java.util.HexFormat.of().formatHex(sha256(bytes)));
            splitJson.put(s.fileStem(), sj);
        }
        Map<String, Object> lj = new LinkedHashMap<>();
        lj.put("name", lang.englishName());
        lj.put("scripts", lang.scripts().stream().map(Enum::name).sorted().toList());
        List<String> sets = new ArrayList<>();
        if (Language.SET1.contains(lang)) {
            sets.add("set1");
        }
        if (Language.SET6.contains(lang)) {
            sets.add("set6");
        }
        lj.put("sets", sets);
        lj.put("splits", splitJson);
        Map<String, Object> bySource = new LinkedHashMap<>();
        sourceStats.forEach((src, m) -> {
            Map<String, Long> x = new LinkedHashMap<>();
            for (Split s : Split.values()) {
                x.put(s.fileStem(), m.getOrDefault(s, 0L));
            }
            bySource.put(src, x);
        });
        lj.put("characters_by_source", bySource);
        lj.put("dropped_documents", dropped);
        lj.put("held_out_units_moved_to_train", a.overflowUnits());
        langs.put(lang.code(), lj);
        log.accept(String.format("  %s: train %,d  validation %,d  identification %,d characters", lang.code(),
                splitStats.get(Split.TRAIN)[1], splitStats.get(Split.VALIDATION)[1],
                splitStats.get(Split.IDENTIFICATION)[1]));
        return new LanguageStats(lang, splitStats, sourceStats, dropped, a.overflowUnits());
    }

    private static String sourceOf(Document d) {
        if (d.id() == null) {
            return "unknown";
        }
        int colon = d.id().indexOf(':');
        return colon < 0 ? "unknown" : d.id().substring(0, colon);
    }

    private List<Document> extract(Source source, Language lang) throws IOException {
        if (lang == Language.EN && englishDocs.containsKey(source.id())) {
            return englishDocs.get(source.id());
        }
        PackageCache.Unpacked u = source.registry().equals("npm")
                ? cache.npm(source.packageName(lang), source.pinned())
                : cache.debian(source.packageName(lang), source.pinned());
        Map<String, String> info = new LinkedHashMap<>();
        info.put("package", source.packageName(lang));
        info.put("version", u.version());
        info.put("locale", source.locale(lang));
        fetched.computeIfAbsent(source.id(), k -> new TreeMap<>()).put(lang.code(), info);
        List<Document> docs = source.extractor().extract(u.root(), lang, source.locale(lang));
        if (lang == Language.EN) {
            englishDocs.put(source.id(), docs);
        }
        return docs;
    }

    /** The cleaned English texts of a source, to recognise paragraphs a translation left in English. */
    private Set<String> englishTexts(Source source) throws IOException {
        Set<String> s = englishTexts.get(source.id());
        if (s == null) {
            s = new HashSet<>();
            for (Document d : extract(source, Language.EN)) {
                s.add(TextCleaner.clean(d.text()));
            }
            englishTexts.put(source.id(), s);
        }
        return s;
    }

    private Map<String, Object> manifest(List<Language> languages, long capChars, Map<String, Object> langs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("description", "Plain-text corpus in " + languages.size() + " languages built by `langneurons corpus "
                + "build` from packages of the npm and Debian registries; one document per line; see FORMAT.md.");
        m.put("built", LocalDate.now(ZoneOffset.UTC).toString());
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("unit", "alignment id up to the first '#', or 'sha256:' + the first 16 hex digits of SHA-256(text)"
                + " when a document has no id");
        split.put("position", "first 8 bytes of SHA-256('" + Splits.SALT + "' + unit) as an unsigned number / 2^64");
        split.put("train", List.of(0.0, Splits.TRAIN_END));
        split.put("validation", List.of(Splits.TRAIN_END, Splits.VALIDATION_END));
        split.put("identification", List.of(Splits.VALIDATION_END, 1.0));
        split.put("cap_characters", capChars);
        split.put("held_out_rule", "validation and identification take their units in order of position while the "
                + "cap holds; a unit that does not fit goes to train whole; in held-out units only documents with >= "
                + Language.STRICT_SCRIPT_SHARE + " of their letters in the expected script are kept");
        m.put("split", split);
        m.put("cleaning", List.of(
                "markup removed, HTML/XML entities decoded, format placeholders ($(ARG1), %s, { $x }, {0}) removed",
                "whitespace collapsed to single spaces, invisible format characters removed (ZWJ/ZWNJ kept), NFC",
                "documents shorter than 20 code points (8 for ja, zh) dropped",
                "documents with fewer than " + Language.MIN_SCRIPT_SHARE + " of their letters in the language's "
                        + "script(s) dropped (letters of COMMON/INHERITED script do not count)",
                "non-English documents identical to an English document of the same source dropped (untranslated)",
                "French, Spanish, Vietnamese and Indonesian documents that read as English (>= 12% English function "
                        + "words) dropped",
                "exact duplicates within a language dropped (the first one, in source order, is kept)",
                "UI strings: keyboard mnemonics removed, at most " + UiMessages.PER_DOCUMENT + " messages joined with "
                        + "spaces per document"));
        Map<String, Object> sources = new LinkedHashMap<>();
        for (Source s : Source.ALL) {
            if (!fetched.containsKey(s.id())) {
                continue;
            }
            Map<String, Object> sj = new LinkedHashMap<>();
            sj.put("title", s.title());
            sj.put("registry", s.registry());
            sj.put("license", s.license());
            sj.put("copyright", s.copyright());
            sj.put("documents", s.documents());
            sj.put("packages", fetched.get(s.id()));
            sources.put(s.id(), sj);
        }
        m.put("sources", sources);
        m.put("languages", langs);
        return m;
    }

    private void write(Path dir, Map<String, Object> manifest, List<Split> present) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(manifest);
        m.put("splits_present", present.stream().map(Split::fileStem).toList());
        try (Writer w = Files.newBufferedWriter(dir.resolve("manifest.json"), StandardCharsets.UTF_8)) {
            GSON.toJson(m, w);
            w.write('\n');
        }
        for (String doc : List.of("FORMAT.md", "LICENSES.md")) {
            if (Files.exists(dir.resolve(doc))) {
                continue; // kept as it is (the committed copy is edited by hand)
            }
            try (InputStream in = CorpusBuilder.class.getResourceAsStream(Corpus.DEFAULT_RESOURCE + doc)) {
                if (in != null) {
                    Files.write(dir.resolve(doc), in.readAllBytes());
                } else {
                    log.accept("note: " + doc + " is not on the class path; not written to " + dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
