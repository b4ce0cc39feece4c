package org.langneurons.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Language;
import org.langneurons.corpus.Split;
import org.langneurons.io.CheckpointException;
import org.langneurons.io.TextTokenizer;
import org.langneurons.model.Architecture;
import org.langneurons.model.ModelConfig;
import org.langneurons.model.RopeScaling;
import org.langneurons.train.BpeModel;
import org.langneurons.train.Trainer;
import org.langneurons.train.TrainingConfig;
import org.langneurons.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train}: trains a Llama-architecture model from scratch on a corpus, checkpointing in {@code --work} (a rerun
 * of the same command resumes; Ctrl-C checkpoints the step in progress), and writes a Hugging Face checkpoint to
 * {@code --out} with its training log.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a Llama-architecture model from scratch on a corpus's training split (languages sampled"
            + " uniformly), with validation bits per character per language.",
            "Checkpoints go to --work; running the same command again resumes. Ctrl-C (or a kill) finishes the"
            + " step in progress and checkpoints it. The result is a Hugging Face checkpoint in --out, with"
            + " training-log.json."})
final class TrainCommand implements Runnable, Main.LongRunning {
    @Option(names = "--corpus", required = true, paramLabel = "DIR") Path corpus;
    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "tokenizer.json") Path tokenizer;
    @Option(names = "--work", required = true, paramLabel = "DIR", description = "Checkpoints and logs.") Path work;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The trained checkpoint.") Path out;
    @Mixin LanguageOptions langs;

    @Option(names = "--layers", defaultValue = "4") int layers;
    @Option(names = "--hidden", defaultValue = "256") int hidden;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--kv-heads", defaultValue = "4") int kvHeads;
    @Option(names = "--intermediate", defaultValue = "688") int intermediate;
    @Option(names = "--rope-theta", defaultValue = "10000") double ropeTheta;
    @Option(names = "--max-positions", defaultValue = "1024") int maxPositions;

    @Option(names = "--seq-length", defaultValue = "256") int seqLength;
    @Option(names = "--batch", defaultValue = "16") int batch;
    @Option(names = "--accumulation", defaultValue = "1") int accumulation;
    @Option(names = "--steps", defaultValue = "2000") int steps;
    @Option(names = "--lr", defaultValue = "3e-3") double lr;
    @Option(names = "--min-lr", defaultValue = "3e-4") double minLr;
    @Option(names = "--warmup", defaultValue = "100") int warmup;
    @Option(names = "--weight-decay", defaultValue = "0.1") double weightDecay;
    @Option(names = "--clip", defaultValue = "1.0") double clip;
    @Option(names = "--seed", defaultValue = "1234") long seed;
    @Option(names = "--eval-every", defaultValue = "250") int evalEvery;
    @Option(names = "--checkpoint-every", defaultValue = "50") int checkpointEvery;
    @Option(names = "--store-dtype", defaultValue = "f32",
            description = "How --out stores the weights: f32 or f16 (half the size; default: ${DEFAULT-VALUE}).")
    String storeDtype;

    @Override
    public void run() {
        Corpus c = Corpus.open(corpus);
        List<Language> languages = langs.languages();
        Map<String, List<String>> train = c.documents(languages, Split.TRAIN);
        Map<String, List<String>> validation = c.documents(languages, Split.VALIDATION);
        int vocab;
        TrainingData data;
        try (TextTokenizer tok = TextTokenizer.load(tokenizer)) {
            vocab = vocabSize(tokenizer);
            data = TrainingData.tokenize(train, tok, BpeModel.EOS_ID);
        }
        System.out.println("training tokens per language: " + data.tokenCounts());
        ModelConfig config = new ModelConfig(Architecture.LLAMA, vocab, hidden, layers, heads, kvHeads,
                hidden / heads, intermediate, 1e-5, ropeTheta, RopeScaling.NONE, true, false, 0, maxPositions,
                BpeModel.BOS_ID, List.of((long) BpeModel.EOS_ID));
        // the options' defaults are the builder's (TrainingConfigTest checks); the rest (AdamW betas and epsilon, the
        // clipping epsilon, validation characters during training, the log interval) are the builder's defaults
        TrainingConfig settings = TrainingConfig.builder().optSequenceLength(seqLength).optBatchSize(batch)
                .optAccumulation(accumulation).optSteps(steps).optLearningRate(lr).optMinLearningRate(minLr)
                .optWarmupSteps(warmup).optWeightDecay(weightDecay).optClipNorm(clip).optSeed(seed)
                .optEvalEvery(evalEvery).optCheckpointEvery(checkpointEvery).build();
        // Ctrl-C or a kill: the step in progress finishes and is checkpointed before the JVM exits.
        try (StopOnExit exit = new StopOnExit();
                Trainer trainer = new Trainer(config, settings, data, validation, tokenizer, work)) {
            exit.onRequest(trainer::requestStop);
            if (trainer.step() > 0) {
                System.out.println("resuming at step " + trainer.step());
            }
            trainer.train(System.out::println);
            if (trainer.stopRequested()) {
                System.out.println("stopped at step " + trainer.step() + ", checkpointed in " + work
                        + ": run the same command to resume");
                return;
            }
            JsonObject full = trainer.validate(0);
            System.out.println("final validation (all text) " + full);
            trainer.export(out, switch (storeDtype) {
                case "f32" -> ai.djl.ndarray.types.DataType.FLOAT32;
                case "f16" -> ai.djl.ndarray.types.DataType.FLOAT16;
                default -> throw new IllegalArgumentException("--store-dtype must be f32 or f16, got " + storeDtype);
            });
            writeLog(trainer, settings, data, full);
        }
    }

    private void writeLog(Trainer trainer, TrainingConfig settings, TrainingData data, JsonObject finalEval) {
        JsonObject log = new JsonObject();
        var gson = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
        log.add("settings", gson.toJsonTree(settings));
        log.add("training_tokens_per_language", gson.toJsonTree(data.tokenCounts()));
        log.add("final_validation", finalEval);
        JsonArray entries = new JsonArray();
        trainer.log().forEach(entries::add);
        log.add("log", entries);
        try {
            Files.writeString(out.resolve("training-log.json"), gson.toJson(log) + "\n");
        } catch (IOException e) {
            throw new CheckpointException(out, "cannot write training-log.json: " + e, e);
        }
    }

    /**
     * One more than the largest token id of the tokenizer's vocabulary and added tokens: {@code model.vocab} maps
     * tokens to ids (BPE, WordPiece, WordLevel) or lists {@code [token, score]} pairs in id order (Unigram).
     */
    static int vocabSize(Path tokenizerJson) {
        JsonObject json;
        try {
            json = org.langneurons.io.StrictJson.object(Files.readString(tokenizerJson));
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(tokenizerJson, "cannot be read: " + e.getMessage(), e);
        }
        JsonElement model = json.get("model");
        JsonElement vocab = model != null && model.isJsonObject() ? model.getAsJsonObject().get("vocab") : null;
        long max = -1;
        try {
            if (vocab != null && vocab.isJsonObject()) {
                for (var e : vocab.getAsJsonObject().entrySet()) {
                    max = Math.max(max, org.langneurons.io.StrictJson.exactLong(e.getValue(),
                            "model.vocab['" + e.getKey() + "']", 0, Integer.MAX_VALUE - 1));
                }
            } else if (vocab != null && vocab.isJsonArray()) {
                max = vocab.getAsJsonArray().size() - 1L;      // Unigram: the id is the position
            } else {
                throw new IllegalArgumentException("model.vocab is " + (vocab == null ? "missing" : "not an object "
                        + "of token ids nor a list of [token, score] pairs") + " (model type " + (model != null
                        && model.isJsonObject() ? model.getAsJsonObject().get("type") : null) + ")");
            }
            JsonElement added = json.get("added_tokens");
            if (added != null && added.isJsonArray()) {
                for (var t : added.getAsJsonArray()) {
                    if (!t.isJsonObject() || !t.getAsJsonObject().has("id")) {
                        throw new IllegalArgumentException("added_tokens holds " + t + ", expected {\"id\": ...}");
                    }
                    max = Math.max(max, org.langneurons.io.StrictJson.exactLong(t.getAsJsonObject().get("id"),
                            "added_tokens id", 0, Integer.MAX_VALUE - 1));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(tokenizerJson, "cannot read the vocabulary size: " + e.getMessage(), e);
        }
        return (int) (max + 1);
    }
}
