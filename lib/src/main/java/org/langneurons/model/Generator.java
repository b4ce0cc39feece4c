package org.langneurons.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.langneurons.io.TextTokenizer;

/**
 * The generation loop of {@link LanguageModel#generate(List, GenerationConfig)}: prompts left-padded into one batch,
 * then one forward step per new token (the whole sequence, or only the new column with a KV cache), the next token
 * chosen on the device by {@link TokenSampler}, until every sequence hit EOS, a stop string or the length limit.
 */
final class Generator {
    private final LanguageModel model;
    private final GenerationConfig generation;
    private final Generation.Listener listener;

    Generator(LanguageModel model, GenerationConfig generation, Generation.Listener listener) {
        this.model = model;
        this.generation = generation;
        this.listener = listener;
    }

    /** Models already warned about their context: a loop of generations warns once, not at every call. */
    private static final java.util.Set<java.nio.file.Path> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * New tokens that fit the model's context after a prompt of {@code promptLength} (all asked for when the
     * config gives no max_position_embeddings), with a warning when that is fewer than asked. A prompt that already
     * fills the context gets its tokens and a warning, as transformers gives.
     */
    private int newTokensWithinContext(int promptLength) {
        int context = model.config().maxPositions();
        if (context <= 0 || (long) promptLength + generation.maxNewTokens() <= context) {
            return generation.maxNewTokens();
        }
        int steps = promptLength >= context ? generation.maxNewTokens() : context - promptLength;
        if (WARNED.add(model.directory())) {
            System.err.println("warning: " + model.directory() + " has a context of " + context + " positions "
                    + "(max_position_embeddings): " + (promptLength >= context ? "the prompt of " + promptLength
                    + " tokens already fills it; positions past it are beyond what the model was trained on"
                    : "generation stops at " + context + " positions, " + steps + " new tokens after a prompt of "
                    + promptLength + ", not " + generation.maxNewTokens()));
        }
        return steps;
    }

    /** Generates from token-id prompts; see {@link LanguageModel#generate(List, GenerationConfig)}. */
    Generation generate(List<long[]> prompts) {
        ModelConfig config = model.config();
        TokenBatch batch = new TokenBatch(prompts, TokenBatch.Padding.LEFT);
        batch.checkIds(config.vocabSize());
        if (!generation.stopStrings().isEmpty()) {
            model.requireTokenizer();
        }
        TextTokenizer tokenizer = model.tokenizer().orElse(null);
        int b = batch.size(), promptLength = batch.width(), vocab = config.vocabSize();
        List<List<Long>> generated = new ArrayList<>();
        Generation.StopReason[] stops = new Generation.StopReason[b];
        String[] texts = new String[b];
        for (int i = 0; i < b; i++) {
            generated.add(new ArrayList<>());
        }
        long[] sequence = batch.paddedIds(0);
        long[] mask = batch.mask();
        try (NDManager run = model.manager().newSubManager();
                KvCache cache = generation.useCache() ? new KvCache(run, config.layers()) : null;
                ThreadTuner tuner = ThreadTuner.forDecoding(model)) {
            if (!generation.isGreedy()) {
                Engine.getInstance().setRandomSeed((int) generation.seed());
            }
            NDArray seen = generation.repetitionPenalty() != 1 ? seenTokens(run, batch, vocab) : null;
            long[] last = null;
            int steps = newTokensWithinContext(promptLength);
            for (int step = 0; step < steps; step++) {
                long[] next;
                try (NDManager scope = run.newSubManager()) {
                    boolean incremental = cache != null && step > 0;
                    int past = incremental ? cache.length() : 0;
                    long[] input = incremental ? last : sequence;
                    if (incremental) {
                        tuner.begin();      // decode steps only: the prompt's step is another kind of work
                    }
                    NDArray logits = model.lastLogits(scope, input, mask, b, past, promptLength, cache)
                            .reshape(b, vocab);
                    NDArray uniform = generation.isGreedy() ? null
                            : scope.randomUniform(Float.MIN_NORMAL, 1f, new Shape(b, vocab));
                    NDArray chosen = TokenSampler.choose(logits, seen, uniform, generation);
                    next = chosen.toLongArray();
                    if (incremental) {
                        tuner.end(b);
                    }
                    if (seen != null) {
                        NDArray updated = seen.logicalOr(chosen.oneHot(vocab).gt(0));
                        updated.attach(run);
                        seen.close();
                        seen = updated;
                    }
                }
                boolean allDone = true;
                for (int i = 0; i < b; i++) {
                    if (stops[i] == null) {
                        generated.get(i).add(next[i]);
                        if (listener != null) {
                            listener.token(i, next[i]);
                        }
                        stops[i] = stopReason(tokenizer, generated.get(i), next[i], texts, i);
                    }
                    allDone &= stops[i] != null;
                }
                if (allDone) {
                    break;
                }
                last = next;
                sequence = appendColumn(sequence, b, next);
                mask = appendColumn(mask, b, ones(b));
            }
        }
        List<long[]> tokens = generated.stream().map(l -> l.stream().mapToLong(Long::longValue).toArray()).toList();
        List<Generation.StopReason> stopList = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            stopList.add(stops[i] == null ? Generation.StopReason.LENGTH : stops[i]);
            if (tokenizer != null && texts[i] == null) {
                texts[i] = tokenizer.decode(tokens.get(i));
            }
        }
        return new Generation(tokens, tokenizer == null ? null : Arrays.asList(texts), stopList);
    }

    /** Why sequence i ends after {@code token}, or null; a stop string also cuts its text into {@code texts[i]}. */
    private Generation.StopReason stopReason(TextTokenizer tokenizer, List<Long> generated, long token,
            String[] texts, int i) {
        if (generation.stopAtEos() && model.eosTokenIds().contains(token)) {
            return Generation.StopReason.EOS;
        }
        if (!generation.stopStrings().isEmpty()) {
            String text = tokenizer.decode(generated.stream().mapToLong(Long::longValue).toArray());
            for (String stop : generation.stopStrings()) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                    texts[i] = text.substring(0, at);
                    return Generation.StopReason.STOP_STRING;
                }
            }
        }
        return null;
    }

    /** [B, vocab] boolean: the tokens each prompt holds (the repetition penalty's "already present"). */
    private static NDArray seenTokens(NDManager run, TokenBatch batch, int vocab) {
        boolean[] seen = new boolean[batch.size() * vocab];
        for (int i = 0; i < batch.size(); i++) {
            for (long id : batch.sequences().get(i)) {
                seen[i * vocab + (int) id] = true;
            }
        }
        return run.create(seen, new Shape(batch.size(), vocab));
    }

    /** Row-major [b, t] -> [b, t + 1] with {@code column} appended. */
    private static long[] appendColumn(long[] rows, int b, long[] column) {
        int t = rows.length / b;
        long[] out = new long[b * (t + 1)];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows, i * t, out, i * (t + 1), t);
            out[i * (t + 1) + t] = column[i];
        }
        return out;
    }

    private static long[] ones(int n) {
        long[] out = new long[n];
        Arrays.fill(out, 1L);
        return out;
    }
}
