package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic between an array and a Java number, safe under autograd. Use these instead of DJL's
 * {@code NDArray.mul(Number)}, {@code div(Number)}, {@code add(Number)} and the like.
 *
 * <p>Why: on the CPU, DJL's number overloads wrap the number in a tensor that points into a Java direct buffer
 * ({@code torch::from_blob}), run the op, and close that tensor. Autograd keeps a reference to the operand for the
 * backward pass (for {@code x * c} it keeps {@code c}), but the Java buffer behind it can be freed by the next garbage
 * collection, and the backward pass then reads whatever the allocator put there. Gradients were now and then wrong
 * or NaN: a CI run's fine-tuning stopped on "gradient norm NaN" at a finite loss, and with a collection forced every
 * 2 ms, one of ten 24-step fine-tunings ended with other weights. With the allocator's thread caches off, it happens
 * every time (GradientsUnderGarbageCollectionTest). Here the number is copied into memory libtorch owns, so whatever
 * keeps it keeps it alive. ScalarSafetyTest reads the compiled classes and fails on any use of the unsafe overloads
 * in the library.
 *
 * <p>Each call makes the 0-dim tensor DJL would make ({@code create(Number)}: a float gives float32, an int int32),
 * so results are bit-identical to the overloads'. Comparisons ({@code eq}, {@code gt}, ...) are not here: their
 * results carry no gradient, so autograd keeps nothing of them.
 *
 * <pre>{@code
 * try (NDManager m = NDManager.newBaseManager()) {
 *     NDArray x = m.create(new float[] {1, 2, 3});
 *     NDArray y = Scalars.add(Scalars.mul(x, 2f), 1f);      // [3, 5, 7]
 * }
 * }</pre>
 */
public final class Scalars {
    private Scalars() {
    }

    /** {@code x * c}. */
    public static NDArray mul(NDArray x, Number c) {
        return with(x, c, NDArray::mul);
    }

    /** {@code x / c}. */
    public static NDArray div(NDArray x, Number c) {
        return with(x, c, NDArray::div);
    }

    /** {@code x + c}. */
    public static NDArray add(NDArray x, Number c) {
        return with(x, c, NDArray::add);
    }

    /** {@code x - c}. */
    public static NDArray sub(NDArray x, Number c) {
        return with(x, c, NDArray::sub);
    }

    /** {@code max(x, c)} element-wise. */
    public static NDArray maximum(NDArray x, Number c) {
        return with(x, c, NDArray::maximum);
    }

    /** {@code min(x, c)} element-wise. */
    public static NDArray minimum(NDArray x, Number c) {
        return with(x, c, NDArray::minimum);
    }

    /** {@code x *= c} in place; returns {@code x}. */
    public static NDArray muli(NDArray x, Number c) {
        return with(x, c, NDArray::muli);
    }

    /** {@code op(x, c)} with {@code c} as a safe scalar, closed after the op (a graph that saved it keeps it). */
    private static NDArray with(NDArray x, Number c, BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, c)) {
            return op.apply(x, s);
        }
    }

    /**
     * {@code c} as a 0-dim array on {@code like}'s manager and device, of the dtype DJL gives the number, in memory
     * libtorch owns. The caller closes it; an autograd graph that saved it keeps its storage alive regardless.
     */
    public static NDArray scalar(NDArray like, Number c) {
        NDManager m = like.getManager();
        // torch::full allocates in libtorch; floats and ints (nearly every call) go that way in one native call
        if (c instanceof Float f) {
            return m.full(new Shape(), f, DataType.FLOAT32);
        }
        if (c instanceof Integer i && Math.abs(i) <= 1 << 24) {
            return m.full(new Shape(), i);      // int32, as create(int); exact through full's float up to 2^24
        }
        // others (a long, a double, a large int) would lose digits through full's float: a clone, in libtorch's
        // memory too
        try (NDArray borrowed = m.create(c)) {
            return borrowed.duplicate();
        }
    }
}
