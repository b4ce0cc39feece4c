package org.langneurons.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hand-made torch.save archives for the hostile-input tests: a pickle written opcode by opcode (so that it can be
 * anything torch never writes) and its storages, as {@code archive/data.pkl} and {@code archive/data/KEY}.
 */
public final class TorchArchives {
    private TorchArchives() {
    }

    /** A protocol-2 pickle, built opcode by opcode. */
    public static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Pickle() {
            out.write(0x80);
            out.write(2);
        }

        /** Raw opcodes and arguments. */
        public Pickle op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        public Pickle ops(String ascii) {
            out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        /** LONG1 with 8 bytes: any long. */
        public Pickle integer(long v) {
            out.write(0x8a);
            out.write(8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        public Pickle string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        /** A tuple of integers. */
        public Pickle ints(long... values) {
            op('(');
            for (long v : values) {
                integer(v);
            }
            return op('t');
        }

        /**
         * {@code torch._utils._rebuild_tensor_v2(storage KEY of TYPE and NUMEL elements, offset, shape, stride,
         * False, OrderedDict())}, as torch.save writes a tensor.
         */
        public Pickle tensor(String type, String key, long numel, long offset, long[] shape, long[] stride) {
            ops("ctorch._utils\n_rebuild_tensor_v2\n(");
            op('(');
            string("storage").ops("ctorch\n" + type + "\n").string(key).string("cpu").integer(numel);
            op('t', 'Q');
            integer(offset).ints(shape).ints(stride).op(0x89);
            ops("ccollections\nOrderedDict\n").op(')', 'R');
            return op('t', 'R');
        }

        /** A list over languages of lists over layers: {@code [[body]]}. */
        public static Pickle masks(java.util.function.Consumer<Pickle> body) {
            Pickle p = new Pickle().op(']', '(', ']', '(');
            body.accept(p);
            return p.op('e', 'e');
        }

        public byte[] bytes() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.write('.');
            return copy.toByteArray();
        }
    }

    /** Writes {@code pickle} and the storages (entries {@code data/KEY}, stored) as a torch.save archive. */
    public static Path write(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        storages.forEach((k, v) -> entries.put("archive/data/" + k, v));
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (var e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setMethod(ZipEntry.STORED);
                z.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                z.setCrc(crc.getValue());
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    /**
     * Writes {@code entries} deflated, then makes the central directory claim {@code declared} bytes for entry
     * {@code lying}: a zip bomb's lie, without writing gigabytes.
     */
    public static Path writeDeflatedClaiming(Path file, Map<String, byte[]> entries, String lying, long declared)
            throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        byte[] target = lying.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (int i = 0; i + 46 <= all.length; i++) {
            if (b.getInt(i) == 0x02014b50 && b.getShort(i + 28) == target.length
                    && new String(all, i + 46, target.length, StandardCharsets.UTF_8).equals(lying)) {
                b.putInt(i + 24, (int) declared);         // the central directory's uncompressed size
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no central directory record of " + lying);
        }
        Files.write(file, all);
        return file;
    }

    /** Little-endian int64 values, as a LongStorage holds them. */
    public static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
