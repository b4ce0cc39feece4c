package org.langneurons.io;

import java.nio.file.Path;

/**
 * The safetensors dtypes that hold model weights this library reads: F32, F16 and BF16.
 *
 * <pre>{@code
 * try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
 *     String stored = file.entry("lm_head.weight").dtype();
 *     boolean readable = Arrays.stream(SafetensorsDtype.values()).anyMatch(d -> d.name().equals(stored));
 * }
 * }</pre>
 */
public enum SafetensorsDtype {
    F32,
    F16,
    BF16;

    /** The dtype of {@code entry}, or an error naming the file, tensor and the supported dtypes. */
    static SafetensorsDtype of(Path file, SafetensorsFile.Entry entry) {
        return switch (entry.dtype()) {
            case "F32" -> F32;
            case "F16" -> F16;
            case "BF16" -> BF16;
            default -> throw new CheckpointException(file, "tensor '" + entry.name() + "' has unsupported dtype "
                    + entry.dtype() + " (weights must be F32, F16 or BF16)");
        };
    }

    /** Bytes per element of any safetensors dtype name, or 0 when the name is unknown. */
    static int byteWidth(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> 0;
        };
    }
}
