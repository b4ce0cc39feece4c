import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Function;

/**
 * Milliseconds per call of the single ops a Llama forward is made of, through DJL's PyTorch engine as the library
 * calls them (fp32, CPU). Pair with op_times.py (the same shapes in torch) to see where two runtimes differ.
 *
 *   java -cp lib/target/langneurons.jar bench/OpTimes.java [tokens] [hidden] [intermediate] [vocab] [kvDim]
 */
public final class OpTimes {
    public static void main(String[] args) {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 768;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
        int vocab = args.length > 3 ? Integer.parseInt(args[3]) : 32000;
        int kv = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        try (NDManager m = NDManager.newBaseManager()) {
            System.out.printf("torch threads: intra %d, inter-op %d; tokens=%d d=%d I=%d vocab=%d kv=%d%n",
                    JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), tokens, d, n, vocab, kv);
            NDArray x = m.randomNormal(new Shape(8, tokens / 8, d));
            NDArray xn = m.randomNormal(new Shape(8, tokens / 8, n));
            NDArray wq = m.randomNormal(new Shape(d, d)).mul(0.02f);
            NDArray wkv = m.randomNormal(new Shape(kv, d)).mul(0.02f);
            NDArray wg = m.randomNormal(new Shape(n, d)).mul(0.02f);
            NDArray wd = m.randomNormal(new Shape(d, n)).mul(0.02f);
            NDArray wl = m.randomNormal(new Shape(vocab, d)).mul(0.02f);
            time(m, "linear q/o    [T,d]x[d,d]", () -> x, a -> Linear.linear(a, wq).singletonOrThrow(), 2L * tokens * d * d);
            time(m, "linear k/v    [T,d]x[kv,d]", () -> x, a -> Linear.linear(a, wkv).singletonOrThrow(), 2L * tokens * d * kv);
            time(m, "linear gate   [T,d]x[I,d]", () -> x, a -> Linear.linear(a, wg).singletonOrThrow(), 2L * tokens * d * n);
            time(m, "linear down   [T,I]x[d,I]", () -> xn, a -> Linear.linear(a, wd).singletonOrThrow(), 2L * tokens * d * n);
            time(m, "lm_head       [T,d]x[V,d]", () -> x, a -> Linear.linear(a, wl).singletonOrThrow(), 2L * tokens * d * vocab);
            time(m, "x.matMul(W^T) lm_head", () -> x, a -> a.matMul(wl.transpose()), 2L * tokens * d * vocab);
            time(m, "lm_head 1 row [8,1,d]", () -> x.get(":, -1:, :"), a -> Linear.linear(a, wl).singletonOrThrow(),
                    2L * 8 * d * vocab);
            time(m, "silu*up [T,I]", () -> xn, a -> a.mul(ai.djl.nn.Activation.sigmoid(a)).mul(a), 0);
            time(m, "rmsnorm [T,d]", () -> x, a -> a.div(a.square().mean(new int[] {-1}, true).add(1e-6f).sqrt()), 0);
            time(m, "stats gt+sum [T,I]", () -> xn, a -> a.gt(0).toType(DataType.FLOAT32, false).sum(new int[] {0, 1})
                    .add(a.sum(new int[] {0, 1})), 0);
        }
    }

    private static void time(NDManager parent, String name, java.util.function.Supplier<NDArray> input,
            Function<NDArray, NDArray> op, long flops) {
        int reps = 5;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps + 1; r++) {
            try (NDManager m = parent.newSubManager()) {
                NDArray a = input.get();
                long t0 = System.nanoTime();
                NDArray out = op.apply(a);
                out.attach(m);
                out.getFloat(new long[out.getShape().dimension()]);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (r > 0) {
                    best = Math.min(best, ms);
                }
            }
        }
        System.out.printf("%-28s %9.2f ms%s%n", name, best, flops > 0 ? String.format("  %6.1f GFLOP/s", flops / best / 1e6) : "");
    }
}
