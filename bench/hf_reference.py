#!/usr/bin/env python3
"""The peer a researcher would run instead of LangNeurons: Hugging Face transformers (PyTorch eager) with forward
hooks on every layer's MLP activation, as Tang et al.'s and Mondal et al.'s statistics code does. It times what
`langneurons bench` times, on the same checkpoint and the same token ids, and prints JSON with the keys of
`bench --json`.

    V/bin/python bench/hf_reference.py --model DIR [--attn eager|sdpa] [--batch 8 --length 128 --new-tokens 32
        --prompt-length 16 --repeats 3 --threads 2] [--device cpu|cuda] [--dtype fp32|fp16|bf16]

Needs torch and transformers (see DEVELOPERS.md for the offline pip command). Measurements, each one warm-up then
--repeats timed runs, tokens/s = tokens per run * repeats / seconds:
  forward_tokens_per_s                    model(ids) -> full logits [B, T, vocab] float32
  forward_with_neuron_stats_tokens_per_s  the same with a hook per layer adding count(act > 0) and sum per neuron
  statistics_counts_tokens_per_s          the statistics pass with counts only (all LAPE needs; Tang's code):
                                          the hook selects the real positions (attention mask) and adds count(act > 0)
                                          and the float64 sum per neuron
  statistics_full_tokens_per_s            the same plus sum of squares, min, max and the seven batch-mean percentiles
                                          (torch.quantile over the batch's positions, Mondal et al.'s statistics)
  generation_tokens_per_s                 model.generate, greedy, KV cache, exactly new-tokens new tokens per prompt
Token ids are java.util.Random(42).nextInt(vocab) drawn in BenchCommand's order (see torch_reference.py).
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference import (JavaRandom, add_bench_arguments, random_batch, run_settings,  # noqa: E402
                             tokens_per_second)

PERCENTILES = (5, 10, 25, 50, 75, 90, 95)


class NeuronStatistics:
    """Per-layer accumulators filled by forward hooks on `mlp.act_fn` (the activation a = SiLU(gate))."""

    def __init__(self, model, full):
        c = model.config
        self.full = full
        self.mask = None
        n, layers = c.intermediate_size, c.num_hidden_layers
        dev = model.device
        self.over_zero = torch.zeros(layers, n, dtype=torch.int64, device=dev)
        self.sum = torch.zeros(layers, n, dtype=torch.float64, device=dev)
        self.sum_squares = torch.zeros(layers, n, dtype=torch.float64, device=dev)
        self.min = torch.full((layers, n), float("inf"), device=dev)
        self.max = torch.full((layers, n), float("-inf"), device=dev)
        self.percentile_sums = torch.zeros(len(PERCENTILES), layers, n, dtype=torch.float64, device=dev)
        self.q = torch.tensor([p / 100 for p in PERCENTILES], device=dev)
        self.handles = [layer.mlp.act_fn.register_forward_hook(self.hook(l))
                        for l, layer in enumerate(model.model.layers)]

    def hook(self, l):
        def observe(module, inputs, act):
            x = act.reshape(-1, act.shape[-1])
            if self.mask is not None:
                x = x[self.mask.reshape(-1).bool()]
            self.over_zero[l] += (x > 0).sum(0)
            x64 = x.double()
            self.sum[l] += x64.sum(0)
            if self.full:
                x = x.float()
                self.sum_squares[l] += (x64 * x64).sum(0)
                self.min[l] = torch.minimum(self.min[l], x.min(0).values)
                self.max[l] = torch.maximum(self.max[l], x.max(0).values)
                cols = max(1, (1 << 24) // max(1, x.shape[0]))  # torch.quantile refuses inputs over 16M elements
                self.percentile_sums[:, l] += torch.cat([torch.quantile(x[:, i:i + cols], self.q, dim=0)
                                                         for i in range(0, x.shape[1], cols)], dim=1).double()
            return act
        return observe

    def close(self):
        for h in self.handles:
            h.remove()


def bench(args):
    from transformers import AutoModelForCausalLM
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[args.dtype]
    model = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=dtype,
                                                 attn_implementation=args.attn).eval().to(args.device)
    vocab = model.config.vocab_size
    rnd = JavaRandom(42)
    ids = random_batch(rnd, vocab, args.batch, args.length).to(args.device)
    prompts = random_batch(rnd, vocab, args.batch, args.prompt_length).to(args.device)
    mask = torch.ones_like(ids)
    tokens = args.batch * args.length
    cuda = args.device.startswith("cuda")

    def timed(fn):  # CUDA runs asynchronously: a repeat ends when the device is done
        if not cuda:
            return fn
        return lambda: (fn(), torch.cuda.synchronize())

    def forward():
        model(input_ids=ids, attention_mask=mask, use_cache=False).logits.float()

    out = {"forward_tokens_per_s": tokens_per_second(tokens, args.repeats, timed(forward))}
    for key, full, real_only in (("forward_with_neuron_stats_tokens_per_s", False, False),
                                 ("statistics_counts_tokens_per_s", False, True),
                                 ("statistics_full_tokens_per_s", True, True)):
        stats = NeuronStatistics(model, full)
        stats.mask = mask if real_only else None
        out[key] = tokens_per_second(tokens, args.repeats, timed(forward))
        stats.close()

    def generate():
        model.generate(input_ids=prompts, attention_mask=torch.ones_like(prompts), do_sample=False,
                       max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens, use_cache=True,
                       pad_token_id=0)

    out["generation_tokens_per_s"] = tokens_per_second(args.batch * args.new_tokens, args.repeats, timed(generate))
    import transformers
    return {
        **run_settings(args),
        "device": args.device,
        "dtype": str(dtype).replace("torch.", ""),
        **({"gpu": torch.cuda.get_device_name(), "peak_gpu_mib": torch.cuda.max_memory_allocated() >> 20}
           if cuda else {}),
        "transformers": transformers.__version__,
        "attention": args.attn,
        **{k: round(v, 1) for k, v in out.items()},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_bench_arguments(ap)
    ap.add_argument("--attn", default="eager", choices=("eager", "sdpa"))
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    ap.add_argument("--dtype", default="fp32", choices=("fp32", "fp16", "bf16"))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    with torch.inference_mode():
        print(json.dumps(bench(args), indent=2))


if __name__ == "__main__":
    main()
