package org.langneurons.tasks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON-lines files of the embedded default's tasks (one example a line, UTF-8): their layout, and reading and
 * writing single lines. Every reading error names the file and the line.
 *
 * <pre>{@code
 * List<ClassificationExample> fr = DefaultTaskFiles.readClassification(Path.of("fr.jsonl"),
 *         List.of("writer", "calc", "impress-draw", "basic"));
 * }</pre>
 */
final class DefaultTaskFiles {
    /** Folder (relative to the tasks folder) of the module-classification task. */
    static final String MODULE = "module-classification";
    /** Folder (relative to the tasks folder) of the heading-extraction task. */
    static final String HEADING = "heading-extraction";

    // html-safe escaping would write '=' and '<' as \u003d and \u003c, which the files need not carry
    static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();
    static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    private DefaultTaskFiles() {
    }

    /** Path of a task file relative to the tasks folder: {@code TASK/train.jsonl}, {@code TASK/test/LANG.jsonl}. */
    static String file(String task, String split, String language) {
        return switch (split) {
            case "train", "validation" -> task + "/" + split + ".jsonl";
            case "test" -> task + "/test/" + language + ".jsonl";
            default -> throw new IllegalArgumentException("unknown task split " + split);
        };
    }

    /** One line of a classification file: {@code {"id", "language", "text", "label"}} with the label's name. */
    static String classificationLine(ClassificationExample e, List<String> labels) {
        JsonObject o = new JsonObject();
        o.addProperty("id", e.id());
        o.addProperty("language", e.language());
        o.addProperty("text", e.text());
        o.addProperty("label", labels.get(e.label()));
        return LINE.toJson(o);
    }

    /** One line of an extractive QA file: {@code {"id", "language", "context", "question", "answers", "answer_starts"}}. */
    static String qaLine(QaExample e) {
        JsonObject o = new JsonObject();
        o.addProperty("id", e.id());
        o.addProperty("language", e.language());
        o.addProperty("context", e.context());
        o.addProperty("question", e.question());
        JsonArray answers = new JsonArray();
        e.answers().forEach(answers::add);
        o.add("answers", answers);
        JsonArray starts = new JsonArray();
        e.answerStarts().forEach(starts::add);
        o.add("answer_starts", starts);
        return LINE.toJson(o);
    }

    /** Reads a classification file; {@code labels} are the task's label names. */
    static List<ClassificationExample> readClassification(Path file, List<String> labels) {
        try (InputStream in = Files.newInputStream(file)) {
            return readClassification(file.toString(), in, labels);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads classification lines from {@code in}; {@code name} is the file named in errors. */
    static List<ClassificationExample> readClassification(String name, InputStream in, List<String> labels) {
        List<ClassificationExample> out = new ArrayList<>();
        List<String> lines = lines(name, in);
        for (int n = 0; n < lines.size(); n++) {
            int lineNo = n + 1;
            JsonObject o = object(name, lineNo, lines.get(n));
            String label = string(name, lineNo, o, "label");
            int index = labels.indexOf(label);
            if (index < 0) {
                throw error(name, lineNo, "unknown label \"" + label + "\" (the task's labels are " + labels + ")");
            }
            String id = string(name, lineNo, o, "id"), language = string(name, lineNo, o, "language");
            String text = string(name, lineNo, o, "text");
            try {
                out.add(new ClassificationExample(id, language, text, null, index));
            } catch (IllegalArgumentException e) {
                throw error(name, lineNo, e.getMessage());
            }
        }
        return out;
    }

    /** Reads an extractive QA file. */
    static List<QaExample> readQa(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return readQa(file.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads extractive QA lines from {@code in}; each answer must stand in the context at its offset. */
    static List<QaExample> readQa(String name, InputStream in) {
        List<QaExample> out = new ArrayList<>();
        List<String> lines = lines(name, in);
        for (int n = 0; n < lines.size(); n++) {
            int lineNo = n + 1;
            JsonObject o = object(name, lineNo, lines.get(n));
            String context = string(name, lineNo, o, "context");
            List<String> answers = new ArrayList<>();
            for (JsonElement a : array(name, lineNo, o, "answers")) {
                if (!a.isJsonPrimitive() || !a.getAsJsonPrimitive().isString()) {
                    throw error(name, lineNo, "\"answers\" must hold strings, found " + a);
                }
                answers.add(a.getAsString());
            }
            List<Integer> starts = new ArrayList<>();
            for (JsonElement s : array(name, lineNo, o, "answer_starts")) {
                if (!s.isJsonPrimitive() || !s.getAsJsonPrimitive().isNumber()) {
                    throw error(name, lineNo, "\"answer_starts\" must hold integers, found " + s);
                }
                starts.add(s.getAsInt());
            }
            for (int i = 0; i < Math.min(answers.size(), starts.size()); i++) {
                int at = starts.get(i);
                if (at < 0 || !context.startsWith(answers.get(i), at)) {
                    throw error(name, lineNo, "answer \"" + answers.get(i) + "\" is not at offset " + at
                            + " of the context");
                }
            }
            String id = string(name, lineNo, o, "id"), language = string(name, lineNo, o, "language");
            String question = string(name, lineNo, o, "question");
            try {
                out.add(new QaExample(id, language, context, question, answers, starts));
            } catch (IllegalArgumentException e) {
                throw error(name, lineNo, e.getMessage());
            }
        }
        return out;
    }

    /** The lines of a UTF-8 stream; an empty line or malformed UTF-8 is an error. */
    private static List<String> lines(String name, InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        List<String> out = new ArrayList<>();
        try {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank()) {
                    throw error(name, out.size() + 1, "empty line (one example a line, none empty)");
                }
                out.add(line);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " line " + (out.size() + 1) + ": not UTF-8 text ("
                    + e.getMessage() + ")", e);
        }
        return out;
    }

    private static JsonObject object(String name, int lineNo, String line) {
        try {
            JsonElement e = JsonParser.parseString(line);
            if (!e.isJsonObject()) {
                throw error(name, lineNo, "not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw error(name, lineNo, "not JSON (" + e.getMessage() + ")");
        }
    }

    private static String string(String name, int lineNo, JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw error(name, lineNo, "no \"" + field + "\" string field");
        }
        return e.getAsString();
    }

    private static JsonArray array(String name, int lineNo, JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonArray()) {
            throw error(name, lineNo, "no \"" + field + "\" array field");
        }
        return e.getAsJsonArray();
    }

    private static IllegalArgumentException error(String name, int lineNo, String what) {
        return new IllegalArgumentException(name + " line " + lineNo + ": " + what);
    }
}
