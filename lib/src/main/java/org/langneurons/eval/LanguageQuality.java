package org.langneurons.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.io.RunCheckpoint;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Perplexity;

/**
 * How well a model knows one language, on its validation text: bits per character (comparable across tokenizers),
 * the same for a unigram character model estimated on the language's identification text, and tokens per character.
 *
 * <pre>{@code
 * List<LanguageQuality> table = LanguageQuality.measure(model, Corpus.openDefault(), 0);
 * List<LanguageQuality> resumable = LanguageQuality.measure(model, Corpus.openDefault(), 0,
 *         RunCheckpoint.open(Path.of("out/checkpoint"), Map.of("model", "default"), () -> false));
 * }</pre>
 *
 * @param language          language code
 * @param characters        characters scored
 * @param tokens            tokens predicted
 * @param bitsPerCharacter  the model's bits per character
 * @param unigramBitsPerCharacter the unigram baseline's
 */
public record LanguageQuality(String language, long characters, long tokens, double bitsPerCharacter,
        double unigramBitsPerCharacter) {

    /** Tokens per character. */
    public double tokensPerCharacter() {
        return (double) tokens / characters;
    }

    /**
     * Measures every language of {@code corpus} on at most {@code maxChars} characters of its validation split (0 for
     * all of it), in windows of 256 tokens.
     */
    public static List<LanguageQuality> measure(LanguageModel model, Corpus corpus, int maxChars) {
        return measure(model, corpus, maxChars, RunCheckpoint.none());
    }

    /**
     * {@link #measure(LanguageModel, Corpus, int)}, each language's perplexity a unit of {@code checkpoint} (see
     * {@link PerplexityEvaluation#resumable}): a stopped or killed run continues with the languages not finished.
     */
    public static List<LanguageQuality> measure(LanguageModel model, Corpus corpus, int maxChars,
            RunCheckpoint checkpoint) {
        List<LanguageQuality> out = new ArrayList<>();
        for (String lang : corpus.languages()) {
            List<String> docs = firstCharacters(corpus.documents(lang, Split.VALIDATION), maxChars);
            Perplexity p = PerplexityEvaluation.prepare(model, Map.of(lang, docs), 256, 16).resumable(checkpoint)
                    .baseline(lang);
            double unigram = CharacterUnigram.bitsPerCharacter(corpus.documents(lang, Split.IDENTIFICATION), docs);
            out.add(new LanguageQuality(lang, p.characters(), p.tokens(), p.bitsPerCharacter(), unigram));
        }
        return out;
    }

    /** Per language, {@link #firstCharacters(List, int)} of its documents. */
    public static Map<String, List<String>> firstCharacters(Map<String, List<String>> texts, int maxChars) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        texts.forEach((lang, docs) -> out.put(lang, firstCharacters(docs, maxChars)));
        return out;
    }

    /** The first documents of {@code docs} up to {@code maxChars} characters (all for 0). */
    public static List<String> firstCharacters(List<String> docs, int maxChars) {
        List<String> out = new ArrayList<>();
        long chars = 0;
        for (String d : docs) {
            if (maxChars > 0 && chars >= maxChars) {
                break;
            }
            out.add(d);
            chars += d.length();
        }
        return out;
    }
}
