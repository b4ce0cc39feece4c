package org.langneurons.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.langneurons.io.TextTokenizer;
import org.langneurons.model.TokenBatch;

/**
 * Token streams per language and a balanced, seeded sampler over them: every sequence of a batch picks its language
 * uniformly (so small languages are seen as often as large ones) and a random window of its stream. The batch of
 * step s is a pure function of (seed, s, micro-batch), so a resumed run sees exactly the data it would have seen.
 *
 * <pre>{@code
 * TrainingData data = new TrainingData(Map.of("fr", new long[] {1, 40, 41, 42, 2}, "hi", new long[] {1, 70, 71, 2}));
 * var batch = data.batch(1234, 0, 0, 8, 3);   // step 0, micro-batch 0: 8 windows of 3 tokens, the same every time
 * }</pre>
 */
public final class TrainingData {
    private final List<String> languages;
    private final List<long[]> streams;

    /** Streams of already tokenized text, one per language. */
    public TrainingData(Map<String, long[]> streams) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("empty input: no language to train on");
        }
        this.languages = List.copyOf(streams.keySet());
        this.streams = new ArrayList<>();
        streams.forEach((lang, s) -> {
            if (s.length < 2) {
                throw new IllegalArgumentException("empty input: language " + lang + " has fewer than 2 tokens");
            }
            this.streams.add(s);
        });
    }

    /**
     * Tokenizes documents per language into one stream each: every document as the tokenizer encodes it (with its
     * BOS), followed by {@code eosId}.
     */
    public static TrainingData tokenize(Map<String, List<String>> documents, TextTokenizer tokenizer, long eosId) {
        Map<String, long[]> streams = new LinkedHashMap<>();
        documents.forEach((lang, docs) -> streams.put(lang, tokenizer.encodeJoined(docs, eosId, Integer.MAX_VALUE)));
        return new TrainingData(streams);
    }

    /** The languages, in sampling order. */
    public List<String> languages() {
        return languages;
    }

    /** Tokens in each language's stream. */
    public Map<String, Integer> tokenCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < languages.size(); i++) {
            out.put(languages.get(i), streams.get(i).length);
        }
        return out;
    }

    /** Micro-batch {@code micro} of {@code step}: {@code size} windows of {@code length} tokens (shorter if a stream is). */
    public TokenBatch batch(long seed, long step, int micro, int size, int length) {
        List<long[]> sequences = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            SplittableRandom random = new SplittableRandom(mix(seed, step, micro, i));
            long[] stream = streams.get(random.nextInt(streams.size()));
            int n = Math.min(length, stream.length);
            int offset = stream.length == n ? 0 : random.nextInt(stream.length - n + 1);
            sequences.add(Arrays.copyOfRange(stream, offset, offset + n));
        }
        return new TokenBatch(sequences, TokenBatch.Padding.RIGHT);
    }

    private static long mix(long seed, long step, int micro, int index) {
        long h = seed;
        for (long x : new long[] {step, micro, index}) {
            h = (h ^ x) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 31;
        }
        return h;
    }
}
