package org.langneurons.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * LibreOffice's user-interface translations ({@code libreoffice-l10n-*}): gettext catalogs under
 * {@code usr/lib/libreoffice/program/resource/LOCALE/LC_MESSAGES/*.mo}. A dialog's strings (context
 * {@code dialog|widget}) form one unit {@code loui:CATALOG/DIALOG}; other strings are spread over 32 units
 * {@code loui:CATALOG/strings-N} by a hash of their context and source text, so the units are parallel across
 * languages. See {@link UiMessages} for how messages become documents.
 */
final class LibreOfficeUiExtractor implements Extractor {
    static final int LOOSE_BUCKETS = 32;

    @Override
    public List<Document> extract(Path root, Language lang, String locale) throws IOException {
        Path dir = root.resolve("usr/lib/libreoffice/program/resource/" + locale + "/LC_MESSAGES");
        List<UiMessages.Message> messages = new ArrayList<>();
        for (Path file : Extractor.files(dir, ".mo")) {
            String catalog = file.getFileName().toString().replaceAll("\\.mo$", "");
            List<MoCatalog.Entry> entries = new ArrayList<>(MoCatalog.read(file));
            entries.sort((a, b) -> (a.context() + "\u0004" + a.msgid()).compareTo(b.context() + "\u0004" + b.msgid()));
            for (MoCatalog.Entry e : entries) {
                if (e.msgstr().isBlank() || e.msgstr().equals(e.msgid())) {
                    continue;
                }
                int bar = e.context().indexOf('|');
                String unit = bar > 0 ? catalog + "/" + e.context().substring(0, bar)
                        : catalog + "/strings-" + UiMessages.bucket(e.context() + "\u0004" + e.msgid(), LOOSE_BUCKETS);
                messages.add(new UiMessages.Message("loui:" + unit, e.context() + "\u0004" + e.msgid(), e.msgstr()));
            }
        }
        return UiMessages.documents(messages, lang);
    }
}
