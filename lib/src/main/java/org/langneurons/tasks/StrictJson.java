package org.langneurons.tasks;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;

/**
 * JSON parsed strictly (Gson's {@code JsonParser} is lenient: it would take {@code {a: 'b'}}), one document per call,
 * and the string fields of an object looked up with a message that says what is missing.
 */
final class StrictJson {
    private static final Gson GSON = new Gson();

    private StrictJson() {
    }

    /**
     * The one JSON value of {@code reader}; bad syntax or trailing text throws {@link JsonParseException} (Gson's
     * message has the line, column and JSON path) or {@link IOException} (a failed read).
     */
    static JsonElement parse(Reader reader) throws IOException {
        JsonReader json = new JsonReader(reader);
        json.setStrictness(Strictness.STRICT);
        try {
            JsonElement value = GSON.getAdapter(JsonElement.class).read(json);
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("text after the JSON value at " + json.getPath());
            }
            return value;
        } catch (MalformedJsonException | EOFException | IllegalStateException | NumberFormatException e) {
            // syntax errors and truncation, which the reader reports as I/O or state errors: not a failed read
            throw new JsonParseException(e.getMessage(), e);
        }
    }

    /** The string {@code field} of {@code object}; its absence, or another type, is described in the exception. */
    static String string(JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new JsonParseException("no \"" + field + "\" string" + (value == null ? "" : " (found " + value
                    + ")"));
        }
        return value.getAsString();
    }
}
