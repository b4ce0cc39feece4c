/**
 * Fine-tuning on a frozen model: LoRA and Mondal et al.'s neuron-masked gate LoRA (adapters in PEFT's layout), task
 * heads, the fine-tuning loop with resumable checkpoints, and task evaluation.
 */
package org.langneurons.finetune;
