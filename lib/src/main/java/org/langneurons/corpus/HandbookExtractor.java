package org.langneurons.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Debian Administrator's Handbook ({@code debian-handbook}): Publican HTML under
 * {@code usr/share/doc/debian-handbook/html/LOCALE/}. One document per paragraph, heading, list item or cell; id
 * {@code handbook:PAGE#N} with N the block's index in the page (the translations keep the structure). Tables of
 * contents, navigation, the index and program listings are dropped.
 */
final class HandbookExtractor implements Extractor {
    private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th",
            "dt", "dd");

    static boolean skip(String tag, Map<String, String> attrs) {
        return switch (tag) {
            case "head", "script", "style", "pre", "code" -> !tag.equals("code") || Markup.hasClass(attrs, "screen");
            case "div" -> Markup.hasClass(attrs, "toc") || Markup.hasClass(attrs, "list-of-examples")
                    || Markup.hasClass(attrs, "list-of-figures") || Markup.hasClass(attrs, "list-of-tables")
                    || Markup.hasClass(attrs, "navfooter") || Markup.hasClass(attrs, "navheader");
            case "ul" -> Markup.hasClass(attrs, "docnav");
            case "p" -> "title".equals(attrs.get("id"));
            default -> false;
        };
    }

    @Override
    public List<Document> extract(Path root, Language lang, String locale) throws IOException {
        Path dir = root.resolve("usr/share/doc/debian-handbook/html/" + locale);
        List<Document> out = new ArrayList<>();
        for (Path file : Extractor.files(dir, ".html")) {
            String name = Extractor.relative(dir, file);
            if (name.contains("/") || name.startsWith("ix") || name.equals("index.html")) {
                continue; // Common_Content, the index, the table of contents page
            }
            String page = name.replaceAll("\\.html$", "");
            int n = 0;
            for (Markup.Block b : Markup.blocks(Extractor.read(file), BLOCKS, HandbookExtractor::skip)) {
                out.add(new Document("handbook:" + page + "#" + n++, b.text()));
            }
        }
        return out;
    }
}
