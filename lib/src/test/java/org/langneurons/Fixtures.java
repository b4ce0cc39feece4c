package org.langneurons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locations of test fixtures and helpers to read their reference JSON. */
public final class Fixtures {
    private Fixtures() {
    }

    /** {@code ../shared} beside the checkout (or {@code -Dlangneurons.shared}); tests skip when it is absent. */
    public static Path shared() {
        Path dir = Path.of(System.getProperty("langneurons.shared", "../../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            dir = Path.of("../shared").toAbsolutePath().normalize();
        }
        assumeTrue(Files.isDirectory(dir.resolve("fixtures")), "no shared fixtures at " + dir
                + " (clone the repository with shared/ beside it)");
        return dir;
    }

    /** A Hugging Face reference checkpoint of ../shared/fixtures/parity. */
    public static Path parity(String name) {
        return shared().resolve("fixtures/parity").resolve(name);
    }

    /** A fixture folder of this repository's test resources. */
    public static Path resource(String name) {
        try {
            var url = Fixtures.class.getResource("/" + name);
            assumeTrue(url != null, "missing test resource " + name);
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON file. */
    public static JsonObject json(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of integers. */
    public static long[] longs(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    /** A JSON array of numbers as floats. */
    public static float[] floats(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    /** Asserts element-wise |expected - actual| <= tolerance, reporting the worst index. */
    public static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            if (!(diff <= worst)) {
                worst = diff;
                at = i;
            }
        }
        if (worst > tolerance || Double.isNaN(worst)) {
            throw new AssertionError(what + ": max |diff| " + worst + " at " + at + " (expected " + expected[at]
                    + ", got " + actual[at] + "), tolerance " + tolerance);
        }
    }
}
