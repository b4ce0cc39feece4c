package org.langneurons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.report.Plotly;
import org.langneurons.stats.ActivationCounts;
import org.langneurons.stats.ActivationProbabilities;
import org.langneurons.stats.ActivationStatistics;

/**
 * Executes every notebook headless on the embedded default, exactly as the README's main command does
 * ({@code env/run-notebooks.sh}, rapaio-jupyter-kernel with this build's classes on its class path), then checks what
 * came out: no cell error, tables as HTML tables, the saved neuron set equal to LAPE recomputed from the saved
 * statistics, and, in headless Chromium, every Plotly figure of the exported pages drawn (a screenshot is kept in
 * target/notebooks). Needs what {@code bash env/setup.sh} installs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebooksTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path OUT = Path.of("target", "notebooks").toAbsolutePath();
    static final Path JUPYTER = Path.of("target", "jupyter").toAbsolutePath();
    List<Path> notebooks;

    @BeforeAll
    void executeAll() throws Exception {
        for (String tool : List.of("jupyter", "chromium")) {
            assertTrue(onPath(tool), tool + " is not installed: run bash env/setup.sh");
        }
        delete(OUT);
        installKernel(JUPYTER);
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("env/run-notebooks.sh").toString(),
                OUT.toString());
        pb.environment().put("JUPYTER_PATH", JUPYTER.toString());
        pb.environment().put("KERNEL", "langneurons-test");
        pb.environment().put("TANG_MASKS", ROOT.resolve("../shared/fixtures/tang-neuron-masks").normalize()
                .toString());
        System.out.println(run(pb, 3600).strip());
        try (Stream<Path> s = Files.list(ROOT.resolve("notebooks"))) {
            notebooks = s.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList();
        }
        assertEquals(8, notebooks.size(), "notebooks: " + notebooks);
    }

    /** Installs the kernel spec {@code langneurons-test} with this build's classes into {@code jupyter}/kernels. */
    static void installKernel(Path jupyter) throws Exception {
        Path cp = Path.of("target", "runtime-classpath.txt");
        assertTrue(Files.isRegularFile(cp), cp + " missing: the build writes it at generate-test-resources");
        // rapaio separates class path entries with ';'
        String classpath = Path.of("target", "classes").toAbsolutePath() + ";"
                + Files.readString(cp).strip().replace(File.pathSeparatorChar, ';');
        delete(jupyter);
        run(List.of("bash", ROOT.resolve("env/install-kernel.sh").toString(), "langneurons-test", classpath,
                jupyter.resolve("kernels").toString()), 600);
    }

    @Test
    void everyCellRanWithoutError() throws IOException {
        for (Path nb : notebooks) {
            String name = nb.getFileName().toString();
            JsonObject executed = json(OUT.resolve(name));
            int code = 0;
            for (JsonElement c : executed.getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                if (!cell.get("cell_type").getAsString().equals("code")) {
                    continue;
                }
                code++;
                assertFalse(cell.get("execution_count").isJsonNull(), name + ": a cell did not run");
                for (JsonElement o : cell.getAsJsonArray("outputs")) {
                    String type = o.getAsJsonObject().get("output_type").getAsString();
                    assertFalse(type.equals("error"), name + ": " + o);
                    String text = text(o.getAsJsonObject());
                    assertFalse(text.contains("Exception") || text.contains("Compile error"), name + ": " + text);
                }
            }
            assertTrue(code >= 5, name + " has " + code + " code cells");
            assertTrue(Files.isRegularFile(OUT.resolve(name.replace(".ipynb", ".html"))), name + " has no HTML");
        }
    }

    @Test
    void tablesAreHtmlTablesAndTheSavedNeuronsAreLapeOfTheSavedStatistics() throws IOException {
        JsonObject lapeNotebook = json(OUT.resolve("03-lape-neurons.ipynb"));
        String perLanguage = htmlOutputs(lapeNotebook).stream()
                .filter(h -> h.contains("<caption>lape: neurons per language</caption>")).findFirst()
                .orElseThrow(() -> new AssertionError("no HTML table of neurons per language in notebook 3"));
        assertEquals(16, count(perLanguage, "<tr><td>"), perLanguage);
        NeuronSet saved = NeuronSet.load(OUT.resolve("data/lape.json"));
        List<ActivationCounts> counts = new ArrayList<>();
        for (String lang : saved.languages()) {
            counts.add(ActivationStatistics.load(OUT.resolve("data/stats/" + lang + ".safetensors")).counts());
        }
        NeuronSet recomputed = Lape.tang(ActivationProbabilities.aboveZero(counts), Lape.Settings.defaults());
        assertEquals(recomputed, saved);
        for (String lang : saved.languages()) {
            assertTrue(perLanguage.contains("<tr><td>" + lang + "</td><td class=\"num\">" + saved.count(lang)
                    + "</td>"), lang + " row of " + perLanguage);
        }
        Path ppxc = OUT.resolve("data/ppxc-zero.json");
        JsonObject m = json(ppxc);
        assertEquals(16, m.getAsJsonArray("ppxc").size());
    }

    @Test
    void transferAndMaskedNotebooksSavedTheirCellsAndKeptFrozenNeuronsFrozen() throws IOException {
        JsonObject results = json(OUT.resolve("data/transfer/results.json"));
        assertTrue(results.getAsJsonArray("cells").size() >= 3, "cells: " + results);
        JsonObject masked = json(OUT.resolve("08-neuron-masked-lora.ipynb"));
        String printed = String.join("\n", textOutputs(masked));
        assertTrue(printed.contains("frozenChanged=0"), "the mask check: " + printed);
        assertTrue(!printed.contains("trainableChanged=0,") && printed.contains("trainableChanged="), printed);
    }

    @Test
    void figuresRenderOfflineInHeadlessChromium() throws Exception {
        Pattern div = Pattern.compile("<div id=\"(lnplot\\w+)\"");
        int figures = 0;
        for (Path nb : notebooks) {
            Path html = OUT.resolve(nb.getFileName().toString().replace(".ipynb", ".html"));
            String page = Files.readString(html);
            // plotly.js itself names cdn.plot.ly (a topojson default): what must not be there is a script from it
            assertFalse(Pattern.compile("<script[^>]*src=\"[^\"]*plot\\.ly").matcher(page).find(),
                    html + " loads plotly from a CDN");
            List<String> ids = new ArrayList<>();
            Matcher mt = div.matcher(page);
            while (mt.find()) {
                ids.add(mt.group(1));
            }
            if (ids.isEmpty()) {
                continue;
            }
            assertTrue(page.contains("plotly.js v" + Plotly.VERSION), html + " does not embed plotly.js");
            String dom = chromium(List.of("--virtual-time-budget=20000", "--dump-dom", html.toUri().toString()));
            for (String id : ids) {
                // plotly marks a div it has drawn into with the class js-plotly-plot
                assertTrue(Pattern.compile("<div id=\"" + id + "\" class=\"[^\"]*js-plotly-plot").matcher(dom)
                        .find(), id + " in " + html + " was not drawn");
            }
            figures += ids.size();
        }
        assertTrue(figures >= 10, "only " + figures + " figures in the notebooks");
        Path shot = OUT.resolve("05-perplexity-change.png");
        chromium(List.of("--virtual-time-budget=20000", "--window-size=1200,3000", "--screenshot=" + shot,
                OUT.resolve("05-perplexity-change.html").toUri().toString()));
        assertTrue(Files.size(shot) > 50_000, "screenshot " + shot + " is " + Files.size(shot) + " bytes");
    }

    private static String chromium(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory("chromium");
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "chromium did not finish: " + cmd);
        delete(profile);
        return out;
    }

    private static List<String> htmlOutputs(JsonObject nb) {
        List<String> out = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonArray outputs = c.getAsJsonObject().getAsJsonArray("outputs");
            if (outputs == null) {
                continue;
            }
            for (JsonElement o : outputs) {
                JsonObject data = o.getAsJsonObject().getAsJsonObject("data");
                if (data != null && data.has("text/html")) {
                    out.add(joined(data.get("text/html")));
                }
            }
        }
        return out;
    }

    private static List<String> textOutputs(JsonObject nb) {
        List<String> out = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonArray outputs = c.getAsJsonObject().getAsJsonArray("outputs");
            if (outputs != null) {
                outputs.forEach(o -> out.add(text(o.getAsJsonObject())));
            }
        }
        return out;
    }

    /** A cell's source as one string (stored as a string or as a list of lines). */
    static String joinedSource(JsonObject cell) {
        return joined(cell.get("source"));
    }

    static String text(JsonObject output) {
        if (output.has("text")) {
            return joined(output.get("text"));
        }
        JsonObject data = output.getAsJsonObject("data");
        return data != null && data.has("text/plain") ? joined(data.get("text/plain")) : "";
    }

    private static String joined(JsonElement e) {
        if (e.isJsonPrimitive()) {
            return e.getAsString();
        }
        StringBuilder b = new StringBuilder();
        e.getAsJsonArray().forEach(x -> b.append(x.getAsString()));
        return b.toString();
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static JsonObject json(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static String run(List<String> cmd, int seconds) throws Exception {
        return run(new ProcessBuilder(cmd), seconds);
    }

    static String run(ProcessBuilder pb, int seconds) throws Exception {
        Path log = Files.createTempFile("notebooks", ".log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        String out = Files.readString(log);
        Files.delete(log);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, String.join(" ", pb.command()) + " failed:\n" + out);
        return out;
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
