package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.langneurons.Fixtures;

/** Projections: x W^T + b by hand, adapters added to the output, and each block's projections by short name. */
class ProjectionTest {

    @Test
    void appliesWeightAndBiasAsComputedByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            // W = [[1, 2], [3, 4], [5, 6]], b = [10, 20, 30]; x = [1, -1] -> [1-2+10, 3-4+20, 5-6+30]
            Projection p = new Projection(m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2)),
                    m.create(new float[] {10, 20, 30}));
            assertArrayEquals(new float[] {9, 19, 29}, p.apply(m.create(new float[] {1, -1}, new Shape(1, 2)))
                    .toFloatArray());
            assertEquals(3, p.outFeatures());
            assertEquals(2, p.inFeatures());
            Projection noBias = new Projection(p.weight(), null);
            assertArrayEquals(new float[] {-1, -1, -1}, noBias.apply(m.create(new float[] {1, -1}, new Shape(1, 2)))
                    .toFloatArray());
        }
    }

    @Test
    void anAdapterAddsItsOutputAndLeavesTheOriginalUnchanged() {
        try (NDManager m = NDManager.newBaseManager()) {
            Projection p = new Projection(m.randomNormal(new Shape(8, 4)), m.randomNormal(new Shape(8)));
            NDArray x = m.randomNormal(new Shape(2, 3, 4));
            // a rank-1 LoRA-like delta: B (A x) * alpha / r with A [1, 4], B [8, 1]
            NDArray a = m.randomNormal(new Shape(1, 4));
            NDArray b = m.randomNormal(new Shape(8, 1));
            Projection.Adapter lora = in -> in.matMul(a.transpose()).matMul(b.transpose()).mul(2f);
            Projection tuned = p.withAdapter(lora);
            assertNull(p.adapter(), "withAdapter returns a copy");
            assertSame(p.weight(), tuned.weight(), "the copy shares the weights");
            NDArray expected = p.apply(x).add(lora.apply(x));
            assertArrayEquals(expected.toFloatArray(), tuned.apply(x).toFloatArray());
            assertEquals(new Shape(2, 3, 8), tuned.apply(x).getShape());
            assertArrayEquals(p.apply(x).toFloatArray(), tuned.withAdapter(null).apply(x).toFloatArray());
        }
    }

    @Test
    void shapesAreChecked() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> new Projection(m.ones(new Shape(4)), null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Projection(m.ones(new Shape(3, 2)), m.ones(new Shape(2))));
            assertTrue(e.getMessage().contains("[3]"), e.getMessage());
        }
    }

    static Stream<Arguments> architectures() {
        // hidden 64, 4 heads of 16 (Llama and Qwen2: 2 key/value heads), 176 neurons (BLOOM: 4 * 64)
        return Stream.of(
                Arguments.of("llama", Map.of("q", "(64, 64)", "k", "(32, 64)", "v", "(32, 64)", "o", "(64, 64)",
                        "gate", "(176, 64)", "up", "(176, 64)", "down", "(64, 176)"), List.of()),
                Arguments.of("qwen2", Map.of("q", "(64, 64)", "k", "(32, 64)", "v", "(32, 64)", "o", "(64, 64)",
                        "gate", "(176, 64)", "up", "(176, 64)", "down", "(64, 176)"), List.of("q", "k", "v")),
                Arguments.of("bloom", Map.of("qkv", "(192, 64)", "o", "(64, 64)", "gate", "(256, 64)",
                        "down", "(64, 256)"), List.of("qkv", "o", "gate", "down")));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void everyBlockNamesItsProjections(String name, Map<String, String> shapes, List<String> withBias) {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity(name))) {
            for (DecoderBlock block : model.blocks()) {
                assertEquals(shapes.keySet(), block.projections().keySet());
                shapes.forEach((projection, shape) -> {
                    Projection p = block.projection(projection);
                    assertEquals(shape, p.weight().getShape().toString(), name + " " + projection);
                    assertEquals(withBias.contains(projection), p.bias() != null, name + " " + projection + " bias");
                    assertNull(p.adapter());
                });
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> block.projection("w1"));
                assertTrue(e.getMessage().contains(String.join(", ", block.projections().keySet())), e.getMessage());
            }
        }
    }
}
