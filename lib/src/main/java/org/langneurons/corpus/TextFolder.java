package org.langneurons.corpus;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's text for statistics (a Wikipedia dump, say): a directory with one file per language, one document per
 * line, either {@code LANG.txt} (plain UTF-8 lines; empty lines skipped) or {@code LANG.jsonl} (one JSON object a
 * line, the document in its {@code "text"} field, as Hugging Face datasets export). A project corpus directory
 * ({@code manifest.json}, {@code LANG/SPLIT.txt}) works too: its identification split is read.
 *
 * <pre>{@code
 * List<String> fr = TextFolder.documents(Path.of("wiki"), "fr");   // wiki/fr.txt or wiki/fr.jsonl
 * }</pre>
 */
public final class TextFolder {
    private TextFolder() {
    }

    /** The documents of {@code lang} in {@code dir}; errors name the file and line at fault. */
    public static List<String> documents(Path dir, String lang) {
        return documents(dir, lang, Split.IDENTIFICATION);
    }

    /** The same, reading {@code split} when {@code dir} is a project corpus directory. */
    public static List<String> documents(Path dir, String lang, Split split) {
        Path txt = dir.resolve(lang + ".txt"), jsonl = dir.resolve(lang + ".jsonl");
        if (Files.isRegularFile(txt)) {
            return text(txt).lines().filter(l -> !l.isBlank()).toList();
        }
        if (Files.isRegularFile(jsonl)) {
            List<String> out = new ArrayList<>();
            List<String> lines = text(jsonl).lines().toList();
            for (int n = 0; n < lines.size(); n++) {
                if (lines.get(n).isBlank()) {
                    continue;
                }
                try {
                    JsonElement t = JsonParser.parseString(lines.get(n)).getAsJsonObject().get("text");
                    if (t == null || !t.isJsonPrimitive()) {
                        throw new IllegalArgumentException("no \"text\" string field");
                    }
                    if (!t.getAsString().isBlank()) {
                        out.add(t.getAsString());
                    }
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(jsonl + " line " + (n + 1) + ": not a JSON object with a "
                            + "\"text\" string (" + e.getMessage() + ")", e);
                }
            }
            return out;
        }
        if (Files.isRegularFile(dir.resolve("manifest.json"))) {
            return Corpus.open(dir).documents(lang, split);
        }
        throw new IllegalArgumentException("no text for language " + lang + " in " + dir + ": expected " + txt
                + " or " + jsonl);
    }

    private static String text(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
