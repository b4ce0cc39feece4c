/**
 * Reading and writing checkpoints: memory-mapped safetensors files ({@link org.langneurons.io.SafetensorsFile}) and
 * their writer ({@link org.langneurons.io.SafetensorsWriter}), single or sharded weights by Hugging Face name
 * ({@link org.langneurons.io.CheckpointWeights}), tokenizer.json ({@link org.langneurons.io.TextTokenizer}), and
 * {@code torch.save} files of tensors and lists ({@link org.langneurons.io.TorchFile}); the library's embedded files
 * extracted to a cache ({@link org.langneurons.io.EmbeddedResources}) and the recursive delete of scratch folders
 * ({@link org.langneurons.io.FileTrees}). Every failure to read or write a checkpoint is a
 * {@link org.langneurons.io.CheckpointException} naming the file and the tensor or field at fault.
 */
package org.langneurons.io;
