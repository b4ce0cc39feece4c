package org.langneurons.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * LibreOffice's offline help ({@code libreoffice-help-*}): HTML pages under
 * {@code usr/share/libreoffice/help/LOCALE/text/}. One document per paragraph or heading that carries a translation
 * id ({@code par_id...}, {@code hd_id...}); id {@code lohelp:PAGE#PARID} (PAGE relative to {@code text/}, e.g.
 * {@code shared/01/05020300}), parallel across languages. Navigation,
 * search, footer and examples of code are dropped.
 */
final class LibreOfficeHelpExtractor implements Extractor {
    private static final Set<String> BLOCKS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th");
    private static final Pattern PARAGRAPH_ID = Pattern.compile("(par|hd)_id\\w+");

    static boolean skip(String tag, Map<String, String> attrs) {
        return switch (tag) {
            case "head", "script", "style", "noscript", "header", "aside", "footer", "nav", "pre", "code" -> true;
            case "span" -> attrs.containsKey("hidden") && attrs.containsKey("class"); // other systems' variants
            case "div" -> "SearchFrame".equals(attrs.get("id")) || "DonationFrame".equals(attrs.get("id"))
                    || Markup.hasClass(attrs, "relatedtopics") || Markup.hasClass(attrs, "bascode")
                    || Markup.hasClass(attrs, "pycode");
            default -> false;
        };
    }

    @Override
    public List<Document> extract(Path root, Language lang, String locale) throws IOException {
        Path dir = root.resolve("usr/share/libreoffice/help/" + locale);
        List<Document> out = new ArrayList<>();
        Path text = dir.resolve("text");
        for (Path file : Extractor.files(text, ".html")) {
            String page = Extractor.relative(text, file).replaceAll("\\.html$", "");
            for (Markup.Block b : Markup.blocks(Extractor.read(file), BLOCKS, LibreOfficeHelpExtractor::skip)) {
                if (b.id() != null && PARAGRAPH_ID.matcher(b.id()).matches()) {
                    out.add(new Document("lohelp:" + page + "#" + b.id(), b.text()));
                }
            }
        }
        return out;
    }
}
