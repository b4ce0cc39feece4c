package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Predicate;
import org.langneurons.io.CheckpointWeights;

/** Weights read from a checkpoint on disk onto {@code manager}'s device. */
final class CheckpointSource implements WeightSource {
    private final CheckpointWeights weights;
    private final NDManager manager;

    CheckpointSource(CheckpointWeights weights, NDManager manager) {
        this.weights = weights;
        this.manager = manager;
    }

    @Override
    public NDArray read(String name, Shape shape, String why, DataType dtype) {
        return weights.read(name, shape, why, manager, dtype);
    }

    @Override
    public boolean contains(String name) {
        return weights.contains(name);
    }

    @Override
    public void requireAllUsed(Predicate<String> ignorable) {
        weights.requireAllUsed(ignorable);
    }
}
