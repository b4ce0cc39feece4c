package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class of the library calls DJL's arithmetic overloads that take a Java number ({@code mul(Number)},
 * {@code div(Number)}, ...): their scalar lives in Java memory that autograd may read after it is freed (see
 * {@link Scalars}, and GradientsUnderGarbageCollectionTest for what that did to gradients). Read from the compiled
 * classes' constant pools, so no call can hide behind a cast or a variable. Comparisons, {@code set} and
 * {@code clip} stay allowed: their number never reaches a gradient.
 */
class ScalarSafetyTest {
    private static final Set<String> ALLOWED = Set.of("eq", "neq", "gt", "gte", "lt", "lte", "set", "clip",
            "contentEquals");

    @Test
    void theLibraryNeverUsesDjlsNumberArithmetic() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("target/classes"))) {
            for (Path c : s.filter(p -> p.toString().endsWith(".class")).toList()) {
                found.addAll(numberArithmetic(c));
            }
        }
        assertEquals(List.of(), found, "use org.langneurons.model.Scalars instead");
    }

    @Test
    void theScanFindsSuchCallsWhereTheyAre() throws IOException {
        // GradientChurnCheck calls x.mul(3f).div(7f) on purpose: the unsafe overloads, to show what they do
        Path check = Path.of("target/test-classes/org/langneurons/finetune/GradientChurnCheck.class");
        Set<String> methods = new TreeSet<>();
        numberArithmetic(check).forEach(f -> methods.add(f.substring(f.indexOf(' ') + 1, f.indexOf('('))));
        assertEquals(Set.of("ai/djl/ndarray/NDArray.div", "ai/djl/ndarray/NDArray.mul"), methods);
        assertTrue(numberArithmetic(Path.of("target/classes/org/langneurons/model/Scalars.class")).isEmpty());
    }

    @Test
    void scalarsGiveWhatDjlsOverloadsGiveBitForBit() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            List<ai.djl.ndarray.NDArray> arrays = List.of(m.create(new float[] {-1.5f, 0f, 3.25f, 1e-7f}),
                    m.create(new long[] {-3, 0, 7, 1L << 40}), m.create(new int[] {-3, 0, 7, 9}),
                    m.create(new double[] {-1.5, 0.1, 3.25, 1e300}),
                    m.create(new float[] {-1.5f, 0f, 3.25f, 1e-3f}).toType(ai.djl.ndarray.types.DataType.FLOAT16,
                            false));
            List<Number> numbers = List.of(0.3f, 3, -7, (1 << 24) + 1, 1L << 40, 0.1, Float.POSITIVE_INFINITY);
            for (ai.djl.ndarray.NDArray x : arrays) {
                for (Number c : numbers) {
                    String what = x.getDataType() + " and " + c.getClass().getSimpleName() + " " + c;
                    same(x.mul(c), Scalars.mul(x, c), "mul " + what);
                    same(x.add(c), Scalars.add(x, c), "add " + what);
                    same(x.sub(c), Scalars.sub(x, c), "sub " + what);
                    same(x.maximum(c), Scalars.maximum(x, c), "maximum " + what);
                    same(x.minimum(c), Scalars.minimum(x, c), "minimum " + what);
                    if (x.getDataType().isFloating()) {
                        same(x.div(c), Scalars.div(x, c), "div " + what);
                        same(x.duplicate().muli(c), Scalars.muli(x.duplicate(), c), "muli " + what);
                    }
                }
            }
        }
    }

    private static void same(ai.djl.ndarray.NDArray djl, ai.djl.ndarray.NDArray ours, String what) {
        assertEquals(djl.getDataType(), ours.getDataType(), what);
        assertEquals(java.util.Arrays.toString(djl.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                .toDoubleArray()), java.util.Arrays.toString(ours.toType(ai.djl.ndarray.types.DataType.FLOAT64,
                false).toDoubleArray()), what);
    }

    /** "class method(descriptor)" for each reference to an NDArray method with a Number parameter not allowed. */
    static List<String> numberArithmetic(Path classFile) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(classFile); DataInputStream d = new DataInputStream(in)) {
            if (d.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            d.readUnsignedShort();
            d.readUnsignedShort();
            int count = d.readUnsignedShort();
            int[] tags = new int[count];
            int[] first = new int[count];
            int[] second = new int[count];
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = d.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case 1 -> utf8[i] = d.readUTF();
                    case 3, 4 -> d.readInt();
                    case 5, 6 -> {
                        d.readLong();
                        i++;            // longs and doubles take two slots
                    }
                    case 7, 8, 16, 19, 20 -> first[i] = d.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> {
                        first[i] = d.readUnsignedShort();
                        second[i] = d.readUnsignedShort();
                    }
                    case 15 -> {
                        d.readUnsignedByte();
                        first[i] = d.readUnsignedShort();
                    }
                    default -> throw new IOException(classFile + ": constant pool tag " + tag + " at " + i);
                }
            }
            for (int i = 1; i < count; i++) {
                if (tags[i] != 10 && tags[i] != 11) {
                    continue;       // Methodref and InterfaceMethodref only
                }
                String owner = utf8[first[first[i]]];
                String name = utf8[first[second[i]]];
                String descriptor = utf8[second[second[i]]];
                boolean ndArray = owner.equals("ai/djl/ndarray/NDArray") || owner.startsWith("ai/djl/pytorch/engine/");
                String parameters = descriptor.substring(0, descriptor.indexOf(')'));
                if (ndArray && parameters.contains("Ljava/lang/Number;") && !ALLOWED.contains(name)) {
                    out.add(Path.of("target/classes").toAbsolutePath().relativize(classFile.toAbsolutePath()) + " "
                            + owner + "." + name + descriptor);
                }
            }
        }
        return out;
    }
}
