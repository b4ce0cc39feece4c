#!/usr/bin/env python3
"""PEFT peer of `langneurons finetune` for step time and memory: LoRA (q, k, v, o, gate; r 8, alpha 16) plus a
sequence-classification head on a Hugging Face checkpoint, AdamW, batches of random token ids of the given length.

usage: bench/peft_finetune.py MODEL_DIR [--batch 16] [--length 48] [--steps 6] [--threads 2]
Prints seconds per step (median of the steps after the first) and peak resident memory. Not run in CI.
"""
import argparse
import resource
import statistics
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForSequenceClassification


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--length", type=int, default=48)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(a.model, num_labels=4, torch_dtype=torch.float32,
                                                               attn_implementation="eager")
    model.config.pad_token_id = 0
    model = get_peft_model(model, LoraConfig(task_type="SEQ_CLS", r=8, lora_alpha=16, lora_dropout=0.0,
                                             target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj"]))
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3, betas=(0.95, 0.999),
                            weight_decay=0.1)
    vocab = model.config.vocab_size
    times = []
    for step in range(a.steps):
        ids = torch.randint(3, vocab, (a.batch, a.length))
        labels = torch.randint(0, 4, (a.batch,))
        t = time.perf_counter()
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        opt.zero_grad()
        times.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"torch {torch.__version__}, {a.threads} threads, batch {a.batch} x {a.length}: "
          f"{statistics.median(times[1:]):.2f} s/step (median of {a.steps - 1}), peak {peak:.2f} GB resident")


if __name__ == "__main__":
    main()
