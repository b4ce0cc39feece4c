/** Evaluation of models on the corpus: per-language quality against a character unigram baseline. */
package org.langneurons.eval;
