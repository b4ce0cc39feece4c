package org.langneurons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options parsed into types at the edge: a bad value is a usage error (exit 2) that names the option. */
class OptionsTest {
    @Test
    void badValuesAreUsageErrorsNamingTheOption(@TempDir Path dir) {
        String out = dir.resolve("x.json").toString();
        var method = CliTest.run("identify", "--stats", dir.toString(), "--method", "nope", "--out", out);
        assertEquals(2, method.status(), method.toString());
        assertTrue(method.err().contains("Invalid value for option '--method': expected lape, lape-mondal, actprob, "
                + "random, got 'nope'"), method.err());
        var value = CliTest.run("ppl-change", "--model", "default", "--neurons", out, "--value", "median", "--out",
                dir.toString());
        assertEquals(2, value.status(), value.toString());
        assertTrue(value.err().contains("Invalid value for option '--value': unknown statistic 'median'"),
                value.err());
        var mode = CliTest.run("stats", "--model", "default", "--percentiles", "weird", "--out", dir.toString());
        assertEquals(2, mode.status(), mode.toString());
        assertTrue(mode.err().contains("expected batch-mean, sketch, none, got 'weird'"), mode.err());
        var aggregation = CliTest.run("stats", "--model", "default", "--aggregation", "mean", "--out",
                dir.toString());
        assertEquals(2, aggregation.status(), aggregation.toString());
        assertTrue(aggregation.err().contains("Invalid value for option '--aggregation': aggregation must be pooled "
                + "or batch-mean, got mean"), aggregation.err());
        var perDocFull = CliTest.run("stats", "--model", "default", "--per-document", "--full-windows-only", "--out",
                dir.toString());
        assertEquals(2, perDocFull.status(), perDocFull.toString());
        assertTrue(perDocFull.err().contains("fullWindowsOnly"), perDocFull.err());
        var positions = CliTest.run("generate", "--model", "default", "--prompt", "x", "--positions", "sideways");
        assertEquals(2, positions.status(), positions.toString());
        assertTrue(positions.err().contains("'--positions'"), positions.err());
        var langs = CliTest.run("stats", "--model", "default", "--langs", "en,x/y", "--out", dir.toString());
        assertEquals(2, langs.status(), langs.toString());
        assertTrue(langs.err().contains("--langs: 'x/y' is not a language code"), langs.err());
        var noNeurons = CliTest.run("steer", "--model", "default", "--from", "en", "--to", "fr");
        assertEquals(2, noNeurons.status(), noNeurons.toString());
        assertTrue(noNeurons.err().contains("Missing required option: '--neurons=FILE'"), noNeurons.err());
    }

    @Test
    void helpTextsAreWellFormed() {
        for (String command : new String[] {"stats", "identify", "ppl-change", "steer", "generate", "perplexity"}) {
            var help = CliTest.run(command, "--help");
            assertEquals(0, help.status(), help.toString());
            // picocli warns on stderr about a lone % in a description (it is a format string)
            assertFalse(help.err().contains("Could not format"), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: langneurons " + command), help.out());
        }
    }
}
