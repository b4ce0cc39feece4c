package org.langneurons.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-level BPE tokenizer made by {@link BpeTrainer}: its vocabulary (special tokens, the 256 bytes, then one token
 * per merge), its merges in learned order, a Java encoder that gives the ids the Rust {@code tokenizers} library gives
 * for the saved file, and the writer of that file ({@link #save}, a standard Hugging Face {@code tokenizer.json}).
 *
 * <pre>{@code
 * BpeModel bpe = BpeTrainer.train(textsByLanguage, BpeTrainer.Settings.defaults().withVocabSize(1024));
 * long[] ids = bpe.encode("Bonjour le monde");   // <s> first, as TextTokenizer encodes with the saved file
 * bpe.save(dir.resolve("tokenizer.json"));
 * }</pre>
 *
 * <p>Layout of the ids: {@code 0 <pad>}, {@code 1 <s>} (BOS, put before every sequence by the post-processor),
 * {@code 2 </s>} (EOS), then byte {@code b} is id {@code 3 + b}, written as its GPT-2 {@link ByteLevel} character, then
 * the merges' tokens from id 259 on, in the order they were learned.
 *
 * <p>The Java encoder follows the Rust pipeline step by step: special tokens are cut out of the raw text first
 * (leftmost-longest, before normalization, as added tokens with {@code normalized: false} are), each remaining span is
 * NFC-normalized and split by {@link PreTokenizer#split}, each piece's UTF-8 bytes become byte tokens, and the merges
 * are applied the way the Rust BPE model applies them: repeatedly the adjacent pair of lowest merge rank, leftmost
 * first.
 */
public final class BpeModel {
    /** The padding token, id 0. */
    public static final String PAD = "<pad>";
    /** The beginning-of-sequence token, id 1, which {@code encode(text)} puts first. */
    public static final String BOS = "<s>";
    /** The end-of-sequence token, id 2. */
    public static final String EOS = "</s>";
    /** The special tokens, in id order. */
    public static final List<String> SPECIAL_TOKENS = List.of(PAD, BOS, EOS);
    /** Id of {@link #PAD}. */
    public static final int PAD_ID = 0;
    /** Id of {@link #BOS}. */
    public static final int BOS_ID = 1;
    /** Id of {@link #EOS}. */
    public static final int EOS_ID = 2;
    /** Id of byte 0; byte {@code b} is {@code FIRST_BYTE_ID + b}. */
    public static final int FIRST_BYTE_ID = SPECIAL_TOKENS.size();
    /** Id of the first merged token. */
    public static final int FIRST_MERGE_ID = FIRST_BYTE_ID + 256;

    private static final int CACHE_LIMIT = 200_000;

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final int[] mergeLeft;
    private final int[] mergeRight;
    private final int[] mergeNew;
    /** (left << 32 | right) -> rank. */
    private final Map<Long, Integer> rankOfPair;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * A model from its merges, given as pairs of token ids in rank order; merge {@code r} makes token
     * {@code FIRST_MERGE_ID + r}, the concatenation of its pair.
     *
     * @throws IllegalArgumentException if a merge names a token not made yet, or makes a token that exists already
     */
    BpeModel(int[] left, int[] right) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("merge sides differ in length");
        }
        int n = left.length;
        List<String> vocab = new ArrayList<>(FIRST_MERGE_ID + n);
        vocab.addAll(SPECIAL_TOKENS);
        for (int b = 0; b < 256; b++) {
            vocab.add(String.valueOf(ByteLevel.charOf(b)));
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            index.put(vocab.get(i), i);
        }
        mergeLeft = left.clone();
        mergeRight = right.clone();
        mergeNew = new int[n];
        rankOfPair = new HashMap<>(2 * n);
        for (int r = 0; r < n; r++) {
            int id = vocab.size();
            if (left[r] < FIRST_BYTE_ID || left[r] >= id || right[r] < FIRST_BYTE_ID || right[r] >= id) {
                throw new IllegalArgumentException("merge " + r + " names a token not made yet");
            }
            String token = vocab.get(left[r]) + vocab.get(right[r]);
            if (index.putIfAbsent(token, id) != null) {
                throw new IllegalArgumentException("merge " + r + " makes " + token + " a second time");
            }
            if (rankOfPair.putIfAbsent(pairKey(left[r], right[r]), r) != null) {
                throw new IllegalArgumentException("merge " + r + " repeats a pair");
            }
            vocab.add(token);
            mergeNew[r] = id;
        }
        this.tokens = Collections.unmodifiableList(vocab);
        this.ids = Collections.unmodifiableMap(index);
    }

    static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Number of tokens: special tokens, bytes and merges. */
    public int vocabSize() {
        return tokens.size();
    }

    /** The token strings by id, in the byte-level alphabet (as {@code tokenizer.json} names them). */
    public List<String> tokens() {
        return tokens;
    }

    /** Id of a token string (in the byte-level alphabet), or -1. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The merges in rank order, each as its two token strings ({@code {"Ġ", "t"}}). */
    public List<String[]> merges() {
        List<String[]> out = new ArrayList<>(mergeLeft.length);
        for (int r = 0; r < mergeLeft.length; r++) {
            out.add(new String[] {tokens.get(mergeLeft[r]), tokens.get(mergeRight[r])});
        }
        return out;
    }

    /** Token ids of {@code text} with {@code <s>} first, as {@code TextTokenizer.encode(text)} gives them. */
    public long[] encode(String text) {
        return encode(text, true);
    }

    /** Token ids of {@code text}; {@code addSpecialTokens} puts {@code <s>} first. */
    public long[] encode(String text, boolean addSpecialTokens) {
        List<Integer> out = new ArrayList<>();
        if (addSpecialTokens) {
            out.add(BOS_ID);
        }
        int start = 0;
        int pos = 0;
        while (pos < text.length()) {
            int special = specialAt(text, pos);
            if (special < 0) {
                pos++;
                continue;
            }
            encodeSpan(text.substring(start, pos), out);
            out.add(special);
            pos += SPECIAL_TOKENS.get(special).length();
            start = pos;
        }
        encodeSpan(text.substring(start), out);
        long[] result = new long[out.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = out.get(i);
        }
        return result;
    }

    /** The special token (longest first) that starts at {@code pos}, or -1. */
    private static int specialAt(String text, int pos) {
        if (text.charAt(pos) != '<') {
            return -1;
        }
        int best = -1;
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            String s = SPECIAL_TOKENS.get(id);
            if (text.startsWith(s, pos) && (best < 0 || s.length() > SPECIAL_TOKENS.get(best).length())) {
                best = id;
            }
        }
        return best;
    }

    private void encodeSpan(String span, List<Integer> out) {
        if (span.isEmpty()) {
            return;
        }
        for (String piece : PreTokenizer.split(PreTokenizer.normalize(span))) {
            for (int id : encodePiece(piece)) {
                out.add(id);
            }
        }
    }

    /** The token ids of one pre-tokenized piece (no normalization, no splitting). */
    int[] encodePiece(String piece) {
        int[] hit = cache.get(piece);
        if (hit != null) {
            return hit;
        }
        int[] result = mergeBytes(piece.getBytes(StandardCharsets.UTF_8));
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(piece, result);
        return result;
    }

    /**
     * Applies the merges to a word of bytes as the Rust BPE model does: a queue of (rank, position) of the adjacent
     * pairs that have a merge, lowest rank first and leftmost among equal ranks; an entry whose pair has changed since it
     * was queued is dropped; after a merge, the pairs the new token forms with its neighbours are queued.
     */
    private int[] mergeBytes(byte[] bytes) {
        int n = bytes.length;
        int[] c = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] removed = new boolean[n];
        for (int i = 0; i < n; i++) {
            c[i] = FIRST_BYTE_ID + (bytes[i] & 0xFF);
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (int i = 0; i + 1 < n; i++) {
            Integer rank = rankOfPair.get(pairKey(c[i], c[i + 1]));
            if (rank != null) {
                queue.add(((long) rank << 32) | i);
            }
        }
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (removed[pos] || next[pos] < 0) {
                continue;
            }
            int right = next[pos];
            Integer current = rankOfPair.get(pairKey(c[pos], c[right]));
            if (current == null || mergeNew[current] != mergeNew[rank]) {
                continue;
            }
            c[pos] = mergeNew[rank];
            removed[right] = true;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            if (prev[pos] >= 0) {
                Integer r = rankOfPair.get(pairKey(c[prev[pos]], c[pos]));
                if (r != null) {
                    queue.add(((long) r << 32) | prev[pos]);
                }
            }
            if (next[pos] >= 0) {
                Integer r = rankOfPair.get(pairKey(c[pos], c[next[pos]]));
                if (r != null) {
                    queue.add(((long) r << 32) | pos);
                }
            }
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (!removed[i]) {
                c[count++] = c[i];
            }
        }
        return java.util.Arrays.copyOf(c, count);
    }

    /** The text of {@code ids}, leaving out special tokens (as {@code TextTokenizer.decode} does). */
    public String decode(long[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (long id : ids) {
            if (id < FIRST_BYTE_ID || id >= tokens.size()) {
                continue;
            }
            byte[] b = ByteLevel.bytes(tokens.get((int) id));
            bytes.write(b, 0, b.length);
        }
        return ByteLevel.utf8Lossy(bytes.toByteArray());
    }

    /** Writes the tokenizer as a Hugging Face {@code tokenizer.json} (atomically, through a temporary file). */
    public void save(Path tokenizerJson) {
        try {
            Path parent = tokenizerJson.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = tokenizerJson.resolveSibling(tokenizerJson.getFileName() + ".tmp");
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, tokenizerJson, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tokenizerJson, e);
        }
    }

    /**
     * The {@code tokenizer.json} text: NFC normalizer; Split (the {@link PreTokenizer#SPLIT_REGEX} regex, "Isolated")
     * then ByteLevel (no prefix space, no regex of its own) pre-tokenizers; BPE model without unknown token, byte
     * fallback, dropout or {@code ignore_merges}; TemplateProcessing post-processor putting {@code <s>} first; ByteLevel
     * decoder; the special tokens as added tokens (not normalized, special), which are also the model's first ids.
     */
    public String toJson() {
        StringBuilder j = new StringBuilder(64 * tokens.size());
        j.append("{\n");
        j.append("  \"version\": \"1.0\",\n");
        j.append("  \"truncation\": null,\n");
        j.append("  \"padding\": null,\n");
        j.append("  \"added_tokens\": [\n");
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            j.append("    {\"id\": ").append(id).append(", \"content\": ").append(quote(SPECIAL_TOKENS.get(id)))
                    .append(", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false,"
                            + " \"special\": true}")
                    .append(id + 1 < SPECIAL_TOKENS.size() ? ",\n" : "\n");
        }
        j.append("  ],\n");
        j.append("  \"normalizer\": {\"type\": \"NFC\"},\n");
        j.append("  \"pre_tokenizer\": {\n");
        j.append("    \"type\": \"Sequence\",\n");
        j.append("    \"pretokenizers\": [\n");
        j.append("      {\"type\": \"Split\", \"pattern\": {\"Regex\": ").append(quote(PreTokenizer.SPLIT_REGEX))
                .append("}, \"behavior\": \"Isolated\", \"invert\": false},\n");
        j.append("      {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true,"
                + " \"use_regex\": false}\n");
        j.append("    ]\n");
        j.append("  },\n");
        String bos = quote(BOS);
        j.append("  \"post_processor\": {\n");
        j.append("    \"type\": \"TemplateProcessing\",\n");
        j.append("    \"single\": [{\"SpecialToken\": {\"id\": ").append(bos).append(", \"type_id\": 0}},"
                + " {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}],\n");
        j.append("    \"pair\": [{\"SpecialToken\": {\"id\": ").append(bos).append(", \"type_id\": 0}},"
                + " {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, {\"SpecialToken\": {\"id\": ").append(bos)
                .append(", \"type_id\": 1}}, {\"Sequence\": {\"id\": \"B\", \"type_id\": 1}}],\n");
        j.append("    \"special_tokens\": {").append(bos).append(": {\"id\": ").append(bos).append(", \"ids\": [")
                .append(BOS_ID).append("], \"tokens\": [").append(bos).append("]}}\n");
        j.append("  },\n");
        j.append("  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true,"
                + " \"use_regex\": false},\n");
        j.append("  \"model\": {\n");
        j.append("    \"type\": \"BPE\",\n");
        j.append("    \"dropout\": null,\n");
        j.append("    \"unk_token\": null,\n");
        j.append("    \"continuing_subword_prefix\": null,\n");
        j.append("    \"end_of_word_suffix\": null,\n");
        j.append("    \"fuse_unk\": false,\n");
        j.append("    \"byte_fallback\": false,\n");
        j.append("    \"ignore_merges\": false,\n");
        j.append("    \"vocab\": {\n");
        for (int id = 0; id < tokens.size(); id++) {
            j.append("      ").append(quote(tokens.get(id))).append(": ").append(id)
                    .append(id + 1 < tokens.size() ? ",\n" : "\n");
        }
        j.append("    },\n");
        j.append("    \"merges\": [\n");
        for (int r = 0; r < mergeLeft.length; r++) {
            j.append("      ").append(quote(tokens.get(mergeLeft[r]) + " " + tokens.get(mergeRight[r])))
                    .append(r + 1 < mergeLeft.length ? ",\n" : "\n");
        }
        j.append("    ]\n");
        j.append("  }\n");
        j.append("}\n");
        return j.toString();
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                case '\b' -> q.append("\\b");
                case '\f' -> q.append("\\f");
                default -> {
                    if (ch < 0x20 || Character.isSurrogate(ch)) {
                        q.append(String.format("\\u%04x", (int) ch));
                    } else {
                        q.append(ch);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
