/**
 * Training from scratch: a byte-level BPE tokenizer ({@link org.langneurons.train.BpeTrainer}, which makes a
 * {@link org.langneurons.train.BpeModel} and saves it as a Hugging Face {@code tokenizer.json}, pre-tokenizing with
 * {@link org.langneurons.train.PreTokenizer} exactly as the Rust library does) and a Llama model
 * ({@link org.langneurons.train.Trainer}, with its settings in {@link org.langneurons.train.TrainingConfig} and its
 * balanced, seeded batches from {@link org.langneurons.train.TrainingData}), which checkpoints, resumes to the result
 * of an uninterrupted run, and exports a Hugging Face checkpoint ({@link org.langneurons.train.LlamaCheckpointWriter}).
 * The CLI is {@code langneurons tokenizer train} and {@code langneurons train}.
 */
package org.langneurons.train;
