package org.langneurons.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped corpus (validation and identification of the 16 languages) and the cleaning, script and split rules.
 * Needs no network. Set LANGNEURONS_CORPUS_FULL to a full build (with train) to also check train against it.
 */
class CorpusTest {
    private static final List<String> SIXTEEN = List.of("en", "fr", "es", "vi", "id", "ja", "zh", "bn", "hi", "ta",
            "te", "mr", "ur", "kn", "ml", "pa");
    private static final List<Split> HELD_OUT = List.of(Split.VALIDATION, Split.IDENTIFICATION);

    // ---- the shipped data ----

    @Test
    void shipsAllSixteenLanguagesWithHeldOutSplitsWithinTheCap() throws Exception {
        Corpus c = Corpus.openDefault();
        assertEquals(SIXTEEN, c.languages());
        long cap = c.manifest().getAsJsonObject("split").get("cap_characters").getAsLong();
        assertTrue(cap <= 100_000, "cap " + cap);
        for (String lang : SIXTEEN) {
            assertFalse(c.has(lang, Split.TRAIN), lang + ": train must not be shipped");
            assertTrue(c.characters(lang, Split.TRAIN) > 100_000, lang + ": the manifest records the train split");
            for (Split s : HELD_OUT) {
                List<String> docs = c.documents(lang, s);
                assertFalse(docs.isEmpty(), lang + " " + s);
                long chars = docs.stream().mapToLong(TextCleaner::length).sum();
                assertTrue(chars > 0 && chars <= cap, lang + " " + s + ": " + chars + " characters");
                JsonObject rec = c.languageEntry(lang).getAsJsonObject("splits").getAsJsonObject(s.fileStem());
                assertEquals(chars, rec.get("characters").getAsLong(), lang + " " + s);
                assertEquals(docs.size(), rec.get("documents").getAsInt(), lang + " " + s);
                byte[] file = Files.readAllBytes(c.directory().resolve(lang).resolve(s.fileStem() + ".txt"));
                assertEquals(rec.get("sha256").getAsString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)), lang + " " + s);
                assertEquals(docs.size(), c.ids(lang, s).size(), lang + " " + s + ": one id per document");
            }
        }
    }

    @Test
    void shippedDocumentsAreInTheExpectedScriptCleanAndUnique() {
        Corpus c = Corpus.openDefault();
        Set<String> sources = c.manifest().getAsJsonObject("sources").keySet();
        for (String code : SIXTEEN) {
            Language lang = Language.of(code);
            Set<String> seen = new HashSet<>();
            for (Split s : HELD_OUT) {
                List<String> docs = c.documents(code, s);
                List<String> ids = c.ids(code, s);
                for (int i = 0; i < docs.size(); i++) {
                    String d = docs.get(i);
                    double share = lang.scriptShare(d);
                    assertTrue(share >= 0.9, code + " " + s + " line " + (i + 1) + " has " + share + ": " + d);
                    assertTrue(TextCleaner.length(d) >= lang.minChars(), code + " line " + (i + 1));
                    assertEquals(d.strip(), d);
                    assertFalse(d.contains("  ") || d.contains("\t") || d.contains("\r"), d);
                    assertTrue(Normalizer.isNormalized(d, Normalizer.Form.NFC), d);
                    assertFalse(d.matches(".*<(p|span|a|div|br)[ >/].*"), "markup left: " + d);
                    assertTrue(seen.add(d), code + ": document repeats: " + d);
                    String src = ids.get(i).substring(0, ids.get(i).indexOf(':'));
                    assertTrue(sources.contains(src), ids.get(i));
                }
            }
        }
    }

    @Test
    void validationAndIdentificationAreDisjointFromEachOtherAndFromTrain() {
        Corpus c = Corpus.openDefault();
        for (String lang : SIXTEEN) {
            Map<Split, Set<String>> units = new HashMap<>();
            Map<Split, Set<String>> texts = new HashMap<>();
            for (Split s : HELD_OUT) {
                List<String> docs = c.documents(lang, s);
                List<String> ids = c.ids(lang, s);
                Set<String> u = new HashSet<>();
                for (int i = 0; i < docs.size(); i++) {
                    String unit = Splits.unit(ids.get(i), docs.get(i));
                    // the recorded unit hashes into this split's bucket, never into train's
                    assertEquals(s, Splits.bucket(unit), lang + " " + s + ": " + unit);
                    u.add(unit);
                }
                units.put(s, u);
                texts.put(s, new HashSet<>(docs));
            }
            assertTrue(disjoint(units.get(Split.VALIDATION), units.get(Split.IDENTIFICATION)), lang);
            assertTrue(disjoint(texts.get(Split.VALIDATION), texts.get(Split.IDENTIFICATION)), lang);
            JsonObject splits = c.languageEntry(lang).getAsJsonObject("splits");
            for (Split s : HELD_OUT) {
                assertEquals(units.get(s).size(), splits.getAsJsonObject(s.fileStem()).get("units").getAsInt(), lang);
            }
        }
    }

    @Test
    void fullBuildTrainIsDisjointFromTheShippedHeldOutSets() {
        String full = System.getenv("LANGNEURONS_CORPUS_FULL");
        Assumptions.assumeTrue(full != null && Files.isDirectory(Path.of(full)),
                "set LANGNEURONS_CORPUS_FULL to a full corpus build to run this check");
        Corpus shipped = Corpus.openDefault();
        Corpus c = Corpus.open(Path.of(full));
        for (String lang : SIXTEEN) {
            List<String> train = c.documents(lang, Split.TRAIN);
            List<String> trainIds = c.ids(lang, Split.TRAIN);
            assertEquals(shipped.languageEntry(lang).getAsJsonObject("splits").getAsJsonObject("train")
                    .get("sha256").getAsString(),
                    c.languageEntry(lang).getAsJsonObject("splits").getAsJsonObject("train").get("sha256")
                            .getAsString(), lang + ": the full build is the one the shipped manifest records");
            Set<String> trainText = new HashSet<>(train);
            Set<String> trainUnits = new HashSet<>();
            for (int i = 0; i < train.size(); i++) {
                trainUnits.add(Splits.unit(trainIds.get(i), train.get(i)));
            }
            for (Split s : HELD_OUT) {
                List<String> docs = shipped.documents(lang, s);
                List<String> ids = shipped.ids(lang, s);
                for (int i = 0; i < docs.size(); i++) {
                    assertFalse(trainText.contains(docs.get(i)), lang + " " + s + " text in train: " + docs.get(i));
                    assertFalse(trainUnits.contains(Splits.unit(ids.get(i), docs.get(i))), lang + " " + ids.get(i));
                }
            }
        }
    }

    @Test
    void parallelIdsLandInTheSameSplitAcrossLanguages() {
        Corpus c = Corpus.openDefault();
        Map<String, Split> where = new HashMap<>();
        int shared = 0;
        for (String lang : SIXTEEN) {
            for (Split s : HELD_OUT) {
                for (String id : c.ids(lang, s)) {
                    Split before = where.putIfAbsent(Splits.unit(id, ""), s);
                    if (before != null) {
                        assertEquals(before, s, id);
                        shared++;
                    }
                }
            }
        }
        assertTrue(shared > 100, "parallel units seen in several languages: " + shared);
    }

    // ---- scripts and cleaning ----

    @Test
    void devanagariWithAStrayEnglishWordIsHindiButEnglishIsNot() {
        String hi = "यह दस्तावेज़ LibreOffice में खोला जा सकता है और आप इसे आसानी से संपादित कर सकते हैं।";
        assertNull(TextCleaner.rejection(hi, Language.HI));
        assertTrue(Language.HI.scriptShare(hi) > 0.8);
        String en = "This document can be opened in LibreOffice and you can edit it easily.";
        assertEquals("script", TextCleaner.rejection(en, Language.HI));
        assertEquals(0.0, Language.HI.scriptShare(en));
        assertNull(TextCleaner.rejection(en, Language.EN));
        // Marathi shares the script; Bengali does not
        assertNull(TextCleaner.rejection(hi, Language.MR));
        assertEquals("script", TextCleaner.rejection(hi, Language.BN));
    }

    @Test
    void scriptsOfTheOtherLanguages() {
        assertNull(TextCleaner.rejection("ファイルを開くには、メニューから選択します。", Language.JA));
        assertNull(TextCleaner.rejection("要打开文件，请从菜单中选择。", Language.ZH));
        assertEquals("script", TextCleaner.rejection("ファイルを開くには、メニューから選択します。", Language.ZH)); // kana
        assertNull(TextCleaner.rejection("فائل کھولنے کے لیے مینو سے منتخب کریں۔", Language.UR));
        assertNull(TextCleaner.rejection("கோப்பைத் திறக்க மெனுவிலிருந்து தேர்ந்தெடுக்கவும்.", Language.TA));
        assertNull(TextCleaner.rejection("ಕಡತವನ್ನು ತೆರೆಯಲು ಮೆನುವಿನಿಂದ ಆಯ್ಕೆ ಮಾಡಿ.", Language.KN));
        assertNull(TextCleaner.rejection("ഫയൽ തുറക്കാൻ മെനുവിൽ നിന്ന് തിരഞ്ഞെടുക്കുക.", Language.ML));
        assertNull(TextCleaner.rejection("ਫਾਈਲ ਖੋਲ੍ਹਣ ਲਈ ਮੀਨੂ ਵਿੱਚੋਂ ਚੁਣੋ।", Language.PA));
        assertNull(TextCleaner.rejection("ফাইল খুলতে মেনু থেকে নির্বাচন করুন।", Language.BN));
        assertNull(TextCleaner.rejection("ఫైల్‌ను తెరవడానికి మెను నుండి ఎంచుకోండి.", Language.TE));
        // short texts: 20 code points, 8 for CJK
        assertEquals("short", TextCleaner.rejection("Bonjour à tous", Language.FR));
        assertNull(TextCleaner.rejection("选择文件菜单命令", Language.ZH));
        assertEquals("short", TextCleaner.rejection("选择文件", Language.ZH));
        assertEquals("script", TextCleaner.rejection("12345 67890 12345 67890 !!", Language.FR)); // no letters
    }

    @Test
    void untranslatedEnglishIsRecognisedInLatinScriptLanguages() {
        String en = "Click the Options button to open the dialog, and then select the entry that you want.";
        assertTrue(TextCleaner.looksEnglish(en));
        assertEquals("english", TextCleaner.rejection(en, Language.FR));
        assertEquals("english", TextCleaner.rejection(en, Language.VI));
        for (String s : List.of(
                "Cliquez sur le bouton Options pour ouvrir la boîte de dialogue, puis sélectionnez l'entrée voulue.",
                "Haga clic en el botón Opciones para abrir el diálogo y seleccione la entrada que desee.",
                "Nhấn vào nút Tùy chọn để mở hộp thoại, sau đó chọn mục bạn muốn.",
                "Klik tombol Opsi untuk membuka dialog, lalu pilih entri yang Anda inginkan.")) {
            assertFalse(TextCleaner.looksEnglish(s), s);
        }
    }

    @Test
    void cleaningStripsMarkupEntitiesPlaceholdersAndNormalises() {
        assertEquals("Résumé & co — fin", TextCleaner.clean("R&eacute;sum&#233; &amp; co &mdash; fin"));
        assertEquals("Texte en gras ici", TextCleaner.clean("Texte <b>en  gras</b>\n\t ici"));
        assertEquals("é", TextCleaner.clean("e\u0301"));
        assertEquals("क्षेत्र में", TextCleaner.clean("क्षेत्र\u200b में\u00a0"));
        assertEquals("क\u200dष", TextCleaner.clean("क\u200dष")); // ZWJ kept
        assertEquals("Fichier non trouvé.", TextCleaner.clean("Fichier $(ARG1) non trouvé."));
        assertEquals("Impossible d'ouvrir .", TextCleaner.clean("Impossible d'ouvrir %s."));
        assertEquals("Copier éléments", TextCleaner.clean("Copier { $count } éléments"));
        assertEquals("Bienvenue dans LibreOffice", TextCleaner.clean("Bienvenue dans %PRODUCTNAME"));
        assertEquals("50% des cas", TextCleaner.clean("50% des cas"));
        assertEquals("Ouvrir le fichier", TextCleaner.cleanUiMessage("~Ouvrir le _fichier..."));
        assertEquals("ファイル", TextCleaner.cleanUiMessage("ファイル(_F)"));
        assertEquals("file_name reste", TextCleaner.cleanUiMessage("file_name reste"));
    }

    @Test
    void markupBlocksKeepIdsAndSkipNavigation() {
        String html = "<html><head><title>T</title></head><body><header><p>Menu</p></header>"
                + "<h1 id=\"hd_id1\">Titre <em>important</em></h1><!-- c --><p id=\"par_id2\" class=\"paragraph\">"
                + "Un <a href=\"x\">lien</a> et du texte&nbsp;: 3 &lt; 4.<br/>Suite</p>"
                + "<p id=\"par_id3\">Ctrl<span hidden=\"true\" class=\"MAC\">Command</span></p>"
                + "<footer><p>debug</p></footer></body></html>";
        List<Markup.Block> b = Markup.blocks(html, Set.of("p", "h1"), LibreOfficeHelpExtractor::skip);
        assertEquals(3, b.size(), b.toString());
        assertEquals("hd_id1", b.get(0).id());
        assertEquals("Titre important", b.get(0).text());
        assertEquals("Un lien et du texte : 3 < 4. Suite", b.get(1).text());
        assertEquals("Ctrl", b.get(2).text());
    }

    @Test
    void udhrArticlesAreDocumentsWithParallelIds(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("package/declaration/xyz.html");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "<html><body><h1>Déclaration</h1><header><h2>Préambule</h2><p>Considérant que la"
                + " reconnaissance</p></header><article data-number=\"1\"><h2>Article 1</h2><p>Tous les êtres"
                + " humains naissent libres.</p><ol><li>un</li><li>deux</li></ol></article></body></html>");
        List<Document> d = new UdhrExtractor().extract(tmp, Language.FR, "xyz");
        assertEquals(List.of(new Document("udhr:preamble", "Déclaration Préambule Considérant que la reconnaissance"),
                new Document("udhr:article-1", "Article 1 Tous les êtres humains naissent libres. un deux")), d);
    }

    @Test
    void moCatalogsAndFluentFilesAreRead(@TempDir Path tmp) throws Exception {
        Path mo = tmp.resolve("t.mo");
        Files.write(mo, mo(List.of("", "dlg|label\u0004Open file", "Save"), List.of("header", "फ़ाइल खोलें", "सहेजें")));
        List<MoCatalog.Entry> e = MoCatalog.read(mo);
        assertEquals(List.of(new MoCatalog.Entry("dlg|label", "Open file", "फ़ाइल खोलें"),
                new MoCatalog.Entry("", "Save", "सहेजें")), e);

        String ftl = "# comment\n-brand-short-name = Firefox\nclose = மூடு\n    .accesskey = C\n"
                + "restart = { -brand-short-name } மறுதுவக்கம்\n    .title = மீண்டும் தொடங்கு\n"
                + "tabs =\n    { $n ->\n        [one] ஒரு கீற்று\n       *[other] { $n } கீற்றுகள்\n    }\n";
        List<String> got = FirefoxLangpackExtractor.fluent(ftl).stream().map(p -> p[0] + "=" + p[1]).toList();
        assertEquals(List.of("close=மூடு", "restart=Firefox மறுதுவக்கம்", "restart.title=மீண்டும் தொடங்கு",
                "tabs={ $n } கீற்றுகள்"), got);
        List<String> props = FirefoxLangpackExtractor.properties("a = \\u0b95ோப்பு\nb.accesskey = K\n# x\n")
                .stream().map(p -> p[0] + "=" + p[1]).toList();
        assertEquals(List.of("a=கோப்பு"), props);
        assertEquals("browser/localization/browser/x.ftl",
                FirefoxLangpackExtractor.withoutLocale("browser/localization/hi-IN/browser/x.ftl", "hi-IN"));
    }

    @Test
    void uiMessagesAreFilteredDeduplicatedAndGrouped() {
        List<UiMessages.Message> m = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            m.add(new UiMessages.Message("loui:x/dlg", "k" + i, "संदेश संख्या " + i + " यहाँ"));
        }
        m.add(new UiMessages.Message("loui:x/dlg", "dup", "संदेश संख्या 3 यहाँ"));
        m.add(new UiMessages.Message("loui:x/dlg", "en", "Untranslated message"));
        List<Document> d = UiMessages.documents(m, Language.HI);
        assertEquals(List.of("loui:x/dlg#0", "loui:x/dlg#1"), d.stream().map(Document::id).toList());
        assertEquals(20, d.get(0).text().split("यहाँ").length);
        assertFalse(d.get(1).text().contains("Untranslated"));
    }

    // ---- splits ----

    @Test
    void theSplitOfAFixedIdIsStable() {
        // first 8 bytes of SHA-256("langneurons-corpus-v1:udhr:article-1") = d2711e90a197744d
        assertEquals(Long.parseUnsignedLong("d2711e90a197744d", 16) >>> 11,
                (long) (Splits.position("udhr:article-1") * 0x1.0p53));
        assertEquals(0.8220385649779851, Splits.position("udhr:article-1"), 1e-15);
        assertEquals(Split.VALIDATION, Splits.bucket("udhr:article-1"));
        assertEquals(Split.TRAIN, Splits.bucket("udhr:preamble"));
        assertEquals("lohelp:shared/01/05020300", Splits.unit("lohelp:shared/01/05020300#par_id3150447", "x"));
        assertEquals("udhr:article-1", Splits.unit("udhr:article-1", "x"));
        String t = "Un texte sans identifiant d'alignement.";
        assertEquals(Splits.unit(null, t), Splits.unit("-", t));
        assertTrue(Splits.unit(null, t).matches("sha256:[0-9a-f]{16}"));
        assertNotEquals(Splits.unit(null, t), Splits.unit(null, t + " "));
    }

    @Test
    void assignmentRespectsCapsKeepsUnitsWholeAndIsDeterministic() {
        List<Document> docs = new ArrayList<>();
        for (int u = 0; u < 400; u++) {
            for (int p = 0; p < 3; p++) {
                docs.add(new Document("t:unit" + u + "#" + p, "Paragraphe numéro " + p + " de l'unité " + u + "."));
            }
        }
        Splits.Assignment a = Splits.assign(docs, Language.FR, 2_000);
        Splits.Assignment b = Splits.assign(new ArrayList<>(docs), Language.FR, 2_000);
        assertEquals(a.splits(), b.splits());
        int total = 0;
        Map<String, Split> unitSplit = new HashMap<>();
        for (var e : a.splits().entrySet()) {
            total += e.getValue().size();
            long chars = e.getValue().stream().mapToLong(d -> TextCleaner.length(d.text())).sum();
            if (e.getKey() != Split.TRAIN) {
                assertTrue(chars <= 2_000 && chars > 1_000, e.getKey() + " " + chars);
            }
            for (Document d : e.getValue()) {
                String unit = Splits.unit(d.id(), d.text());
                Split before = unitSplit.putIfAbsent(unit, e.getKey());
                assertTrue(before == null || before == e.getKey(), unit + " in two splits");
                if (e.getKey() != Split.TRAIN) {
                    assertEquals(e.getKey(), Splits.bucket(unit));
                }
            }
        }
        assertEquals(docs.size(), total);
        assertTrue(a.overflowUnits() > 0);
        // without a binding cap, about 10% of units fall in each held-out split
        Splits.Assignment all = Splits.assign(docs, Language.FR, Long.MAX_VALUE);
        int v = all.splits().get(Split.VALIDATION).size() / 3;
        assertTrue(v > 20 && v < 60, "validation units " + v);
    }

    @Test
    void languagesAndSets() {
        assertEquals(16, Language.values().length);
        assertEquals(List.of("en", "fr", "es", "vi", "id", "ja", "zh"),
                Language.SET1.stream().map(Language::code).toList());
        assertEquals("en,bn,hi,ta,te,mr,ur,kn,ml,pa",
                Language.SET6.stream().map(Language::code).collect(Collectors.joining(",")));
        assertEquals(List.of(Language.HI, Language.EN, Language.BN), Language.parseList("hi, EN,bn,hi"));
        assertEquals(16, Language.parseList("set1,set6").size());
        assertThrows(IllegalArgumentException.class, () -> Language.of("xx"));
        assertEquals(Split.VALIDATION, Split.parse("val"));
    }

    @Test
    void openingSomethingElseFailsClearly(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpus.open(tmp));
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
        Corpus c = Corpus.openDefault();
        e = assertThrows(IllegalArgumentException.class, () -> c.documents("en", Split.TRAIN));
        assertTrue(e.getMessage().contains("corpus build"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.documents("xx", Split.VALIDATION));
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        for (String x : a) {
            if (b.contains(x)) {
                return false;
            }
        }
        return true;
    }

    /** A little-endian .mo file with the given (sorted) originals and translations. */
    private static byte[] mo(List<String> ids, List<String> strs) {
        int n = ids.size();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int headerSize = 28 + 16 * n;
        int[][] o = new int[n][2];
        int[][] t = new int[n][2];
        for (int i = 0; i < n; i++) {
            byte[] b = ids.get(i).getBytes(StandardCharsets.UTF_8);
            o[i] = new int[] {b.length, headerSize + data.size()};
            data.writeBytes(b);
            data.write(0);
        }
        for (int i = 0; i < n; i++) {
            byte[] b = strs.get(i).getBytes(StandardCharsets.UTF_8);
            t[i] = new int[] {b.length, headerSize + data.size()};
            data.writeBytes(b);
            data.write(0);
        }
        ByteBuffer buf = ByteBuffer.allocate(headerSize + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(0x950412de).putInt(0).putInt(n).putInt(28).putInt(28 + 8 * n).putInt(0).putInt(0);
        for (int[] x : o) {
            buf.putInt(x[0]).putInt(x[1]);
        }
        for (int[] x : t) {
            buf.putInt(x[0]).putInt(x[1]);
        }
        buf.put(data.toByteArray());
        return buf.array();
    }
}
