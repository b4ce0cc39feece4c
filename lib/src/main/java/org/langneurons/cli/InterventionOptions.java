package org.langneurons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationStatistics;
import picocli.CommandLine.Option;

/**
 * The intervention options of {@code generate} and {@code steer}: which languages' neurons (of --neurons) are set to
 * what, e.g. {@code --deactivate en --activate fr=p95} or {@code --intervene en=0,fr=mean}.
 */
final class InterventionOptions {
    @Option(names = "--neurons", paramLabel = "FILE", description = "neurons.json whose languages are intervened on.")
    Path neurons;

    @Option(names = "--stats", paramLabel = "DIR", description = "Statistics (of `stats`) for values mean/min/max/pN.")
    Path stats;

    @Option(names = "--intervene", split = ",", paramLabel = "LANG=VALUE",
            description = "Set LANG's neurons to VALUE: a number, or LANG's statistic mean, min, max, pN.")
    List<String> intervene = new ArrayList<>();

    @Option(names = "--deactivate", split = ",", paramLabel = "LANG", description = "Same as --intervene LANG=0.")
    List<String> deactivate = new ArrayList<>();

    @Option(names = "--activate", split = ",", paramLabel = "LANG=VALUE",
            description = "Same as --intervene (a high value switches a language on, e.g. fr=p95).")
    List<String> activate = new ArrayList<>();

    @Option(names = "--positions", defaultValue = "all", paramLabel = "P",
            description = "all, prompt or generated positions (default: ${DEFAULT-VALUE}).")
    String positions;

    /** LANG=VALUE pairs in order: deactivations first, then the others. */
    Map<String, String> specs() {
        Map<String, String> out = new LinkedHashMap<>();
        deactivate.forEach(l -> out.put(l.trim(), "0"));
        for (String s : concat(intervene, activate)) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("intervention '" + s + "' is not LANG=VALUE");
            }
            out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    boolean any() {
        return !intervene.isEmpty() || !deactivate.isEmpty() || !activate.isEmpty();
    }

    /** The interventions asked for (empty when none); errors name the option and language at fault. */
    List<Intervention> interventions() {
        if (!any()) {
            return List.of();
        }
        if (neurons == null) {
            throw new IllegalArgumentException("--intervene, --deactivate and --activate need --neurons FILE");
        }
        NeuronSet set = NeuronSet.load(neurons);
        Intervention.Positions where = switch (positions.toLowerCase(Locale.ROOT)) {
            case "all" -> Intervention.Positions.ALL;
            case "prompt" -> Intervention.Positions.PROMPT;
            case "generated" -> Intervention.Positions.GENERATED;
            default -> throw new IllegalArgumentException("--positions must be all, prompt or generated, got "
                    + positions);
        };
        List<Intervention> out = new ArrayList<>();
        for (var e : specs().entrySet()) {
            String lang = e.getKey(), value = e.getValue();
            if (!set.languages().contains(lang)) {
                throw new IllegalArgumentException("language " + lang + " is not in " + neurons + " "
                        + set.languages());
            }
            Intervention iv = Intervention.setTo(set, lang, value, l -> statistics(stats, l, lang + "=" + value));
            out.add(iv.at(where));
        }
        return out;
    }

    /** LANG's statistics in {@code dir} (of `stats`), or an error saying that {@code what} needs them. */
    static ActivationStatistics statistics(Path dir, String lang, String what) {
        if (dir == null) {
            throw new IllegalArgumentException(what + " is a statistic: give --stats DIR");
        }
        return ActivationStatistics.load(dir.resolve(lang + ".safetensors"));
    }

    /** Applies the interventions; the handle removes them (a no-op handle when there are none). */
    HookHandle apply(LanguageModel model) {
        return Intervention.applyAll(model, interventions());
    }
}
