package org.langneurons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** finetune, evaluate-task, merge-adapter and --adapter from the command line, on the embedded default. */
class FinetuneCliTest {
    private static final Path PEFT = Path.of("src/test/resources/peft");

    @Test
    void finetuneThenEvaluateThenResumeNothingLeft(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        CliTest.Result r = CliTest.run("finetune", "--model", "default", "--task", "module-classification",
                "--adapter", "masked", "--mask", "random", "--max-steps", "3", "--batch", "4", "--eval-every", "2",
                "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("gate mask random (40 neurons)"), r.toString());   // 10 a layer, 4 layers
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors", "neuron_mask.json", "task.json",
                "best/adapter_config.json", "training-log.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        CliTest.Result e = CliTest.run("evaluate-task", "--model", "default", "--adapter", out.toString(),
                "--langs", "en,hi", "--json", dir.resolve("s.json").toString());
        assertEquals(0, e.status(), e.toString());
        JsonObject scores = JsonParser.parseString(Files.readString(dir.resolve("s.json"))).getAsJsonObject()
                .getAsJsonObject("languages");
        assertEquals(List.of("en", "hi"), List.copyOf(scores.keySet()));
        assertEquals(240, scores.getAsJsonObject("hi").get("count").getAsInt());
        double acc = scores.getAsJsonObject("en").get("accuracy").getAsDouble();
        assertTrue(acc >= 0 && acc <= 100);
        // the same command again: finished, nothing trained twice
        CliTest.Result again = CliTest.run("finetune", "--model", "default", "--task", "module-classification",
                "--adapter", "masked", "--mask", "random", "--max-steps", "3", "--batch", "4", "--eval-every", "2",
                "--out", out.toString());
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.out().contains("resuming at step 3"), again.toString());
        // other settings into the same directory: refused with the reason
        CliTest.Result other = CliTest.run("finetune", "--model", "default", "--task", "module-classification",
                "--max-steps", "5", "--out", out.toString());
        assertNotEquals(0, other.status());
        assertTrue(other.err().contains("other settings"), other.toString());
    }

    @Test
    void badOptionsAreNamed(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("finetune", "--model", "default", "--task", "module-classification",
                "--adapter", "masked", "--out", dir.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("--adapter masked needs --mask"), r.toString());
        r = CliTest.run("finetune", "--model", "default", "--task", "module-classification", "--adapter", "masked",
                "--mask", "target", "--out", dir.toString());
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("--target-lang"), r.toString());
        r = CliTest.run("finetune", "--model", "default", "--task", "xnli", "--out", dir.toString());
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("--data"), r.toString());
    }

    @Test
    void transferNamesABadConfigFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("grid.json"), "{\"task\": \"module-classification\", \"languages\": [\"fr\"],"
                + " \"setups\": [\"sideways\"], \"values\": [\"none\"]}");
        CliTest.Result r = CliTest.run("transfer", "--config", dir.resolve("grid.json").toString(), "--out",
                dir.resolve("out").toString());
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("grid.json") && r.err().contains("SIDEWAYS"), r.toString());
    }

    @Test
    void modelCommandsRunWithPeftAdaptersAndMergeExportsThem(@TempDir Path dir) {
        String model = PEFT.resolve("llama-tiny").toString();
        CliTest.Result base = CliTest.run("logits", "--model", model, "--ids", "1,5,9");
        CliTest.Result adapted = CliTest.run("logits", "--model", model, "--ids", "1,5,9", "--adapter",
                PEFT.resolve("lora-causal").toString());
        assertEquals(0, adapted.status(), adapted.toString());
        assertNotEquals(base.out(), adapted.out());
        CliTest.Result merge = CliTest.run("merge-adapter", "--model", model, "--adapter",
                PEFT.resolve("lora-causal").toString(), "--out", dir.resolve("merged").toString());
        assertEquals(0, merge.status(), merge.toString());
        CliTest.Result merged = CliTest.run("logits", "--model", dir.resolve("merged").toString(), "--ids", "1,5,9");
        assertEquals(0, merged.status(), merged.toString());
        double[] a = values(adapted.json());
        double[] m = values(merged.json());
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], m[i], 1e-5);
        }
        CliTest.Result bad = CliTest.run("logits", "--model", model, "--ids", "1,5,9", "--adapter", dir.toString());
        assertNotEquals(0, bad.status());
        assertTrue(bad.err().contains("adapter_config.json"), bad.toString());
    }

    private static double[] values(JsonObject json) {
        return json.getAsJsonArray("logits").get(0).getAsJsonArray().asList().stream()
                .flatMap(row -> row.getAsJsonArray().asList().stream()).mapToDouble(v -> v.getAsDouble()).toArray();
    }
}
