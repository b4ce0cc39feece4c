package org.langneurons.corpus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A compiled GNU gettext catalog ({@code .mo}): context, source string and translation of each entry. */
final class MoCatalog {
    /** One entry; {@code context} is empty when there is none; plural entries keep their first forms. */
    record Entry(String context, String msgid, String msgstr) {
    }

    private MoCatalog() {
    }

    static List<Entry> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.capacity() < 28) {
            throw new IOException(file + " is not a gettext .mo catalog (too short)");
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic == 0xde120495) {
            b.order(ByteOrder.BIG_ENDIAN);
        } else if (magic != 0x950412de) {
            throw new IOException(file + " is not a gettext .mo catalog (magic " + Integer.toHexString(magic) + ")");
        }
        int n = b.getInt(8);
        int originals = b.getInt(12);
        int translations = b.getInt(16);
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String key = string(b, originals + 8 * i, file);
            String value = string(b, translations + 8 * i, file);
            if (key.isEmpty()) {
                continue; // the header entry
            }
            int eot = key.indexOf('\u0004');
            String ctx = eot < 0 ? "" : key.substring(0, eot);
            String id = eot < 0 ? key : key.substring(eot + 1);
            int nul = id.indexOf('\0');
            if (nul >= 0) {
                id = id.substring(0, nul);
            }
            nul = value.indexOf('\0');
            if (nul >= 0) {
                value = value.substring(0, nul);
            }
            out.add(new Entry(ctx, id, value));
        }
        return out;
    }

    private static String string(ByteBuffer b, int at, Path file) throws IOException {
        try {
            int len = b.getInt(at);
            int off = b.getInt(at + 4);
            return new String(b.array(), off, len, StandardCharsets.UTF_8);
        } catch (IndexOutOfBoundsException e) {
            throw new IOException(file + " is a truncated or malformed .mo catalog", e);
        }
    }
}
