package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Weights held in memory by Hugging Face name (e.g. parameters being trained); reads return the arrays themselves. */
final class MemoryWeights implements WeightSource {
    private final Map<String, NDArray> arrays;
    private final Set<String> used = new HashSet<>();

    MemoryWeights(Map<String, NDArray> arrays) {
        this.arrays = arrays;
    }

    @Override
    public NDArray read(String name, Shape shape, String why, DataType dtype) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("weight '" + name + "' is missing (expected shape " + shape + " from "
                    + why + ")");
        }
        if (!a.getShape().equals(shape) || a.getDataType() != dtype) {
            throw new IllegalArgumentException("weight '" + name + "' is " + a.getDataType() + " " + a.getShape()
                    + ", expected " + dtype + " " + shape + " (from " + why + ")");
        }
        used.add(name);
        return a;
    }

    @Override
    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    @Override
    public void requireAllUsed(Predicate<String> ignorable) {
        List<String> unused = arrays.keySet().stream().filter(n -> !used.contains(n) && !ignorable.test(n)).toList();
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("weights not part of the model: " + unused);
        }
    }
}
