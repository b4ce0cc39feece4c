package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.langneurons.Fixtures.floats;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.Fixtures;

/** RoPE frequencies and ALiBi slopes against the values transformers used, and hand-computed cases. */
class ConstantsTest {
    static Stream<Path> ropeCheckpoints() {
        return Stream.of(Fixtures.parity("llama"), Fixtures.parity("qwen2"),
                Fixtures.resource("fixtures/mistral-headdim"), Fixtures.resource("fixtures/llama31-bf16-sharded"));
    }

    @ParameterizedTest
    @MethodSource("ropeCheckpoints")
    void inverseFrequenciesEqualTransformers(Path dir) {
        JsonObject ref = Fixtures.json(dir.resolve("reference.json"));
        ModelConfig c = ModelConfig.read(dir);
        float[] expected = floats(ref.getAsJsonObject("rope").get("inv_freq"));
        float[] got = c.ropeScaling().inverseFrequencies(c.headDim(), c.ropeTheta());
        assertEquals(expected.length, got.length);
        for (int j = 0; j < got.length; j++) {
            assertEquals(expected[j], got[j], Math.abs(expected[j]) * 1e-6, "frequency " + j);
        }
    }

    @Test
    void llama31ScalingBandsByHand() {
        // Llama 3.1 8B: theta 500000, head_dim 128, factor 8, low 1, high 4, original context 8192.
        RopeScaling s = new RopeScaling(RopeScaling.Type.LLAMA3, 8, 1, 4, 8192);
        float[] f = s.inverseFrequencies(128, 500000);
        assertEquals(1.0f, f[0], 0, "wavelength 2 pi < 2048: kept");
        double base63 = Math.pow(500000, -126.0 / 128);
        assertEquals(base63 / 8, f[63], base63 * 1e-6, "wavelength > 8192: divided by 8");
        // j = 40: wavelength 2 pi / 500000^(-80/128) = 22910.6 > 8192: divided by 8
        double base40 = Math.pow(500000, -80.0 / 128);
        assertEquals(base40 / 8, f[40], base40 * 1e-6);
        // j = 30: wavelength 2 pi / 500000^(-60/128) = 2948.3, between 2048 and 8192: blended with
        // smooth = (8192 / 2948.3 - 1) / 3 = 0.59285
        double base30 = Math.pow(500000, -60.0 / 128);
        double smooth = (8192 / (2 * Math.PI / base30) - 1) / 3;
        assertEquals(0.59285, smooth, 1e-4);
        assertEquals((1 - smooth) * base30 / 8 + smooth * base30, f[30], base30 * 1e-6);
    }

    @Test
    void alibiSlopesEqualTransformers() {
        JsonObject ref = Fixtures.json(Fixtures.parity("bloom").resolve("reference.json"));
        assertArrayEquals(floats(ref.getAsJsonObject("alibi").get("slopes")), BloomDecoder.alibiSlopes(4));
    }

    @Test
    void alibiSlopesForHeadCountsNotAPowerOfTwo() {
        // 6 heads: p = 4, base 2^-2 -> 1/4, 1/16, 1/64, 1/256; then 2^-1 to the powers 1 and 3.
        assertArrayEquals(new float[] {0.25f, 0.0625f, 0.015625f, 0.00390625f, 0.5f, 0.125f},
                BloomDecoder.alibiSlopes(6));
        // 8 heads: base 2^-1 -> 1/2 ... 1/256
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f, 0.0625f, 0.03125f, 0.015625f, 0.0078125f, 0.00390625f},
                BloomDecoder.alibiSlopes(8));
    }
}
