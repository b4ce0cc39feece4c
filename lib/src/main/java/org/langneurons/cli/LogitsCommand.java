package org.langneurons.cli;

import java.util.List;
import org.langneurons.model.LanguageModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code logits}: FP32 logits at every position of one or more token sequences, as JSON. */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Print {\"logits\": [[[vocab] per position] per sequence]} in FP32 for token id sequences.")
final class LogitsCommand implements Runnable {
    @Mixin
    ModelOptions options;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--ids", required = true, paramLabel = "1,2,3",
            description = "A sequence of token ids; repeat for a batch.")
    List<String> ids;

    @Override
    public void run() {
        List<long[]> sequences = IdLists.parse(ids);
        try (LanguageModel model = adapter.attachTo(options.load())) {
            float[][][] logits = model.logits(sequences.toArray(long[][]::new));
            StringBuilder out = new StringBuilder("{\"logits\":[");
            for (int s = 0; s < logits.length; s++) {
                out.append(s > 0 ? "," : "");
                writeRows(out, logits[s]);
            }
            System.out.println(out.append("]}"));
        }
    }

    static void writeRows(StringBuilder out, float[][] rows) {
        out.append('[');
        for (int p = 0; p < rows.length; p++) {
            out.append(p > 0 ? "," : "");
            Json.writeNested(out, rows[p], 0, new int[] {rows[p].length}, 0);
        }
        out.append(']');
    }
}
