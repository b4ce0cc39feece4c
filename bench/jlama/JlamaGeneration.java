import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import java.io.File;
import java.util.UUID;

/**
 * Greedy generation with Jlama 0.8.4 (pure Java, Vector API), the Java peer of `langneurons bench`'s generation:
 * one prompt (Jlama generates one sequence at a time), fp32 weights and fp32 working memory, KV cache, a warm-up
 * then --repeats timed runs. Prints JSON with generation_tokens_per_s (generated tokens / seconds, the prompt's
 * step included as in `bench`). Run through bench/jlama/run.sh (Java 21+ with jdk.incubator.vector).
 *
 *   run.sh MODEL_DIR [new_tokens] [repeats] [prompt]
 */
public final class JlamaGeneration {
    public static void main(String[] args) {
        File dir = new File(args[0]);
        int newTokens = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String prompt = args.length > 3 ? args[3] : "The file system of the computer is where the documents";
        AbstractModel model = ModelSupport.loadModel(dir, DType.F32, DType.F32);
        int[] generated = new int[1];
        Runnable run = () -> {
            var r = model.generate(UUID.randomUUID(), PromptContext.of(prompt), 0.0f, newTokens, (s, f) -> { });
            generated[0] = r.generatedTokens;
        };
        run.run();
        long start = System.nanoTime();
        int tokens = 0;
        for (int i = 0; i < repeats; i++) {
            run.run();
            tokens += generated[0];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"model\": \"%s\", \"impl\": \"jlama 0.8.4\", \"threads\": %d, \"batch\": 1,"
                + " \"generated_tokens\": %d, \"generation_tokens_per_s\": %.1f}%n", dir.getAbsolutePath(),
                Runtime.getRuntime().availableProcessors(), tokens, tokens / seconds);
    }
}
