package org.langneurons.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SafetensorsWriter writes reads back through SafetensorsFile, in F32 exactly and in F16 rounded. */
class SafetensorsWriterTest {
    @Test
    void roundTripF32AndF16(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            // inserted out of order: the file sorts by name
            tensors.put("b.weight", m.create(new float[] {1.5f, -2.25f, 0.1f, 65504f, 1e-8f, 3f}, new Shape(2, 3)));
            tensors.put("a.bias", m.create(new float[] {0.5f}, new Shape(1)));
            for (DataType stored : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
                Path file = dir.resolve(stored + ".safetensors");
                SafetensorsWriter.write(file, tensors, Map.of("note", "test"), stored);
                assertEquals(0, Files.size(file) % 2);
                try (SafetensorsFile f = SafetensorsFile.open(file)) {
                    assertEquals(java.util.List.of("a.bias", "b.weight"), java.util.List.copyOf(f.entries().keySet()));
                    assertEquals("test", f.metadata().get("note"));
                    assertEquals(stored == DataType.FLOAT32 ? "F32" : "F16", f.entry("b.weight").dtype());
                    float[] back = f.read("b.weight", m, DataType.FLOAT32).toFloatArray();
                    float[] expected = stored == DataType.FLOAT32
                            ? new float[] {1.5f, -2.25f, 0.1f, 65504f, 1e-8f, 3f}
                            // F16: 0.1 rounds to 0.0999755859375; 1e-8 is below the smallest subnormal (5.96e-8): 0
                            : new float[] {1.5f, -2.25f, 0.0999755859375f, 65504f, 0f, 3f};
                    assertArrayEquals(expected, back);
                }
            }
        }
    }
}
