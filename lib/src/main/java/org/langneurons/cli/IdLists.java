package org.langneurons.cli;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code --ids 1,2,3} arguments. */
final class IdLists {
    private IdLists() {
    }

    static List<long[]> parse(List<String> args) {
        List<long[]> out = new ArrayList<>();
        if (args == null) {
            return out;
        }
        for (String arg : args) {
            if (arg.isBlank()) {
                throw new IllegalArgumentException("empty input: --ids needs at least one token id");
            }
            String[] parts = arg.split(",");
            long[] ids = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    ids[i] = Long.parseLong(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--ids " + arg + ": '" + parts[i]
                            + "' is not a token id (expected comma-separated integers)");
                }
            }
            out.add(ids);
        }
        return out;
    }
}
