package org.langneurons.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.eval.PerplexityEvaluation;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.RunCheckpoint;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.Perplexity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code perplexity}: mean NLL per token and perplexity of a UTF-8 text file, one document per non-empty line. */
@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = {"Mean NLL per token and perplexity of a UTF-8 text file.",
            "Each non-empty line is one document, tokenized with the tokenizer's special tokens and scored in windows"
            + " of --max-length tokens.",
            "Resumable: the sums of the batches done are kept in --checkpoint (every 5 s, and at Ctrl-C) until the "
                + "run completes; after Ctrl-C or a kill, the same command continues from them."})
final class PerplexityCommand implements Runnable, Main.LongRunning {
    @Mixin
    ModelOptions options;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--text-file", required = true, paramLabel = "F", description = "UTF-8 text, one document a line.")
    Path textFile;

    @Mixin
    WindowOptions windows;

    @Option(names = "--json", description = "Print {tokens, characters, mean_nll, perplexity, bits_per_character}.")
    boolean json;

    @Mixin
    ResumeOption resume;

    @Override
    public void run() {
        List<String> documents = readDocuments(textFile);
        // Ctrl-C or a kill: the sums of the batches done are kept (every 5 s, and at Ctrl-C); a rerun continues.
        try (StopOnExit exit = new StopOnExit()) {
            RunCheckpoint checkpoint = resume.open(null, exit, Map.of("text-fingerprint",
                    ResumeOption.fingerprint(documents)));
            exit.onRequest(() -> System.err.println("\nstopping after the batch in progress"));
            try (LanguageModel model = adapter.attachTo(options.load())) {
                ProgressLine line = new ProgressLine(System.err, "perplexity", "tokens");
                String name = textFile.getFileName().toString();
                Perplexity p = PerplexityEvaluation.prepare(model, Map.of(name, documents), windows.maxLength,
                        windows.batchSize).resumable(checkpoint).baseline(name, line::update);
                line.done();
                print(p);
                ResumeOption.completed(checkpoint);
            } catch (RunCheckpoint.Stopped e) {
                ResumeOption.stopped(e);
            }
        }
    }

    private void print(Perplexity p) {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tokens", p.tokens());
            out.put("characters", p.characters());
            out.put("mean_nll", p.meanNll());
            out.put("perplexity", p.perplexity());
            out.put("bits_per_character", p.bitsPerCharacter());
            Json.print(System.out, out);
        } else {
            System.out.printf("tokens %d  mean NLL %.6f  perplexity %.4f  bits/char %.4f%n", p.tokens(),
                    p.meanNll(), p.perplexity(), p.bitsPerCharacter());
        }
    }

    static List<String> readDocuments(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            List<String> docs = text.lines().filter(l -> !l.isBlank()).toList();
            if (docs.isEmpty()) {
                throw new CheckpointException(file, "empty input: no non-empty line to score");
            }
            return docs;
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file, "is not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()), e);
        }
    }
}
