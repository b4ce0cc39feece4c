package org.langneurons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.corpus.Corpus;
import org.langneurons.neurons.NeuronSet;

/**
 * Every long command, killed for real: run in another JVM, it is sent SIGTERM (what Ctrl-C does: the run keeps what
 * it has and says how to resume) or SIGKILL (nothing runs: at most the unit in progress is lost) once its first unit
 * (for {@code perplexity}, a single unit, its first partial sums) is on disk. Then the same command runs again: it
 * must continue from the checkpoint rather than start afresh, and write what an uninterrupted run writes, byte for
 * byte.
 */
class KillAndResumeTest {
    @TempDir
    static Path shared;

    static Path neurons;
    static Path grid;
    static Path text;

    /**
     * A command: its arguments for an output folder, what shows that its first unit is on disk, the files compared
     * with the uninterrupted run's, and what the resumed run prints to show it continued.
     */
    record Command(String name, Function<Path, List<String>> args, Predicate<Path> started, List<String> results,
            String resumedWords) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void neuronSet() {
        // a few neurons of the upper layers for each of the default's 16 languages: every matrix row is evaluated
        List<String> langs = Corpus.openDefault().languages();
        NeuronSet.Builder b = NeuronSet.builder("hand", Map.of(), langs, 4, 688);
        for (int i = 0; i < langs.size(); i++) {
            for (int j = 0; j < 5; j++) {
                b.add(langs.get(i), 2, 7 * i + j).add(langs.get(i), 3, 9 * i + j);
            }
        }
        neurons = shared.resolve("neurons.json");
        b.build().save(neurons);
        // two languages' validation text: a single unit of ~90,000 tokens, whose partial sums are kept every 5 s
        text = shared.resolve("validation.txt");
        try {
            Files.write(text, Corpus.texts(null, List.of("en", "fr"), org.langneurons.corpus.Split.VALIDATION)
                    .values().stream().flatMap(List::stream).toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        grid = shared.resolve("grid.json");
        try {
            Files.writeString(grid, """
                    {"task": "module-classification", "languages": ["en", "fr", "es", "vi", "id"], "setups": ["all"],
                     "values": ["none", "zero"], "neuron_sets": {"hand": "neurons.json"}, "max_steps": 12,
                     "max_test": 40, "resamples": 200}
                    """);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Command> commands() {
        return List.of(
                new Command("ppl-change", out -> List.of("ppl-change", "--model", "default", "--neurons",
                        neurons.toString(), "--max-chars", "800", "--random-draws", "2", "--out", out.toString()),
                        out -> hasUnit(out.resolve("checkpoint/units")), List.of("ppxc.json", "ppxc.html"),
                        "resumed: "),
                new Command("steer", out -> List.of("steer", "--model", "default", "--neurons", neurons.toString(),
                        "--from", "all", "--to", "en,fr,zh", "--value", "5", "--prompts-per-language", "6",
                        "--max-new-tokens", "16", "--out", out.toString()),
                        out -> hasUnit(out.resolve("checkpoint/units")), List.of("steering.json"), "resumed: "),
                new Command("evaluate", out -> List.of("evaluate", "--model", "default", "--max-chars", "6000",
                        "--json", "--checkpoint", out.resolve("checkpoint").toString()),
                        out -> hasUnit(out.resolve("checkpoint/units")), List.of("stdout"), "resumed: "),
                new Command("perplexity", out -> List.of("perplexity", "--model", "default", "--text-file",
                        text.toString(), "--json", "--checkpoint", out.resolve("checkpoint").toString()),
                        out -> hasPartial(out.resolve("checkpoint/units")), List.of("stdout"), "resumed: "),
                new Command("stats", out -> List.of("stats", "--model", "default", "--langs", "en,fr,es,vi,id",
                        "--tokens-per-lang", "4000", "--max-length", "64", "--checkpoint-every", "2", "--quiet",
                        "--out", out.toString()),
                        out -> Files.exists(out.resolve("en.safetensors")),
                        List.of("en.safetensors", "fr.safetensors", "es.safetensors", "vi.safetensors",
                                "id.safetensors"), "resumed: "),
                new Command("finetune", out -> List.of("finetune", "--model", "default", "--task",
                        "module-classification", "--max-steps", "24", "--batch", "4", "--eval-every", "8",
                        "--checkpoint-every", "2", "--out", out.toString()),
                        out -> Files.exists(out.resolve("checkpoint/latest")),
                        List.of("adapter_model.safetensors", "adapter_config.json", "task.json",
                                "best/adapter_model.safetensors", "training-log.json"),
                        "resuming at step"),
                new Command("transfer", out -> List.of("transfer", "--config", grid.toString(), "--out",
                        out.toString()),
                        out -> hasUnit(out.resolve("cells")), List.of("cells/", "results.json"), "resumed: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void sigtermThenResume(Command c, @TempDir Path dir) throws Exception {
        killAndResume(c, dir, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void sigkillThenResume(Command c, @TempDir Path dir) throws Exception {
        killAndResume(c, dir, true);
    }

    private static void killAndResume(Command c, Path dir, boolean sigkill) throws Exception {
        Path whole = dir.resolve("whole");
        Path cut = dir.resolve("cut");
        CliTest.Result reference = run(c, whole);
        assertEquals(0, reference.status(), reference.toString());

        Path log = dir.resolve("killed.log");
        Process p = ReproducibilityTest.startInAnotherJvm(log, c.args().apply(cut).toArray(String[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!c.started().test(cut)) {
            if (!p.isAlive()) {
                fail(c + " ended before its first unit was on disk: " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail(c + " wrote no unit in 300 s: " + Files.readString(log));
            }
            Thread.sleep(10);
        }
        if (sigkill) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        int status = p.waitFor();
        String killed = Files.readString(log);
        assertEquals(sigkill ? 137 : 143, status, c + " exit status after the signal: " + killed);
        if (!sigkill) {
            assertTrue(killed.contains("resume") || killed.contains("continue"),
                    c + " says how to resume after SIGTERM: " + killed);
            assertFalse(killed.contains("Exception") || killed.contains("\tat "), c + " stopped cleanly: " + killed);
        }
        assertFalse(c.results().stream().allMatch(f -> Files.exists(cut.resolve(f))),
                c + " was stopped before it finished: " + killed);

        CliTest.Result resumed = run(c, cut);
        assertEquals(0, resumed.status(), resumed.toString());
        assertTrue((resumed.out() + resumed.err()).contains(c.resumedWords()),
                c + " continued from the checkpoint: " + resumed);
        for (String f : c.results()) {
            if (f.equals("stdout")) {
                assertEquals(reference.out(), resumed.out(), c + ": what the resumed run printed");
            } else if (f.endsWith("/")) {
                ReproducibilityTest.assertSameFiles(whole.resolve(f), cut.resolve(f), c + ": " + f);
            } else {
                assertEquals(Files.readString(whole.resolve(f), java.nio.charset.StandardCharsets.ISO_8859_1),
                        Files.readString(cut.resolve(f), java.nio.charset.StandardCharsets.ISO_8859_1),
                        c + ": " + f + " as the uninterrupted run's");
            }
        }
        if (c.args().apply(cut).contains("--checkpoint") || c.name().equals("ppl-change")
                || c.name().equals("steer")) {
            assertFalse(Files.exists(cut.resolve("checkpoint")), c + ": a finished run removes its checkpoint");
        }
    }

    private static CliTest.Result run(Command c, Path out) {
        return CliTest.run(c.args().apply(out).toArray(String[]::new));
    }

    /** Whether {@code dir} holds a unit's partial state. */
    private static boolean hasPartial(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".partial.json"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;      // not there yet
        }
    }

    /** Whether {@code dir} or a folder below it holds a finished unit (a JSON file, not a partial one). */
    private static boolean hasUnit(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(f -> f.getFileName().toString())
                    .anyMatch(f -> f.endsWith(".json") && !f.endsWith(".partial.json"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;      // listed while a file moved
        }
    }
}
