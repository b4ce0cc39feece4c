/**
 * The decoder-only models: {@link org.langneurons.model.LanguageModel} is the entry point (load, logits, token NLL,
 * perplexity, generation); {@link org.langneurons.model.ModelConfig} reads config.json; one block class per
 * architecture family ({@code LlamaBlock} for Llama / Mistral / Qwen2, {@code BloomBlock}) with its forward written
 * step by step, and one decoder class each mapping Hugging Face tensor names.
 */
package org.langneurons.model;
