package org.langneurons.intervention;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.NeuronGrid;
import org.langneurons.stats.RecordedTensor;

/**
 * What targeted neurons are set to: zero (Tang et al.'s deactivation), a constant, or a per-neuron statistic of a
 * language taken from statistics recorded on a named tensor (Mondal et al.'s mean and P5 ... P95). Parsed from text
 * only at the edges ({@link #parse}: {@code zero}, a number, {@code mean}, {@code min}, {@code max}, {@code p90},
 * optionally {@code @act} or {@code @gate}); {@link #label} gives the text back.
 *
 * <pre>{@code
 * InterventionValue off = InterventionValue.ZERO;
 * InterventionValue p95 = InterventionValue.parse("p95");                  // of mlp.act statistics
 * InterventionValue gateMean = InterventionValue.Statistic.mean(RecordedTensor.GATE);
 * NeuronGrid values = gateMean.values(stats);     // fails unless stats were recorded on mlp.gate
 * }</pre>
 */
public sealed interface InterventionValue {

    /** Tang et al.'s deactivation: the neurons set to 0. */
    InterventionValue ZERO = new Zero();

    /** The text this value is written as: {@code zero}, {@code 50}, {@code mean}, {@code p95@gate}. */
    String label();

    /** Whether the value comes from a language's statistics. */
    default boolean isStatistic() {
        return this instanceof Statistic;
    }

    /**
     * The value of every neuron: the constant everywhere, or the statistic of {@code stats} (which may be null
     * for a constant).
     */
    NeuronGrid values(ActivationStatistics stats);

    /** Zero, as Tang et al. switch neurons off. */
    record Zero() implements InterventionValue {
        @Override
        public String label() {
            return "zero";
        }

        @Override
        public NeuronGrid values(ActivationStatistics stats) {
            throw new UnsupportedOperationException("zero needs no statistics: use 0 directly");
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** A constant, e.g. a high value that switches a language's neurons on. */
    record Constant(float value) implements InterventionValue {
        @Override
        public String label() {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                    : Float.toString(value);
        }

        @Override
        public NeuronGrid values(ActivationStatistics stats) {
            throw new UnsupportedOperationException("a constant needs no statistics: use " + label() + " directly");
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /**
     * A per-neuron statistic of the intervened language.
     *
     * @param kind       which statistic
     * @param percentile for {@link Kind#PERCENTILE}, p in (0, 100) (the batch-mean p-th percentile); else NaN
     * @param tensor     the recorded tensor the statistics must be of ({@code act}: the neurons' own values;
     *                   {@code gate}: the pre-activation, as Mondal et al.'s code took them)
     */
    record Statistic(Kind kind, double percentile, RecordedTensor tensor) implements InterventionValue {
        /** The statistics a value can name. */
        public enum Kind {
            MEAN,
            MIN,
            MAX,
            /** the batch-mean percentile of Mondal et al. */
            PERCENTILE
        }

        public Statistic {
            if (kind == null || tensor == null) {
                throw new IllegalArgumentException("a statistic needs a kind and a recorded tensor");
            }
            if (kind == Kind.PERCENTILE ? !(percentile > 0 && percentile < 100) : !Double.isNaN(percentile)) {
                throw new IllegalArgumentException("a percentile statistic needs p in (0, 100), others none; got "
                        + kind + " " + percentile);
            }
        }

        /** The mean of statistics recorded on {@code tensor}. */
        public static Statistic mean(RecordedTensor tensor) {
            return new Statistic(Kind.MEAN, Double.NaN, tensor);
        }

        /** The batch-mean {@code p}-th percentile of statistics recorded on {@code tensor}. */
        public static Statistic percentile(double p, RecordedTensor tensor) {
            return new Statistic(Kind.PERCENTILE, p, tensor);
        }

        @Override
        public String label() {
            String base = switch (kind) {
                case MEAN -> "mean";
                case MIN -> "min";
                case MAX -> "max";
                case PERCENTILE -> "p" + (percentile == Math.rint(percentile) ? Long.toString((long) percentile)
                        : Double.toString(percentile));
            };
            return tensor == RecordedTensor.ACT ? base : base + "@" + tensor.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public NeuronGrid values(ActivationStatistics stats) {
            if (stats.tensor() != tensor) {
                throw new IllegalArgumentException("the value " + label() + " is a statistic of "
                        + tensor.hookSuffix() + ", but the statistics of " + stats.language() + " are of "
                        + stats.tensor().hookSuffix() + " (write " + new Statistic(kind, percentile, stats.tensor())
                        .label() + " to use them)");
            }
            return switch (kind) {
                case MEAN -> stats.mean();
                case MIN -> stats.min();
                case MAX -> stats.max();
                case PERCENTILE -> stats.batchMeanPercentile(percentile);
            };
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /**
     * Parses {@code zero}, a number, or a statistic: {@code mean}, {@code min}, {@code max} or {@code pN} (a
     * collected batch-mean percentile, e.g. {@code p90}), of {@code act} statistics unless followed by
     * {@code @gate} (or {@code @act}).
     *
     * @throws IllegalArgumentException naming the text and what is expected
     */
    static InterventionValue parse(String text) {
        String s = text.trim();
        if (s.equalsIgnoreCase("zero")) {
            return ZERO;
        }
        try {
            return new Constant(Float.parseFloat(s));
        } catch (NumberFormatException notANumber) {
            // a statistic
        }
        // mean|min|max|pN with an optional @act|@gate
        Matcher m = Pattern.compile("(mean|min|max|p\\d+(?:\\.\\d+)?)(?:@(act|gate))?")
                .matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown statistic '" + text + "': expected mean, min, max or pN "
                    + "(a collected percentile, e.g. p90), optionally @act or @gate");
        }
        RecordedTensor tensor = m.group(2) == null ? RecordedTensor.ACT : RecordedTensor.parse(m.group(2));
        String name = m.group(1);
        return switch (name) {
            case "mean" -> new Statistic(Statistic.Kind.MEAN, Double.NaN, tensor);
            case "min" -> new Statistic(Statistic.Kind.MIN, Double.NaN, tensor);
            case "max" -> new Statistic(Statistic.Kind.MAX, Double.NaN, tensor);
            default -> new Statistic(Statistic.Kind.PERCENTILE, Double.parseDouble(name.substring(1)), tensor);
        };
    }
}
