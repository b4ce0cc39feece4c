package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Language;
import org.langneurons.corpus.Split;
import org.langneurons.corpus.TextCleaner;
import org.langneurons.eval.CharacterUnigram;
import org.langneurons.eval.LanguageQuality;

/**
 * The embedded default model's quality, measured on the committed validation text: it must model every language
 * clearly better than a unigram character model of that language, and greedy continuations must stay in the
 * language's script.
 */
class DefaultModelTest {
    /** Characters of validation text scored per language (the README reports the whole set). */
    static final int CHARS = 20_000;
    static LanguageModel model;
    static Corpus corpus;

    @BeforeAll
    static void load() {
        model = LanguageModel.defaultModel();
        corpus = Corpus.openDefault();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void isALlamaCheckpointWithATokenizer() {
        assertEquals(Architecture.LLAMA, model.config().architecture());
        assertTrue(model.tokenizer().isPresent());
        assertEquals(16, corpus.languages().size());
    }

    @Test
    void modelsEveryLanguageClearlyBetterThanUnigramCharacters() {
        List<LanguageQuality> table = LanguageQuality.measure(model, corpus, CHARS);
        assertEquals(16, table.size());
        for (LanguageQuality q : table) {
            assertTrue(q.bitsPerCharacter() < 0.75 * q.unigramBitsPerCharacter(), q.toString());
        }
    }

    @Test
    void unigramBaselineByHand() {
        // estimated on "aab": a 2/3, b 1/3; alphabet {a, b, c}; add-one: a 3/6, b 2/6, c 1/6
        double bits = CharacterUnigram.bitsPerCharacter(List.of("aab"), List.of("ac"));
        assertEquals((-Math.log(3 / 6.0) - Math.log(1 / 6.0)) / Math.log(2) / 2, bits, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void greedyContinuationsStayInTheScript(Language lang) {
        List<String> prompts = new ArrayList<>();
        for (String d : corpus.documents(lang.code(), Split.VALIDATION)) {
            if (prompts.size() == 3) {
                break;
            }
            int cut = d.offsetByCodePoints(0, Math.min(d.codePointCount(0, d.length()), 24));
            prompts.add(d.substring(0, cut));
        }
        Generation g = model.generateText(prompts, GenerationConfig.greedy(24));
        // what the model writes itself: words copied from the prompt (brand names such as "Firefox" in Urdu
        // interface strings) are not counted
        List<String> own = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            java.util.Set<String> promptWords = new java.util.HashSet<>(List.of(prompts.get(i).split("\\s+")));
            own.add(java.util.Arrays.stream(g.texts().get(i).split("\\s+")).filter(w -> !promptWords.contains(w))
                    .collect(java.util.stream.Collectors.joining(" ")));
        }
        String all = String.join(" ", own);
        double share = TextCleaner.scriptShare(all, lang.scripts());
        assertTrue(share >= 0.8, lang + ": " + share + " of the letters in the expected script: " + g.texts());
    }
}
