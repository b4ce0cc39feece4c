package org.langneurons.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;

/**
 * A character n-gram language identifier (naive Bayes over 1- to 3-grams of code points, add-one smoothing per
 * order), trained by the library on the corpus: what measures the language a steered model writes in.
 *
 * <pre>{@code
 * LanguageIdentifier id = LanguageIdentifier.embedded();     // trained on the embedded identification text
 * String lang = id.identify("La capitale de la France est Paris.");     // "fr"
 * }</pre>
 */
public final class LanguageIdentifier {
    private static final int MAX_ORDER = 3;

    private final List<String> languages;
    /** Per language, per order 1..3: n-gram counts and their total. */
    private final List<List<Map<String, Integer>>> counts = new ArrayList<>();
    private final long[][] totals;
    private final int[] vocabulary = new int[MAX_ORDER + 1];

    private LanguageIdentifier(Map<String, List<String>> texts) {
        this.languages = List.copyOf(texts.keySet());
        this.totals = new long[languages.size()][MAX_ORDER + 1];
        List<java.util.Set<String>> seen = new ArrayList<>();
        for (int n = 0; n <= MAX_ORDER; n++) {
            seen.add(new java.util.HashSet<>());
        }
        int k = 0;
        for (List<String> docs : texts.values()) {
            List<Map<String, Integer>> perOrder = new ArrayList<>();
            perOrder.add(Map.of());
            for (int n = 1; n <= MAX_ORDER; n++) {
                Map<String, Integer> c = new HashMap<>();
                for (String d : docs) {
                    for (String g : grams(d, n)) {
                        c.merge(g, 1, Integer::sum);
                        totals[k][n]++;
                    }
                }
                seen.get(n).addAll(c.keySet());
                perOrder.add(c);
            }
            counts.add(perOrder);
            k++;
        }
        for (int n = 1; n <= MAX_ORDER; n++) {
            vocabulary[n] = seen.get(n).size() + 1;   // + 1: one slot for every unseen n-gram
        }
    }

    private static LanguageIdentifier embedded;

    /**
     * The identifier trained on the embedded corpus's identification split (16 languages), trained once per JVM:
     * what {@code steer} and the notebooks identify continuations with.
     */
    public static synchronized LanguageIdentifier embedded() {
        if (embedded == null) {
            embedded = train(Corpus.openDefault(), Split.IDENTIFICATION);
        }
        return embedded;
    }

    /** Trains on {@code split} of every language of {@code corpus}. */
    public static LanguageIdentifier train(Corpus corpus, Split split) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        for (String lang : corpus.languages()) {
            texts.put(lang, corpus.documents(lang, split));
        }
        return train(texts);
    }

    /** Trains on documents per language. */
    public static LanguageIdentifier train(Map<String, List<String>> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a language identifier needs text of at least one language");
        }
        return new LanguageIdentifier(texts);
    }

    /** The languages it tells apart. */
    public List<String> languages() {
        return languages;
    }

    private static List<String> grams(String text, int n) {
        String s = " " + text.toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ").strip() + " ";
        int[] cp = s.codePoints().toArray();
        List<String> out = new ArrayList<>();
        for (int i = 0; i + n <= cp.length; i++) {
            out.add(new String(cp, i, n));
        }
        return out;
    }

    /** Log-likelihood of {@code text} under each language, in {@link #languages()} order. */
    public double[] scores(String text) {
        double[] s = new double[languages.size()];
        for (int n = 1; n <= MAX_ORDER; n++) {
            List<String> g = grams(text, n);
            for (int k = 0; k < languages.size(); k++) {
                Map<String, Integer> c = counts.get(k).get(n);
                double denom = Math.log(totals[k][n] + vocabulary[n]);
                for (String x : g) {
                    s[k] += Math.log(c.getOrDefault(x, 0) + 1.0) - denom;
                }
            }
        }
        return s;
    }

    /** The most likely language of {@code text}. */
    public String identify(String text) {
        double[] s = scores(text);
        int best = 0;
        for (int k = 1; k < s.length; k++) {
            if (s[k] > s[best]) {
                best = k;
            }
        }
        return languages.get(best);
    }

    /** The language of each text, in order. */
    public List<String> identifyAll(List<String> texts) {
        return texts.stream().map(this::identify).toList();
    }

    /** The share of texts identified as {@code language}, from their {@link #identifyAll} labels. */
    public static double share(List<String> identified, String language) {
        return Collections.frequency(identified, language) / (double) identified.size();
    }

    /**
     * Accuracy per language on held-out documents (each cut to at most {@code maxChars} code points, as generated
     * text is short), and overall in the entry {@code "all"}.
     */
    public Map<String, Double> accuracy(Map<String, List<String>> heldOut, int maxChars) {
        Map<String, Double> out = new LinkedHashMap<>();
        long right = 0, all = 0;
        for (var e : heldOut.entrySet()) {
            int ok = 0;
            for (String d : e.getValue()) {
                String cut = d.codePointCount(0, d.length()) <= maxChars ? d
                        : d.substring(0, d.offsetByCodePoints(0, maxChars));
                if (identify(cut).equals(e.getKey())) {
                    ok++;
                }
            }
            out.put(e.getKey(), e.getValue().isEmpty() ? Double.NaN : ok / (double) e.getValue().size());
            right += ok;
            all += e.getValue().size();
        }
        out.put("all", right / (double) Math.max(1, all));
        return out;
    }
}
