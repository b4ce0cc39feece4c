/**
 * Reading checkpoints: memory-mapped safetensors files ({@link org.langneurons.io.SafetensorsFile}), single or sharded
 * weights by Hugging Face name ({@link org.langneurons.io.CheckpointWeights}), and tokenizer.json
 * ({@link org.langneurons.io.TextTokenizer}). Every failure is a {@link org.langneurons.io.CheckpointException}
 * naming the file and the tensor or field at fault.
 */
package org.langneurons.io;
