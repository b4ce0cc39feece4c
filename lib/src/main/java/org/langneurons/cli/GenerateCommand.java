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
            if (prompt != null && model.tokenizer().isEmpty()) {
                model.generateText(List.of(prompt), config);        // throws the error naming tokenizer.json
            }
            List<long[]> prompts = prompt != null ? List.of(model.tokenizer().orElseThrow().encode(prompt))
                    : IdLists.parse(ids);
            // One plain-text continuation is printed as it comes (a long one would otherwise show nothing for
            // minutes); a stop string could cut text already printed, so those, batches and JSON print at the end.
            Streamed streamed = !json && prompts.size() == 1 && stops.isEmpty()
                    ? new Streamed(model.tokenizer().orElse(null)) : null;
            Generation g = model.generate(prompts, config, streamed);
            if (streamed != null) {
                streamed.finish(g);
            } else if (json) {
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

    /** Prints one sequence's tokens as they come: its text (decoded so far), or its ids as {@code [1, 2, 3]}. */
    static final class Streamed implements Generation.Listener {
        private final org.langneurons.io.TextTokenizer tokenizer;
        private final List<Long> tokens = new ArrayList<>();
        private String printed = "";

        Streamed(org.langneurons.io.TextTokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }

        @Override
        public void token(int sequence, long token) {
            tokens.add(token);
            if (tokenizer == null) {
                System.out.print((tokens.size() == 1 ? "[" : ", ") + token);
            } else {
                // a token may end inside a character (decoded as U+FFFD): that part waits for the next token
                String text = tokenizer.decode(tokens.stream().mapToLong(Long::longValue).toArray());
                int end = text.length();
                while (end > 0 && text.charAt(end - 1) == '\uFFFD') {
                    end--;
                }
                emit(text.substring(0, end));
            }
            System.out.flush();
        }

        private void emit(String text) {
            if (text.startsWith(printed)) {
                System.out.print(text.substring(printed.length()));
                printed = text;
            }
        }

        /** Ends the line with whatever the last tokens completed. */
        void finish(Generation g) {
            if (tokenizer == null) {
                System.out.println(tokens.isEmpty() ? "[]" : "]");
            } else {
                emit(g.texts().get(0));
                System.out.println();
            }
        }
    }
}
