package org.langneurons.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A restricted reader of {@code torch.save} files (the zip format of PyTorch 1.6 and later) that holds only
 * tensors, lists, tuples, dicts, strings, numbers, booleans and None. It interprets the pickle itself and calls no
 * code: a global other than the tensor-rebuilding functions, storage types and {@code OrderedDict} is refused, so a
 * file cannot execute anything.
 *
 * <pre>{@code
 * Object masks = TorchFile.read(Path.of("LLaMA-2-7B.neuron.pth"));   // List<List<TorchFile.Tensor>>
 * }</pre>
 *
 * <p>Values come back as {@code Long}, {@code Double}, {@code String}, {@code Boolean}, {@code null},
 * {@code List<Object>} (lists and tuples), {@code Map<Object, Object>} (dicts, in order) and {@link Tensor}.
 */
public final class TorchFile {
    private TorchFile() {
    }

    private static final Set<String> STORAGES = Set.of("LongStorage", "IntStorage", "ShortStorage", "CharStorage",
            "ByteStorage", "BoolStorage", "FloatStorage", "DoubleStorage", "HalfStorage");

    /**
     * A tensor read from the file, its values widened to long (integer and boolean dtypes) or double (float dtypes).
     *
     * @param storage the storage type, e.g. {@code LongStorage}
     * @param shape   the tensor's shape
     * @param longs   values of an integer or boolean tensor, row-major (null for float tensors)
     * @param doubles values of a float tensor, row-major (null for integer tensors)
     */
    public record Tensor(String storage, long[] shape, long[] longs, double[] doubles) {
        /** Number of elements. */
        public long numel() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }

        /** The values as long (float values truncated are refused: call {@link #doubles} for those). */
        public long[] asLongs() {
            if (longs == null) {
                throw new IllegalArgumentException("a " + storage + " tensor holds floats, not integers");
            }
            return longs.clone();
        }

        @Override
        public String toString() {
            return "Tensor[" + storage + " " + Arrays.toString(shape) + "]";
        }
    }

    /** Reads the object saved in {@code file}; errors name the file and what is wrong. */
    public static Object read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = zip.stream().filter(e -> e.getName().endsWith("/data.pkl")
                    && e.getName().indexOf('/') == e.getName().length() - "/data.pkl".length()).findFirst()
                    .orElseThrow(() -> new CheckpointException(file, "is not a torch.save archive: no "
                            + "ARCHIVE/data.pkl inside"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String o = new String(zip.getInputStream(order).readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (!o.equals("little")) {
                    throw new CheckpointException(file, "stores tensors in " + o + "-endian byte order; only "
                            + "little-endian is read");
                }
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(pickle)) {
                bytes = in.readAllBytes();
            }
            return new Unpickler(file, zip, prefix, bytes).run();
        } catch (java.util.zip.ZipException e) {
            throw new CheckpointException(file, "is not a torch.save zip archive (" + e.getMessage()
                    + "); files written with _use_new_zipfile_serialization=False are not read", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private record Global(String module, String name) {
    }

    private record StorageRef(String type, String key, long numel) {
    }

    private static final Object MARK = new Object();

    /** The subset of the pickle machine that torch.save of plain data uses (protocol 2). */
    private static final class Unpickler {
        private final Path file;
        private final ZipFile zip;
        private final String prefix;
        private final ByteBuffer in;
        private final Deque<Object> stack = new ArrayDeque<>();
        private final Map<Long, Object> memo = new HashMap<>();
        private final Map<String, Object> storages = new HashMap<>();

        Unpickler(Path file, ZipFile zip, String prefix, byte[] bytes) {
            this.file = file;
            this.zip = zip;
            this.prefix = prefix;
            this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        private CheckpointException bad(String what) {
            return new CheckpointException(file, "data.pkl at byte " + in.position() + ": " + what);
        }

        private Object pop() {
            if (stack.isEmpty()) {
                throw bad("pickle stack underflow");
            }
            return stack.pop();
        }

        /** Items above the topmost mark, in order, and the mark removed. */
        private List<Object> popToMark() {
            List<Object> items = new ArrayList<>();
            while (true) {
                Object o = pop();
                if (o == MARK) {
                    break;
                }
                items.add(0, o);
            }
            return items;
        }

        private String line() {
            StringBuilder b = new StringBuilder();
            while (true) {
                byte c = in.get();
                if (c == '\n') {
                    return b.toString();
                }
                b.append((char) c);
            }
        }

        private String utf8(int n) {
            byte[] b = new byte[n];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        @SuppressWarnings("unchecked")
        Object run() {
            try {
                while (true) {
                    int op = in.get() & 0xFF;
                    switch (op) {
                        case 0x80 -> in.get();                                           // PROTO
                        case 0x95 -> in.getLong();                                       // FRAME
                        case ']' -> stack.push(new ArrayList<>());                       // EMPTY_LIST
                        case '}' -> stack.push(new LinkedHashMap<>());                   // EMPTY_DICT
                        case ')' -> stack.push(List.of());                               // EMPTY_TUPLE
                        case '(' -> stack.push(MARK);
                        case 'a' -> {                                                    // APPEND
                            Object v = pop();
                            ((List<Object>) stack.peek()).add(v);
                        }
                        case 'e' -> {                                                    // APPENDS
                            List<Object> items = popToMark();
                            ((List<Object>) stack.peek()).addAll(items);
                        }
                        case 's' -> {                                                    // SETITEM
                            Object v = pop(), k = pop();
                            ((Map<Object, Object>) stack.peek()).put(k, v);
                        }
                        case 'u' -> {                                                    // SETITEMS
                            List<Object> items = popToMark();
                            Map<Object, Object> d = (Map<Object, Object>) stack.peek();
                            for (int j = 0; j + 1 < items.size(); j += 2) {
                                d.put(items.get(j), items.get(j + 1));
                            }
                        }
                        case 't' -> stack.push(List.copyOf(nullSafe(popToMark())));     // TUPLE
                        case 0x85 -> stack.push(tuple(pop()));                           // TUPLE1
                        case 0x86 -> {                                                   // TUPLE2
                            Object b = pop(), a = pop();
                            stack.push(tuple(a, b));
                        }
                        case 0x87 -> {                                                   // TUPLE3
                            Object c = pop(), b = pop(), a = pop();
                            stack.push(tuple(a, b, c));
                        }
                        case 'q' -> memo.put((long) (in.get() & 0xFF), stack.peek());   // BINPUT
                        case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, stack.peek());  // LONG_BINPUT
                        case 0x94 -> memo.put((long) memo.size(), stack.peek());        // MEMOIZE
                        case 'h' -> stack.push(memoGet(in.get() & 0xFF));                // BINGET
                        case 'j' -> stack.push(memoGet(in.getInt() & 0xFFFFFFFFL));     // LONG_BINGET
                        case 'K' -> stack.push((long) (in.get() & 0xFF));                // BININT1
                        case 'M' -> stack.push((long) (in.getShort() & 0xFFFF));         // BININT2
                        case 'J' -> stack.push((long) in.getInt());                      // BININT
                        case 0x8a -> stack.push(long1());                                // LONG1
                        case 'G' -> stack.push(in.order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
                        case 0x88 -> stack.push(Boolean.TRUE);                           // NEWTRUE
                        case 0x89 -> stack.push(Boolean.FALSE);                          // NEWFALSE
                        case 'N' -> stack.push(NONE);
                        case 'X' -> stack.push(utf8(in.getInt()));                       // BINUNICODE
                        case 0x8c -> stack.push(utf8(in.get() & 0xFF));                  // SHORT_BINUNICODE
                        case 'c' -> stack.push(global(line(), line()));                  // GLOBAL
                        case 0x93 -> {                                                   // STACK_GLOBAL
                            Object name = pop(), module = pop();
                            stack.push(global(String.valueOf(module), String.valueOf(name)));
                        }
                        case 'Q' -> stack.push(persistent(pop()));                       // BINPERSID
                        case 'R' -> {                                                    // REDUCE
                            Object args = pop(), f = pop();
                            stack.push(reduce(f, args));
                        }
                        case '.' -> {                                                    // STOP
                            Object result = pop();
                            return result == NONE ? null : unwrap(result);
                        }
                        default -> throw bad(String.format("unsupported pickle opcode 0x%02x: not a file of tensors,"
                                + " lists and dicts", op));
                    }
                    // BINFLOAT switched the order: restore it
                    in.order(ByteOrder.LITTLE_ENDIAN);
                }
            } catch (java.nio.BufferUnderflowException e) {
                throw bad("truncated pickle");
            } catch (ClassCastException e) {
                throw bad("malformed pickle: " + e.getMessage());
            }
        }

        private Object memoGet(long key) {
            if (!memo.containsKey(key)) {
                throw bad("memo entry " + key + " was never stored");
            }
            return memo.get(key);
        }

        private long long1() {
            int n = in.get() & 0xFF;
            if (n > 8) {
                throw bad("integer of " + n + " bytes is too large");
            }
            long v = 0;
            for (int j = 0; j < n; j++) {
                v |= (in.get() & 0xFFL) << (8 * j);
            }
            if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
                v -= 1L << (8 * n);           // two's complement of n bytes
            }
            return v;
        }

        private Global global(String module, String name) {
            boolean allowed = module.equals("torch._utils") && name.equals("_rebuild_tensor_v2")
                    || module.equals("torch") && STORAGES.contains(name)
                    || module.equals("collections") && name.equals("OrderedDict");
            if (!allowed) {
                throw bad("refusing to load global " + module + "." + name + ": only tensors, lists, dicts and "
                        + "numbers are read (no code is run)");
            }
            return new Global(module, name);
        }

        private Object persistent(Object pid) {
            List<?> t = pid instanceof List<?> l ? l : null;
            if (t == null || t.size() < 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global g)) {
                throw bad("unexpected persistent id " + pid);
            }
            String key = String.valueOf(t.get(2));
            return new StorageRef(g.name(), key, ((Number) t.get(4)).longValue());
        }

        private Object reduce(Object f, Object args) {
            if (!(f instanceof Global g) || !(args instanceof List<?> a)) {
                throw bad("REDUCE of " + f + " is not supported");
            }
            if (g.name().equals("OrderedDict")) {
                return new LinkedHashMap<>();
            }
            if (g.name().equals("_rebuild_tensor_v2") && a.size() >= 4 && a.get(0) instanceof StorageRef s) {
                long offset = ((Number) a.get(1)).longValue();
                long[] shape = longs(a.get(2));
                long[] stride = longs(a.get(3));
                return tensor(s, offset, shape, stride);
            }
            throw bad("REDUCE of " + g.module() + "." + g.name() + " with " + args + " is not supported");
        }

        private long[] longs(Object o) {
            return ((List<?>) o).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
        }

        private Tensor tensor(StorageRef s, long offset, long[] shape, long[] stride) {
            int width = switch (s.type()) {
                case "LongStorage", "DoubleStorage" -> 8;
                case "IntStorage", "FloatStorage" -> 4;
                case "ShortStorage", "HalfStorage" -> 2;
                default -> 1;
            };
            ByteBuffer data = storageBytes(s, width);
            long numel = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
            if (numel > Integer.MAX_VALUE) {
                throw bad("tensor of " + numel + " elements is too large");
            }
            boolean floating = s.type().equals("FloatStorage") || s.type().equals("DoubleStorage")
                    || s.type().equals("HalfStorage");
            long[] longs = floating ? null : new long[(int) numel];
            double[] doubles = floating ? new double[(int) numel] : null;
            long[] index = new long[shape.length];
            for (int j = 0; j < numel; j++) {
                long pos = offset;
                for (int d = 0; d < shape.length; d++) {
                    pos += index[d] * stride[d];
                }
                if (pos < 0 || pos >= s.numel()) {
                    throw bad("tensor element at storage position " + pos + " is outside its storage of "
                            + s.numel());
                }
                int at = (int) (pos * width);
                switch (s.type()) {
                    case "LongStorage" -> longs[j] = data.getLong(at);
                    case "IntStorage" -> longs[j] = data.getInt(at);
                    case "ShortStorage" -> longs[j] = data.getShort(at);
                    case "CharStorage" -> longs[j] = data.get(at);
                    case "ByteStorage", "BoolStorage" -> longs[j] = data.get(at) & 0xFF;
                    case "DoubleStorage" -> doubles[j] = data.getDouble(at);
                    case "FloatStorage" -> doubles[j] = data.getFloat(at);
                    default -> doubles[j] = halfToFloat(data.getShort(at));
                }
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return new Tensor(s.type(), shape, longs, doubles);
        }

        /** IEEE 754 binary16 to float, exactly (Float.float16ToFloat is Java 20). */
        private static float halfToFloat(short h) {
            int sign = (h >>> 15) & 1, exp = (h >>> 10) & 0x1F, mant = h & 0x3FF;
            float v = exp == 0 ? mant * 0x1p-24f
                    : exp == 31 ? (mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN)
                    : (1 + mant / 1024f) * (float) Math.pow(2, exp - 15);
            return sign == 1 ? -v : v;
        }

        private ByteBuffer storageBytes(StorageRef s, int width) {
            Object cached = storages.get(s.key());
            if (cached instanceof ByteBuffer b) {
                return b;
            }
            ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
            if (e == null) {
                throw bad("storage " + s.key() + " is missing from the archive (data/" + s.key() + ")");
            }
            byte[] b;
            try (InputStream is = zip.getInputStream(e)) {
                b = is.readAllBytes();
            } catch (IOException ex) {
                throw new CheckpointException(file, "cannot read storage data/" + s.key() + ": " + ex, ex);
            }
            if (b.length < s.numel() * width) {
                throw bad("storage data/" + s.key() + " has " + b.length + " bytes, expected " + s.numel() * width);
            }
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            storages.put(s.key(), buf);
            return buf;
        }

        private static final Object NONE = new Object() {
            @Override
            public String toString() {
                return "None";
            }
        };

        private static List<Object> nullSafe(List<Object> items) {
            return items.stream().map(o -> o == null ? NONE : o).toList();
        }

        private static List<Object> tuple(Object... items) {
            return List.copyOf(nullSafe(Arrays.asList(items)));
        }

        /** Replaces the internal None marker by null, recursively. */
        @SuppressWarnings("unchecked")
        private static Object unwrap(Object o) {
            if (o == NONE) {
                return null;
            }
            if (o instanceof List<?> l) {
                List<Object> out = new ArrayList<>();
                l.forEach(x -> out.add(unwrap(x)));
                return out;
            }
            if (o instanceof Map<?, ?> m) {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(unwrap(k), unwrap(v)));
                return out;
            }
            return o;
        }
    }
}
