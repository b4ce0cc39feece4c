package org.langneurons.corpus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * A tolerant HTML/XML reader that cuts a page into text blocks: the text inside block elements (paragraphs,
 * headings, list items, cells), with inline markup removed and character references decoded. Text outside any block
 * element, and everything inside a skipped element, is dropped.
 */
final class Markup {
    private Markup() {
    }

    /** One block: its element name, its {@code id} attribute (or null), its text and its index among blocks. */
    record Block(String tag, String id, String text, int index) {
    }

    private record Open(String tag, Map<String, String> attrs) {
    }

    /**
     * @param markup the page
     * @param blockTags element names (lower case) that delimit blocks
     * @param skip element name and attributes of elements whose whole content is dropped
     * @return the non-blank blocks, whitespace-normalised
     */
    static List<Block> blocks(String markup, Set<String> blockTags, BiPredicate<String, Map<String, String>> skip) {
        List<Block> out = new ArrayList<>();
        Deque<Open> blocks = new ArrayDeque<>();
        Deque<String> skipping = new ArrayDeque<>();
        StringBuilder text = new StringBuilder();
        int n = markup.length();
        int i = 0;
        while (i < n) {
            char c = markup.charAt(i);
            if (c != '<') {
                int next = markup.indexOf('<', i);
                if (next < 0) {
                    next = n;
                }
                if (skipping.isEmpty() && !blocks.isEmpty()) {
                    text.append(markup, i, next);
                }
                i = next;
                continue;
            }
            if (markup.startsWith("<!--", i)) {
                int end = markup.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
                continue;
            }
            if (markup.startsWith("<![CDATA[", i)) {
                int end = markup.indexOf("]]>", i + 9);
                int stop = end < 0 ? n : end;
                if (skipping.isEmpty() && !blocks.isEmpty()) {
                    text.append(markup.substring(i + 9, stop).replace("&", "&amp;").replace("<", "&lt;"));
                }
                i = end < 0 ? n : end + 3;
                continue;
            }
            if (i + 1 < n && (markup.charAt(i + 1) == '!' || markup.charAt(i + 1) == '?')) {
                int end = markup.indexOf('>', i);
                i = end < 0 ? n : end + 1;
                continue;
            }
            int end = tagEnd(markup, i);
            if (end < 0) { // a lone '<' in text
                if (skipping.isEmpty() && !blocks.isEmpty()) {
                    text.append('<');
                }
                i++;
                continue;
            }
            String inner = markup.substring(i + 1, end);
            i = end + 1;
            boolean closing = inner.startsWith("/");
            boolean selfClosing = inner.endsWith("/");
            String body = inner.substring(closing ? 1 : 0, selfClosing ? inner.length() - 1 : inner.length()).strip();
            int sp = 0;
            while (sp < body.length() && !Character.isWhitespace(body.charAt(sp))) {
                sp++;
            }
            String name = body.substring(0, sp).toLowerCase(Locale.ROOT);
            int colon = name.indexOf(':');
            if (colon >= 0) {
                name = name.substring(colon + 1);
            }
            if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
                continue;
            }
            if (!skipping.isEmpty()) {
                if (closing && name.equals(skipping.peek())) {
                    skipping.pop();
                } else if (!closing && !selfClosing && name.equals(skipping.peek())) {
                    skipping.push(name); // nested element of the same name
                }
                continue;
            }
            if (closing) {
                if (blockTags.contains(name)) {
                    flush(out, blocks, text);
                    // pop up to the matching block (tolerates unclosed blocks)
                    String closed = name;
                    boolean found = blocks.stream().anyMatch(o -> o.tag().equals(closed));
                    while (found && !blocks.isEmpty()) {
                        if (blocks.pop().tag().equals(name)) {
                            break;
                        }
                    }
                } else if (name.equals("br")) {
                    text.append(' ');
                }
                continue;
            }
            Map<String, String> attrs = attributes(body.substring(sp));
            if (skip.test(name, attrs)) {
                if (!selfClosing && !isVoid(name)) {
                    skipping.push(name);
                }
                continue;
            }
            if (blockTags.contains(name)) {
                flush(out, blocks, text);
                if (!selfClosing) {
                    blocks.push(new Open(name, attrs));
                }
            } else if (name.equals("br") || name.equals("img")) {
                text.append(' ');
            }
        }
        flush(out, blocks, text);
        return out;
    }

    private static boolean isVoid(String name) {
        return switch (name) {
            case "br", "img", "meta", "link", "input", "hr", "col", "base", "area", "source", "wbr" -> true;
            default -> false;
        };
    }

    private static void flush(List<Block> out, Deque<Open> blocks, StringBuilder text) {
        if (text.length() == 0) {
            return;
        }
        String t = TextCleaner.normalize(TextCleaner.decodeEntities(text.toString()));
        text.setLength(0);
        if (t.isEmpty() || blocks.isEmpty()) {
            return;
        }
        Open o = blocks.peek();
        out.add(new Block(o.tag(), o.attrs().get("id"), t, out.size()));
    }

    /** Index of the '>' closing the tag that starts at {@code start}, honouring quoted attribute values. */
    private static int tagEnd(String s, int start) {
        char quote = 0;
        for (int j = start + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return j;
            } else if (c == '<' && j == start + 1) {
                return -1;
            }
        }
        return -1;
    }

    static Map<String, String> attributes(String s) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == '/')) {
                i++;
            }
            int ns = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(ns, i).toLowerCase(Locale.ROOT);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String value = "";
            if (i < n && s.charAt(i) == '=') {
                i++;
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                    char q = s.charAt(i++);
                    int vs = i;
                    while (i < n && s.charAt(i) != q) {
                        i++;
                    }
                    value = s.substring(vs, i);
                    i++;
                } else {
                    int vs = i;
                    while (i < n && !Character.isWhitespace(s.charAt(i))) {
                        i++;
                    }
                    value = s.substring(vs, i);
                }
            }
            if (!key.isEmpty()) {
                out.put(key, TextCleaner.decodeEntities(value));
            }
        }
        return out;
    }

    /** Whether the space-separated {@code class} attribute contains {@code cls}. */
    static boolean hasClass(Map<String, String> attrs, String cls) {
        String c = attrs.get("class");
        if (c == null) {
            return false;
        }
        for (String part : c.split("\\s+")) {
            if (part.equals(cls)) {
                return true;
            }
        }
        return false;
    }
}
