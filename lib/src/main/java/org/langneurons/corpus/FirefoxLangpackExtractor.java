package org.langneurons.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Firefox ESR's language packs ({@code firefox-esr-l10n-*}): the {@code .xpi} (a zip) under
 * {@code usr/lib/firefox-esr/browser/extensions/} holds Fluent ({@code .ftl}) and {@code .properties} message files.
 * Each message file is one unit {@code firefox:PATH} (the locale removed from the path, so units are parallel); the
 * values and the visible attributes (label, title, tooltip, placeholder, ...) of its messages are its strings, the
 * default variant of a selector stands for the selector, access keys and shortcuts are dropped, brand terms become
 * "Firefox" / "Mozilla". See {@link UiMessages} for how messages become documents.
 */
final class FirefoxLangpackExtractor implements Extractor {
    private static final Set<String> VISIBLE_ATTRIBUTES = Set.of("label", "title", "tooltiptext", "placeholder",
            "aria-label", "heading", "value", "alt", "message", "description", "aria-description", "text");
    private static final Pattern MESSAGE = Pattern.compile("^([a-zA-Z][\\w-]*)\\s*=\\s*(.*)$");
    private static final Pattern TERM = Pattern.compile("^-[\\w-]+\\s*=.*$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^\\.([\\w-]+)\\s*=\\s*(.*)$");
    private static final Pattern DEFAULT_VARIANT = Pattern.compile("^\\*\\[[^\\]]*\\]\\s*(.*)$");
    private static final Pattern VARIANT = Pattern.compile("^\\[[^\\]]*\\]\\s*(.*)$");
    private static final Pattern BRAND = Pattern.compile("\\{\\s*-brand-[\\w-]*name[^}]*\\}");
    private static final Pattern VENDOR = Pattern.compile("\\{\\s*-vendor-short-name[^}]*\\}");
    private static final Pattern PROPERTY = Pattern.compile("^([^=:#!\\s][^=:]*?)\\s*[=:]\\s*(.*)$");

    @Override
    public List<Document> extract(Path root, Language lang, String locale) throws IOException {
        List<Path> xpis = Extractor.files(root.resolve("usr/lib/firefox-esr/browser/extensions"), ".xpi");
        if (xpis.isEmpty()) {
            throw new IOException("no language pack (.xpi) under " + root.resolve("usr/lib/firefox-esr"));
        }
        List<UiMessages.Message> messages = new ArrayList<>();
        for (Path xpi : xpis) {
            try (ZipFile zip = new ZipFile(xpi.toFile(), StandardCharsets.UTF_8)) {
                TreeMap<String, ZipEntry> entries = new TreeMap<>();
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry z = e.nextElement();
                    if (!z.isDirectory() && (z.getName().endsWith(".ftl") || z.getName().endsWith(".properties"))) {
                        entries.put(z.getName(), z);
                    }
                }
                for (var en : entries.entrySet()) {
                    String text = new String(zip.getInputStream(en.getValue()).readAllBytes(), StandardCharsets.UTF_8);
                    String unit = "firefox:" + withoutLocale(en.getKey(), locale);
                    List<String[]> strings = en.getKey().endsWith(".ftl") ? fluent(text) : properties(text);
                    for (String[] s : strings) {
                        messages.add(new UiMessages.Message(unit, s[0], s[1]));
                    }
                }
            }
        }
        return UiMessages.documents(messages, lang);
    }

    static String withoutLocale(String path, String locale) {
        StringBuilder out = new StringBuilder();
        for (String seg : path.split("/")) {
            if (seg.equalsIgnoreCase(locale)) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(seg);
        }
        return out.toString();
    }

    /** The visible strings of a Fluent file as {key, text} pairs. */
    static List<String[]> fluent(String ftl) {
        List<String[]> out = new ArrayList<>();
        String id = null;
        String target = null;
        StringBuilder text = new StringBuilder();
        int select = 0; // 0 outside a selector, 1 in a default variant, 2 in another variant
        boolean inSelector = false;
        for (String line : ftl.split("\r?\n", -1)) {
            if (line.startsWith("#")) {
                continue;
            }
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                add(out, id, target, text);
                target = null;
                id = null;
                inSelector = false;
                Matcher m = MESSAGE.matcher(line);
                if (m.matches() && !TERM.matcher(line).matches()) {
                    id = m.group(1);
                    target = "";
                    inSelector = startSelector(m.group(2), text);
                    select = 0;
                }
                continue;
            }
            if (id == null) {
                continue;
            }
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            Matcher attr = ATTRIBUTE.matcher(t);
            if (!inSelector && attr.matches()) {
                add(out, id, target, text);
                target = VISIBLE_ATTRIBUTES.contains(attr.group(1)) ? attr.group(1) : null;
                inSelector = startSelector(attr.group(2), text);
                select = 0;
                continue;
            }
            if (inSelector) {
                Matcher dv = DEFAULT_VARIANT.matcher(t);
                Matcher v = VARIANT.matcher(t);
                if (dv.matches()) {
                    select = 1;
                    text.append(' ').append(dv.group(1));
                } else if (v.matches()) {
                    select = 2;
                } else if (t.equals("}")) {
                    inSelector = false;
                    select = 0;
                } else if (select == 1) {
                    text.append(' ').append(t);
                }
                continue;
            }
            if (t.endsWith("->") && t.contains("{")) {
                inSelector = startSelector(t, text);
                select = 0;
                continue;
            }
            text.append(' ').append(t);
        }
        add(out, id, target, text);
        return out;
    }

    private static boolean startSelector(String value, StringBuilder text) {
        int arrow = value.indexOf("->");
        if (value.strip().endsWith("->") && value.contains("{")) {
            text.append(value, 0, value.lastIndexOf('{', arrow));
            return true;
        }
        text.append(value);
        return false;
    }

    private static void add(List<String[]> out, String id, String target, StringBuilder text) {
        String t = text.toString().strip();
        text.setLength(0);
        if (id == null || target == null || t.isEmpty()) {
            return;
        }
        t = BRAND.matcher(t).replaceAll("Firefox");
        t = VENDOR.matcher(t).replaceAll("Mozilla");
        out.add(new String[] {target.isEmpty() ? id : id + "." + target, t});
    }

    /** The strings of a Java-style .properties file as {key, text} pairs (access keys and shortcuts dropped). */
    static List<String[]> properties(String props) {
        List<String[]> out = new ArrayList<>();
        String[] lines = props.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            StringBuilder full = new StringBuilder(line);
            while (full.length() > 0 && full.charAt(full.length() - 1) == '\\' && i + 1 < lines.length) {
                full.setLength(full.length() - 1);
                full.append(lines[++i].strip());
            }
            Matcher m = PROPERTY.matcher(full);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1);
            String k = key.toLowerCase(Locale.ROOT);
            if (k.endsWith("accesskey") || k.endsWith(".key") || k.endsWith("commandkey") || k.endsWith("keycode")) {
                continue;
            }
            out.add(new String[] {key, unescape(m.group(2))});
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n', 't', 'r' -> out.append(' ');
                case 'u' -> {
                    if (i + 4 < s.length()) {
                        try {
                            out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                            i += 4;
                        } catch (NumberFormatException e) {
                            out.append('u');
                        }
                    }
                }
                default -> out.append(n);
            }
        }
        return out.toString();
    }
}
