package org.langneurons.io;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A Hugging Face {@code tokenizer.json}, loaded from a local path with DJL's bindings to the Rust tokenizers library.
 *
 * <p>Encoding applies the file's own post-processor (so Llama adds its BOS token and Qwen2 adds none, exactly as
 * {@code tokenizer(text)} does in transformers); nothing is truncated or padded. A text longer than
 * {@value #PIECE_CHARS} characters (a whole book on one line) is encoded piece by piece, cut only where the pieces'
 * ids are the whole text's (see {@link #encode(String, boolean)}), so memory stays bounded by the piece, not the line.
 *
 * <pre>{@code
 * try (TextTokenizer tok = TextTokenizer.load(Path.of("ckpt/tokenizer.json"))) {
 *     long[] ids = tok.encode("Bonjour le monde");
 *     String text = tok.decode(ids);
 * }
 * }</pre>
 */
public final class TextTokenizer implements AutoCloseable {
    /** Longest text encoded in one call to the Rust tokenizer. */
    static final int PIECE_CHARS = 1 << 16;
    /** Characters each side of a candidate cut that are encoded to check it. */
    private static final int CHECK_CHARS = 64;
    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    /** Ids the post-processor puts before and after a text's own; found on first use. */
    private long[][] specials;

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer) {
        this.file = file;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads a tokenizer from a {@code tokenizer.json} file or from a checkpoint directory holding one.
     *
     * @throws CheckpointException if the file is missing or cannot be parsed
     */
    public static TextTokenizer load(Path fileOrDirectory) {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve("tokenizer.json") : fileOrDirectory;
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "no tokenizer.json: text needs a tokenizer (token ids do not)");
        }
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(true)
                    .optTruncation(false)
                    .optPadding(false)
                    .optMaxLength(Integer.MAX_VALUE / 2)
                    .build();
            return new TextTokenizer(file, tokenizer);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "cannot be read as a Hugging Face tokenizer: " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}, with the special tokens the tokenizer's post-processor adds. */
    public long[] encode(String text) {
        return encode(text, true);
    }

    /**
     * Token ids of {@code text}; {@code addSpecialTokens=false} leaves out BOS/EOS and the like. A text longer than
     * {@value #PIECE_CHARS} characters is encoded in pieces of about that length, each cut at the first position
     * from there (a space, punctuation, a script change: wherever the pre-tokenizer splits) where encoding the 64
     * characters on each side whole and in two parts gives the same ids; the special tokens go around the whole.
     * Without such a position the rest is encoded whole.
     */
    public long[] encode(String text, boolean addSpecialTokens) {
        if (text.length() <= PIECE_CHARS) {
            return encodeWhole(text, addSpecialTokens);
        }
        long[][] around = addSpecialTokens ? specials() : new long[][] {{}, {}};
        long[] out = new long[text.length() / 3 + 16];
        System.arraycopy(around[0], 0, out, 0, around[0].length);
        int n = around[0].length;
        int start = 0;
        while (start < text.length()) {
            int[] cut = text.length() - start <= PIECE_CHARS ? new int[] {text.length(), text.length()}
                    : cut(text, start + PIECE_CHARS);
            long[] ids = encodeWhole(text.substring(start, cut[0]), false);
            if (n + ids.length + around[1].length > out.length) {
                out = Arrays.copyOf(out, Math.max(2 * out.length, n + ids.length + around[1].length));
            }
            System.arraycopy(ids, 0, out, n, ids.length);
            n += ids.length;
            start = cut[1];
        }
        System.arraycopy(around[1], 0, out, n, around[1].length);
        return Arrays.copyOf(out, n + around[1].length);
    }

    /** The ids of {@code text} from one call to the Rust tokenizer, however long the text (tests compare with it). */
    long[] encodeWhole(String text, boolean addSpecialTokens) {
        try {
            return tokenizer.encode(text, addSpecialTokens, false).getIds();
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "cannot encode text: " + e.getMessage(), e);
        }
    }

    /**
     * The first cut at or after {@code from} that leaves the ids unchanged: {end of this piece, start of the next}.
     * Usually the next piece starts where this one ends; a tokenizer that prepends "▁" to every text it is given
     * (Llama 2's) is cut at a space that is left out, since the next piece's own "▁" stands for it.
     */
    private int[] cut(String text, int from) {
        for (int p = from; p < text.length() - 1; p++) {
            if (Character.isLowSurrogate(text.charAt(p)) || !plausibleCut(text, p)) {
                continue;
            }
            if (samePieces(text, p, p)) {
                return new int[] {p, p};
            }
            if (text.charAt(p) == ' ' && samePieces(text, p, p + 1)) {
                return new int[] {p, p + 1};
            }
        }
        return new int[] {text.length(), text.length()};
    }

    /** Whether the 64 characters before {@code end} and after {@code next} encode as their join does. */
    private boolean samePieces(String text, int end, int next) {
        String joined = text.substring(Math.max(0, end - CHECK_CHARS), Math.min(text.length(), next + CHECK_CHARS));
        long[] whole = encodeWhole(joined, false);
        long[] a = encodeWhole(text.substring(Math.max(0, end - CHECK_CHARS), end), false);
        long[] b = encodeWhole(text.substring(next, Math.min(text.length(), next + CHECK_CHARS)), false);
        return whole.length == a.length + b.length && Arrays.equals(whole, 0, a.length, a, 0, a.length)
                && Arrays.equals(whole, a.length, whole.length, b, 0, b.length);
    }

    /** Where pre-tokenizers split: before a space after a non-space, or between a letter and a non-letter. */
    private static boolean plausibleCut(String text, int p) {
        char before = text.charAt(p - 1), at = text.charAt(p);
        if (Character.isWhitespace(before)) {
            return false;
        }
        return at == ' ' || Character.isLetter(before) != Character.isLetter(at);
    }

    /** The ids the post-processor adds before and after a text's own (e.g. Llama's BOS): {prefix, suffix}. */
    private long[][] specials() {
        if (specials == null) {
            long[] plain = encodeWhole("a", false);
            long[] full = encodeWhole("a", true);
            int at = -1;
            for (int i = 0; i + plain.length <= full.length && at < 0; i++) {
                if (Arrays.equals(full, i, i + plain.length, plain, 0, plain.length)) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new IllegalStateException(file + ": the special tokens do not surround the text's own ids");
            }
            specials = new long[][] {Arrays.copyOfRange(full, 0, at),
                Arrays.copyOfRange(full, at + plain.length, full.length)};
        }
        return specials;
    }

    /**
     * One token stream of {@code documents}, as pre-training corpora are packed: each document as {@link #encode}
     * gives it, followed by {@code separatorId} when it is >= 0 (usually the EOS token); at most {@code limit} tokens,
     * the documents after the limit are not encoded.
     */
    public long[] encodeJoined(List<String> documents, long separatorId, int limit) {
        long[] stream = new long[Math.min(limit, 1024)];
        int n = 0;
        for (String doc : documents) {
            if (n >= limit) {
                break;
            }
            long[] ids = encode(doc);
            int end = n + ids.length + (separatorId >= 0 ? 1 : 0);
            if (end > stream.length) {
                long grown = Math.max(2L * stream.length, end);
                stream = Arrays.copyOf(stream, (int) Math.min(Integer.MAX_VALUE - 8, grown));
            }
            System.arraycopy(ids, 0, stream, n, ids.length);
            n += ids.length;
            if (separatorId >= 0) {
                stream[n++] = separatorId;
            }
        }
        return Arrays.copyOf(stream, Math.min(n, limit));
    }

    /** The token strings of {@code text} (as the tokenizer names them, e.g. {@code "Ġworld"}). */
    public List<String> tokens(String text) {
        return Arrays.asList(tokenizer.encode(text, false, false).getTokens());
    }

    /** Text of {@code ids}, skipping special tokens. */
    public String decode(long[] ids) {
        return decode(ids, true);
    }

    /** Text of {@code ids}, keeping special tokens when {@code skipSpecialTokens} is false. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        try {
            return tokenizer.decode(ids, skipSpecialTokens);
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "cannot decode token ids: " + e.getMessage(), e);
        }
    }

    /** The file this tokenizer was read from. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
