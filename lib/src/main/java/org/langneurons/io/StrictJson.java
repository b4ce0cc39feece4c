package org.langneurons.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Pattern;

/**
 * JSON read strictly: objects whose keys are unique, error messages without Gson's advice to parse leniently, and
 * integers read exactly. Gson's {@code getAsInt}/{@code getAsLong} truncate 3.7 to 3 and wrap 2^32 + 5 to
 * 5, which would silently turn a bad index into another neuron or a bad shape into a wrong tensor: these refuse any
 * value that is not written as an integer or does not fit the range, with a message naming {@code what}.
 *
 * <pre>{@code
 * long n = StrictJson.exactLong(com.google.gson.JsonParser.parseString("512"), "shape[0]", 0, Long.MAX_VALUE);
 * int i = StrictJson.exactInt(com.google.gson.JsonParser.parseString("17"), "neuron", 0, 688);    // [0, 688)
 * com.google.gson.JsonObject o = StrictJson.object("{\"a\": 1}");    // {"a": 1, "a": 2} is refused
 * }</pre>
 */
public final class StrictJson {
    private StrictJson() {
    }

    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

    /**
     * {@code text} as a JSON object whose top-level keys are all distinct (Gson keeps the last of two silently).
     *
     * @throws IllegalArgumentException saying what is wrong: not JSON (where), not an object, a key given twice
     */
    public static JsonObject object(String text) {
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonObject o = new JsonObject();
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                JsonElement value = ELEMENTS.read(r);
                if (o.has(key)) {
                    throw new IllegalArgumentException("key '" + key + "' appears twice");
                }
                o.add(key, value);
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("not valid JSON: text follows the object at " + r.getPath());
            }
            return o;
        } catch (IOException | IllegalStateException | NumberFormatException | com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + syntaxError(e), e);
        }
    }

    /**
     * Gson's message of a syntax error, without the exception's class name, its advice to parse leniently and its
     * troubleshooting link.
     */
    public static String syntaxError(Exception e) {
        Throwable t = e;
        while (t instanceof com.google.gson.JsonParseException && t.getCause() != null) {
            t = t.getCause();       // JsonSyntaxException wraps the reader's MalformedJsonException
        }
        String m = String.valueOf(t.getMessage()).replaceFirst("^([a-z0-9_]+\\.)+[A-Z]\\w*: ", "");
        int see = m.indexOf("\nSee ");
        if (see >= 0) {
            m = m.substring(0, see);
        }
        return m.replaceAll("Use JsonReader\\.set(Lenient\\(true\\)|Strictness\\(Strictness\\.LENIENT\\)) to accept "
                + "malformed JSON", "malformed JSON").strip();
    }

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    /**
     * {@code e} as a long in {@code [min, max]} (both inclusive).
     *
     * @throws IllegalArgumentException naming {@code what} when {@code e} is not an integer literal or out of range
     */
    public static long exactLong(JsonElement e, String what, long min, long max) {
        Long v = integerLiteral(e, what);
        if (v == null || v < min || v > max) {
            throw new IllegalArgumentException(what + " is " + e.getAsString() + ", outside [" + min + ", " + max
                    + "]");
        }
        return v;
    }

    /**
     * {@code e} as an int in {@code [min, bound)}: an index or a count below {@code bound}.
     *
     * @throws IllegalArgumentException naming {@code what} when {@code e} is not an integer literal or out of range
     */
    public static int exactInt(JsonElement e, String what, int min, int bound) {
        Long v = integerLiteral(e, what);
        if (v == null || v < min || v >= bound) {
            throw new IllegalArgumentException(what + " is " + e.getAsString() + ", outside [" + min + ", " + bound
                    + ")");
        }
        return (int) (long) v;
    }

    /** {@code e}'s integer literal, or null when it does not fit a long (out of any range we accept). */
    private static Long integerLiteral(JsonElement e, String what) {
        String text = e instanceof JsonPrimitive p && p.isNumber() ? p.getAsString() : null;
        if (text == null || !INTEGER.matcher(text).matches()) {
            throw new IllegalArgumentException(what + " is " + e + ", expected an integer");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException overflow) {
            return null;
        }
    }
}
