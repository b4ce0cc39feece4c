package org.langneurons.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code .safetensors} file, read memory-mapped: the header is parsed and checked when the file is opened, and a
 * tensor's bytes are mapped and copied to the device only when it is read, in windows of at most {@link #WINDOW}
 * bytes, so files and tensors larger than 2 GiB load without a second copy of the weights on the heap.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}), then the
 * raw little-endian row-major data; offsets are relative to the end of the header.
 *
 * <pre>{@code
 * try (SafetensorsFile file = SafetensorsFile.open(Path.of("model.safetensors"));
 *      NDManager manager = NDManager.newBaseManager()) {
 *     NDArray w = file.read("lm_head.weight", manager, DataType.FLOAT32);
 * }
 * }</pre>
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The largest byte range mapped and copied at once. */
    static final long WINDOW = 256L << 20;
    private static final long MAX_HEADER = 100L << 20;

    /** A tensor's entry in the header: its dtype name as written, shape, and absolute byte range in the file. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        /** Number of elements (1 for a scalar); {@link ArithmeticException} if it overflows 64 bits. */
        public long numel() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        /** The shape as a DJL {@link Shape}. */
        public Shape djlShape() {
            return new Shape(shape);
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Opens and checks a safetensors file: header length within the file, valid JSON, every entry with a dtype, a
     * shape whose element count matches its byte range, and offsets inside the data section.
     *
     * @throws CheckpointException naming the file (and the tensor) when any check fails
     */
    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot open safetensors file: " + e, e);
        }
        try {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointException(path, "truncated safetensors file: " + size
                        + " bytes, expected at least 8 (the header length)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new CheckpointException(path, "header length " + Long.toUnsignedString(headerLength)
                        + " is past the end of the file (" + size + " bytes) or out of range"
                        + " (truncated or not a safetensors file)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(path, json, dataStart, size, metadata);
            return new SafetensorsFile(path, channel, entries, metadata);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CheckpointException(path, "cannot read safetensors header: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static Map<String, Entry> parseHeader(Path path, String json, long dataStart, long size,
            Map<String, String> metadata) {
        JsonObject root;
        try {
            root = StrictJson.object(json.strip());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new CheckpointException(path, "header is " + (m.startsWith("key ") ? "invalid: tensor "
                    + m.substring(4) : m), e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (!e.getValue().isJsonObject()) {
                    throw new CheckpointException(path, "__metadata__ is " + e.getValue()
                            + ", expected an object of strings");
                }
                for (var m : e.getValue().getAsJsonObject().entrySet()) {
                    if (!m.getValue().isJsonPrimitive() || !m.getValue().getAsJsonPrimitive().isString()) {
                        throw new CheckpointException(path, "__metadata__ field '" + m.getKey() + "' is "
                                + m.getValue() + ", expected a string (safetensors metadata maps strings to strings)");
                    }
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            entries.put(name, parseEntry(path, name, e.getValue(), dataStart, size));
        }
        requireDisjoint(path, entries.values(), dataStart);
        return Collections.unmodifiableMap(entries);
    }

    /** Two tensors must not share bytes: writing one would change the other, and no writer produces that. */
    private static void requireDisjoint(Path path, java.util.Collection<Entry> entries, long dataStart) {
        List<Entry> byBegin = entries.stream().filter(x -> x.end() > x.begin())
                .sorted(java.util.Comparator.comparingLong(Entry::begin)).toList();
        for (int i = 1; i < byBegin.size(); i++) {
            Entry a = byBegin.get(i - 1), b = byBegin.get(i);
            if (b.begin() < a.end()) {
                throw new CheckpointException(path, "tensors '" + a.name() + "' and '" + b.name()
                        + "' overlap: their data_offsets [" + (a.begin() - dataStart) + ", "
                        + (a.end() - dataStart) + ") and [" + (b.begin() - dataStart) + ", "
                        + (b.end() - dataStart) + ") share bytes");
            }
        }
    }

    private static Entry parseEntry(Path path, String name, JsonElement value, long dataStart, long size) {
        String where = "tensor '" + name + "'";
        try {
            JsonObject o = value.getAsJsonObject();
            String dtype = o.get("dtype").getAsString();
            var shapeJson = o.getAsJsonArray("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                if (shapeJson.get(i).isJsonPrimitive() && shapeJson.get(i).getAsJsonPrimitive().isNumber()
                        && shapeJson.get(i).getAsString().startsWith("-")) {
                    throw new CheckpointException(path, where + " has a negative dimension in shape " + shapeJson);
                }
                shape[i] = exact(path, where, shapeJson.get(i), "shape[" + i + "] of " + shapeJson);
            }
            var offsets = o.getAsJsonArray("data_offsets");
            if (offsets.size() != 2) {
                throw new CheckpointException(path, where + ": data_offsets must hold [begin, end], got " + offsets);
            }
            long begin = exact(path, where, offsets.get(0), "data_offsets[0]");
            long end = exact(path, where, offsets.get(1), "data_offsets[1]");
            // end > size - dataStart, not dataStart + end > size: offsets near 2^63 must not wrap around.
            if (begin < 0 || end < begin || end > size - dataStart) {
                throw new CheckpointException(path, where + ": data_offsets [" + begin + ", " + end
                        + "] out of range: the data section holds " + (size - dataStart) + " bytes");
            }
            Entry entry = new Entry(name, dtype, shape, dataStart + begin, dataStart + end);
            int width = SafetensorsDtype.byteWidth(dtype);
            long bytes;
            try {
                // An element count that overflows would otherwise wrap to a small span (even 0) and pass the check.
                bytes = Math.multiplyExact(entry.numel(), (long) Math.max(width, 1));
            } catch (ArithmeticException overflow) {
                throw new CheckpointException(path, where + " has shape " + shapeJson
                        + " with too many elements (the product overflows 64 bits)");
            }
            if (width > 0 && bytes != end - begin) {
                throw new CheckpointException(path, where + " of dtype " + dtype + " and shape " + shapeJson
                        + " needs " + bytes + " bytes, but data_offsets span " + (end - begin));
            }
            return entry;
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(path, where + ": malformed header entry " + value
                    + " (expected {\"dtype\", \"shape\", \"data_offsets\"})", e);
        }
    }

    /** A non-negative integer of the header, exactly (512.5 is not 512, 2^64 does not wrap). */
    private static long exact(Path path, String where, JsonElement e, String field) {
        try {
            return StrictJson.exactLong(e, field, 0, Long.MAX_VALUE);
        } catch (IllegalArgumentException bad) {
            throw new CheckpointException(path, where + ": " + bad.getMessage());
        }
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** Every tensor entry, in header order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** The {@code __metadata__} strings of the header (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The entry of {@code name}, or a {@link CheckpointException} naming the file and tensor. */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new CheckpointException(path, "no tensor named '" + name + "'");
        }
        return e;
    }

    /**
     * Reads one tensor onto {@code manager}'s device as {@code target} (FLOAT32 or FLOAT16). BF16 data is widened to
     * float32 on the host while reading, so no bfloat16 array is ever created (DJL aborts on those). On the CPU the
     * array may be a view of the file's read-only memory mapping: writing into it in place crashes the JVM, so copy it
     * ({@code duplicate()}; {@code toType} to the same dtype is no copy) before training it.
     */
    public NDArray read(String name, NDManager manager, DataType target) {
        Entry e = entry(name);
        SafetensorsDtype dtype = SafetensorsDtype.of(path, e);
        if (target != DataType.FLOAT32 && target != DataType.FLOAT16) {
            throw new IllegalArgumentException("weights load as FLOAT32 or FLOAT16, not " + target);
        }
        Shape shape = e.djlShape();
        long rows = shape.dimension() == 0 ? 1 : shape.get(0);
        long rowBytes = rows == 0 ? 0 : (e.end() - e.begin()) / rows;
        long rowsPerWindow = rowBytes == 0 ? rows : Math.max(1, WINDOW / rowBytes);
        if (rowsPerWindow >= rows) {
            return readRows(e, dtype, 0, rows, manager, target);
        }
        // Large tensors: fill a preallocated array window by window, so only one window is ever duplicated.
        NDArray out = manager.zeros(shape, target);
        for (long r = 0; r < rows; r += rowsPerWindow) {
            long n = Math.min(rowsPerWindow, rows - r);
            try (NDManager scratch = manager.newSubManager()) {
                out.set(new NDIndex("{}:{}", r, r + n), readRows(e, dtype, r, n, scratch, target));
            }
        }
        return out;
    }

    /** The values of an F64 tensor of {@code count} elements, on the host. */
    public double[] readF64(String name, long count) {
        double[] out = new double[(int) count];
        hostBytes(name, "F64", count).asDoubleBuffer().get(out);
        return out;
    }

    /** The values of an F32 tensor of {@code count} elements, on the host. */
    public float[] readF32(String name, long count) {
        float[] out = new float[(int) count];
        hostBytes(name, "F32", count).asFloatBuffer().get(out);
        return out;
    }

    /** The values of an I64 tensor of {@code count} elements, on the host. */
    public long[] readI64(String name, long count) {
        long[] out = new long[(int) count];
        hostBytes(name, "I64", count).asLongBuffer().get(out);
        return out;
    }

    private ByteBuffer hostBytes(String name, String dtype, long count) {
        Entry e = entry(name);
        if (!e.dtype().equals(dtype) || e.numel() != count) {
            throw new CheckpointException(path, "tensor '" + name + "' is " + e.dtype() + " with "
                    + e.numel() + " elements " + java.util.Arrays.toString(e.shape()) + ", expected " + dtype
                    + " with " + count);
        }
        if (e.end() - e.begin() > Integer.MAX_VALUE) {
            throw new CheckpointException(path, "tensor '" + name + "' is too large to read onto the host");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, e.begin(), e.end() - e.begin())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new CheckpointException(path, "cannot map tensor '" + name + "': " + ex, ex);
        }
    }

    /** Rows {@code [firstRow, firstRow + rowCount)} of a tensor (the whole of a scalar). */
    private NDArray readRows(Entry e, SafetensorsDtype dtype, long firstRow, long rowCount, NDManager manager,
            DataType target) {
        Shape shape = e.djlShape();
        boolean scalar = shape.dimension() == 0;
        Shape partShape = scalar ? shape : new Shape(rowCount).addAll(shape.slice(1));
        long rowBytes = scalar || shape.get(0) == 0 ? 0 : (e.end() - e.begin()) / shape.get(0);
        long start = e.begin() + firstRow * rowBytes;
        long length = scalar ? e.end() - e.begin() : rowCount * rowBytes;
        MappedByteBuffer mapped;
        try {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
        } catch (IOException ex) {
            throw new CheckpointException(path, "cannot map tensor '" + e.name() + "': " + ex, ex);
        }
        mapped.order(ByteOrder.LITTLE_ENDIAN);
        NDArray array = switch (dtype) {
            case F32 -> manager.create(mapped, partShape, DataType.FLOAT32);
            case F16 -> manager.create(mapped, partShape, DataType.FLOAT16);
            case BF16 -> manager.create(widenBf16(mapped.asShortBuffer()), partShape, DataType.FLOAT32);
        };
        return array.getDataType() == target ? array : array.toType(target, false);
    }

    /** bfloat16 is the upper half of a float32: shifting the bits left by 16 widens it exactly. */
    private static FloatBuffer widenBf16(ShortBuffer in) {
        FloatBuffer out = ByteBuffer.allocateDirect(in.remaining() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        while (in.hasRemaining()) {
            out.put(Float.intBitsToFloat((in.get() & 0xFFFF) << 16));
        }
        out.flip();
        return out;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing; the first error is the one to report.
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
