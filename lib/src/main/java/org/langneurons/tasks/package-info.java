/**
 * Task data for fine-tuning and zero-shot cross-lingual transfer: XNLI / MultiNLI classification, XQuAD / SQuAD
 * question answering, the embedded default's own parallel tasks, and their metrics.
 */
package org.langneurons.tasks;
