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
import java.util.IdentityHashMap;
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

    /** Nesting deeper than this is refused: torch.save of tensors, lists and dicts never comes near it. */
    static final int MAX_DEPTH = 1000;

    /**
     * Values (counted with repetition, as the caller will walk them) past which a file is refused: memo references
     * can make a small pickle stand for an exponentially large tree.
     */
    static final long MAX_VALUES = 50_000_000;

    /** Reads the object saved in {@code file}; errors name the file, the archive entry and what is wrong. */
    public static Object read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = zip.stream().filter(e -> e.getName().endsWith("/data.pkl")
                    && e.getName().indexOf('/') == e.getName().length() - "/data.pkl".length()).findFirst()
                    .orElseThrow(() -> new CheckpointException(file, "is not a torch.save archive: no "
                            + "ARCHIVE/data.pkl inside"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            long fileSize = java.nio.file.Files.size(file);
            if (order != null) {
                String o = new String(entryBytes(file, zip, order, fileSize, 64), StandardCharsets.US_ASCII).strip();
                if (!o.equals("little")) {
                    throw new CheckpointException(file, "entry " + order.getName() + ": stores tensors in " + o
                            + "-endian byte order; only little-endian is read");
                }
            }
            byte[] bytes = entryBytes(file, zip, pickle, fileSize, -1);
            return new Unpickler(file, zip, pickle.getName(), prefix, fileSize, bytes).run();
        } catch (java.util.zip.ZipException e) {
            throw new CheckpointException(file, "is not a torch.save zip archive (" + e.getMessage()
                    + "); files written with _use_new_zipfile_serialization=False are not read", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The bytes of one archive entry, its size bounded before anything is allocated: the size its header declares
     * must be known, fit a Java array and the free heap (and {@code expected} when that is not -1; a stored entry
     * cannot be larger than the file), and the entry must inflate to exactly that size (a zip bomb lies about it).
     */
    static byte[] entryBytes(Path file, ZipFile zip, ZipEntry e, long fileSize, long expected) throws IOException {
        long declared = e.getSize();
        String name = "entry " + e.getName();
        if (declared < 0) {
            throw new CheckpointException(file, name + " does not declare its size");
        }
        if (expected >= 0 && declared > expected) {
            throw new CheckpointException(file, name + " declares " + declared + " bytes, expected at most "
                    + expected);
        }
        if (e.getMethod() == ZipEntry.STORED && declared > fileSize) {
            throw new CheckpointException(file, name + " declares " + declared + " bytes, more than the file's "
                    + fileSize);
        }
        requireMemory(file, name, declared);
        byte[] b = new byte[(int) declared];
        try (InputStream in = zip.getInputStream(e)) {
            int n = in.readNBytes(b, 0, b.length);
            if (n < declared) {
                throw new CheckpointException(file, name + " holds " + n + " bytes, its header declares " + declared);
            }
            if (in.read() >= 0) {
                throw new CheckpointException(file, name + " inflates past the " + declared
                        + " bytes its header declares");
            }
        }
        return b;
    }

    /** Refuses to allocate {@code bytes} that do not fit a Java array or the heap left, rather than run out of it. */
    static void requireMemory(Path file, String what, long bytes) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > Integer.MAX_VALUE - 8 || bytes > free) {
            throw new CheckpointException(file, what + " needs " + bytes + " bytes, more than "
                    + (bytes > Integer.MAX_VALUE - 8 ? "a Java array holds" : "the " + free
                    + " bytes of heap left (-Xmx)"));
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
        private final String entry;
        private final String prefix;
        private final long fileSize;
        private final ByteBuffer in;
        private final Deque<Object> stack = new ArrayDeque<>();
        private final Map<Long, Object> memo = new HashMap<>();
        private final Map<String, ByteBuffer> storages = new HashMap<>();
        private long values;

        Unpickler(Path file, ZipFile zip, String entry, String prefix, long fileSize, byte[] bytes) {
            this.file = file;
            this.zip = zip;
            this.entry = entry;
            this.prefix = prefix;
            this.fileSize = fileSize;
            this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        private CheckpointException bad(String what) {
            return new CheckpointException(file, "entry " + entry + " at byte " + in.position() + ": " + what);
        }

        private Object pop() {
            if (stack.isEmpty()) {
                throw bad("pickle stack underflow");
            }
            return stack.pop();
        }

        private Object top() {
            if (stack.isEmpty()) {
                throw bad("pickle stack underflow");
            }
            return stack.peek();
        }

        @SuppressWarnings("unchecked")
        private List<Object> topList() {
            if (!(top() instanceof ArrayList<?> l)) {
                throw bad("appending to " + describe(top()) + ", not a list");
            }
            return (List<Object>) l;
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> topDict() {
            if (!(top() instanceof LinkedHashMap<?, ?> d)) {
                throw bad("setting an item of " + describe(top()) + ", not a dict");
            }
            return (Map<Object, Object>) d;
        }

        /** Dict keys are hashed: only flat values, so that a hostile key (a list holding itself) cannot recurse. */
        private Object key(Object k) {
            if (k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean
                    || k == NONE) {
                return k;
            }
            throw bad("dict key " + describe(k) + ": only strings, numbers, booleans and None are read as keys");
        }

        /** Items above the topmost mark, in order, and the mark removed. */
        private List<Object> popToMark() {
            List<Object> items = new ArrayList<>();
            while (true) {
                Object o = pop();
                if (o == MARK) {
                    break;
                }
                items.add(o);
            }
            java.util.Collections.reverse(items);
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

        private String utf8(long n) {
            if (n < 0 || n > in.remaining()) {
                throw bad("string of " + n + " bytes, but " + in.remaining() + " bytes are left in the pickle");
            }
            byte[] b = new byte[(int) n];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

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
                            topList().add(v);
                        }
                        case 'e' -> {                                                    // APPENDS
                            List<Object> items = popToMark();
                            topList().addAll(items);
                        }
                        case 's' -> {                                                    // SETITEM
                            Object v = pop(), k = key(pop());
                            topDict().put(k, v);
                        }
                        case 'u' -> {                                                    // SETITEMS
                            List<Object> items = popToMark();
                            Map<Object, Object> d = topDict();
                            for (int j = 0; j + 1 < items.size(); j += 2) {
                                d.put(key(items.get(j)), items.get(j + 1));
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
                        case 'q' -> memo.put((long) (in.get() & 0xFF), top());          // BINPUT
                        case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, top());         // LONG_BINPUT
                        case 0x94 -> memo.put((long) memo.size(), top());               // MEMOIZE
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
                        case 'X' -> stack.push(utf8(in.getInt() & 0xFFFFFFFFL));        // BINUNICODE
                        case 0x8c -> stack.push(utf8(in.get() & 0xFF));                  // SHORT_BINUNICODE
                        case 'c' -> stack.push(global(line(), line()));                  // GLOBAL
                        case 0x93 -> {                                                   // STACK_GLOBAL
                            Object name = pop(), module = pop();
                            if (!(module instanceof String m) || !(name instanceof String n)) {
                                throw bad("STACK_GLOBAL of " + describe(module) + " and " + describe(name));
                            }
                            stack.push(global(m, n));
                        }
                        case 'Q' -> stack.push(persistent(pop()));                       // BINPERSID
                        case 'R' -> {                                                    // REDUCE
                            Object args = pop(), f = pop();
                            stack.push(reduce(f, args));
                        }
                        case '.' -> {                                                    // STOP
                            Object result = pop();
                            return result == NONE ? null : unwrap(result, 0, new IdentityHashMap<>());
                        }
                        default -> throw bad(String.format("unsupported pickle opcode 0x%02x: not a file of tensors,"
                                + " lists and dicts", op));
                    }
                    // BINFLOAT switched the order: restore it
                    in.order(ByteOrder.LITTLE_ENDIAN);
                }
            } catch (java.nio.BufferUnderflowException e) {
                throw bad("truncated pickle");
            } catch (CheckpointException e) {
                throw e;
            } catch (RuntimeException e) {
                // a shape this reader did not foresee still gets an error naming the file and the entry
                throw bad("malformed pickle: " + e);
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
            if (t == null || t.size() < 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global g)
                    || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel)) {
                throw bad("unexpected persistent id " + describe(pid)
                        + ", expected ('storage', TYPE, KEY, LOCATION, NUMEL)");
            }
            if (numel < 0) {
                throw bad("storage " + key + " of " + numel + " elements");
            }
            return new StorageRef(g.name(), key, numel);
        }

        private Object reduce(Object f, Object args) {
            if (!(f instanceof Global g) || !(args instanceof List<?> a)) {
                throw bad("REDUCE of " + describe(f) + " is not supported");
            }
            if (g.name().equals("OrderedDict")) {
                return new LinkedHashMap<>();
            }
            if (g.name().equals("_rebuild_tensor_v2") && a.size() >= 4 && a.get(0) instanceof StorageRef s) {
                if (!(a.get(1) instanceof Long offset)) {
                    throw bad("tensor of storage " + s.key() + ": offset " + describe(a.get(1))
                            + " is not an integer");
                }
                long[] shape = longs(a.get(2), "shape", s);
                long[] stride = longs(a.get(3), "stride", s);
                return tensor(s, offset, shape, stride);
            }
            throw bad("REDUCE of " + g.module() + "." + g.name() + " with " + describe(args) + " is not supported");
        }

        private long[] longs(Object o, String what, StorageRef s) {
            if (!(o instanceof List<?> l) || l.size() > 64 || !l.stream().allMatch(x -> x instanceof Long)) {
                throw bad("tensor of storage " + s.key() + ": " + what + " " + describe(o)
                        + " is not a tuple of at most 64 integers");
            }
            return l.stream().mapToLong(x -> (Long) x).toArray();
        }

        private Tensor tensor(StorageRef s, long offset, long[] shape, long[] stride) {
            String where = "tensor of storage " + prefix + "data/" + s.key() + " with shape " + Arrays.toString(shape)
                    + " and stride " + Arrays.toString(stride);
            if (shape.length != stride.length) {
                throw bad(where + ": shape and stride differ in length");
            }
            int width = switch (s.type()) {
                case "LongStorage", "DoubleStorage" -> 8;
                case "IntStorage", "FloatStorage" -> 4;
                case "ShortStorage", "HalfStorage" -> 2;
                default -> 1;
            };
            // every size is checked exactly (no wrap-around) before anything is allocated
            long numel = 1;
            long last = offset;                         // the largest storage position an element reads
            try {
                if (offset < 0) {
                    throw bad(where + ": negative storage offset " + offset);
                }
                for (int d = 0; d < shape.length; d++) {
                    if (shape[d] < 0 || stride[d] < 0) {
                        throw bad(where + ": negative " + (shape[d] < 0 ? "dimension " + shape[d]
                                : "stride " + stride[d]));
                    }
                    numel = Math.multiplyExact(numel, shape[d]);
                }
                if (numel > 0) {
                    for (int d = 0; d < shape.length; d++) {
                        last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
                    }
                    if (last >= s.numel()) {
                        throw bad(where + ": its last element lies at storage position " + last
                                + ", outside its storage of " + s.numel() + " elements");
                    }
                }
                Math.multiplyExact(s.numel(), (long) width);
            } catch (ArithmeticException e) {
                throw bad(where + ": its size overflows 64 bits");
            }
            if (numel > Integer.MAX_VALUE - 8) {
                throw bad(where + ": " + numel + " elements are too many to read");
            }
            countValues(numel);
            requireMemory(file, "entry " + entry + ": " + where, numel * 8);
            ByteBuffer data = numel == 0 ? ByteBuffer.allocate(0) : storageBytes(s, width);
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

        /** A storage's bytes: its entry must hold exactly NUMEL elements of its type (as torch.save writes). */
        private ByteBuffer storageBytes(StorageRef s, int width) {
            ByteBuffer cached = storages.get(s.key());
            if (cached != null) {
                return cached;
            }
            String name = prefix + "data/" + s.key();
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                throw bad("storage " + s.key() + " is missing from the archive (" + name + ")");
            }
            long needed = s.numel() * width;         // no overflow: checked by the caller
            if (e.getSize() >= 0 && e.getSize() < needed) {
                throw new CheckpointException(file, "entry " + name + " has " + e.getSize() + " bytes, its "
                        + s.type() + " of " + s.numel() + " elements needs " + needed);
            }
            byte[] b;
            try {
                b = entryBytes(file, zip, e, fileSize, needed);
            } catch (IOException ex) {
                throw new CheckpointException(file, "entry " + name + " cannot be read: " + ex, ex);
            }
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            storages.put(s.key(), buf);
            return buf;
        }

        private void countValues(long n) {
            values += n;
            if (values > MAX_VALUES) {
                throw bad("holds more than " + MAX_VALUES + " values (counting each reference to a shared value)");
            }
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

        /**
         * Replaces the internal None marker by null, recursively, refusing cycles (a list holding itself), nesting
         * deeper than {@link #MAX_DEPTH} and trees of more than {@link #MAX_VALUES} values.
         */
        private Object unwrap(Object o, int depth, IdentityHashMap<Object, Boolean> open) {
            countValues(1);
            if (o == NONE) {
                return null;
            }
            if (!(o instanceof List<?>) && !(o instanceof Map<?, ?>)) {
                return o;
            }
            if (depth >= MAX_DEPTH) {
                throw bad("lists, tuples or dicts nested deeper than " + MAX_DEPTH + " levels");
            }
            if (open.put(o, Boolean.TRUE) != null) {
                throw bad("a list or dict contains itself (a reference cycle)");
            }
            Object out;
            if (o instanceof List<?> l) {
                List<Object> copy = new ArrayList<>(l.size());
                for (Object x : l) {
                    copy.add(unwrap(x, depth + 1, open));
                }
                out = copy;
            } else {
                Map<Object, Object> copy = new LinkedHashMap<>();
                for (var e : ((Map<?, ?>) o).entrySet()) {
                    copy.put(unwrap(e.getKey(), depth + 1, open), unwrap(e.getValue(), depth + 1, open));
                }
                out = copy;
            }
            open.remove(o);
            return out;
        }
    }

    /** A short description of a pickled value for messages: never its contents, which may hold themselves. */
    private static String describe(Object o) {
        if (o instanceof List<?> l) {
            return (o instanceof ArrayList<?> ? "a list of " : "a tuple of ") + l.size();
        }
        if (o instanceof Map<?, ?> m) {
            return "a dict of " + m.size();
        }
        if (o instanceof String str) {
            return "'" + (str.length() > 40 ? str.substring(0, 40) + "..." : str) + "'";
        }
        return o == null || o == MARK ? String.valueOf(o == MARK ? "a mark" : "None") : o instanceof Global g
                ? g.module() + "." + g.name() : o instanceof StorageRef s ? "storage " + s.key() : o.toString();
    }
}
