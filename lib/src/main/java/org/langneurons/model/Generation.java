package org.langneurons.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The result of generating from a batch of prompts.
 *
 * @param tokens per prompt, the generated token ids (without the prompt; including a final EOS if one ended it)
 * @param texts  per prompt, the decoded generated text, cut before a stop string; null without a tokenizer
 * @param stops  per prompt, why it ended: "eos", "stop-string" or "length"
 */
public record Generation(List<long[]> tokens, List<String> texts, List<String> stops) {
    public Generation {
        tokens = List.copyOf(tokens);
        texts = texts == null ? null : Collections.unmodifiableList(new ArrayList<>(texts)); // entries may be null
        stops = List.copyOf(stops);
    }
}
