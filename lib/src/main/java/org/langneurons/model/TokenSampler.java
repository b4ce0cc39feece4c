package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Chooses the next token of every sequence on the device, so only B token ids per step reach the host: repetition
 * penalty, then argmax (greedy) or a Gumbel-max draw from the temperature-scaled top-p nucleus.
 */
final class TokenSampler {
    private TokenSampler() {
    }

    /**
     * @param logits  [B, vocab] float32 scores of the next token
     * @param seen    [B, vocab] boolean, tokens already in each sequence (for the repetition penalty), or null
     * @param uniform [B, vocab] float32 uniform draws in (0, 1) (unused when greedy)
     * @return [B] int64 chosen ids
     */
    static NDArray choose(NDArray logits, NDArray seen, NDArray uniform, GenerationConfig config) {
        if (config.repetitionPenalty() != 1 && seen != null) {
            float p = (float) config.repetitionPenalty();
            NDArray penalised = NDArrays.where(logits.lt(0), Scalars.mul(logits, p), Scalars.div(logits, p));
            logits = NDArrays.where(seen, penalised, logits);
        }
        if (config.isGreedy()) {
            return logits.argMax(-1);
        }
        NDArray scaled = Scalars.div(logits, (float) config.temperature());
        if (config.topP() < 1) {
            // Keep the smallest prefix of the sorted distribution whose probability reaches top-p (at least one).
            NDArray sorted = scaled.neg().sort(-1).neg();
            NDArray probs = sorted.softmax(-1);
            NDArray before = probs.cumSum(-1).sub(probs);
            NDArray kept = before.lt((float) config.topP());
            NDArray inf = Scalars.mul(sorted.onesLike(), Float.POSITIVE_INFINITY);
            NDArray threshold = NDArrays.where(kept, sorted, inf).min(new int[] {-1}, true);
            scaled = NDArrays.where(scaled.gte(threshold), scaled,
                    Scalars.mul(scaled.onesLike(), Float.NEGATIVE_INFINITY));
        }
        // Gumbel-max: argmax(logits + Gumbel noise) is a draw from softmax(logits).
        NDArray gumbel = uniform.log().neg().log().neg();
        return scaled.add(gumbel).argMax(-1);
    }
}
