package org.langneurons.cli;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.langneurons.hooks.ActivationCache;
import org.langneurons.hooks.HookName;
import org.langneurons.hooks.HookPoint;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code activations}: one hook point's values at every layer (or one block) for one sequence, as JSON. */
@Command(name = "activations", mixinStandardHelpOptions = true,
        description = {"Print {\"hook\": ..., \"layers\": [...], \"activations\": [[[values] per position] per layer]}"
            + " for one token sequence.",
            "Hook points: resid_pre, attn_out, resid_mid, mlp.gate, mlp.act, mlp.up, mlp.out, resid_post;"
            + " a point names it in every layer, blocks.L.POINT in one."})
final class ActivationsCommand implements Runnable {
    @Mixin
    ModelOptions options;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--ids", required = true, paramLabel = "1,2,3", description = "The token ids of one sequence.")
    String ids;

    @Option(names = "--hook", defaultValue = "mlp.act", paramLabel = "NAME",
            description = "Hook point (default: ${DEFAULT-VALUE}, the neurons: act_fn(gate) / BLOOM's GELU output).")
    String hook;

    @Override
    public void run() {
        long[] sequence = IdLists.parse(List.of(ids)).get(0);
        try (LanguageModel model = adapter.attachTo(options.load()); NDManager m = model.manager().newSubManager()) {
            List<HookName> names = new ArrayList<>();
            if (hook.startsWith("blocks.")) {
                names.add(HookName.parse(hook));
            } else {
                HookPoint point = HookPoint.parse(hook);
                for (int l = 0; l < model.config().layers(); l++) {
                    names.add(new HookName(l, point));
                }
            }
            StringBuilder out = new StringBuilder("{\"hook\":\"" + names.get(0).point().suffix() + "\",\"layers\":[");
            try (ActivationCache cache = ActivationCache.record(model.hooks(), m, names)) {
                model.logits(TokenBatch.of(sequence), m);
                for (int i = 0; i < names.size(); i++) {
                    out.append(i > 0 ? "," : "").append(names.get(i).layer());
                }
                out.append("],\"activations\":[");
                for (int i = 0; i < names.size(); i++) {
                    var value = cache.get(names.get(i));
                    long[] shape = value.getShape().getShape(); // [1, T, width]
                    out.append(i > 0 ? "," : "");
                    Json.writeNested(out, value.toFloatArray(), 0, new int[] {(int) shape[1], (int) shape[2]}, 0);
                }
            }
            System.out.println(out.append("]}"));
        }
    }
}
