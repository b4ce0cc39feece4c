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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes tensors as one {@code .safetensors} file, tensors sorted by name, header padded to 8 bytes, so the same
 * tensors always give the same bytes. Model weights are stored as F32 or F16; host arrays ({@link HostTensor}) as
 * F64, F32 or I64, for statistics that must survive a save exactly. The file is written beside its destination and
 * moved into place, so a crash never leaves a truncated file under the final name.
 *
 * <pre>{@code
 * try (NDManager m = NDManager.newBaseManager()) {
 *     NDArray w = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
 *     SafetensorsWriter.write(dir.resolve("w.safetensors"), Map.of("w", w), Map.of("note", "example"),
 *             DataType.FLOAT16);
 * }
 * }</pre>
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /**
     * A tensor held on the host: its safetensors dtype, shape and little-endian bytes.
     *
     * <pre>{@code
     * SafetensorsWriter.writeHost(dir.resolve("counts.safetensors"),
     *         Map.of("count", SafetensorsWriter.HostTensor.of(new long[] {3, 4}, 2)), Map.of());
     * }</pre>
     */
    public record HostTensor(String dtype, long[] shape, byte[] data) {
        public HostTensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n * SafetensorsDtype.byteWidth(dtype) != data.length) {
                throw new IllegalArgumentException(dtype + " tensor of shape " + java.util.Arrays.toString(shape)
                        + " needs " + n * SafetensorsDtype.byteWidth(dtype) + " bytes, got " + data.length);
            }
        }

        private static ByteBuffer buffer(int bytes) {
            return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** An F64 tensor. */
        public static HostTensor of(double[] values, long... shape) {
            ByteBuffer b = buffer(values.length * 8);
            b.asDoubleBuffer().put(values);
            return new HostTensor("F64", shape, b.array());
        }

        /** An F32 tensor. */
        public static HostTensor of(float[] values, long... shape) {
            ByteBuffer b = buffer(values.length * 4);
            b.asFloatBuffer().put(values);
            return new HostTensor("F32", shape, b.array());
        }

        /** An I64 tensor. */
        public static HostTensor of(long[] values, long... shape) {
            ByteBuffer b = buffer(values.length * 8);
            b.asLongBuffer().put(values);
            return new HostTensor("I64", shape, b.array());
        }
    }

    /** {@code a} as a host tensor stored as {@code stored} (FLOAT32 or FLOAT16, rounded to nearest even). */
    private static HostTensor host(String name, NDArray a, DataType stored) {
        if (!a.getDataType().isFloating()) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + a.getDataType()
                    + ": only float tensors are written");
        }
        try (NDArray converted = a.getDataType() == stored ? null : a.toType(stored, false)) {
            // the engine's order is the host's: little-endian on x86 and ARM
            ByteBuffer data = (converted == null ? a : converted).toByteBuffer();
            byte[] out = new byte[data.remaining()];
            data.get(out);
            return new HostTensor(stored == DataType.FLOAT32 ? "F32" : "F16", a.getShape().getShape(), out);
        }
    }

    /** Writes {@code tensors} (any float dtype) as F32 with {@code metadata} to {@code file}. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        write(file, tensors, metadata, DataType.FLOAT32);
    }

    /**
     * Writes {@code tensors} (any float dtype) stored as {@code stored}: FLOAT32, or FLOAT16 (rounded to nearest
     * even by the engine) to halve the file.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata,
            DataType stored) {
        if (stored != DataType.FLOAT32 && stored != DataType.FLOAT16) {
            throw new IllegalArgumentException("tensors are stored as FLOAT32 or FLOAT16, not " + stored);
        }
        Map<String, HostTensor> host = new LinkedHashMap<>();
        tensors.forEach((name, a) -> host.put(name, host(name, a, stored)));
        writeHost(file, host, metadata);
    }

    /** Writes host tensors with {@code metadata} to {@code file}. */
    public static void writeHost(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        SortedMap<String, HostTensor> sorted = new TreeMap<>(tensors);
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        metadata.forEach(meta::addProperty);
        header.add("__metadata__", meta);
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : sorted.entrySet()) {
            HostTensor t = e.getValue();
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", t.dtype());
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += t.data().length;
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
            for (HostTensor t : sorted.values()) {
                out.write(t.data());
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
