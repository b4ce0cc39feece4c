package org.langneurons.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The result of generating from a batch of prompts.
 *
 * <pre>{@code
 * Generation g = model.generateText(prompts, GenerationConfig.greedy(16));
 * long[] firstTokens = g.tokens().get(0);
 * boolean ranOut = g.stops().get(0) == Generation.StopReason.LENGTH;
 * }</pre>
 *
 * @param tokens per prompt, the generated token ids (without the prompt; including a final EOS if one ended it)
 * @param texts  per prompt, the decoded generated text, cut before a stop string; null without a tokenizer
 * @param stops  per prompt, why it ended
 */
public record Generation(List<long[]> tokens, List<String> texts, List<StopReason> stops) {

    /**
     * Receives each generated token as soon as it is chosen (before the whole batch ends), e.g. to print it.
     *
     * <pre>{@code
     * Generation.Listener print = (sequence, token) -> System.out.print(token + " ");
     * }</pre>
     */
    @FunctionalInterface
    public interface Listener {
        /** Sequence {@code sequence} of the batch produced {@code token}. */
        void token(int sequence, long token);
    }

    /**
     * Why the generation of one sequence ended.
     *
     * <pre>{@code
     * String printed = Generation.StopReason.STOP_STRING.label();   // "stop-string"
     * }</pre>
     */
    public enum StopReason {
        /** It produced an end-of-sequence token. */
        EOS("eos"),
        /** Its text came to contain a stop string. */
        STOP_STRING("stop-string"),
        /** It reached the maximum number of new tokens, or the model's context (max_position_embeddings). */
        LENGTH("length");

        private final String label;

        StopReason(String label) {
            this.label = label;
        }

        /** The name printed by the CLI: {@code eos}, {@code stop-string} or {@code length}. */
        public String label() {
            return label;
        }
    }

    /** Copies the lists (texts may hold nulls, so it is copied without {@code List.copyOf}). */
    public Generation {
        tokens = List.copyOf(tokens);
        texts = texts == null ? null : Collections.unmodifiableList(new ArrayList<>(texts)); // entries may be null
        stops = List.copyOf(stops);
    }
}
