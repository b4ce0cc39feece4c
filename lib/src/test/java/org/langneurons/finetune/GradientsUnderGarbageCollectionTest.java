package org.langneurons.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.Fixtures;

/**
 * Gradients do not depend on when Java collects garbage. DJL's number overloads ({@code x.mul(3f)}) leave autograd
 * holding a scalar in Java memory that a collection frees (see {@link org.langneurons.model.Scalars}): a CI run's
 * fine-tuning met a NaN gradient norm that way. {@link GradientChurnCheck} runs in another JVM with the allocator's
 * thread caches off, so that freed blocks are handed out again at once, and computes each gradient plainly and with
 * a collection plus a flood of NaN-filled blocks between the forward and the backward pass.
 */
class GradientsUnderGarbageCollectionTest {
    @Test
    void gradientsAreTheSameWhateverTheCollectorFrees(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("check.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-Dai.djl.offline=true", "-cp", Path.of("target/test-classes")
                .toAbsolutePath() + File.pathSeparator + Path.of("target/classes").toAbsolutePath()
                + File.pathSeparator + Files.readString(Path.of("target/runtime-classpath.txt")).strip(),
                GradientChurnCheck.class.getName(), Fixtures.parity("bloom").toString(),
                Fixtures.parity("llama").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        // jemalloc (preloaded where installed) and glibc each keep a cache per thread; Java frees direct buffers in
        // its cleaner thread, so with the caches on the freed blocks rarely come back to the thread that computes
        String conf = env.getOrDefault("MALLOC_CONF", "");
        env.put("MALLOC_CONF", (conf.isEmpty() ? "" : conf + ",") + "tcache:false");
        env.put("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0");
        int status = pb.start().waitFor();
        String out = Files.readString(log);
        assertEquals(0, status, out);

        // the premise: with DJL's overloads the churn does reach autograd's saved scalars here
        assumeTrue(count(out, "djl-overloads-wrong (\\d+) of 10") > 0,
                "the churn did not make DJL's overloads go wrong on this machine, so it proves nothing: " + out);
        assertEquals(0, count(out, "scalars-wrong (\\d+) of 10"), out);
        // the library's own training paths: a masked LoRA with a classification head on the default, and a masked
        // LoRA under the language-model loss on BLOOM (gelu) and Llama
        for (String c : List.of("default-classification", "bloom-lm-loss", "llama-lm-loss")) {
            Matcher m = Pattern.compile("case " + c + " differing (\\d+) of (\\d+) nonzero (\\d+) of (\\d+)")
                    .matcher(out);
            assertTrue(m.find(), c + " ran: " + out);
            assertEquals(0, Integer.parseInt(m.group(1)), c + ": gradients changed by a collection: " + out);
            assertEquals(m.group(4), m.group(3), c + ": every tensor has a gradient, so each comparison counts: "
                    + out);
        }
    }

    private static int count(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), regex + " in " + out);
        return Integer.parseInt(m.group(1));
    }
}
