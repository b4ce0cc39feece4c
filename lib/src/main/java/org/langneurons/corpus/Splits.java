package org.langneurons.corpus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic split rule. Every document belongs to a <em>unit</em>: its alignment id up to the first
 * {@code '#'} (a page, an article, a dialog's strings), or {@code sha256:} and 16 hex digits of its text's SHA-256
 * when it has no id. A unit's position {@code u} in [0, 1) is the first 8 bytes of SHA-256({@value #SALT} + unit),
 * read as an unsigned number over 2<sup>64</sup>. Units with {@code u < 0.8} go to train, {@code 0.8 <= u < 0.9} to
 * validation, {@code u >= 0.9} to identification. Validation and identification take their units in order of
 * {@code u} (then unit) while the split stays within its cap of characters, and only documents with at least
 * {@link Language#STRICT_SCRIPT_SHARE} of their letters in the language's script; a unit that does not fit goes to
 * train whole, and the too-mixed documents of a unit taken are left out. Parallel texts share units, so they land in
 * the same split in every language (up to the caps).
 *
 * <pre>{@code
 * String unit = Splits.unit("lohelp:shared/01/05020300#par_id3150447", "...");   // "lohelp:shared/01/05020300"
 * Split before = Splits.bucket(unit);   // where the unit goes unless a cap sends it to train
 * Splits.Assignment a = Splits.assign(List.of(new Document(null, "Bonjour tout le monde, et bienvenue.")),
 *         Language.FR, Splits.DEFAULT_CAP_CHARS);
 * }</pre>
 */
public final class Splits {
    /** Prefix hashed with every unit key; changing it reshuffles all splits. */
    public static final String SALT = "langneurons-corpus-v1:";
    /** Units below this position go to train. */
    public static final double TRAIN_END = 0.8;
    /** Units from {@link #TRAIN_END} up to this position go to validation, the rest to identification. */
    public static final double VALIDATION_END = 0.9;
    /** The default cap of validation and of identification, in characters per language. */
    public static final int DEFAULT_CAP_CHARS = 100_000;

    private Splits() {
    }

    /** The unit of a document: its id up to the first '#', or a hash of its text when it has no id. */
    public static String unit(String id, String text) {
        if (id == null || id.isEmpty() || id.equals("-")) {
            return "sha256:" + sha256Hex(text).substring(0, 16);
        }
        int hash = id.indexOf('#');
        return hash < 0 ? id : id.substring(0, hash);
    }

    /** Position of a unit in [0, 1). */
    public static double position(String unit) {
        byte[] d = sha256(SALT + unit);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        // unsigned v / 2^64
        return ((v >>> 11) * 0x1.0p-53);
    }

    /** The split a position falls in before caps. */
    public static Split bucket(double position) {
        return position < TRAIN_END ? Split.TRAIN : position < VALIDATION_END ? Split.VALIDATION : Split.IDENTIFICATION;
    }

    /** The split a unit falls in before caps. */
    public static Split bucket(String unit) {
        return bucket(position(unit));
    }

    /** What {@link #assign} did with one language's documents. */
    public record Assignment(Map<Split, List<Document>> splits, int overflowUnits, int mixedDropped) {
    }

    /**
     * Splits one language's (cleaned, deduplicated) documents. Each split lists its units in order of position and
     * each unit's documents in their original order.
     */
    public static Assignment assign(List<Document> docs, Language lang, long capChars) {
        Map<String, List<Document>> units = new LinkedHashMap<>();
        for (Document d : docs) {
            units.computeIfAbsent(unit(d.id(), d.text()), k -> new ArrayList<>()).add(d);
        }
        record Unit(String key, double u, List<Document> docs) {
        }
        List<Unit> ordered = new ArrayList<>();
        units.forEach((k, v) -> ordered.add(new Unit(k, position(k), v)));
        ordered.sort(Comparator.comparingDouble(Unit::u).thenComparing(Unit::key));

        Map<Split, List<Document>> out = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            out.put(s, new ArrayList<>());
        }
        Map<Split, Long> used = new EnumMap<>(Split.class);
        int overflow = 0;
        int mixed = 0;
        for (Unit unit : ordered) {
            Split s = bucket(unit.u());
            if (s == Split.TRAIN) {
                out.get(s).addAll(unit.docs());
                continue;
            }
            List<Document> strict = new ArrayList<>();
            long chars = 0;
            for (Document d : unit.docs()) {
                if (lang.scriptShare(d.text()) >= Language.STRICT_SCRIPT_SHARE) {
                    strict.add(d);
                    chars += TextCleaner.length(d.text());
                }
            }
            long have = used.getOrDefault(s, 0L);
            if (have + chars <= capChars) {
                used.put(s, have + chars);
                out.get(s).addAll(strict);
                mixed += unit.docs().size() - strict.size();
            } else {
                overflow++;
                out.get(Split.TRAIN).addAll(unit.docs());
            }
        }
        return new Assignment(out, overflow, mixed);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String s) {
        return HexFormat.of().formatHex(sha256(s));
    }
}
