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
