package org.langneurons.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.neurons.NeuronSet;

/**
 * The same inputs and seed give byte-identical files, command after command: statistics, neurons.json, ppxc.json
 * and a fine-tuned adapter. The statistics are written by two separate JVMs, since an order that depends on hashing
 * (Map.copyOf, HashMap of strings seeded per run) differs only between runs of the JVM.
 */
class ReproducibilityTest {

    /** Runs the command line in a fresh JVM on the test class path; returns its exit status. */
    static int runInAnotherJvm(Path log, String... args) throws IOException, InterruptedException {
        return startInAnotherJvm(log, args).waitFor();
    }

    /** Starts the command line in a fresh JVM on the test class path, its output going to {@code log}. */
    static Process startInAnotherJvm(Path log, String... args) throws IOException {
        Path runtime = Path.of("target/runtime-classpath.txt");
        String classPath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(runtime).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx2g", "-Dai.djl.offline=true", "-cp", classPath, "org.langneurons.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Every file under {@code a} equals the file at the same place under {@code b}, byte for byte. */
    static void assertSameFiles(Path a, Path b, String what) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(a)) {
            files = s.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
        }
        try (Stream<Path> s = Files.walk(b)) {
            assertEquals(files, s.filter(Files::isRegularFile).map(b::relativize).sorted().toList(), what);
        }
        assertFalse(files.isEmpty(), what + ": files written");
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), what + ": " + f);
        }
    }

    @Test
    void statisticsAndNeuronsTwiceInSeparateJvms(@TempDir Path dir) throws Exception {
        List<Path> outs = new ArrayList<>();
        for (String run : List.of("a", "b")) {
            Path stats = dir.resolve(run).resolve("stats");
            String[] args = {"stats", "--model", "default", "--langs", "en,fr", "--tokens-per-lang", "600",
                "--max-length", "64", "--relevance", "90", "--out", stats.toString(), "--quiet"};
            Path log = dir.resolve(run + ".log");
            assertEquals(0, runInAnotherJvm(log, args), Files.readString(log));
            outs.add(stats);
        }
        assertSameFiles(outs.get(0), outs.get(1), "stats");
        for (String method : List.of("lape", "actprob", "random")) {
            Path[] json = {dir.resolve("a").resolve(method + ".json"), dir.resolve("b").resolve(method + ".json")};
            for (int k = 0; k < 2; k++) {
                CliTest.Result r = CliTest.run("identify", "--stats", outs.get(k).toString(), "--langs", "en,fr",
                        "--method", method, "--out", json[k].toString());
                assertEquals(0, r.status(), r.toString());
            }
            assertArrayEquals(Files.readAllBytes(json[0]), Files.readAllBytes(json[1]), method + " neurons.json");
        }
    }

    @Test
    void perplexityChangeTwice(@TempDir Path dir) throws Exception {
        Path neurons = dir.resolve("n.json");
        new NeuronSet("hand", java.util.Map.of("b", 1, "a", "x"), List.of("en", "fr"), 4, 688, java.util.Map.of(
                "en", new int[][] {{}, {}, {}, {1, 2, 3}}, "fr", new int[][] {{10, 11}, {}, {}, {12}})).save(neurons);
        for (String run : List.of("a", "b")) {
            CliTest.Result r = CliTest.run("ppl-change", "--model", "default", "--neurons", neurons.toString(),
                    "--max-chars", "200", "--random-draws", "2", "--out", dir.resolve(run).toString());
            assertEquals(0, r.status(), r.toString());
        }
        assertSameFiles(dir.resolve("a"), dir.resolve("b"), "ppl-change");
    }

    @Test
    void fineTunedAdapterTwice(@TempDir Path dir) throws Exception {
        for (String run : List.of("a", "b")) {
            CliTest.Result r = CliTest.run("finetune", "--model", "default", "--task", "module-classification",
                    "--adapter", "masked", "--mask", "random", "--max-steps", "2", "--batch", "4", "--eval-every",
                    "2", "--out", dir.resolve(run).toString());
            assertEquals(0, r.status(), r.toString());
        }
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors", "neuron_mask.json", "task.json",
                "best/adapter_config.json", "best/adapter_model.safetensors", "training-log.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("b").resolve(f)), "finetune: " + f);
        }
    }
}
