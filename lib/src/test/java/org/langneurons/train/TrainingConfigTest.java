package org.langneurons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The builder's defaults, its round trip, and the validation of the settings that were literals of Trainer. */
class TrainingConfigTest {
    @Test
    void builderDefaultsAreThoseOfTheTrainCommand() throws Exception {
        TrainingConfig d = TrainingConfig.builder().build();
        CommandLine train = new CommandLine(Class.forName("org.langneurons.cli.TrainCommand"));
        Map<String, Number> expected = Map.ofEntries(Map.entry("--seq-length", d.sequenceLength()),
                Map.entry("--batch", d.batchSize()), Map.entry("--accumulation", d.accumulation()),
                Map.entry("--steps", d.steps()), Map.entry("--lr", d.learningRate()),
                Map.entry("--min-lr", d.minLearningRate()), Map.entry("--warmup", d.warmupSteps()),
                Map.entry("--weight-decay", d.weightDecay()), Map.entry("--clip", d.clipNorm()),
                Map.entry("--seed", d.seed()), Map.entry("--eval-every", d.evalEvery()),
                Map.entry("--checkpoint-every", d.checkpointEvery()));
        expected.forEach((option, value) -> assertEquals(value.doubleValue(),
                Double.parseDouble(train.getCommandSpec().findOption(option).defaultValue()), option));
        // the settings that were literals of Trainer, at the values they had there
        assertEquals(1e-8, d.adamEpsilon());
        assertEquals(1e-6, d.clipEpsilon());
        assertEquals(20_000, d.evalChars());
        assertEquals(10, d.logEvery());
        assertEquals(0.9, d.beta1());
        assertEquals(0.95, d.beta2());
    }

    @Test
    void toBuilderRoundTripsEveryField() {
        TrainingConfig c = new TrainingConfig(32, 2, 3, 40, 1e-2, 1e-4, 5, 0.05, 0.8, 0.99, 1e-7, 2.0, 1e-5, 9, 7,
                1000, 11, 3);
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void newSettingsAreValidated() {
        TrainingConfig.Builder b = TrainingConfig.builder();
        assertThrows(IllegalArgumentException.class, () -> b.optAdamEpsilon(0).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optClipEpsilon(-1e-6).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optEvalChars(-1).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optLogEvery(0).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optSteps(0).build());
    }
}
