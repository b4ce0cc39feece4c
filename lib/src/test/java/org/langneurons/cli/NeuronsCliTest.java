package org.langneurons.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.Fixtures;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.TangFiles;
import org.langneurons.stats.ActivationStatistics;

/** The statistics and neuron commands end to end: stats, identify, neurons import and show. */
class NeuronsCliTest {
    static String tang(String name) {
        return Fixtures.resource("fixtures/tang/" + name).toString();
    }

    @Test
    void importsPublishedMasks(@TempDir Path dir) {
        Path out = dir.resolve("llama2.json");
        var r = CliTest.run("neurons", "import", "--tang-masks",
                Fixtures.shared().resolve("fixtures/tang-neuron-masks/LLaMA-2-7B.neuron.pth").toString(),
                "--neurons-per-layer", "11008", "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("tang-masks: 3523 unique neurons of 32 x 11008"), r.toString());
        NeuronSet s = NeuronSet.load(out);
        assertEquals(1022, s.count("fr"));
        var show = CliTest.run("neurons", "show", out.toString());
        assertTrue(show.out().lines().anyMatch(l -> l.startsWith("vi") && l.contains(" 836 ")), show.toString());
        var bad = CliTest.run("neurons", "import", "--tang-masks", tang("masks.pth"), "--out", out.toString());
        assertEquals(2, bad.status(), bad.toString());
        assertTrue(bad.err().contains("give exactly one of --neurons-per-layer and --model"), bad.toString());
    }

    @Test
    void exportsANeuronSetAsTangMasks(@TempDir Path dir) {
        String json = Fixtures.resource("fixtures/tang-export/export.json").toString();
        Path out = dir.resolve("x.neuron.pth");
        var r = CliTest.run("neurons", "export", json, "--tang-masks", out.toString(), "--langs", "zh,en");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("languages in order: zh,en"), r.toString());
        NeuronSet back = TangFiles.readMasks(out, List.of("zh", "en"), 11008);
        NeuronSet expected = NeuronSet.load(Path.of(json));
        assertArrayEquals(expected.neurons("en", 0), back.neurons("en", 0));
        assertArrayEquals(new int[] {42}, back.neurons("zh", 3));
        assertEquals(303, back.uniqueCount());
        var bad = CliTest.run("neurons", "export", json, "--tang-masks", out.toString(), "--langs", "en,vi");
        assertEquals(2, bad.status(), bad.toString());
        assertTrue(bad.err().contains("[vi] not in"), bad.toString());
    }

    @Test
    void identifiesFromTangActivationFiles(@TempDir Path dir) {
        Path out = dir.resolve("n.json");
        var r = CliTest.run("identify", "--tang-activations", tang("activation.en.pt") + "," + tang("activation.fr.pt"),
                "--langs", "en,fr", "--method", "lape-mondal", "--top-rate", "0.3", "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("en", "fr"), NeuronSet.load(out).languages());
        var bad = CliTest.run("identify", "--tang-activations", tang("activation.en.pt"), "--langs", "en,fr",
                "--out", out.toString());
        assertEquals(1, bad.status(), bad.toString());
        assertTrue(bad.err().startsWith("error: 1 activation files for 2 languages"), bad.toString());
        var evil = CliTest.run("identify", "--tang-activations", tang("evil.pt"), "--langs", "en",
                "--out", out.toString());
        assertEquals(1, evil.status(), evil.toString());
        assertTrue(evil.err().contains("refusing to load global posix.system"), evil.toString());
    }

    @Test
    void statsThenIdentifyOnTheDefaultModel(@TempDir Path dir) throws Exception {
        // user text in both formats
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus);
        var embedded = org.langneurons.corpus.Corpus.openDefault();
        Files.write(corpus.resolve("en.txt"),
                embedded.documents("en", org.langneurons.corpus.Split.IDENTIFICATION).subList(0, 60));
        List<String> fr = embedded.documents("fr", org.langneurons.corpus.Split.IDENTIFICATION).subList(0, 60);
        Files.write(corpus.resolve("fr.jsonl"),
                fr.stream().map(t -> "{\"text\": " + new com.google.gson.Gson().toJson(t) + "}").toList());
        Path stats = dir.resolve("stats");
        String[] args = {"stats", "--model", "default", "--corpus", corpus.toString(), "--langs", "en,fr",
            "--tokens-per-lang", "3000", "--max-length", "128", "--relevance", "90", "--checkpoint-every", "2",
            "--out", stats.toString(), "--quiet"};
        var r = CliTest.run(args);
        assertEquals(0, r.status(), r.toString());
        ActivationStatistics en = ActivationStatistics.load(stats.resolve("en.safetensors"));
        assertTrue(en.tokens() > 0 && en.tokens() <= 3000, en.toString());
        assertTrue(ActivationStatistics.load(stats.resolve("fr.relevance.safetensors")).hasRelevance());
        // packed by default: the 30 documents of the first half (all within the budget), each followed by EOS;
        // --per-document counts the same documents without the 30 EOS tokens
        assertEquals("packed", en.info().get("windows"));
        Path perDoc = dir.resolve("per-document");
        var pd = CliTest.run("stats", "--model", "default", "--corpus", corpus.toString(), "--langs", "en",
                "--tokens-per-lang", "3000", "--max-length", "128", "--relevance", "90", "--out", perDoc.toString(),
                "--quiet", "--per-document");
        assertEquals(0, pd.status(), pd.toString());
        ActivationStatistics enPerDoc = ActivationStatistics.load(perDoc.resolve("en.safetensors"));
        assertEquals("per-document", enPerDoc.info().get("windows"));
        assertEquals(en.tokens() - 30, enPerDoc.tokens(), en + " vs " + enPerDoc);
        // finished languages are read back, not recomputed: the same files, the same table
        var again = CliTest.run(args);
        assertEquals(r.out(), again.out());
        Path lape = dir.resolve("lape.json");
        var id = CliTest.run("identify", "--stats", stats.toString(), "--langs", "en,fr", "--out", lape.toString());
        assertEquals(0, id.status(), id.toString());
        NeuronSet s = NeuronSet.load(lape);
        assertEquals(4, s.layers());
        assertEquals(28, s.uniqueCount());               // round(0.01 * 4 * 688) = round(27.52)
        Path act = dir.resolve("actprob.json");
        var ap = CliTest.run("identify", "--stats", stats.toString(), "--langs", "en,fr", "--method", "actprob",
                "--out", act.toString());
        assertEquals(0, ap.status(), ap.toString());
        assertEquals(3, NeuronSet.load(act).count("en"));  // round(0.00125 * 2752) = round(3.44)
        var badTensor = CliTest.run("stats", "--model", "default", "--tensor", "up", "--out", stats.toString());
        assertEquals(2, badTensor.status(), badTensor.toString());
        assertTrue(badTensor.err().contains("unknown tensor 'up'"), badTensor.toString());
    }

    @Test
    void pplChangeSteerAndGenerateWithInterventions(@TempDir Path dir) throws Exception {
        Path neurons = dir.resolve("n.json");
        // neurons for en and fr, written by hand
        new NeuronSet("hand", java.util.Map.of(), List.of("en", "fr"), 4, 688, java.util.Map.of(
                "en", new int[][] {{}, {}, {}, {1, 2, 3, 4, 5, 6, 7, 8}},
                "fr", new int[][] {{10, 11, 12, 13}, {}, {}, {10, 11, 12, 13, 14, 15, 16, 17}})).save(neurons);
        Path out = dir.resolve("ppxc");
        var r = CliTest.run("ppl-change", "--model", "default", "--neurons", neurons.toString(), "--max-chars",
                "600", "--random-draws", "2", "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        var json = com.google.gson.JsonParser.parseString(Files.readString(out.resolve("ppxc.json")))
                .getAsJsonObject();
        assertEquals(2, json.getAsJsonArray("ppxc").size());
        assertEquals("zero", json.get("value").getAsString());
        assertEquals(2, json.getAsJsonObject("random_control").get("draws").getAsInt());
        assertTrue(Files.readString(out.resolve("ppxc.html")).contains("Plotly.relayout"));
        // a corpus directory as `corpus build` writes it (here: the embedded one's files) is read at its
        // validation split, as the embedded default is; its identification split would give other perplexities
        Path built = Path.of("src/main/resources/org/langneurons/default/corpus");
        Path outBuilt = dir.resolve("ppxc-built");
        var fromDir = CliTest.run("ppl-change", "--model", "default", "--neurons", neurons.toString(),
                "--corpus", built.toString(), "--max-chars", "600", "--random-draws", "0", "--out",
                outBuilt.toString());
        assertEquals(0, fromDir.status(), fromDir.toString());
        assertEquals(json.get("baseline_ppl"), com.google.gson.JsonParser.parseString(
                Files.readString(outBuilt.resolve("ppxc.json"))).getAsJsonObject().get("baseline_ppl"));
        var noStats = CliTest.run("ppl-change", "--model", "default", "--neurons", neurons.toString(), "--value",
                "mean", "--out", out.toString());
        assertEquals(1, noStats.status(), noStats.toString());
        assertTrue(noStats.err().contains("--value mean is a statistic: give --stats DIR"), noStats.toString());

        Path prompts = dir.resolve("prompts.txt");
        Files.write(prompts, List.of("The file", "Click the button"));
        var s = CliTest.run("steer", "--model", "default", "--neurons", neurons.toString(), "--from", "en", "--to",
                "fr", "--value", "3", "--prompts", prompts.toString(), "--max-new-tokens", "8");
        assertEquals(0, s.status(), s.toString());
        assertTrue(s.out().lines().anyMatch(l -> l.matches("en\\s+\\d\\.\\d\\d->\\d\\.\\d\\d")), s.toString());
        // source x target: both languages both ways, the diagonal left out; default prompts (validation openings)
        var table = CliTest.run("steer", "--model", "default", "--neurons", neurons.toString(), "--from", "all",
                "--to", "all", "--value", "3", "--prompts-per-language", "2", "--max-new-tokens", "6", "--markdown",
                "--show", "0");
        assertEquals(0, table.status(), table.toString());
        List<String> rows = table.out().lines().filter(l -> l.startsWith("| ")).toList();
        assertEquals(List.of("| from \\ to | en | fr |"), rows.subList(0, 1), table.toString());
        assertTrue(rows.get(1).matches("\\| en \\| - \\| \\d\\.\\d\\d->\\d\\.\\d\\d \\|"), table.toString());
        assertTrue(rows.get(2).matches("\\| fr \\| \\d\\.\\d\\d->\\d\\.\\d\\d \\| - \\|"), table.toString());
        var twoSources = CliTest.run("steer", "--model", "default", "--neurons", neurons.toString(), "--from",
                "en,fr", "--to", "fr", "--prompts", prompts.toString());
        assertEquals(2, twoSources.status(), twoSources.toString());
        assertTrue(twoSources.err().contains("--prompts needs exactly one --from language"), twoSources.toString());

        var plain = CliTest.run("generate", "--model", "default", "--prompt", "The file", "--max-new-tokens", "8",
                "--ignore-eos");
        var steered = CliTest.run("generate", "--model", "default", "--prompt", "The file", "--max-new-tokens", "8",
                "--ignore-eos",
                "--neurons", neurons.toString(), "--deactivate", "en", "--activate", "fr=100");
        assertEquals(0, steered.status(), steered.toString());
        assertTrue(!plain.out().equals(steered.out()), "the interventions change the continuation: " + plain.out());
        var bad = CliTest.run("generate", "--model", "default", "--prompt", "x", "--deactivate", "de",
                "--neurons", neurons.toString());
        assertEquals(1, bad.status(), bad.toString());
        assertTrue(bad.err().contains("language de is not in"), bad.toString());
    }
}
