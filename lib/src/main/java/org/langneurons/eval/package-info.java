/**
 * The experiments that evaluate a model under interventions, each a runner and a result type that saves and
 * renders itself: {@link org.langneurons.eval.PerplexityEvaluation} (texts tokenized once, baselines once) with
 * {@link org.langneurons.eval.PerplexityChange} (the PPXC matrix of both papers) and
 * {@link org.langneurons.eval.RandomControl}; {@link org.langneurons.eval.Steering} (the output language, source x
 * target) with {@link org.langneurons.eval.LanguageIdentifier} and {@link org.langneurons.eval.Prompts}; and
 * {@link org.langneurons.eval.LanguageQuality} (bits per character against a unigram baseline).
 */
package org.langneurons.eval;
