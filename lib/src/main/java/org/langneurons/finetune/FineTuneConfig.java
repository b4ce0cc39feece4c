package org.langneurons.finetune;

/**
 * Settings of a fine-tuning run, as Hugging Face's Trainer takes them: AdamW, a linear warm-up over
 * {@code warmupRatio} of the steps then a linear decay to zero ({@code get_linear_schedule_with_warmup}: step s of
 * the warm-up runs at {@code lr * s / warmup}, so the first step's rate is 0), gradient-norm clipping, gradient
 * accumulation. Every field is recorded in the checkpoint; a run resumes only with the same settings.
 *
 * <pre>{@code
 * FineTuneConfig xnli = FineTuneConfig.mondalXnli();                          // their Table 5 settings
 * FineTuneConfig quick = xnli.toBuilder().optLearningRate(1e-3).optMaxSteps(200).build();
 * double lr = quick.learningRate(10, 200);                                      // at step 10 of 200
 * }</pre>
 *
 * @param learningRate    peak learning rate
 * @param epochs          passes over the training examples (when maxSteps is 0)
 * @param maxSteps        optimizer steps in all, overriding epochs when > 0
 * @param batchSize       examples per micro-batch
 * @param accumulation    micro-batches per optimizer step
 * @param warmupRatio     fraction of the steps with a linear warm-up, in [0, 1)
 * @param weightDecay     AdamW decoupled weight decay
 * @param beta1           AdamW first-moment decay
 * @param beta2           AdamW second-moment decay
 * @param adamEpsilon     AdamW epsilon
 * @param clipNorm        maximum global gradient norm
 * @param maxLength       most tokens of an input
 * @param seed            seed of the adapter's and the head's initialisation, the data order and dropout
 * @param evalEvery       steps between validations (0: only at the end); the best validation's adapter is kept
 * @param checkpointEvery steps between checkpoints (0: only at the end and when stopped)
 * @param logEvery        steps between progress lines
 */
public record FineTuneConfig(double learningRate, int epochs, int maxSteps, int batchSize, int accumulation,
        double warmupRatio, double weightDecay, double beta1, double beta2, double adamEpsilon, double clipNorm,
        int maxLength, long seed, int evalEvery, int checkpointEvery, int logEvery) {

    /** Checks the ranges. */
    public FineTuneConfig {
        if (!(learningRate > 0) || epochs < 1 || maxSteps < 0 || batchSize < 1 || accumulation < 1) {
            throw new IllegalArgumentException("need learning rate > 0, epochs >= 1, max steps >= 0, batch size and"
                    + " accumulation >= 1");
        }
        if (!(warmupRatio >= 0 && warmupRatio < 1) || weightDecay < 0 || !(clipNorm > 0)) {
            throw new IllegalArgumentException("need warm-up ratio in [0, 1), weight decay >= 0, clip norm > 0");
        }
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1) || !(adamEpsilon > 0)) {
            throw new IllegalArgumentException("AdamW betas must be in [0, 1) and epsilon > 0");
        }
        if (maxLength < 8 || evalEvery < 0 || checkpointEvery < 0 || logEvery < 1) {
            throw new IllegalArgumentException("need max length >= 8, eval and checkpoint intervals >= 0, log"
                    + " interval >= 1");
        }
    }

    /**
     * Mondal et al.'s XNLI fine-tuning: lr 1e-5, 1 epoch, batch 8, AdamW (weight decay 0.1, betas 0.95 / 0.999),
     * clip 10, 1% warm-up, 256 tokens.
     */
    public static FineTuneConfig mondalXnli() {
        return builder().build();
    }

    /** Mondal et al.'s XQuAD fine-tuning: lr 5e-5, 10 epochs, batch 4, 512 tokens, otherwise as XNLI. */
    public static FineTuneConfig mondalXquad() {
        return builder().optLearningRate(5e-5).optEpochs(10).optBatchSize(4).optMaxLength(512).build();
    }

    /** Optimizer steps of a run over {@code examples} training examples. */
    public int steps(int examples) {
        if (maxSteps > 0) {
            return maxSteps;
        }
        long microPerEpoch = (examples + batchSize - 1) / batchSize;
        return (int) Math.max(1, (microPerEpoch * epochs + accumulation - 1) / accumulation);
    }

    /** Warm-up steps of a run of {@code steps}: ceil(ratio * steps), as transformers' get_warmup_steps. */
    public int warmupSteps(int steps) {
        return (int) Math.ceil(warmupRatio * steps);
    }

    /** The learning rate of (0-based) step {@code step} of {@code steps}. */
    public double learningRate(long step, int steps) {
        int warmup = warmupSteps(steps);
        if (step < warmup) {
            return learningRate * step / warmup;
        }
        return learningRate * Math.max(0.0, (double) (steps - step) / Math.max(1, steps - warmup));
    }

    /** A builder with Mondal et al.'s XNLI settings as defaults (see {@link #mondalXnli}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.learningRate = learningRate;
        b.epochs = epochs;
        b.maxSteps = maxSteps;
        b.batchSize = batchSize;
        b.accumulation = accumulation;
        b.warmupRatio = warmupRatio;
        b.weightDecay = weightDecay;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.adamEpsilon = adamEpsilon;
        b.clipNorm = clipNorm;
        b.maxLength = maxLength;
        b.seed = seed;
        b.evalEvery = evalEvery;
        b.checkpointEvery = checkpointEvery;
        b.logEvery = logEvery;
        return b;
    }

    /** Builds a {@link FineTuneConfig}; each {@code opt} method sets the record component of its name. */
    public static final class Builder {
        private double learningRate = 1e-5;
        private int epochs = 1;
        private int maxSteps;
        private int batchSize = 8;
        private int accumulation = 1;
        private double warmupRatio = 0.01;
        private double weightDecay = 0.1;
        private double beta1 = 0.95;
        private double beta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private double clipNorm = 10;
        private int maxLength = 256;
        private long seed = 42;
        private int evalEvery;
        private int checkpointEvery = 100;
        private int logEvery = 10;

        private Builder() {
        }

        /** Peak learning rate (default 1e-5). */
        public Builder optLearningRate(double v) {
            learningRate = v;
            return this;
        }

        /** Epochs (default 1). */
        public Builder optEpochs(int v) {
            epochs = v;
            return this;
        }

        /** Steps in all, overriding epochs when > 0 (default 0). */
        public Builder optMaxSteps(int v) {
            maxSteps = v;
            return this;
        }

        /** Examples per micro-batch (default 8). */
        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Micro-batches per step (default 1). */
        public Builder optAccumulation(int v) {
            accumulation = v;
            return this;
        }

        /** Warm-up fraction (default 0.01). */
        public Builder optWarmupRatio(double v) {
            warmupRatio = v;
            return this;
        }

        /** AdamW weight decay (default 0.1). */
        public Builder optWeightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** AdamW betas (default 0.95, 0.999). */
        public Builder optBetas(double b1, double b2) {
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        /** AdamW epsilon (default 1e-8). */
        public Builder optAdamEpsilon(double v) {
            adamEpsilon = v;
            return this;
        }

        /** Gradient-norm clip (default 10). */
        public Builder optClipNorm(double v) {
            clipNorm = v;
            return this;
        }

        /** Most tokens of an input (default 256). */
        public Builder optMaxLength(int v) {
            maxLength = v;
            return this;
        }

        /** Seed (default 42). */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** Steps between validations, 0 for only at the end (default 0). */
        public Builder optEvalEvery(int v) {
            evalEvery = v;
            return this;
        }

        /** Steps between checkpoints, 0 for only at the end (default 100). */
        public Builder optCheckpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** Steps between progress lines (default 10). */
        public Builder optLogEvery(int v) {
            logEvery = v;
            return this;
        }

        /** The settings; {@link IllegalArgumentException} for values out of range. */
        public FineTuneConfig build() {
            return new FineTuneConfig(learningRate, epochs, maxSteps, batchSize, accumulation, warmupRatio,
                    weightDecay, beta1, beta2, adamEpsilon, clipNorm, maxLength, seed, evalEvery, checkpointEvery,
                    logEvery);
        }
    }
}
