package org.langneurons.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.model.Generation;
import org.langneurons.model.GenerationConfig;
import org.langneurons.model.LanguageModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: continues a text prompt (or token ids), greedy by default. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a continuation of --prompt TEXT (needs tokenizer.json) or of --ids; greedy unless"
                + " --temperature > 0; --deactivate/--activate/--intervene overwrite language neurons of"
                + " --neurons while generating.")
final class GenerateCommand implements Runnable {
    @Mixin
    ModelOptions options;

    @Mixin
    AdapterOption adapter;

    @Mixin
    InterventionOptions interventions;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt text.")
    String prompt;

    @Option(names = "--ids", paramLabel = "1,2,3", description = "Prompt token ids instead of text; repeat for a batch.")
    List<String> ids;

    @Option(names = "--max-new-tokens", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus size for sampling (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--repetition-penalty", defaultValue = "1", description = "Default: ${DEFAULT-VALUE} (off).")
    double repetitionPenalty;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop string; repeatable.")
    List<String> stops = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-cache", description = "Recompute every position at each step instead of a KV cache.")
    boolean noCache;

    @Option(names = "--ignore-eos", description = "Keep generating after an end-of-sequence token.")
    boolean ignoreEos;

    @Option(names = "--json", description = "Print {\"text\", \"ids\", \"stop\"} per prompt as JSON.")
    boolean json;

    @Override
    public void run() {
        if ((prompt == null) == (ids == null || ids.isEmpty())) {
            throw new IllegalArgumentException("give either --prompt TEXT or --ids 1,2,3");
        }
        GenerationConfig config = new GenerationConfig(maxNewTokens, temperature, topP, repetitionPenalty, stops,
                seed, !noCache, !ignoreEos);
        try (LanguageModel model = adapter.attachTo(options.load()); var h = interventions.apply(model)) {
            Generation g = prompt != null ? model.generateText(List.of(prompt), config)
                    : model.generate(IdLists.parse(ids), config);
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int i = 0; i < g.tokens().size(); i++) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("text", g.texts() == null ? null : g.texts().get(i));
                    row.put("ids", g.tokens().get(i));
                    row.put("stop", g.stops().get(i).label());
                    rows.add(row);
                }
                Json.print(System.out, rows.size() == 1 ? rows.get(0) : rows);
            } else {
                for (int i = 0; i < g.tokens().size(); i++) {
                    System.out.println(g.texts() != null ? g.texts().get(i) : java.util.Arrays.toString(
                            g.tokens().get(i)));
                }
            }
        }
    }
}
