package org.langneurons.train;

/**
 * Settings of a training run. The learning rate warms up linearly for {@code warmupSteps}, then follows a cosine
 * down to {@code minLearningRate} at {@code steps}. Each step averages the gradients of {@code accumulation}
 * micro-batches of {@code batchSize} sequences of {@code sequenceLength} tokens, clips their global norm to
 * {@code clipNorm}, and takes one AdamW step.
 *
 * <p>Build one with {@link #builder()}, whose defaults are those of {@code langneurons train}; every field is
 * recorded in a checkpoint (a run resumes only with the same settings) and in {@code training-log.json}.
 *
 * <pre>{@code
 * TrainingConfig settings = TrainingConfig.builder().optSteps(500).optLearningRate(1e-3).optSeed(7).build();
 * TrainingConfig longer = settings.toBuilder().optSteps(1000).build();
 * double peak = settings.learningRate(settings.warmupSteps() - 1);   // == settings.learningRate()
 * }</pre>
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
 * @param adamEpsilon     AdamW's epsilon, added to the root of the second moment in the update's denominator (> 0)
 * @param clipNorm        maximum global gradient norm
 * @param clipEpsilon     added to the global gradient norm before dividing by it, so a zero norm scales by 1
 *                        (scale = min(1, clipNorm / (norm + clipEpsilon)); >= 0)
 * @param seed            seed of the initialisation and of the data order
 * @param evalEvery       steps between validations (0: only at the end)
 * @param evalChars       characters of each language's validation text that a validation during training reads
 *                        (0: all of it)
 * @param checkpointEvery steps between checkpoints (0: never)
 * @param logEvery        steps between progress lines and log entries (the last step is always logged; >= 1)
 */
public record TrainingConfig(int sequenceLength, int batchSize, int accumulation, int steps, double learningRate,
        double minLearningRate, int warmupSteps, double weightDecay, double beta1, double beta2, double adamEpsilon,
        double clipNorm, double clipEpsilon, long seed, int evalEvery, int evalChars, int checkpointEvery,
        int logEvery) {

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
        if (!(adamEpsilon > 0 && adamEpsilon < 1)) {
            throw new IllegalArgumentException("AdamW epsilon must be in (0, 1), got " + adamEpsilon);
        }
        if (!(clipEpsilon >= 0 && clipEpsilon < 1)) {
            throw new IllegalArgumentException("clipping epsilon must be in [0, 1), got " + clipEpsilon);
        }
        if (evalChars < 0 || logEvery < 1) {
            throw new IllegalArgumentException("validation characters must be >= 0 (0: all), log interval >= 1");
        }
    }

    /** A builder with the defaults of {@code langneurons train}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive others from them. */
    public Builder toBuilder() {
        return new Builder().optSequenceLength(sequenceLength).optBatchSize(batchSize).optAccumulation(accumulation)
                .optSteps(steps).optLearningRate(learningRate).optMinLearningRate(minLearningRate)
                .optWarmupSteps(warmupSteps).optWeightDecay(weightDecay).optBeta1(beta1).optBeta2(beta2)
                .optAdamEpsilon(adamEpsilon).optClipNorm(clipNorm).optClipEpsilon(clipEpsilon).optSeed(seed)
                .optEvalEvery(evalEvery).optEvalChars(evalChars).optCheckpointEvery(checkpointEvery)
                .optLogEvery(logEvery);
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

    /**
     * Builds a {@link TrainingConfig}; each {@code opt} method sets one field (see the record's components) and
     * {@link #build} validates them together. The defaults are those of {@code langneurons train}: sequences of 256
     * tokens, batches of 16, no accumulation, 2000 steps, learning rate 3e-3 down to 3e-4 after 100 warm-up steps,
     * weight decay 0.1, betas 0.9 and 0.95, AdamW epsilon 1e-8, clip norm 1.0 (epsilon 1e-6), seed 1234,
     * validation of 20,000 characters a language every 250 steps, a checkpoint every 50 steps, a log line every
     * 10 steps.
     */
    public static final class Builder {
        private int sequenceLength = 256;
        private int batchSize = 16;
        private int accumulation = 1;
        private int steps = 2000;
        private double learningRate = 3e-3;
        private double minLearningRate = 3e-4;
        private int warmupSteps = 100;
        private double weightDecay = 0.1;
        private double beta1 = 0.9;
        private double beta2 = 0.95;
        private double adamEpsilon = 1e-8;
        private double clipNorm = 1.0;
        private double clipEpsilon = 1e-6;
        private long seed = 1234;
        private int evalEvery = 250;
        private int evalChars = 20_000;
        private int checkpointEvery = 50;
        private int logEvery = 10;

        private Builder() {
        }

        /** Tokens per training sequence (default 256). */
        public Builder optSequenceLength(int sequenceLength) {
            this.sequenceLength = sequenceLength;
            return this;
        }

        /** Sequences per micro-batch (default 16). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Micro-batches per optimizer step (default 1). */
        public Builder optAccumulation(int accumulation) {
            this.accumulation = accumulation;
            return this;
        }

        /** Optimizer steps in all (default 2000). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Peak learning rate (default 3e-3). */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Learning rate at the last step (default 3e-4). */
        public Builder optMinLearningRate(double minLearningRate) {
            this.minLearningRate = minLearningRate;
            return this;
        }

        /** Steps of linear warm-up from 0 (default 100). */
        public Builder optWarmupSteps(int warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        /** AdamW decoupled weight decay, matrices only (default 0.1). */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** AdamW first-moment decay (default 0.9). */
        public Builder optBeta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        /** AdamW second-moment decay (default 0.95). */
        public Builder optBeta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        /** AdamW epsilon (default 1e-8). */
        public Builder optAdamEpsilon(double adamEpsilon) {
            this.adamEpsilon = adamEpsilon;
            return this;
        }

        /** Maximum global gradient norm (default 1.0). */
        public Builder optClipNorm(double clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /** Added to the gradient norm before clipping divides by it (default 1e-6). */
        public Builder optClipEpsilon(double clipEpsilon) {
            this.clipEpsilon = clipEpsilon;
            return this;
        }

        /** Seed of the initialisation and of the data order (default 1234). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Steps between validations, 0 for only at the end (default 250). */
        public Builder optEvalEvery(int evalEvery) {
            this.evalEvery = evalEvery;
            return this;
        }

        /** Validation characters per language during training, 0 for all (default 20,000). */
        public Builder optEvalChars(int evalChars) {
            this.evalChars = evalChars;
            return this;
        }

        /** Steps between checkpoints, 0 for never (default 50). */
        public Builder optCheckpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /** Steps between progress lines and log entries (default 10). */
        public Builder optLogEvery(int logEvery) {
            this.logEvery = logEvery;
            return this;
        }

        /** The settings; throws {@link IllegalArgumentException} for values out of range. */
        public TrainingConfig build() {
            return new TrainingConfig(sequenceLength, batchSize, accumulation, steps, learningRate, minLearningRate,
                    warmupSteps, weightDecay, beta1, beta2, adamEpsilon, clipNorm, clipEpsilon, seed, evalEvery,
                    evalChars, checkpointEvery, logEvery);
        }
    }
}
