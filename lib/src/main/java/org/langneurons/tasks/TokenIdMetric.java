package org.langneurons.tasks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Exact match and F1 on token ids, as Mondal et al. (2025) score XQuAD: their {@code code/xquad_eval.py}
 * ({@code Evaluator._calc_metrics_batch} in github.com/soumenkm/LangSpecificNeurons; the paper links
 * csalt-research/LangSpecificNeurons) compares the generated ids with the gold answer's ids, no text normalisation.
 * EM is 1 when the two id sequences are identical (order and length included); F1 counts the ids shared as
 * multisets ({@code Counter(gold) & Counter(predicted)}), precision over the predicted ids, recall over the gold
 * ids, and is 0 when nothing is shared. Their score is the plain mean over questions; {@link TaskScores#tokenIds}
 * reports it times 100, like the SQuAD scores.
 *
 * <p><b>What their sequences are</b> (build yours the same way to compare): the gold is the tokenizer's ids of
 * {@code " " + answers[0].strip() + eos_token} without special tokens (the first answer only, with a leading space
 * and the end-of-sequence token); the prediction is the greedily generated ids, at most 100, including the
 * end-of-sequence id when the model produced it. So an answer that is right but not followed by EOS is not an exact
 * match. Their evaluation set is the last 20% of each language's XQuAD file (the first 80% is for training), in
 * file order, without the questions whose prompt is 511 tokens or longer.
 *
 * <pre>{@code
 * long[] gold = {12, 34, 2}, predicted = {12, 35, 2};
 * boolean em = TokenIdMetric.exactMatch(predicted, gold);   // false
 * double f1 = TokenIdMetric.f1(predicted, gold);            // 2 of 3 shared: 2 * (2/3 * 2/3) / (4/3) = 2/3
 * }</pre>
 */
public final class TokenIdMetric {
    private TokenIdMetric() {
    }

    /** Whether the two id sequences are identical. */
    public static boolean exactMatch(long[] predicted, long[] gold) {
        return Arrays.equals(predicted, gold);
    }

    /** The F1 of the ids shared as multisets, in [0, 1]; 0 when nothing is shared or either side is empty. */
    public static double f1(long[] predicted, long[] gold) {
        Map<Long, Integer> left = new HashMap<>();
        for (long id : gold) {
            left.merge(id, 1, Integer::sum);
        }
        int shared = 0;
        for (long id : predicted) {
            Integer n = left.get(id);
            if (n != null && n > 0) {
                left.put(id, n - 1);
                shared++;
            }
        }
        if (shared == 0) {
            return 0;
        }
        double precision = (double) shared / predicted.length, recall = (double) shared / gold.length;
        return 2 * precision * recall / (precision + recall);
    }
}
