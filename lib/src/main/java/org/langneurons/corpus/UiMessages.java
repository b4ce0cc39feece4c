package org.langneurons.corpus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns user-interface strings into documents. Each message is cleaned ({@link TextCleaner#cleanUiMessage}) and kept
 * only if it has at least two letters, mostly in the language's script ({@link Language#MIN_SCRIPT_SHARE}), and was
 * not seen before in the language; the messages of one unit (a dialog, a message file, or a hash bucket of loose
 * strings) are then joined with spaces, {@value #PER_DOCUMENT} at a time in the unit's order, into documents with
 * ids {@code UNIT#K}.
 */
final class UiMessages {
    static final int PER_DOCUMENT = 20;

    /** One message: the unit it belongs to, its key within the unit, its translated text. */
    record Message(String unit, String key, String text) {
    }

    private UiMessages() {
    }

    static List<Document> documents(List<Message> messages, Language lang) {
        Set<String> seen = new HashSet<>();
        Map<String, List<String>> units = new LinkedHashMap<>();
        for (Message m : messages) {
            String t = TextCleaner.cleanUiMessage(m.text());
            if (TextCleaner.letters(t) < 2 || lang.scriptShare(t) < Language.MIN_SCRIPT_SHARE || !seen.add(t)) {
                continue;
            }
            units.computeIfAbsent(m.unit(), k -> new ArrayList<>()).add(t);
        }
        List<Document> out = new ArrayList<>();
        units.forEach((unit, texts) -> {
            for (int k = 0; k * PER_DOCUMENT < texts.size(); k++) {
                List<String> chunk = texts.subList(k * PER_DOCUMENT, Math.min(texts.size(), (k + 1) * PER_DOCUMENT));
                out.add(new Document(unit + "#" + k, String.join(" ", chunk)));
            }
        });
        return out;
    }

    /** FNV-1a 32-bit hash, for spreading loose strings over a fixed number of units. */
    static int bucket(String key, int buckets) {
        int h = 0x811c9dc5;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x01000193;
        }
        return Integer.remainderUnsigned(h, buckets);
    }
}
