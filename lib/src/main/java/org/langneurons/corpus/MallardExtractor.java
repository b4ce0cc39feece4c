package org.langneurons.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GNOME's user documentation ({@code gnome-user-docs}): Mallard {@code .page} XML under
 * {@code usr/share/help/LOCALE/GUIDE/}. One document per paragraph, title, description or table cell; id
 * {@code gnome:GUIDE/PAGE#N} with N the block's index in the page (the translations keep the page structure, so the
 * ids are parallel). Untranslated paragraphs stay in English in these files and are dropped by the script and
 * English checks. Credits, revision notes, code and screen listings are dropped.
 */
final class MallardExtractor implements Extractor {
    static final List<String> GUIDES = List.of("gnome-help", "system-admin-guide");
    private static final Set<String> BLOCKS = Set.of("p", "title", "subtitle", "desc", "td", "th", "item", "caption");

    static boolean skip(String tag, Map<String, String> attrs) {
        return switch (tag) {
            case "credit", "revision", "license", "screen", "media", "comment", "synopsis", "include" -> true;
            case "code" -> attrs.containsKey("mime") || "block".equals(attrs.get("style"));
            case "title" -> attrs.containsKey("type"); // link/sort titles repeat the page title
            default -> false;
        };
    }

    @Override
    public List<Document> extract(Path root, Language lang, String locale) throws IOException {
        Path base = root.resolve("usr/share/help/" + locale);
        if (!Files.isDirectory(base)) {
            throw new IOException("expected folder " + base + " is missing from the unpacked package");
        }
        List<Document> out = new ArrayList<>();
        for (String guide : GUIDES) {
            Path dir = base.resolve(guide);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (Path file : Extractor.files(dir, ".page")) {
                String page = guide + "/" + Extractor.relative(dir, file).replaceAll("\\.page$", "");
                int n = 0;
                for (Markup.Block b : Markup.blocks(Extractor.read(file), BLOCKS, MallardExtractor::skip)) {
                    out.add(new Document("gnome:" + page + "#" + n++, b.text()));
                }
            }
        }
        return out;
    }
}
