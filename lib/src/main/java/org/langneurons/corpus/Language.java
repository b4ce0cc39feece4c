package org.langneurons.corpus;

import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The 16 languages of Tang et al. 2024 and Mondal et al. 2025, with the scripts their text is expected in and the two
 * predefined language sets of the papers.
 *
 * <pre>{@code
 * List<Language> langs = Language.parseList("set1,hi");   // EN, FR, ES, VI, ID, JA, ZH, HI
 * boolean french = Language.FR.scriptShare("Bonjour le monde") >= Language.MIN_SCRIPT_SHARE;
 * }</pre>
 */
public enum Language {
    EN("en", "English", UnicodeScript.LATIN),
    FR("fr", "French", UnicodeScript.LATIN),
    ES("es", "Spanish", UnicodeScript.LATIN),
    VI("vi", "Vietnamese", UnicodeScript.LATIN),
    ID("id", "Indonesian", UnicodeScript.LATIN),
    JA("ja", "Japanese", UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA),
    ZH("zh", "Chinese", UnicodeScript.HAN),
    BN("bn", "Bengali", UnicodeScript.BENGALI),
    HI("hi", "Hindi", UnicodeScript.DEVANAGARI),
    TA("ta", "Tamil", UnicodeScript.TAMIL),
    TE("te", "Telugu", UnicodeScript.TELUGU),
    MR("mr", "Marathi", UnicodeScript.DEVANAGARI),
    UR("ur", "Urdu", UnicodeScript.ARABIC),
    KN("kn", "Kannada", UnicodeScript.KANNADA),
    ML("ml", "Malayalam", UnicodeScript.MALAYALAM),
    PA("pa", "Punjabi", UnicodeScript.GURMUKHI);

    /** Tang et al.'s first set: English, French, Spanish, Vietnamese, Indonesian, Japanese, Chinese. */
    public static final List<Language> SET1 = List.of(EN, FR, ES, VI, ID, JA, ZH);
    /** Mondal et al.'s Indic set (with English and Urdu). */
    public static final List<Language> SET6 = List.of(EN, BN, HI, TA, TE, MR, UR, KN, ML, PA);

    /** Share of letters that must be in the expected script(s) for a text to count as the language at all. */
    public static final double MIN_SCRIPT_SHARE = 0.5;
    /** Share required of validation and identification documents. */
    public static final double STRICT_SCRIPT_SHARE = 0.9;

    private final String code;
    private final String englishName;
    private final Set<UnicodeScript> scripts;

    Language(String code, String englishName, UnicodeScript first, UnicodeScript... more) {
        this.code = code;
        this.englishName = englishName;
        this.scripts = java.util.Collections.unmodifiableSet(EnumSet.of(first, more));
    }

    /** ISO 639-1 code, e.g. {@code "hi"}. */
    public String code() {
        return code;
    }

    /** The language's English name, e.g. {@code "Hindi"}. */
    public String englishName() {
        return englishName;
    }

    /** The scripts a letter of this language may be written in. */
    public Set<UnicodeScript> scripts() {
        return scripts;
    }

    /** Whether the language is written in the Latin script (so script checks cannot tell it from English). */
    public boolean isLatin() {
        return scripts.contains(UnicodeScript.LATIN);
    }

    /** Japanese and Chinese: characters carry more per letter, so shorter texts are kept. */
    public boolean isCjk() {
        return this == JA || this == ZH;
    }

    /** The shortest document kept, in code points: 8 for Chinese and Japanese, 20 otherwise. */
    public int minChars() {
        return isCjk() ? 8 : 20;
    }

    /** Share of the letters of {@code text} in this language's script(s); see {@link TextCleaner#scriptShare}. */
    public double scriptShare(String text) {
        return TextCleaner.scriptShare(text, scripts);
    }

    /** The language of an ISO 639-1 code (case-insensitive). */
    public static Language of(String code) {
        String c = code.trim().toLowerCase(Locale.ROOT);
        for (Language l : values()) {
            if (l.code.equals(c)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown language '" + code + "': expected one of "
                + List.of(values()).stream().map(Language::code).collect(Collectors.joining(",")));
    }

    /**
     * Parses a comma-separated list of codes or set names ({@code set1}, {@code set6}, {@code all}), e.g.
     * {@code "en,fr"} or {@code "set6"}; duplicates are removed, order is kept.
     */
    public static List<Language> parseList(String spec) {
        List<Language> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            List<Language> add = switch (p) {
                case "set1" -> SET1;
                case "set6" -> SET6;
                case "all" -> List.of(values());
                default -> List.of(of(p));
            };
            for (Language l : add) {
                if (!out.contains(l)) {
                    out.add(l);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty language list '" + spec + "'");
        }
        return out;
    }

    /**
     * Parses a comma-separated list of language codes for text the user brings: set names expand as in
     * {@link #parseList}, and any code of letters, digits, '-' or '_' is accepted (a language outside the 16 has no
     * script check), e.g. {@code "set1,de"}.
     */
    public static List<String> parseCodes(String spec) {
        List<String> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            List<String> add = switch (p.toLowerCase(Locale.ROOT)) {
                case "set1", "set6", "all" -> parseList(p).stream().map(Language::code).toList();
                default -> {
                    if (!p.matches("[A-Za-z0-9_-]+")) {
                        throw new IllegalArgumentException("'" + p + "' is not a language code (letters, digits, "
                                + "'-' and '_')");
                    }
                    yield List.of(p);
                }
            };
            add.stream().filter(c -> !out.contains(c)).forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty language list '" + spec + "'");
        }
        return out;
    }
}
