package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.langneurons.Fixtures.longs;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.Fixtures;
import org.langneurons.TinyCheckpoints;

/** Sampling, repetition penalty, stop conditions and batching of generation. */
class GenerationTest {
    private static long[] prompt() {
        return longs(Fixtures.json(Fixtures.parity("llama").resolve("reference.json")).getAsJsonArray("sequences")
                .get(0).getAsJsonObject().get("ids"));
    }

    private static long[] greedyReference() {
        return longs(Fixtures.json(Fixtures.parity("llama").resolve("reference.json")).getAsJsonObject("generation")
                .get("generated_ids"));
    }

    @Test
    void batchedGreedyEqualsEachPromptAlone() {
        long[] a = prompt();
        long[] b = {1, 5, 9};
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            GenerationConfig greedy = GenerationConfig.greedy(8).withStopAtEos(false);
            Generation both = model.generate(List.of(a, b), greedy);
            assertArrayEquals(greedyReference(), both.tokens().get(0));
            assertArrayEquals(model.generate(List.of(b), greedy).tokens().get(0), both.tokens().get(1));
            assertEquals(List.of(Generation.StopReason.LENGTH, Generation.StopReason.LENGTH), both.stops());
        }
    }

    /** The listener sees every token as it is chosen, in order, per sequence; none after a sequence ended. */
    @Test
    void listenerSeesEachTokenAsItComes() {
        long[] b = {1, 5, 9};
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            java.util.List<java.util.List<Long>> seen = java.util.List.of(new java.util.ArrayList<>(),
                    new java.util.ArrayList<>());
            Generation g = model.generate(List.of(prompt(), b), GenerationConfig.greedy(6).withStopAtEos(false),
                    (sequence, token) -> seen.get(sequence).add(token));
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(g.tokens().get(i), seen.get(i).stream().mapToLong(Long::longValue).toArray());
            }
        }
    }

    /** Past max_position_embeddings (128 here) nothing is generated: the sequence ends there, LENGTH. */
    @Test
    void generationStopsAtTheContext() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            long[] prompt = new long[120];
            Arrays.fill(prompt, 5);
            Generation g = model.generate(List.of(prompt), GenerationConfig.greedy(Integer.MAX_VALUE)
                    .withStopAtEos(false));
            assertEquals(8, g.tokens().get(0).length);
            assertEquals(Generation.StopReason.LENGTH, g.stops().get(0));
        }
    }

    @Test
    void samplingIsSeededAndTinyNucleusIsGreedy() {
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            GenerationConfig sampled = GenerationConfig.greedy(16).withStopAtEos(false).withSampling(1.5, 1.0, 7);
            long[] first = model.generate(List.of(prompt()), sampled).tokens().get(0);
            long[] again = model.generate(List.of(prompt()), sampled).tokens().get(0);
            long[] otherSeed = model.generate(List.of(prompt()), sampled.withSampling(1.5, 1.0, 8)).tokens().get(0);
            assertArrayEquals(first, again, "same seed, same tokens");
            assertNotEquals(Arrays.toString(first), Arrays.toString(otherSeed), "another seed, other tokens");
            // A nucleus of probability 1e-6 holds only the most likely token: sampling becomes greedy.
            long[] nucleus = model.generate(List.of(prompt()), sampled.withSampling(1.0, 1e-6, 3)).tokens().get(0);
            assertArrayEquals(Arrays.copyOf(greedyReference(), 8), Arrays.copyOf(nucleus, 8));
            // Cached and uncached sampling draw the same tokens.
            assertArrayEquals(first, model.generate(List.of(prompt()), sampled.withCache(false)).tokens().get(0));
        }
    }

    @Test
    void repetitionPenaltyFollowsTransformersRule() {
        // Reference greedy output repeats token 129 four times; a strong penalty on seen tokens must stop that.
        try (LanguageModel model = LanguageModel.load(Fixtures.parity("llama"))) {
            GenerationConfig penalised = GenerationConfig.greedy(8).withStopAtEos(false).withRepetitionPenalty(1e6);
            long[] out = model.generate(List.of(prompt()), penalised).tokens().get(0);
            assertEquals(greedyReference()[0], out[0], "the first greedy token is not in the prompt: unpenalised");
            long[] all = new long[prompt().length + out.length];
            System.arraycopy(prompt(), 0, all, 0, prompt().length);
            System.arraycopy(out, 0, all, prompt().length, out.length);
            assertEquals(all.length, Arrays.stream(all).distinct().count(), "no token repeats: " + Arrays.toString(all));
            // penalty 1 is off: identical to greedy
            assertArrayEquals(greedyReference(), model.generate(List.of(prompt()),
                    GenerationConfig.greedy(8).withStopAtEos(false).withRepetitionPenalty(1)).tokens().get(0));
        }
    }

    @Test
    void eosEndsASequenceAndStopStringsCutText(@TempDir Path dir) {
        // The reference greedy continuation is 129 79 129 215 413 129 330 129.
        try (LanguageModel model = LanguageModel.load(TinyCheckpoints.llamaWithWordTokenizer(dir))) {
            String prompt = "t1 t283 t108 t148 t198 t86 t511";
            Generation g = model.generateText(List.of(prompt),
                    GenerationConfig.greedy(8).withStopAtEos(false).withStopStrings(List.of("t215")));
            assertEquals(Generation.StopReason.STOP_STRING, g.stops().get(0));
            assertEquals("t129 t79 t129 ", g.texts().get(0));
            assertArrayEquals(new long[] {129, 79, 129, 215}, g.tokens().get(0));
            assertEquals("t129 t79 t129 t215 t413 t129 t330 t129",
                    model.generate(prompt, GenerationConfig.greedy(8).withStopAtEos(false)));
        }
    }

    @Test
    void eosFromGenerationConfigStopsGeneration(@TempDir Path dir) throws Exception {
        Path copy = TinyCheckpoints.llamaWithWordTokenizer(dir);
        java.nio.file.Files.writeString(copy.resolve("generation_config.json"), "{\"eos_token_id\": [2, 79]}");
        try (LanguageModel model = LanguageModel.load(copy)) {
            Generation g = model.generate(List.of(prompt()), GenerationConfig.greedy(8));
            assertArrayEquals(new long[] {129, 79}, g.tokens().get(0));
            assertEquals(Generation.StopReason.EOS, g.stops().get(0));
        }
    }
}
