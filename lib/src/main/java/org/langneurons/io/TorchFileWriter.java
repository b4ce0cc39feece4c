package org.langneurons.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes plain data as {@code torch.save} does (the zip format of PyTorch 1.6 and later, pickle protocol 2), so that
 * {@code torch.load(f, weights_only=True)} reads it: lists, dicts with string keys, integers, strings and int64
 * tensors ({@link TorchFile.Tensor} of a {@code LongStorage}). The pickle is byte for byte what {@code torch.save}
 * writes for the same value (tested); the archive has the same records, 64-byte aligned, less the random
 * {@code .data/serialization_id}, so the same value always gives the same file.
 *
 * <pre>{@code
 * TorchFile.Tensor idx = new TorchFile.Tensor("LongStorage", new long[] {2}, new long[] {3, 17}, null);
 * TorchFileWriter.write(Path.of("masks.pth"), List.of(List.of(idx)));   // torch.load gives [[tensor([3, 17])]]
 * }</pre>
 */
public final class TorchFileWriter {
    private TorchFileWriter() {
    }

    /** The archive's top folder; torch.save names it after the file, and readers accept any name. */
    private static final String PREFIX = "archive/";
    private static final int ALIGNMENT = 64;

    /**
     * Writes {@code value} to {@code file} (through a temporary file, so a failed write leaves no partial file).
     *
     * @throws IllegalArgumentException naming the value that cannot be written (e.g. a float tensor)
     */
    public static void write(Path file, Object value) {
        Pickler p = new Pickler();
        p.save(value);
        byte[] pickle = p.finish();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writeArchive(out, pickle, p.storages);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be written: " + e.getMessage(), e);
        }
    }

    /** The records in torch.save's order: data.pkl, format and byte order, the storages, the version. */
    private static void writeArchive(OutputStream sink, byte[] pickle, List<long[]> storages) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", pickle);
        records.put(".format_version", ascii("1"));
        records.put(".storage_alignment", ascii(String.valueOf(ALIGNMENT)));
        records.put("byteorder", ascii("little"));
        for (int s = 0; s < storages.size(); s++) {
            ByteBuffer b = ByteBuffer.allocate(storages.get(s).length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(storages.get(s));
            records.put("data/" + s, b.array());
        }
        records.put("version", ascii("3\n"));
        CountingStream counted = new CountingStream(sink);
        try (ZipOutputStream zip = new ZipOutputStream(counted, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                String name = PREFIX + r.getKey();
                byte[] data = r.getValue();
                ZipEntry e = new ZipEntry(name);
                e.setMethod(ZipEntry.STORED);          // uncompressed, as torch writes (and can memory-map)
                e.setSize(data.length);
                e.setCompressedSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                e.setCrc(crc.getValue());
                e.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));   // fixed: the same value gives the same bytes
                // pad the local header's extra field ("FB" + 'Z's, as torch) so the data starts 64-byte aligned
                long headerEnd = counted.count + 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
                int pad = (int) ((ALIGNMENT - headerEnd % ALIGNMENT) % ALIGNMENT);
                byte[] extra = new byte[4 + pad];
                extra[0] = 'F';
                extra[1] = 'B';
                extra[2] = (byte) pad;
                extra[3] = (byte) (pad >>> 8);
                java.util.Arrays.fill(extra, 4, extra.length, (byte) 'Z');
                e.setExtra(extra);
                zip.putNextEntry(e);
                zip.write(data);
                zip.closeEntry();
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Counts the bytes written, to place each entry's data on the alignment. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /**
     * Python's pickler at protocol 2 as torch.save drives it: every list, dict, string, non-empty tuple, global and
     * reduce result is memoised (BINPUT), repeated strings and globals are fetched from the memo (BINGET), and lists
     * and dicts are filled in batches of 1000 (APPEND / SETITEM for a single item).
     */
    private static final class Pickler {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<String, Integer> memoByValue = new LinkedHashMap<>();   // globals and shared strings
        private int memoSize;
        final List<long[]> storages = new ArrayList<>();

        Pickler() {
            out.write(0x80);                     // PROTO 2
            out.write(2);
        }

        byte[] finish() {
            out.write('.');                      // STOP
            return out.toByteArray();
        }

        void save(Object v) {
            if (v instanceof List<?> list) {
                saveList(list);
            } else if (v instanceof Map<?, ?> map) {
                saveDict(map);
            } else if (v instanceof Long || v instanceof Integer) {
                saveInt(((Number) v).longValue());
            } else if (v instanceof String s) {
                saveString(s);
            } else if (v instanceof TorchFile.Tensor t) {
                saveTensor(t);
            } else {
                throw new IllegalArgumentException("cannot write " + (v == null ? "null" : "a "
                        + v.getClass().getSimpleName()) + " to a torch file: only lists, dicts with string keys, "
                        + "integers, strings and int64 tensors are written");
            }
        }

        private void saveList(List<?> list) {
            out.write(']');                      // EMPTY_LIST
            put();
            batches(list.size(), j -> save(list.get(j)), 'a', 'e');
        }

        private void saveDict(Map<?, ?> map) {
            out.write('}');                      // EMPTY_DICT
            put();
            List<? extends Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            batches(entries.size(), j -> {
                if (!(entries.get(j).getKey() instanceof String key)) {
                    throw new IllegalArgumentException("dict key " + entries.get(j).getKey()
                            + " is not a string: only string keys are written");
                }
                saveString(key);
                save(entries.get(j).getValue());
            }, 's', 'u');
        }

        /** Python's _batch_appends / _batch_setitems: one item alone, else MARK items in batches of 1000. */
        private void batches(int n, java.util.function.IntConsumer item, char single, char many) {
            for (int from = 0; from < n; from += 1000) {
                int to = Math.min(n, from + 1000);
                if (to - from == 1) {
                    item.accept(from);
                    out.write(single);
                } else {
                    out.write('(');              // MARK
                    for (int j = from; j < to; j++) {
                        item.accept(j);
                    }
                    out.write(many);
                }
            }
        }

        private void saveInt(long v) {
            if (v >= 0 && v <= 0xFF) {
                out.write('K');                  // BININT1
                out.write((int) v);
            } else if (v >= 0 && v <= 0xFFFF) {
                out.write('M');                  // BININT2
                out.write((int) v & 0xFF);
                out.write((int) (v >>> 8) & 0xFF);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write('J');                  // BININT
                writeInt((int) v);
            } else {
                out.write(0x8a);                 // LONG1: 8 bytes suffice for any long
                byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
                int n = 8;                       // the shortest two's complement, as Python's encode_long
                while (n > 1 && (b[n - 1] == 0 && b[n - 2] >= 0 || b[n - 1] == -1 && b[n - 2] < 0)) {
                    n--;
                }
                out.write(n);
                out.write(b, 0, n);
            }
        }

        private void saveString(String s) {
            writeUnicode(s);
            put();                   // a fresh string object: memoised, never fetched again
        }

        /** A string that torch passes as one shared object ("storage", "cpu"): written once, then fetched. */
        private void saveShared(String s) {
            Integer at = memoByValue.get("str:" + s);
            if (at != null) {
                get(at);
                return;
            }
            writeUnicode(s);
            memoByValue.put("str:" + s, put());
        }

        private void writeUnicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');                      // BINUNICODE
            writeInt(b.length);
            out.write(b, 0, b.length);
        }

        private void global(String module, String name) {
            Integer at = memoByValue.get("global:" + module + "." + name);
            if (at != null) {
                get(at);
                return;
            }
            out.write('c');                      // GLOBAL
            byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
            out.write(b, 0, b.length);
            memoByValue.put("global:" + module + "." + name, put());
        }

        /** {@code torch._utils._rebuild_tensor_v2(storage, 0, shape, stride, False, OrderedDict())}. */
        private void saveTensor(TorchFile.Tensor t) {
            if (!"LongStorage".equals(t.storage()) || t.longs() == null) {
                throw new IllegalArgumentException("cannot write " + t + ": only int64 (LongStorage) tensors are "
                        + "written");
            }
            long[] shape = t.shape();
            if (t.numel() != t.longs().length) {
                throw new IllegalArgumentException(t + " holds " + t.longs().length + " values, its shape "
                        + t.numel());
            }
            long[] stride = new long[shape.length];  // contiguous, row-major
            long s = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                stride[d] = s;
                s *= shape[d];
            }
            int key = storages.size();
            storages.add(t.longs().clone());
            global("torch._utils", "_rebuild_tensor_v2");
            out.write('(');                      // MARK: the arguments
            out.write('(');                      // MARK: the persistent id
            saveShared("storage");
            global("torch", "LongStorage");
            saveString(String.valueOf(key));
            saveShared("cpu");
            saveInt(t.longs().length);
            out.write('t');                      // TUPLE
            put();
            out.write('Q');                      // BINPERSID
            saveInt(0);                          // storage offset
            saveTuple(shape);
            saveTuple(stride);
            out.write(0x89);                     // NEWFALSE: requires_grad
            global("collections", "OrderedDict");
            out.write(')');                      // EMPTY_TUPLE
            out.write('R');                      // REDUCE: OrderedDict() (backward hooks)
            put();
            out.write('t');                      // TUPLE
            put();
            out.write('R');                      // REDUCE: the tensor
            put();
        }

        private void saveTuple(long[] v) {
            if (v.length == 0) {
                out.write(')');                  // EMPTY_TUPLE: not memoised
                return;
            }
            if (v.length > 3) {
                out.write('(');
            }
            for (long x : v) {
                saveInt(x);
            }
            out.write(v.length > 3 ? 't' : 0x84 + v.length);   // TUPLE or TUPLE1..3
            put();
        }

        /** Memoises the object just written (BINPUT, or LONG_BINPUT past 255); returns its memo index. */
        private int put() {
            int at = memoSize++;
            if (at < 256) {
                out.write('q');
                out.write(at);
            } else {
                out.write('r');
                writeInt(at);
            }
            return at;
        }

        private void get(int at) {
            if (at < 256) {
                out.write('h');                  // BINGET
                out.write(at);
            } else {
                out.write('j');                  // LONG_BINGET
                writeInt(at);
            }
        }

        private void writeInt(int v) {
            out.write(v & 0xFF);
            out.write((v >>> 8) & 0xFF);
            out.write((v >>> 16) & 0xFF);
            out.write((v >>> 24) & 0xFF);
        }
    }
}
