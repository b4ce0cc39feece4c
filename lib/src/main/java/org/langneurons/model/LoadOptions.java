package org.langneurons.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/**
 * Where and in what precision a model runs. The default is FP32 on the CPU; {@code Device.gpu()} runs on CUDA when
 * DJL's CUDA natives are installed (see the README).
 *
 * @param device the device every weight and activation lives on
 * @param dtype  FLOAT32 or FLOAT16 (norms and softmax are computed in float32 either way); BF16 weights are widened
 *               while loading
 */
public record LoadOptions(Device device, DataType dtype) {

    public LoadOptions {
        if (device == null) {
            throw new IllegalArgumentException("device is null");
        }
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException("dtype must be FLOAT32 or FLOAT16, got " + dtype);
        }
    }

    /** FP32 on the CPU. */
    public static LoadOptions defaults() {
        return new LoadOptions(Device.cpu(), DataType.FLOAT32);
    }

    /**
     * Options from command-line words: device {@code cpu}, {@code gpu} or {@code gpu:N}; dtype {@code fp32} or
     * {@code fp16}.
     */
    public static LoadOptions parse(String device, String dtype) {
        Device d = switch (device) {
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            default -> {
                if (device.matches("gpu:\\d+")) {
                    yield Device.gpu(Integer.parseInt(device.substring(4)));
                }
                throw new IllegalArgumentException("device must be cpu, gpu or gpu:N, got '" + device + "'");
            }
        };
        DataType t = switch (dtype.toLowerCase()) {
            case "fp32", "float32" -> DataType.FLOAT32;
            case "fp16", "float16" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("dtype must be fp32 or fp16, got '" + dtype + "'");
        };
        return new LoadOptions(d, t);
    }
}
