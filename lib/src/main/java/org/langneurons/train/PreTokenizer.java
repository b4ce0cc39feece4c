package org.langneurons.train;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text side of the tokenizer: NFC normalization and the Split pre-tokenizer, written so that Java splits text
 * exactly as the Rust {@code tokenizers} library (whose regexes are Oniguruma's) splits it with the same pattern.
 *
 * <pre>{@code
 * List<String> pieces = PreTokenizer.split(PreTokenizer.normalize("Hello  world, 2024!"));
 * // "Hello", " ", " world", ",", " 2024", "!"
 * }</pre>
 *
 * <p>The pattern keeps a letter together with its combining marks ({@code \p{M}}: the vowel signs and viramas of the
 * Indic scripts, Vietnamese tone marks left uncomposed by NFC), so a word of any of the training languages is one
 * piece, with at most one leading space; digits, other symbols, and whitespace runs are pieces of their own, and a
 * whitespace run before a word leaves its last space to that word ({@code \s+(?!\S)}). Chinese and Japanese have no
 * spaces, so a piece there is a run of letters between punctuation.
 *
 * <p>Oniguruma's {@code \s} (with UTF-8) is Unicode whitespace (U+0009..U+000D, U+0085 and the Zs, Zl and Zp
 * characters), whereas Java's plain {@code \s} is ASCII only; Java gets the same set from
 * {@link Pattern#UNICODE_CHARACTER_CLASS}, which changes nothing else in this pattern ({@code \p{L}}, {@code \p{M}},
 * {@code \p{N}} are Unicode general categories in both). What remains is the Unicode version: Java 17 knows Unicode
 * 13, the Oniguruma in DJL's build of the Rust library Unicode 16, so about 10,000 characters assigned since (among them
 * Telugu U+0C3C, U+0C5D, Kannada U+0CDD, U+0CF3, Arabic Extended-B U+0870..U+089F, CJK U+9FFD..U+9FFF) are letters,
 * marks or digits to Rust and unassigned to Java. {@link #LETTERS_AFTER_JAVA} and {@link #DIGITS_AFTER_JAVA} list them
 * (found by asking the Rust library how it splits each code point that Java 17 has unassigned); before matching, Java
 * replaces such a character by a stand-in of the same class and length ({@code a} or U+10428 for a letter or mark,
 * {@code 0} or U+1D7CE for a digit) and cuts the original text where the stand-in text was cut. On a newer JDK that
 * knows these characters the replacement never happens. BpeTrainerTest checks that every code point of the Basic
 * Multilingual Plane (and, on request, of planes 1..3 and 14) splits the same in both.
 */
public final class PreTokenizer {
    /** The Split regex as written into {@code tokenizer.json} (Oniguruma syntax). */
    public static final String SPLIT_REGEX =
            "'(?:[sdmt]|ll|ve|re)| ?[\\p{L}\\p{M}]+| ?\\p{N}+| ?[^\\s\\p{L}\\p{M}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final Pattern SPLIT = Pattern.compile(SPLIT_REGEX, Pattern.UNICODE_CHARACTER_CLASS);

    /**
     * Code point ranges (hex, inclusive) that Java 17 has unassigned and the Rust library's regex engine takes for
     * letters or marks ({@code [\p{L}\p{M}]}): characters of Unicode 14, 15 and 16.
     */
    static final String LETTERS_AFTER_JAVA = "870-887 889-88E 897-89F 8B5 8C8-8D2 C3C C5D CDD CF3 ECE 170D 1715 171F"
            + " 180F 1AC1-1ACE 1B4C 1C89-1C8A 1DFA 2C2F 2C5F 9FFD-9FFF A7C0-A7C1 A7CB-A7CD A7D0-A7D1 A7D3 A7D5-A7DC"
            + " A7F2-A7F4 10570-1057A 1057C-1058A 1058C-10592 10594-10595 10597-105A1 105A3-105B1 105B3-105B9"
            + " 105BB-105BC 105C0-105F3 10780-10785 10787-107B0 107B2-107BA 10D4A-10D65 10D69-10D6D 10D6F-10D85"
            + " 10EC2-10EC4 10EFC-10EFF 10F70-10F85 11070-11075 110C2 1123F-11241 11380-11389 1138B 1138E 11390-113B5"
            + " 113B7-113C0 113C2 113C5 113C7-113CA 113CC-113D3 113E1-113E2 11740-11746 11AB0-11ABF 11BC0-11BE0"
            + " 11F00-11F10 11F12-11F3A 11F3E-11F42 11F5A 12F90-12FF0 1342F 13440-13455 13460-143FA 16100-1612F"
            + " 16A70-16ABE 16D40-16D6C 18CFF 1AFF0-1AFF3 1AFF5-1AFFB 1AFFD-1AFFE 1B11F-1B122 1B132 1B155"
            + " 1CF00-1CF2D 1CF30-1CF46 1DF00-1DF1E 1DF25-1DF2A 1E030-1E06D 1E08F 1E290-1E2AE 1E4D0-1E4EF"
            + " 1E5D0-1E5F0 1E7E0-1E7E6 1E7E8-1E7EB 1E7ED-1E7EE 1E7F0-1E7FE 2A6DE-2A6DF 2B735-2B739 2EBF0-2EE5D"
            + " 31350-323AF";
    /** Code point ranges that Java 17 has unassigned and the Rust library's regex engine takes for {@code \p{N}}. */
    static final String DIGITS_AFTER_JAVA = "10D40-10D49 116D0-116E3 11BF0-11BF9 11F50-11F59 16130-16139 16AC0-16AC9"
            + " 16D70-16D79 1CCF0-1CCF9 1D2C0-1D2D3 1E4F0-1E4F9 1E5F1-1E5FA";

    private static final int[] LETTER_RANGES = ranges(LETTERS_AFTER_JAVA);
    private static final int[] DIGIT_RANGES = ranges(DIGITS_AFTER_JAVA);

    private static int[] ranges(String spec) {
        String[] parts = spec.trim().split("\\s+");
        int[] out = new int[2 * parts.length];
        for (int i = 0; i < parts.length; i++) {
            String[] ends = parts[i].split("-");
            out[2 * i] = Integer.parseInt(ends[0], 16);
            out[2 * i + 1] = Integer.parseInt(ends[ends.length - 1], 16);
        }
        return out;
    }

    private static boolean inRanges(int[] ranges, int cp) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code text} with every character that Java does not know but the Rust regex engine takes for a letter, mark or
     * digit replaced by a stand-in of that class with the same UTF-16 length; {@code text} itself when there is none.
     */
    static String withStandIns(String text) {
        char[] out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp >= 0x870 && Character.getType(cp) == Character.UNASSIGNED) {
                int standIn = inRanges(LETTER_RANGES, cp) ? (n == 1 ? 'a' : 0x10428)
                        : inRanges(DIGIT_RANGES, cp) ? (n == 1 ? '0' : 0x1D7CE) : -1;
                if (standIn >= 0) {
                    if (out == null) {
                        out = text.toCharArray();
                    }
                    Character.toChars(standIn, out, i);
                }
            }
            i += n;
        }
        return out == null ? text : new String(out);
    }

    private PreTokenizer() {
    }

    /** {@code text} in Unicode normalization form C (the tokenizer's NFC normalizer). */
    public static String normalize(String text) {
        return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    /**
     * The pieces of (already normalized) {@code text}, in order, as the Split pre-tokenizer with behavior "Isolated"
     * makes them: every match is a piece and so is any text between matches (there is none with this pattern).
     */
    public static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = SPLIT.matcher(withStandIns(text));
        int last = 0;
        while (m.find()) {
            if (m.start() == m.end()) {
                continue;
            }
            if (m.start() > last) {
                pieces.add(text.substring(last, m.start()));
            }
            pieces.add(text.substring(m.start(), m.end()));
            last = m.end();
        }
        if (last < text.length()) {
            pieces.add(text.substring(last));
        }
        return pieces;
    }
}
