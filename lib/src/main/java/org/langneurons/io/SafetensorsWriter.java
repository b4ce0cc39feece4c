package org.langneurons.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes float32 tensors as one {@code .safetensors} file, tensors sorted by name, header padded to 8 bytes, so the
 * same tensors always give the same bytes. The file is written beside its destination and moved into place, so a
 * crash never leaves a truncated file under the final name.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    private static float[] values(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray widened = a.toType(DataType.FLOAT32, false)) {
            return widened.toFloatArray();
        }
    }

    /** Writes {@code tensors} (any float dtype, stored as F32) with {@code metadata} to {@code file}. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        SortedMap<String, NDArray> sorted = new TreeMap<>(tensors);
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        metadata.forEach(meta::addProperty);
        header.add("__metadata__", meta);
        long offset = 0;
        for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
            NDArray a = e.getValue();
            if (!a.getDataType().isFloating()) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' is " + a.getDataType()
                        + ": only float tensors are written");
            }
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += a.size() * 4;
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(e.getKey(), entry);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(json);
            out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            for (NDArray a : sorted.values()) {
                float[] values = values(a);
                ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(values);
                out.write(data.array());
            }
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be written: " + e, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be moved into place: " + e, e);
        }
    }
}
