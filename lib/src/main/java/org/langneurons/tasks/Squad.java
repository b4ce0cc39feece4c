package org.langneurons.tasks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQuAD v1.1 ({@code train-v1.1.json}, {@code dev-v1.1.json}) and XQuAD ({@code xquad.LANG.json}, the same format)
 * question answering: {@code data[] -> paragraphs[] -> context, qas[] -> id, question, answers[] -> text,
 * answer_start}.
 *
 * <p><b>Offsets.</b> {@code answer_start} counts Unicode code points, as Python's {@code str} does (it differs from
 * a Java {@code String} index after a character outside the BMP: use {@code context.offsetByCodePoints(0, start)}).
 * Every answer is checked to be the context's text at its offset. <b>An answer that is not</b> is left out of its
 * question and listed in {@link QaData#mismatches()} with its question id and JSON path, and a question left with
 * no answer is left out; the rest of the file is read. XQuAD is known to be consistent, so use
 * {@link QaData#requireConsistent()} there to fail on the first mismatch; SQuAD's training file may have a few odd
 * rows, and losing a whole file to one of them would be worse than losing the row (the count is in the result).
 *
 * <p><b>Errors.</b> A missing file, text that is not strict JSON (Gson's message gives line and column), or a field
 * missing or of the wrong type throws a {@link TaskDataException} naming the file and the JSON path, with the
 * question id once it is known. A question without answers (SQuAD 2.0's unanswerable ones) is such an error too:
 * this reader is for the v1.1 format.
 *
 * <p><b>Why not DJL's {@code StanfordQuestionAnsweringDataset}.</b> It does not fit: it reads only SQuAD 2.0's
 * {@code train-v2.0.json} / {@code dev-v2.0.json} through an artifact repository (a local file needs a repository
 * with DJL metadata, and the names are fixed, so neither {@code xquad.vi.json} nor the v1.1 files can be given),
 * and what it keeps is embedded title, context, question and answer texts as NDArrays: the question ids and
 * {@code answer_start} offsets are dropped, and there is no language. The file is read with Gson instead.
 *
 * <pre>{@code
 * QaData xquadVi = Squad.read(Path.of("xquad/xquad.vi.json")).requireConsistent();   // language "vi"
 * QaData squad = Squad.read(Path.of("train-v1.1.json"));                             // language "en"
 * QaExample q = xquadVi.examples().get(0);
 * }</pre>
 */
public final class Squad {
    private static final Pattern XQUAD = Pattern.compile("xquad\\.([a-z]{2,3})\\.json");
    private static final Pattern SQUAD = Pattern.compile("(train|dev)-v1\\.1\\.json");

    private Squad() {
    }

    /** The questions of {@code json}, with the language its name tells ({@link #languageOf}). */
    public static QaData read(Path json) {
        return read(json, languageOf(json));
    }

    /**
     * The language of a file by its official name: {@code xquad.LANG.json} is {@code LANG};
     * {@code train-v1.1.json} and {@code dev-v1.1.json} are {@code en}; any other name is an error (give the
     * language to {@link #read(Path, String)}).
     */
    public static String languageOf(Path file) {
        String name = file.getFileName().toString();
        Matcher xquad = XQUAD.matcher(name);
        if (xquad.matches()) {
            return xquad.group(1);
        }
        if (SQUAD.matcher(name).matches()) {
            return "en";
        }
        throw new TaskDataException(file, "", "cannot tell the language from the name (expected xquad.LANG.json, "
                + "train-v1.1.json or dev-v1.1.json): give it to Squad.read(file, language)");
    }

    /** The questions of {@code json}, all in {@code language}. */
    public static QaData read(Path json, String language) {
        if (!Files.isRegularFile(json)) {
            throw new TaskDataException(json, "", "no such file");
        }
        JsonElement root;
        try (BufferedReader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            root = StrictJson.parse(reader);
        } catch (CharacterCodingException e) {
            throw new TaskDataException(json, "", "is not valid UTF-8", e);
        } catch (JsonParseException e) {
            throw new TaskDataException(json, "", "is not valid JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TaskDataException(json, "", "cannot be read: " + e.getMessage(), e);
        }
        return new Reading(json, language).read(root);
    }

    /** One file's walk: the examples and mismatches found so far. */
    private static final class Reading {
        private final Path file;
        private final String language;
        private final List<QaExample> examples = new ArrayList<>();
        private final List<QaData.Mismatch> mismatches = new ArrayList<>();

        Reading(Path file, String language) {
            this.file = file;
            this.language = language;
        }

        QaData read(JsonElement root) {
            JsonArray data = array(object(root, "$"), "data", "$");
            for (int a = 0; a < data.size(); a++) {
                String articlePath = "data[" + a + "]";
                JsonArray paragraphs = array(object(data.get(a), articlePath), "paragraphs", articlePath);
                for (int p = 0; p < paragraphs.size(); p++) {
                    paragraph(paragraphs.get(p), articlePath + ".paragraphs[" + p + "]");
                }
            }
            return new QaData(file, examples, mismatches);
        }

        private void paragraph(JsonElement element, String path) {
            JsonObject paragraph = object(element, path);
            String context = string(paragraph, "context", path);
            JsonArray qas = array(paragraph, "qas", path);
            for (int q = 0; q < qas.size(); q++) {
                question(qas.get(q), context, path + ".qas[" + q + "]");
            }
        }

        private void question(JsonElement element, String context, String path) {
            JsonObject qa = object(element, path);
            String id = string(qa, "id", path);
            String where = path + " (question " + id + ")";
            String question = string(qa, "question", where);
            JsonArray answers = array(qa, "answers", where);
            if (answers.isEmpty()) {
                throw new TaskDataException(file, where, "has no answers (an unanswerable SQuAD 2.0 question? this "
                        + "reader is for the v1.1 format)");
            }
            List<String> texts = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                String answerPath = path + ".answers[" + i + "]";
                String answerWhere = answerPath + " (question " + id + ")";
                JsonObject answer = object(answers.get(i), answerWhere);
                String text = string(answer, "text", answerWhere);
                int start = integer(answer, "answer_start", answerWhere);
                String atOffset = atOffset(context, start, text);
                if (atOffset.equals(text)) {
                    texts.add(text);
                    starts.add(start);
                } else {
                    mismatches.add(new QaData.Mismatch(id, answerPath, text, start, atOffset));
                }
            }
            if (texts.isEmpty()) {
                return;
            }
            try {
                examples.add(new QaExample(id, language, context, question, texts, starts));
            } catch (IllegalArgumentException e) {
                throw new TaskDataException(file, where, e.getMessage(), e);
            }
        }

        /** The context's text at code point {@code start}, as long as {@code text} (or shorter at its end). */
        private static String atOffset(String context, int start, String text) {
            if (start < 0 || start > context.codePointCount(0, context.length())) {
                return "";
            }
            int begin = context.offsetByCodePoints(0, start);
            return context.substring(begin, Math.min(context.length(), begin + text.length()));
        }

        private JsonObject object(JsonElement element, String where) {
            if (!element.isJsonObject()) {
                throw new TaskDataException(file, where, "expected a JSON object, found " + shorten(element));
            }
            return element.getAsJsonObject();
        }

        private JsonArray array(JsonObject object, String field, String where) {
            JsonElement value = object.get(field);
            if (value == null || !value.isJsonArray()) {
                throw new TaskDataException(file, where, "no \"" + field + "\" array" + found(value));
            }
            return value.getAsJsonArray();
        }

        private String string(JsonObject object, String field, String where) {
            JsonElement value = object.get(field);
            if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw new TaskDataException(file, where, "no \"" + field + "\" string" + found(value));
            }
            return value.getAsString();
        }

        private int integer(JsonObject object, String field, String where) {
            JsonElement value = object.get(field);
            if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
                JsonPrimitive number = value.getAsJsonPrimitive();
                double d = number.getAsDouble();
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            }
            throw new TaskDataException(file, where, "no \"" + field + "\" integer" + found(value));
        }

        private static String found(JsonElement value) {
            return value == null ? "" : " (found " + shorten(value) + ")";
        }

        private static String shorten(JsonElement value) {
            String s = value.toString();
            return s.length() <= 60 ? s : s.substring(0, 57) + "...";
        }
    }
}
