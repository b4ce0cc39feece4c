package org.langneurons.cli;

import com.google.gson.Gson;
import java.io.PrintStream;

/** JSON output: small objects through Gson, large float tensors written directly without boxing. */
final class Json {
    static final Gson GSON = org.langneurons.report.JsonFiles.GSON;

    private Json() {
    }

    /** Writes {@code values} (row-major, shape dims) as nested JSON arrays. */
    static void writeNested(StringBuilder out, float[] values, int offset, int[] dims, int axis) {
        out.append('[');
        int stride = 1;
        for (int a = axis + 1; a < dims.length; a++) {
            stride *= dims[a];
        }
        for (int i = 0; i < dims[axis]; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (axis == dims.length - 1) {
                float v = values[offset + i];
                out.append(Float.isFinite(v) ? Float.toString(v) : "\"" + v + "\"");
            } else {
                writeNested(out, values, offset + i * stride, dims, axis + 1);
            }
        }
        out.append(']');
    }

    static void print(PrintStream out, Object value) {
        out.println(GSON.toJson(value));
    }
}
