package org.langneurons.tasks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Exact match and F1 of the official SQuAD v1.1 evaluation script ({@code evaluate-v1.1.py}), the scores XQuAD
 * results are reported in. Both compare <em>normalised</em> answers: lower-cased, ASCII punctuation
 * ({@code string.punctuation}) removed, the words {@code a}, {@code an} and {@code the} removed, whitespace runs
 * collapsed to single spaces. EM is whether the normalised strings are equal; F1 is the harmonic mean of precision
 * and recall of the multiset of whitespace tokens shared by the two. With several gold answers a prediction scores
 * the maximum over them; a data set's score is the mean over its questions times 100 ({@link TaskScores#squad}).
 *
 * <p>Python's behaviour is kept: a word is a maximal run of letters, numbers and {@code _} (the {@code \b} of
 * {@code re} on {@code str}); whitespace is what {@code str.split()} splits on (no-break space included); F1 is 0
 * when no token is shared, so it is 0 even when both answers normalise to nothing (while EM is then 1).
 *
 * <p><b>Languages without spaces.</b> The script has no word segmentation, and XQuAD reports (Artetxe et al. 2020)
 * apply it as it is to Chinese and Thai: an answer without spaces is one token, so F1 there is close to EM
 * (partial credit only across spaces, e.g. around Latin words or numbers), and full-width punctuation
 * ({@code ，。}) is not removed. This class does the same, to give numbers comparable with theirs.
 *
 * <pre>{@code
 * boolean em = SquadMetric.exactMatch("the Denver Broncos!", "Denver Broncos");   // true
 * double f1 = SquadMetric.f1("Denver Broncos won", List.of("Broncos", "Carolina")); // 2 * (1/3 * 1) / (4/3) = 0.5
 * }</pre>
 */
public final class SquadMetric {
    /** Python's {@code string.punctuation}. */
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private SquadMetric() {
    }

    /** The script's {@code normalize_answer}: lower case, no punctuation, no articles, single spaces. */
    public static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder noPunctuation = new StringBuilder(lower.length());
        lower.codePoints().filter(c -> PUNCTUATION.indexOf(c) < 0).forEach(noPunctuation::appendCodePoint);
        return String.join(" ", splitWhitespace(removeArticles(noPunctuation.toString())));
    }

    /** The whitespace tokens of the normalised text, the units of F1. */
    public static List<String> tokens(String text) {
        return splitWhitespace(normalize(text));
    }

    /** Whether the normalised texts are equal. */
    public static boolean exactMatch(String prediction, String gold) {
        return normalize(prediction).equals(normalize(gold));
    }

    /** The token F1 of the normalised texts, in [0, 1]. */
    public static double f1(String prediction, String gold) {
        List<String> predicted = tokens(prediction), expected = tokens(gold);
        Map<String, Integer> left = new HashMap<>();
        expected.forEach(t -> left.merge(t, 1, Integer::sum));
        int shared = 0;
        for (String t : predicted) {
            Integer n = left.get(t);
            if (n != null && n > 0) {
                left.put(t, n - 1);
                shared++;
            }
        }
        if (shared == 0) {
            return 0;
        }
        double precision = (double) shared / predicted.size(), recall = (double) shared / expected.size();
        return 2 * precision * recall / (precision + recall);
    }

    /** 1 when the prediction matches any of {@code golds} exactly, else 0. */
    public static double exactMatch(String prediction, List<String> golds) {
        requireGolds(golds);
        return golds.stream().anyMatch(g -> exactMatch(prediction, g)) ? 1 : 0;
    }

    /** The best F1 of the prediction against any of {@code golds}. */
    public static double f1(String prediction, List<String> golds) {
        requireGolds(golds);
        return golds.stream().mapToDouble(g -> f1(prediction, g)).max().orElseThrow();
    }

    private static void requireGolds(List<String> golds) {
        if (golds.isEmpty()) {
            throw new IllegalArgumentException("no gold answer to compare with");
        }
    }

    /** {@code re.sub(r'\b(a|an|the)\b', ' ', text)}: a whole word a / an / the becomes a space. */
    private static String removeArticles(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (!isWordChar(c)) {
                out.appendCodePoint(c);
                i += Character.charCount(c);
                continue;
            }
            int end = i;
            while (end < text.length() && isWordChar(text.codePointAt(end))) {
                end += Character.charCount(text.codePointAt(end));
            }
            String word = text.substring(i, end);
            out.append(word.equals("a") || word.equals("an") || word.equals("the") ? " " : word);
            i = end;
        }
        return out.toString();
    }

    /** Python's {@code \w} on {@code str}: {@code str.isalnum()} (letters and numbers of any kind) or {@code _}. */
    private static boolean isWordChar(int c) {
        if (c == '_' || Character.isLetter(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** {@code str.split()}: the non-empty runs between whitespace (Python's, which includes no-break spaces). */
    private static List<String> splitWhitespace(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
            if (space && start >= 0) {
                out.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
            i += Character.charCount(c);
        }
        if (start >= 0) {
            out.add(text.substring(start));
        }
        return out;
    }
}
