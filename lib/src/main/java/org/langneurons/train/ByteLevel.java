package org.langneurons.train;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The GPT-2 byte-to-unicode alphabet that byte-level BPE tokenizers (and Hugging Face's {@code ByteLevel}
 * pre-tokenizer and decoder) use to write bytes as printable characters: the 188 bytes that are printable Latin-1
 * characters ({@code !}..{@code ~}, {@code ¡}..{@code ¬}, {@code ®}..{@code ÿ}) stand for themselves, and the other 68
 * (controls, space, soft hyphen, ...) are written as U+0100, U+0101, ... in byte order, so a space is {@code Ġ}
 * (U+0120) and a newline {@code Ċ} (U+010A).
 *
 * <pre>{@code
 * String symbols = ByteLevel.encode(" café");   // "ĠcafÃ©": the space is Ġ, é's two UTF-8 bytes are Ã and ©
 * String text = ByteLevel.decode(symbols);     // " café"
 * }</pre>
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (printable ? b : next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The character that stands for byte {@code b} (0..255, or a signed Java byte). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte (0..255) that character {@code c} stands for, or -1 when {@code c} is not in the alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** {@code bytes} written in the alphabet, one character per byte. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** The UTF-8 bytes of {@code text} written in the alphabet. */
    public static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bytes that a string of the alphabet stands for.
     *
     * @throws IllegalArgumentException if {@code symbols} holds a character outside the alphabet
     */
    public static byte[] bytes(String symbols) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(symbols.length());
        for (int i = 0; i < symbols.length(); i++) {
            int b = byteOf(symbols.charAt(i));
            if (b < 0) {
                throw new IllegalArgumentException("not a byte-level character: U+"
                        + Integer.toHexString(symbols.charAt(i)).toUpperCase() + " in " + symbols);
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /**
     * The text that a string of the alphabet stands for; bytes that are not valid UTF-8 become U+FFFD the way the Rust
     * decoder ({@code String::from_utf8_lossy}) replaces them.
     */
    public static String decode(String symbols) {
        return utf8Lossy(bytes(symbols));
    }

    /**
     * {@code bytes} as UTF-8, each maximal subpart of an ill-formed sequence replaced by one U+FFFD (the Unicode
     * Standard's recommended practice, which Rust's {@code from_utf8_lossy} follows and Java's own decoder does not
     * quite: it treats encoded surrogates and some truncated sequences differently).
     */
    public static String utf8Lossy(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        int n = bytes.length;
        int i = 0;
        while (i < n) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int more;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                more = 1;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                more = 2;
                if (b0 == 0xE0) {
                    lo = 0xA0;
                } else if (b0 == 0xED) {
                    hi = 0x9F;
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                more = 3;
                if (b0 == 0xF0) {
                    lo = 0x90;
                } else if (b0 == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                out.append('\uFFFD');
                i++;
                continue;
            }
            int cp = b0 & (0x3F >> more);
            int j = i + 1;
            int got = 0;
            while (got < more && j < n) {
                int b = bytes[j] & 0xFF;
                if (b < (got == 0 ? lo : 0x80) || b > (got == 0 ? hi : 0xBF)) {
                    break;
                }
                cp = (cp << 6) | (b & 0x3F);
                j++;
                got++;
            }
            if (got == more) {
                out.appendCodePoint(cp);
            } else {
                out.append('\uFFFD');
            }
            i = j;
        }
        return out.toString();
    }
}
