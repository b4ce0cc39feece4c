package org.langneurons.cli;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.stats.RecordedTensor;
import org.langneurons.stats.StatisticsSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters that parse with the library's own parsers, so that a bad value is a usage error (exit 2) with
 * the library's message, and enums whose command-line words are not their constant names.
 */
final class Converters {
    private Converters() {
    }

    /** Parses with {@code parser}, turning its IllegalArgumentException into a usage error. */
    static <T> T parse(Function<String, T> parser, String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** {@code --value}: zero, a number, mean, min, max, pN, optionally @act or @gate. */
    static final class Value implements ITypeConverter<InterventionValue> {
        @Override
        public InterventionValue convert(String text) {
            return parse(InterventionValue::parse, text);
        }
    }

    /** {@code --aggregation}: pooled or batch-mean. */
    static final class Aggregation implements ITypeConverter<StatisticsSettings.Aggregation> {
        @Override
        public StatisticsSettings.Aggregation convert(String text) {
            return parse(StatisticsSettings.Aggregation::parse, text);
        }
    }

    /** {@code --separator}: eos or none. */
    static final class Separator implements ITypeConverter<StatisticsSettings.Separator> {
        @Override
        public StatisticsSettings.Separator convert(String text) {
            return parse(StatisticsSettings.Separator::parse, text);
        }
    }

    /** {@code --tensor}: act, gate or a hook suffix (mlp.act, mlp.hook_gate). */
    static final class Tensor implements ITypeConverter<RecordedTensor> {
        @Override
        public RecordedTensor convert(String text) {
            return parse(RecordedTensor::parse, text);
        }
    }

    /** An enum written on the command line as its {@code toString()} (e.g. {@code lape-mondal}). */
    abstract static class ByWord<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;

        ByWord(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String text) {
            for (E e : type.getEnumConstants()) {
                if (e.toString().equals(text)) {
                    return e;
                }
            }
            throw new TypeConversionException("expected " + Arrays.stream(type.getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", ")) + ", got '" + text + "'");
        }
    }
}
