package org.langneurons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.langneurons.model.ModelConfig;
import org.langneurons.train.LlamaCheckpointWriter;
import org.langneurons.train.LlamaParameters;

/**
 * The README says a user runs the notebooks on another checkpoint by editing only their parameter cells. This test
 * does exactly that: it writes a random Llama of another shape (8 layers, grouped-query attention, a 32,000-entry
 * vocabulary, untied head, Llama-2-style tokenizer with BOS and byte fallback), changes in each notebook's parameter
 * cell the model folder and the budgets (nothing else), executes all of them and checks that every cell ran.
 */
class NotebooksOnAnotherCheckpointTest {
    static final Path DIR = Path.of("target", "notebooks-another").toAbsolutePath();

    /** Parameter-cell values replaced, by variable name (a name a notebook lacks is skipped). */
    static final Map<String, String> PARAMETERS = new LinkedHashMap<>();

    static {
        PARAMETERS.put("tokensPerLanguage", "6_000");
        PARAMETERS.put("actProbTokensPerLanguage", "2_000");
        PARAMETERS.put("validationCharacters", "400");
        PARAMETERS.put("maxLength", "128");
        PARAMETERS.put("promptsPerLanguage", "2");
        PARAMETERS.put("newTokens", "6");
        PARAMETERS.put("maxSteps", "4");
        PARAMETERS.put("maxTest", "12");
    }

    @Test
    void everyNotebookRunsOnAnotherCheckpointByChangingOnlyItsParameterCell() throws Exception {
        NotebooksTest.delete(DIR);
        Path model = DIR.resolve("random-llama");
        writeModel(model);
        Path notebooks = DIR.resolve("notebooks");
        Files.createDirectories(notebooks);
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(NotebooksTest.ROOT.resolve("notebooks"))) {
            for (Path nb : s.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList()) {
                Files.writeString(notebooks.resolve(nb.getFileName()), withParameters(Files.readString(nb), model));
                names.add(nb.getFileName().toString());
            }
        }
        Path jupyter = DIR.resolve("jupyter");
        NotebooksTest.installKernel(jupyter);
        List<String> cmd = new ArrayList<>(List.of("bash", NotebooksTest.ROOT.resolve("env/run-notebooks.sh")
                .toString(), DIR.resolve("out").toString()));
        names.forEach(n -> cmd.add(notebooks.resolve(n).toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JUPYTER_PATH", jupyter.toString());
        pb.environment().put("KERNEL", "langneurons-test");
        pb.environment().put("TANG_MASKS", NotebooksTest.ROOT.resolve("../shared/fixtures/tang-neuron-masks")
                .normalize().toString());
        System.out.println(NotebooksTest.run(pb, 3600).strip());
        for (String name : names) {
            JsonObject executed = NotebooksTest.json(DIR.resolve("out").resolve(name));
            for (JsonElement c : executed.getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                if (cell.get("cell_type").getAsString().equals("code")) {
                    assertFalse(cell.get("execution_count").isJsonNull(), name + ": a cell did not run");
                    for (JsonElement o : cell.getAsJsonArray("outputs")) {
                        assertFalse(o.getAsJsonObject().get("output_type").getAsString().equals("error"),
                                name + ": " + o);
                        String text = NotebooksTest.text(o.getAsJsonObject());
                        assertFalse(text.contains("Exception") || text.contains("Compile error"), name + ": " + text);
                    }
                }
            }
        }
        // the notebooks did use that model: notebook 1 describes it
        String described = NotebooksTest.json(DIR.resolve("out").resolve(names.get(0))).toString();
        assertTrue(described.contains("8 layers x 344 neurons, hidden size 96, vocabulary 32,000"),
                "notebook 1 does not describe the 8-layer model");
    }

    /** A random Llama unlike the default in every dimension, written as a Hugging Face checkpoint. */
    static void writeModel(Path dir) throws Exception {
        Files.createDirectories(dir);
        JsonObject json = JsonParser.parseString("""
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 96,
                 "intermediate_size": 344, "num_hidden_layers": 8, "num_attention_heads": 6,
                 "num_key_value_heads": 2, "head_dim": 16, "vocab_size": 32000, "max_position_embeddings": 2048,
                 "rope_theta": 500000.0, "rms_norm_eps": 1e-5, "tie_word_embeddings": false,
                 "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu"}""").getAsJsonObject();
        Path config = dir.resolve("config.json");
        Files.writeString(config, json.toString());
        ModelConfig c = ModelConfig.read(config);
        Path tokenizer = Path.of("src/test/resources/tokenizers/llama2-style/tokenizer.json").toAbsolutePath();
        try (NDManager manager = NDManager.newBaseManager()) {
            LlamaCheckpointWriter.write(dir, c, LlamaParameters.initial(c, 7, manager), tokenizer);
        }
        assertEquals(8, ModelConfig.read(dir).layers());
    }

    /** The notebook with its parameter cell's model folder and budgets replaced, nothing else. */
    static String withParameters(String notebook, Path model) {
        JsonObject nb = JsonParser.parseString(notebook).getAsJsonObject();
        JsonArray cells = nb.getAsJsonArray("cells");
        for (JsonElement c : cells) {
            JsonObject cell = c.getAsJsonObject();
            String source = NotebooksTest.joinedSource(cell);
            if (!cell.get("cell_type").getAsString().equals("code") || !source.contains("String modelDir = ")) {
                continue;
            }
            source = source.replaceFirst("String modelDir = \"[^\"]*\";",
                    Matcher.quoteReplacement("String modelDir = \"" + model + "\";"));
            for (Map.Entry<String, String> p : PARAMETERS.entrySet()) {
                source = source.replaceFirst("((?:int|long) " + Pattern.quote(p.getKey()) + " = )[0-9_]+;",
                        "$1" + p.getValue() + ";");
            }
            JsonArray lines = new JsonArray();
            lines.add(new JsonPrimitive(source));
            cell.add("source", lines);
            return nb.toString();
        }
        throw new AssertionError("no parameter cell (with String modelDir = ...) in a notebook");
    }
}
