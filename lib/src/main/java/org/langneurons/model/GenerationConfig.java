package org.langneurons.model;

import java.util.List;

/**
 * Settings of {@link LanguageModel#generate}. Temperature 0 means greedy decoding; otherwise tokens are sampled
 * from softmax(logits / temperature) restricted to the top-p nucleus, on the device, reproducibly for a seed.
 *
 * <pre>{@code
 * GenerationConfig greedy = GenerationConfig.greedy(32);
 * GenerationConfig sampled = greedy.withSampling(0.7, 0.9, 1234).withRepetitionPenalty(1.1);
 * }</pre>
 *
 * @param maxNewTokens      how many tokens to generate at most (>= 1)
 * @param temperature       0 for greedy, else > 0
 * @param topP              nucleus size in (0, 1]
 * @param repetitionPenalty transformers' CTRL-style penalty (>= 1 discourages tokens already present; 1 = off)
 * @param stopStrings       generation of a sequence ends once its text contains one of these (needs a tokenizer)
 * @param seed              seed of the sampler
 * @param useCache          whether to decode incrementally with a KV cache (same tokens as recomputing everything)
 * @param stopAtEos         whether an end-of-sequence token ends a sequence
 */
public record GenerationConfig(int maxNewTokens, double temperature, double topP, double repetitionPenalty,
        List<String> stopStrings, long seed, boolean useCache, boolean stopAtEos) {

    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition penalty must be > 0, got " + repetitionPenalty);
        }
        stopStrings = List.copyOf(stopStrings);
        if (stopStrings.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop strings must not be empty");
        }
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens with a KV cache, stopping at EOS. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 1, 1, List.of(), 0, true, true);
    }

    /** Whether tokens are chosen by argmax. */
    public boolean isGreedy() {
        return temperature == 0;
    }

    /** The same with sampling at {@code temperature} from the top-{@code topP} nucleus, seeded. */
    public GenerationConfig withSampling(double temperature, double topP, long seed) {
        return new GenerationConfig(maxNewTokens, temperature, topP, repetitionPenalty, stopStrings, seed, useCache,
                stopAtEos);
    }

    /** The same with a repetition penalty. */
    public GenerationConfig withRepetitionPenalty(double penalty) {
        return new GenerationConfig(maxNewTokens, temperature, topP, penalty, stopStrings, seed, useCache, stopAtEos);
    }

    /** The same with stop strings. */
    public GenerationConfig withStopStrings(List<String> stops) {
        return new GenerationConfig(maxNewTokens, temperature, topP, repetitionPenalty, stops, seed, useCache,
                stopAtEos);
    }

    /** The same with or without the KV cache. */
    public GenerationConfig withCache(boolean cache) {
        return new GenerationConfig(maxNewTokens, temperature, topP, repetitionPenalty, stopStrings, seed, cache,
                stopAtEos);
    }

    /** The same, stopping or not at end-of-sequence tokens. */
    public GenerationConfig withStopAtEos(boolean stop) {
        return new GenerationConfig(maxNewTokens, temperature, topP, repetitionPenalty, stopStrings, seed, useCache,
                stop);
    }
}
