package org.langneurons.spark;

import java.io.Serializable;
import org.langneurons.stats.PercentileSketch;
import org.langneurons.stats.RecordedTensor;
import org.langneurons.stats.StatisticsSettings;

/**
 * {@link StatisticsSettings} as plain values, so that they travel to the executors inside a task (the library's
 * settings are not {@code Serializable}, and need not be for anything but Spark).
 */
record CarriedSettings(String tensor, long tokenBudget, int maxLength, int batchSize, long seed,
        boolean includePadding, boolean packed, double[] percentiles, int checkpointEvery, String sketch)
        implements Serializable {

    static CarriedSettings of(StatisticsSettings s) {
        return new CarriedSettings(s.tensor().name(), s.tokenBudget(), s.maxLength(), s.batchSize(), s.seed(),
                s.includePadding(), s.packed(), s.percentiles(), s.checkpointEvery(),
                s.sketch() == null ? null : s.sketch().encode());
    }

    StatisticsSettings settings() {
        return StatisticsSettings.builder().tensor(RecordedTensor.parse(tensor)).tokenBudget(tokenBudget)
                .maxLength(maxLength).batchSize(batchSize).seed(seed).includePadding(includePadding).packed(packed)
                .percentiles(percentiles).checkpointEvery(checkpointEvery)
                .sketch(sketch == null ? null : PercentileSketch.decode(sketch)).build();
    }
}
