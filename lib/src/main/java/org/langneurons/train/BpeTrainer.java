package org.langneurons.train;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import org.langneurons.io.TextTokenizer;

/**
 * Trains a byte-level BPE tokenizer ({@link BpeModel}) on documents of several languages, giving each language the
 * same weight.
 *
 * <pre>{@code
 * BpeTrainer.Result r = BpeTrainer.trainWithReport(textsByLanguage, BpeTrainer.Settings.defaults().withSeed(7));
 * r.samples().forEach(s -> System.out.println(s.language() + ": " + s.characters() + " characters"));
 * r.model().save(dir.resolve("tokenizer.json"));
 * }</pre>
 *
 * <p>Sampling: for each language (in name order) the documents are taken in a seeded random order, NFC-normalized,
 * until {@link Settings#charsPerLanguage} characters (code points; the last document is cut) are taken; a language
 * with less text contributes all it has. The pre-tokenized pieces ("words") are counted per language, and with
 * {@link Settings#balance} each language's counts are multiplied by {@code round(most taken / taken)}, so a language
 * with a third of the budget counts three times; the counts are then summed over languages.
 *
 * <p>Training: every word starts as its UTF-8 bytes; repeatedly the adjacent pair with the highest total count is
 * merged into a new token, until the vocabulary has {@link Settings#vocabSize} tokens or no pair occurs
 * {@link Settings#minFrequency} times. Equal counts are broken by the pair's token strings (in the byte-level
 * alphabet): the left token's string first in {@link String#compareTo} order, then the right one's. A pair whose
 * concatenation is a token already (made by another merge) is not merged, so every token has exactly one merge. Pair
 * counts are kept up to date incrementally: each pair knows the words it occurs in, a merge visits only those words,
 * and a max-heap with lazily refreshed counts picks the next pair.
 *
 * <p>The result depends only on the documents and the settings (not on the order of the map or on hashing), so the
 * same input gives a byte-identical {@code tokenizer.json}.
 */
public final class BpeTrainer {
    private BpeTrainer() {
    }

    /**
     * Training settings.
     *
     * @param vocabSize tokens in the vocabulary, special tokens and the 256 bytes included (at least 259)
     * @param charsPerLanguage characters (code points, after NFC) taken from each language
     * @param balance whether languages that have less text than the largest one are up-weighted to its size
     * @param minFrequency a pair must occur at least this often (weighted) to be merged
     * @param seed seed of the order in which each language's documents are taken
     */
    public record Settings(int vocabSize, long charsPerLanguage, boolean balance, long minFrequency, long seed) {
        /** 4096 tokens (as the embedded default), 300,000 characters per language, balanced, min count 2, seed 0. */
        public static Settings defaults() {
            return new Settings(4096, 300_000, true, 2, 0);
        }

        public Settings {
            if (vocabSize < BpeModel.FIRST_MERGE_ID) {
                throw new IllegalArgumentException("vocabSize " + vocabSize + " < " + BpeModel.FIRST_MERGE_ID
                        + " (3 special tokens and 256 bytes)");
            }
            if (charsPerLanguage <= 0) {
                throw new IllegalArgumentException("charsPerLanguage must be positive: " + charsPerLanguage);
            }
            if (minFrequency < 1) {
                throw new IllegalArgumentException("minFrequency must be at least 1: " + minFrequency);
            }
        }

        /** These settings with {@code vocabSize} {@code v}. */
        public Settings withVocabSize(int v) {
            return new Settings(v, charsPerLanguage, balance, minFrequency, seed);
        }

        /** These settings with {@code charsPerLanguage} {@code c}. */
        public Settings withCharsPerLanguage(long c) {
            return new Settings(vocabSize, c, balance, minFrequency, seed);
        }

        /** These settings with {@code balance} {@code b}. */
        public Settings withBalance(boolean b) {
            return new Settings(vocabSize, charsPerLanguage, b, minFrequency, seed);
        }

        /** These settings with {@code minFrequency} {@code f}. */
        public Settings withMinFrequency(long f) {
            return new Settings(vocabSize, charsPerLanguage, balance, f, seed);
        }

        /** These settings with {@code seed} {@code s}. */
        public Settings withSeed(long s) {
            return new Settings(vocabSize, charsPerLanguage, balance, minFrequency, s);
        }
    }

    /** What one language contributed to training: characters taken and the weight its word counts got. */
    public record LanguageSample(String language, long characters, int documents, long weight) {
    }

    /** A trained model with what went into it. */
    public record Result(BpeModel model, List<LanguageSample> samples, long distinctWords, int skippedMerges,
                         long millis) {
    }

    /** Trains a tokenizer on {@code docs} (language -> documents). */
    public static BpeModel train(Map<String, List<String>> docs, Settings settings) {
        return trainWithReport(docs, settings).model();
    }

    /** Trains a tokenizer on {@code docs} (language -> documents) and says what each language contributed. */
    public static Result trainWithReport(Map<String, List<String>> docs, Settings settings) {
        long t0 = System.nanoTime();
        Map<String, Long> counts = new HashMap<>();
        List<LanguageSample> samples = new ArrayList<>();
        List<Map<String, Long>> perLanguage = new ArrayList<>();
        List<long[]> taken = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : new TreeMap<>(docs).entrySet()) {
            Map<String, Long> words = new HashMap<>();
            long[] stats = sample(e.getValue(), settings, words);
            if (stats[0] == 0) {
                continue;
            }
            perLanguage.add(words);
            taken.add(stats);
            samples.add(new LanguageSample(e.getKey(), stats[0], (int) stats[1], 1));
        }
        long most = taken.stream().mapToLong(s -> s[0]).max().orElse(0);
        for (int i = 0; i < samples.size(); i++) {
            long weight = settings.balance() ? Math.max(1, Math.round((double) most / taken.get(i)[0])) : 1;
            LanguageSample s = samples.get(i);
            samples.set(i, new LanguageSample(s.language(), s.characters(), s.documents(), weight));
            for (Map.Entry<String, Long> w : perLanguage.get(i).entrySet()) {
                counts.merge(w.getKey(), w.getValue() * weight, Long::sum);
            }
        }
        Merger merger = new Merger(counts);
        merger.run(settings.vocabSize() - BpeModel.FIRST_MERGE_ID, settings.minFrequency());
        BpeModel model = new BpeModel(merger.left(), merger.right());
        return new Result(model, Collections.unmodifiableList(samples), counts.size(), merger.skipped,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Takes one language's documents up to the budget; counts its words; returns {characters, documents}. */
    private static long[] sample(List<String> documents, Settings settings, Map<String, Long> words) {
        Integer[] order = new Integer[documents.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Collections.shuffle(Arrays.asList(order), new Random(settings.seed()));
        long chars = 0;
        int used = 0;
        for (int i = 0; i < order.length && chars < settings.charsPerLanguage(); i++) {
            String text = PreTokenizer.normalize(documents.get(order[i]));
            long n = text.codePointCount(0, text.length());
            if (n == 0) {
                continue;
            }
            long room = settings.charsPerLanguage() - chars;
            if (n > room) {
                text = text.substring(0, text.offsetByCodePoints(0, (int) room));
                n = room;
            }
            chars += n;
            used++;
            for (String piece : PreTokenizer.split(text)) {
                words.merge(piece, 1L, Long::sum);
            }
        }
        return new long[] {chars, used};
    }

    /** The BPE merge loop over a fixed set of weighted words. */
    private static final class Merger {
        private final int[][] symbols;
        private final int[] length;
        private final long[] count;
        private final int[] visited;
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, Integer> tokenIds = new HashMap<>();
        private final Map<Long, PairStats> pairs = new HashMap<>();
        private final PriorityQueue<Candidate> heap;
        private final List<Integer> left = new ArrayList<>();
        private final List<Integer> right = new ArrayList<>();
        private int skipped;

        Merger(Map<String, Long> counts) {
            for (String s : BpeModel.SPECIAL_TOKENS) {
                addToken(s);
            }
            for (int b = 0; b < 256; b++) {
                addToken(String.valueOf(ByteLevel.charOf(b)));
            }
            heap = new PriorityQueue<>((x, y) -> {
                if (x.count != y.count) {
                    return Long.compare(y.count, x.count);
                }
                int c = tokens.get(x.left).compareTo(tokens.get(y.left));
                return c != 0 ? c : tokens.get(x.right).compareTo(tokens.get(y.right));
            });
            List<String> words = new ArrayList<>(counts.keySet());
            Collections.sort(words);
            symbols = new int[words.size()][];
            length = new int[words.size()];
            count = new long[words.size()];
            visited = new int[words.size()];
            Arrays.fill(visited, -1);
            for (int w = 0; w < words.size(); w++) {
                byte[] bytes = words.get(w).getBytes(StandardCharsets.UTF_8);
                int[] s = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    s[i] = BpeModel.FIRST_BYTE_ID + (bytes[i] & 0xFF);
                }
                symbols[w] = s;
                length[w] = s.length;
                count[w] = counts.get(words.get(w));
                for (int i = 0; i + 1 < s.length; i++) {
                    PairStats p = stats(s[i], s[i + 1]);
                    p.count += count[w];
                    p.addWord(w);
                }
            }
            for (PairStats p : pairs.values()) {
                heap.add(new Candidate(p.left, p.right, p.count));
            }
        }

        private void addToken(String token) {
            tokenIds.put(token, tokens.size());
            tokens.add(token);
        }

        private PairStats stats(int a, int b) {
            return pairs.computeIfAbsent(BpeModel.pairKey(a, b), k -> new PairStats(a, b));
        }

        void run(int maxMerges, long minFrequency) {
            while (left.size() < maxMerges && !heap.isEmpty()) {
                Candidate top = heap.poll();
                PairStats p = pairs.get(BpeModel.pairKey(top.left, top.right));
                long actual = p == null ? 0 : p.count;
                if (actual != top.count) {
                    if (actual > 0) {
                        heap.add(new Candidate(top.left, top.right, actual));
                    }
                    continue;
                }
                if (actual < minFrequency) {
                    break;
                }
                String token = tokens.get(top.left) + tokens.get(top.right);
                if (tokenIds.containsKey(token)) {
                    skipped++;
                    pairs.remove(BpeModel.pairKey(top.left, top.right));
                    continue;
                }
                int id = tokens.size();
                addToken(token);
                left.add(top.left);
                right.add(top.right);
                merge(p, id);
            }
        }

        /** Replaces the pair by token {@code id} in every word that has it, and updates the pair counts. */
        private void merge(PairStats p, int id) {
            int a = p.left;
            int b = p.right;
            int stamp = left.size();
            Map<Long, long[]> delta = new HashMap<>();
            for (int k = 0; k < p.wordCount; k++) {
                int w = p.words[k];
                if (visited[w] == stamp) {
                    continue;
                }
                visited[w] = stamp;
                int[] s = symbols[w];
                int n = length[w];
                long c = count[w];
                int out = 0;
                int i = 0;
                while (i < n) {
                    if (i + 1 < n && s[i] == a && s[i + 1] == b) {
                        if (out > 0) {
                            change(delta, s[out - 1], a, -c, -1);
                            change(delta, s[out - 1], id, c, w);
                        }
                        if (i + 2 < n) {
                            change(delta, b, s[i + 2], -c, -1);
                            change(delta, id, s[i + 2], c, w);
                        }
                        s[out++] = id;
                        i += 2;
                    } else {
                        s[out++] = s[i++];
                    }
                }
                length[w] = out;
            }
            pairs.remove(BpeModel.pairKey(a, b));
            List<Long> keys = new ArrayList<>(delta.keySet());
            Collections.sort(keys);
            for (Long key : keys) {
                long d = delta.get(key)[0];
                if (d == 0) {
                    continue;
                }
                PairStats q = pairs.get(key);
                if (q == null) {
                    continue; // a pair set aside as a duplicate token
                }
                q.count += d;
                if (q.count <= 0) {
                    pairs.remove(key);
                } else if (d > 0) {
                    heap.add(new Candidate(q.left, q.right, q.count));
                }
            }
        }

        /** Adds {@code d} to the count of pair (x, y); a word {@code w >= 0} now holds the pair. */
        private void change(Map<Long, long[]> delta, int x, int y, long d, int w) {
            long key = BpeModel.pairKey(x, y);
            delta.computeIfAbsent(key, k -> new long[1])[0] += d;
            if (w >= 0) {
                stats(x, y).addWord(w);
            }
        }

        int[] left() {
            return left.stream().mapToInt(Integer::intValue).toArray();
        }

        int[] right() {
            return right.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** A pair's count and the words it occurs in (a word may be listed after the pair has left it). */
    private static final class PairStats {
        final int left;
        final int right;
        long count;
        int[] words = new int[2];
        int wordCount;

        PairStats(int left, int right) {
            this.left = left;
            this.right = right;
        }

        void addWord(int w) {
            if (wordCount > 0 && words[wordCount - 1] == w) {
                return;
            }
            if (wordCount == words.length) {
                words = Arrays.copyOf(words, words.length * 2);
            }
            words[wordCount++] = w;
        }
    }

    private record Candidate(int left, int right, long count) {
    }

    /** Characters and tokens of one language's text, as a tokenizer cut it. */
    public record TokensPerChar(String language, long characters, long tokens) {
        /** Tokens per character. */
        public double ratio() {
            return characters == 0 ? 0 : (double) tokens / characters;
        }
    }

    /**
     * Tokens per character of each language's documents under {@code tokenizer} (the Rust library, through
     * {@link TextTokenizer}): tokens without special tokens, characters as code points of the text as given. Languages
     * come in the map's order.
     */
    public static Map<String, TokensPerChar> tokensPerCharacter(TextTokenizer tokenizer,
                                                                Map<String, List<String>> docs) {
        Map<String, TokensPerChar> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : docs.entrySet()) {
            long chars = 0;
            long tokens = 0;
            for (String doc : e.getValue()) {
                chars += doc.codePointCount(0, doc.length());
                tokens += tokenizer.encode(doc, false).length;
            }
            out.put(e.getKey(), new TokensPerChar(e.getKey(), chars, tokens));
        }
        return out;
    }
}
