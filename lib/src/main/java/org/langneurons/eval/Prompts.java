package org.langneurons.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prompts cut from the openings of each language's documents (validation text, never the text neurons were
 * identified on): what generation and steering are shown on when the user gives none.
 *
 * <pre>{@code
 * Map<String, List<String>> openings = Prompts.openings(textsByLanguage, 12);   // 12 per language
 * List<String> one = Prompts.firstWords(textsByLanguage);                       // one per language
 * }</pre>
 */
public final class Prompts {
    private Prompts() {
    }

    /**
     * Per language, the first 24 characters (code points) of its first {@code n} documents of at least 40
     * characters, stripped: {@code steer}'s default prompts.
     */
    public static Map<String, List<String>> openings(Map<String, List<String>> texts, int n) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        texts.forEach((lang, docs) -> out.put(lang, openings(docs, n)));
        return out;
    }

    /** The first 24 characters of the first {@code n} documents of at least 40 characters, stripped. */
    public static List<String> openings(List<String> docs, int n) {
        List<String> out = new ArrayList<>();
        for (String d : docs) {
            if (out.size() == n) {
                break;
            }
            if (d.codePointCount(0, d.length()) >= 40) {
                out.add(d.substring(0, d.offsetByCodePoints(0, 24)).strip());
            }
        }
        return out;
    }

    /**
     * One prompt per language, in order: the opening words of its first document of 60 characters or more (the first
     * document if none is that long), about 20 characters cut at a space.
     */
    public static List<String> firstWords(Map<String, List<String>> texts) {
        List<String> out = new ArrayList<>();
        texts.forEach((lang, docs) -> {
            if (docs.isEmpty()) {
                throw new IllegalArgumentException("empty input: no document of " + lang + " to take a prompt from");
            }
            String doc = docs.stream().filter(d -> d.length() >= 60).findFirst().orElse(docs.get(0));
            String head = doc.substring(0, doc.offsetByCodePoints(0, Math.min(24, doc.codePointCount(0,
                    doc.length()))));
            int space = head.lastIndexOf(' ');
            out.add((space >= 8 ? head.substring(0, space) : head).strip());
        });
        return out;
    }
}
