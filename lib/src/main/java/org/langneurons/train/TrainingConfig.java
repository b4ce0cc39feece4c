package org.langneurons.train;

/**
 * Settings of a training run. The learning rate warms up linearly for {@code warmupSteps}, then follows a cosine
 * down to {@code minLearningRate} at {@code steps}. Each step averages the gradients of {@code accumulation}
 * micro-batches of {@code batchSize} sequences of {@code sequenceLength} tokens, clips their global norm to
 * {@code clipNorm}, and takes one AdamW step.
 *
 * @param sequenceLength  tokens per training sequence
 * @param batchSize       sequences per micro-batch
 * @param accumulation    micro-batches per optimizer step
 * @param steps           optimizer steps in all
 * @param learningRate    peak learning rate
 * @param minLearningRate learning rate at the last step
 * @param warmupSteps     steps of linear warm-up from 0
 * @param weightDecay     AdamW decoupled weight decay (matrices only)
 * @param beta1           AdamW first-moment decay
 * @param beta2           AdamW second-moment decay
 * @param clipNorm        maximum global gradient norm
 * @param seed            seed of the initialisation and of the data order
 * @param evalEvery       steps between validations (0: only at the end)
 * @param checkpointEvery steps between checkpoints (0: never)
 */
public record TrainingConfig(int sequenceLength, int batchSize, int accumulation, int steps, double learningRate,
        double minLearningRate, int warmupSteps, double weightDecay, double beta1, double beta2, double clipNorm,
        long seed, int evalEvery, int checkpointEvery) {

    public TrainingConfig {
        if (sequenceLength < 2 || batchSize < 1 || accumulation < 1 || steps < 1) {
            throw new IllegalArgumentException("sequence length must be >= 2; batch size, accumulation, steps >= 1");
        }
        if (!(learningRate > 0) || minLearningRate < 0 || minLearningRate > learningRate) {
            throw new IllegalArgumentException("need 0 <= min learning rate <= learning rate, learning rate > 0");
        }
        if (warmupSteps < 0 || weightDecay < 0 || !(clipNorm > 0) || evalEvery < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("warm-up, weight decay, eval and checkpoint intervals must be >= 0,"
                    + " clip norm > 0");
        }
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW betas must be in [0, 1)");
        }
    }

    /** The learning rate of (0-based) {@code step}. */
    public double learningRate(long step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        double progress = steps == warmupSteps ? 1 : (double) (step - warmupSteps) / (steps - warmupSteps);
        return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress));
    }

    /** Tokens (sequence positions) seen per optimizer step. */
    public long tokensPerStep() {
        return (long) sequenceLength * batchSize * accumulation;
    }
}
