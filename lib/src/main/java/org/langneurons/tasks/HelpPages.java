package org.langneurons.tasks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;

/**
 * The LibreOffice help documents ({@code lohelp:PAGE#PARAGRAPH-ID}) of a full corpus directory (all three splits),
 * by page: the page's ids in the English corpus's order, each language's text of each id, and the corpus split each
 * language put each page in.
 *
 * <pre>{@code
 * HelpPages help = HelpPages.read(Path.of("corpus-full"));
 * List<String> ids = help.englishIds("lohelp:swriter/guide/wrap");   // headings (#hd_...) and paragraphs (#par_...)
 * }</pre>
 */
final class HelpPages {
    static final String PREFIX = "lohelp:";

    private final List<String> languages;
    private final Map<String, List<String>> englishIds;
    private final Map<String, Map<String, String>> texts;
    private final Map<String, Map<String, Split>> corpusSplits;

    private HelpPages(List<String> languages, Map<String, List<String>> englishIds,
            Map<String, Map<String, String>> texts, Map<String, Map<String, Split>> corpusSplits) {
        this.languages = languages;
        this.englishIds = englishIds;
        this.texts = texts;
        this.corpusSplits = corpusSplits;
    }

    /**
     * Reads the help documents of every language of the corpus at {@code dir}, which must hold all three splits (a
     * {@code corpus build} output, not the shipped copy). Left out, in the language where it happens: an id that
     * occurs more than once (the help reuses some paragraph ids within a page, for different text, so which
     * translation is which is not known), and a document holding a character outside the Basic Multilingual Plane
     * (so that offsets in UTF-16 units and in code points agree).
     */
    static HelpPages read(Path dir) {
        Corpus corpus = Corpus.open(dir);
        List<String> languages = new ArrayList<>();
        Map<String, List<String>> englishIds = new LinkedHashMap<>();
        Map<String, Map<String, String>> texts = new HashMap<>();
        Map<String, Map<String, Split>> corpusSplits = new HashMap<>();
        for (String lang : corpus.languages()) {
            Map<String, String> text = new HashMap<>();
            Map<String, Split> pageSplit = new HashMap<>();
            Set<String> repeated = new java.util.HashSet<>();
            for (Split split : Split.values()) {
                if (!corpus.has(lang, split)) {
                    throw new IllegalArgumentException(dir.resolve(lang).resolve(split.fileStem() + ".txt")
                            + " is missing: the tasks are built from all three splits of a full corpus (`langneurons "
                            + "corpus build --out DIR`), not from the shipped copy");
                }
                List<String> ids = corpus.ids(lang, split);
                List<String> docs = corpus.documents(lang, split);
                if (ids.size() != docs.size()) {
                    throw new IllegalArgumentException(dir.resolve(lang).resolve(split.fileStem() + ".ids") + " has "
                            + ids.size() + " lines but " + split.fileStem() + ".txt has " + docs.size());
                }
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    if (!id.startsWith(PREFIX) || id.indexOf('#') < 0) {
                        continue;
                    }
                    if (text.put(id, docs.get(i)) != null) {
                        repeated.add(id);
                    }
                    pageSplit.put(page(id), split);
                    if (lang.equals("en")) {
                        englishIds.computeIfAbsent(page(id), p -> new ArrayList<>()).add(id);
                    }
                }
            }
            text.keySet().removeAll(repeated);
            text.values().removeIf(t -> t.codePointCount(0, t.length()) != t.length());
            if (!text.isEmpty()) {
                languages.add(lang);
                texts.put(lang, text);
                corpusSplits.put(lang, pageSplit);
            }
        }
        if (!languages.contains("en")) {
            throw new IllegalArgumentException(dir + " has no English LibreOffice help documents (lohelp:...)");
        }
        englishIds.values().forEach(ids -> ids.removeIf(id -> !texts.get("en").containsKey(id)));
        englishIds.values().removeIf(List::isEmpty);
        return new HelpPages(List.copyOf(languages), Collections.unmodifiableMap(englishIds), texts, corpusSplits);
    }

    /** The page (the unit) of an id: everything before {@code #}. */
    static String page(String id) {
        return id.substring(0, id.indexOf('#'));
    }

    /** The module of an id or page: the first path segment after {@code lohelp:} ({@code swriter}, ...). */
    static String module(String idOrPage) {
        int slash = idOrPage.indexOf('/', PREFIX.length());
        return idOrPage.substring(PREFIX.length(), slash < 0 ? idOrPage.length() : slash);
    }

    /** Whether an id is a heading ({@code #hd_...}). */
    static boolean isHeading(String id) {
        return id.contains("#hd_");
    }

    /** Whether an id is a paragraph ({@code #par_...}). */
    static boolean isParagraph(String id) {
        return id.contains("#par_");
    }

    /** The languages that have help documents, in the corpus's order (English among them). */
    List<String> languages() {
        return languages;
    }

    /** Every page that has English documents, in the English corpus's order. */
    Set<String> pages() {
        return englishIds.keySet();
    }

    /** A page's English ids in the corpus's order (the page's order). */
    List<String> englishIds(String page) {
        return englishIds.getOrDefault(page, List.of());
    }

    /** The text of {@code id} in {@code lang}, or null where that language lacks it. */
    String text(String lang, String id) {
        return texts.get(lang).get(id);
    }

    /** Whether every one of {@code langs} has {@code id}. */
    boolean inAll(List<String> langs, String id) {
        return langs.stream().allMatch(l -> texts.get(l).containsKey(id));
    }

    /**
     * Whether no language's corpus put {@code page} in its validation or identification split (the shipped text):
     * every language that has the page has it in train.
     */
    boolean onlyInCorpusTrain(String page) {
        return languages.stream().map(l -> corpusSplits.get(l).get(page)).allMatch(s -> s == null || s == Split.TRAIN);
    }
}
