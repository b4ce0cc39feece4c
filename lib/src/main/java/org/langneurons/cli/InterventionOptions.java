package org.langneurons.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.NeuronSet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The intervention options of {@code generate}: which languages' neurons (of --neurons) are set to what, e.g.
 * {@code --deactivate en --activate fr=p95} or {@code --intervene en=0,fr=mean}.
 */
final class InterventionOptions {
    @Mixin
    NeuronSetOptions neuronSet;

    @Option(names = "--intervene", split = ",", paramLabel = "LANG=VALUE",
            description = "Set LANG's neurons to VALUE: a number, or LANG's statistic mean, min, max, pN.")
    List<String> intervene = new ArrayList<>();

    @Option(names = "--deactivate", split = ",", paramLabel = "LANG", description = "Same as --intervene LANG=0.")
    List<String> deactivate = new ArrayList<>();

    @Option(names = "--activate", split = ",", paramLabel = "LANG=VALUE",
            description = "Same as --intervene (a high value switches a language on, e.g. fr=p95).")
    List<String> activate = new ArrayList<>();

    @Option(names = "--positions", defaultValue = "all", paramLabel = "P",
            description = "Positions changed: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Intervention.Positions positions;

    /** LANG=VALUE pairs in order: deactivations first, then the others. */
    private Map<String, String> specs() {
        Map<String, String> out = new LinkedHashMap<>();
        deactivate.forEach(l -> out.put(l.trim(), "0"));
        List<String> pairs = new ArrayList<>(intervene);
        pairs.addAll(activate);
        for (String s : pairs) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("intervention '" + s + "' is not LANG=VALUE");
            }
            out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return out;
    }

    private boolean any() {
        return !intervene.isEmpty() || !deactivate.isEmpty() || !activate.isEmpty();
    }

    /**
     * The interventions asked for on {@code model} (empty when none); errors name the option, file and language at
     * fault.
     */
    List<Intervention> interventions(LanguageModel model) {
        if (!any()) {
            return List.of();
        }
        if (neuronSet.neurons == null) {
            throw new IllegalArgumentException("--intervene, --deactivate and --activate need --neurons FILE");
        }
        NeuronSet set = NeuronSet.load(neuronSet.neurons);
        neuronSet.requireModel(set, model);
        List<Intervention> out = new ArrayList<>();
        for (var e : specs().entrySet()) {
            String lang = e.getKey();
            if (!set.languages().contains(lang)) {
                throw new IllegalArgumentException("language " + lang + " is not in " + neuronSet.neurons + " "
                        + set.languages());
            }
            InterventionValue value = InterventionValue.parse(e.getValue());
            out.add(Intervention.setTo(set, lang, value, neuronSet.statsFor(lang + "=" + e.getValue()))
                    .at(positions));
        }
        return out;
    }

    /** Applies the interventions; the handle removes them (a no-op handle when there are none). */
    HookHandle apply(LanguageModel model) {
        return Intervention.applyAll(model, interventions(model));
    }
}
