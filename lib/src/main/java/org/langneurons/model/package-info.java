/**
 * The decoder-only models, in the order data flows through them:
 *
 * <ol>
 * <li>{@link org.langneurons.model.ModelConfig} reads config.json ({@link org.langneurons.model.Architecture},
 *     {@link org.langneurons.model.RopeScaling}); {@link org.langneurons.model.LoadOptions} picks device and
 *     dtype.</li>
 * <li>{@code WeightSource} gives tensors by Hugging Face name (a checkpoint on disk, or arrays in memory for
 *     training); {@code WeightLoader} reads them with their shapes checked, as matrices, float32 norms or
 *     {@link org.langneurons.model.Projection}s.</li>
 * <li>One decoder class per architecture family ({@code LlamaFamilyDecoder} for Llama / Mistral / Qwen2,
 *     {@code BloomDecoder}) is the only place that knows Hugging Face names: it fills each block's {@code Weights}
 *     record, whose fields are named as in the paper.</li>
 * <li>{@code Decoder} runs embedding, blocks, final norm and unembedding; each block ({@code LlamaBlock},
 *     {@code BloomBlock}) writes its forward step by step with the hook points inline, from {@code Norms},
 *     {@code Rope}, {@code Attention} and {@code Ops}; {@code ForwardPass} carries one call's mask, positions,
 *     {@code KvCache} and hooks.</li>
 * <li>{@link org.langneurons.model.LanguageModel} is the entry point: it takes
 *     {@link org.langneurons.model.TokenBatch}es and returns logits, hooks-only runs, token NLL and losses;
 *     {@link org.langneurons.model.TokenWindows} and {@link org.langneurons.model.TokenizedText} prepare text for
 *     {@link org.langneurons.model.Perplexity}; its
 *     {@code Generator} produces a {@link org.langneurons.model.Generation} for a
 *     {@link org.langneurons.model.GenerationConfig}, choosing tokens with {@code TokenSampler}.</li>
 * </ol>
 */
package org.langneurons.model;
