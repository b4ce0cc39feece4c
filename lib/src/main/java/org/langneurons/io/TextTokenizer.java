package org.langneurons.io;

import ai.djl.huggingface.tokenizers.Encoding;
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
 * {@code tokenizer(text)} does in transformers); nothing is truncated or padded.
 *
 * <pre>{@code
 * try (TextTokenizer tok = TextTokenizer.load(Path.of("ckpt/tokenizer.json"))) {
 *     long[] ids = tok.encode("Bonjour le monde");
 *     String text = tok.decode(ids);
 * }
 * }</pre>
 */
public final class TextTokenizer implements AutoCloseable {
    private final Path file;
    private final HuggingFaceTokenizer tokenizer;

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

    /** Token ids of {@code text}; {@code addSpecialTokens=false} leaves out BOS/EOS and the like. */
    public long[] encode(String text, boolean addSpecialTokens) {
        Encoding encoding = tokenizer.encode(text, addSpecialTokens, false);
        return encoding.getIds();
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
        return tokenizer.decode(ids, true);
    }

    /** Text of {@code ids}, keeping special tokens when {@code skipSpecialTokens} is false. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
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
