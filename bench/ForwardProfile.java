import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.langneurons.hooks.HookHandle;
import org.langneurons.hooks.HookPoint;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.TokenBatch;

/**
 * Where the time of one batched forward goes, by block segment, timed with reading hooks at every hook point (on
 * the CPU the PyTorch engine runs each op synchronously inside its JNI call, so a timestamp at a hook marks the end
 * of everything before it). Public API only.
 *
 *   java -cp lib/target/langneurons.jar bench/ForwardProfile.java MODEL_DIR [batch] [length] [runs]
 *
 * Segments (summed over layers, milliseconds per forward):
 *   embed               start of logits() .. resid_pre of layer 0 (ids upload, masks, positions, embedding)
 *   attention           resid_pre .. attn_out: RMSNorm, q/k/v, RoPE, scores, softmax, o_proj
 *   attn residual add   attn_out .. resid_mid
 *   norm + gate_proj    resid_mid .. mlp.gate
 *   silu                mlp.gate .. mlp.act
 *   up_proj             mlp.act .. mlp.up
 *   mul + down_proj     mlp.up .. mlp.out
 *   mlp residual add    mlp.out .. resid_post
 *   (next layer's resid_pre follows resid_post immediately)
 *   final norm + lm_head + scope close  last resid_post .. logits() returns
 */
public final class ForwardProfile {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int length = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        try (LanguageModel model = LanguageModel.load(dir)) {
            Random random = new Random(42);
            List<long[]> seqs = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                long[] s = new long[length];
                for (int t = 0; t < length; t++) {
                    s[t] = random.nextInt(model.config().vocabSize());
                }
                seqs.add(s);
            }
            TokenBatch tokens = new TokenBatch(seqs, TokenBatch.Padding.RIGHT);

            // plain forwards first (no hooks), as BenchCommand times them
            double plain = 0;
            for (int r = 0; r <= runs; r++) {
                long t0 = System.nanoTime();
                try (NDManager m = model.manager().newSubManager()) {
                    model.logits(tokens, m).getFloat(0, 0, 0);
                }
                if (r > 0) {
                    plain += (System.nanoTime() - t0) / 1e6 / runs;
                }
            }

            Map<HookPoint, double[]> sinceLast = new EnumMap<>(HookPoint.class);
            for (HookPoint p : HookPoint.values()) {
                sinceLast.put(p, new double[1]);
            }
            long[] last = new long[1];
            boolean[] counting = new boolean[1];
            List<HookHandle> handles = new ArrayList<>();
            for (HookPoint p : HookPoint.values()) {
                handles.add(model.hooks().addEveryLayer(p, (name, act, ctx) -> {
                    long now = System.nanoTime();
                    if (counting[0]) {
                        sinceLast.get(p)[0] += (now - last[0]) / 1e6;
                    }
                    last[0] = now;
                    return act;
                }));
            }
            double embed = 0, tail = 0, total = 0;
            for (int r = 0; r <= runs; r++) {
                counting[0] = r > 0;
                long t0 = System.nanoTime();
                last[0] = t0;
                try (NDManager m = model.manager().newSubManager()) {
                    model.logits(tokens, m).getFloat(0, 0, 0);
                    long end = System.nanoTime();
                    if (r > 0) {
                        tail += (end - last[0]) / 1e6;
                        total += (end - t0) / 1e6;
                    }
                }
            }
            handles.forEach(HookHandle::close);
            // resid_pre's interval is "previous resid_post (or start) .. resid_pre": layer 0's is the embedding
            System.out.printf("model %s, batch %d x length %d, %d runs%n", dir, batch, length, runs);
            System.out.printf("%-40s %9.1f ms%n", "forward without hooks (per run)", plain);
            System.out.printf("%-40s %9.1f ms%n", "forward with timing hooks (per run)", total / runs);
            String[] labels = {"embed (+ layer hand-over)", "attention (norm, qkv, rope, sdpa, o)", "attn residual add",
                "norm + gate_proj", "silu", "up_proj", "mul + down_proj", "mlp residual add"};
            int i = 0;
            for (HookPoint p : HookPoint.values()) {
                System.out.printf("  %-38s %9.1f ms%n", labels[i++], sinceLast.get(p)[0] / runs);
            }
            System.out.printf("  %-38s %9.1f ms%n", "final norm + lm_head + close", tail / runs);
        }
    }
}
