package org.langneurons.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Predicate;

/**
 * Where a decoder gets its tensors by Hugging Face name: a checkpoint on disk, or parameters in memory (training).
 * Every read checks the shape.
 */
interface WeightSource {
    /**
     * The tensor {@code name} of exactly {@code shape}, as {@code dtype}.
     *
     * @param why the config fields the shape comes from, for error messages
     */
    NDArray read(String name, Shape shape, String why, DataType dtype);

    /** Whether a tensor of this name exists. */
    boolean contains(String name);

    /** Fails when a tensor was never read, unless {@code ignorable} accepts its name. */
    void requireAllUsed(Predicate<String> ignorable);
}
