#!/usr/bin/python3
"""A plain PyTorch-eager Llama (fp32) that times what `langneurons bench` times, for side-by-side figures.

    /usr/bin/python3 bench/torch_reference.py --model DIR [--batch 8 --length 128 --new-tokens 32
        --prompt-length 16 --repeats 3 --threads 2]            prints JSON with the keys of `bench --json`
    /usr/bin/python3 bench/torch_reference.py --model DIR --check [--jar lib/target/langneurons.jar]
        runs the CLI's `logits` (and `generate`) on short sequences and compares with this implementation

The three measurements, each one warm-up then --repeats timed runs, tokens/s = tokens per run * repeats / seconds:
  forward_tokens_per_s                    batched forward [B, T] -> full logits [B, T, vocab] float32
  forward_with_neuron_stats_tokens_per_s  the same, plus per layer count(silu(gate) > 0) and sum per neuron,
                                          accumulated into [intermediate] float32 tensors
  generation_tokens_per_s                 greedy generation of B prompts, new-tokens steps with a KV cache
                                          (step 0 runs the prompt, later steps one token; B * new_tokens tokens)
Token ids come from a re-implementation of java.util.Random(42).nextInt(vocab), drawn in the same order as
BenchCommand, so both sides run exactly the same ids. Only torch is needed (Debian's python3-torch 1.13).
"""
import argparse
import json
import math
import os
import struct
import subprocess
import sys
import time

import torch


# ---------------------------------------------------------------- checkpoint

def read_safetensors(path):
    """name -> float32 tensor. F32 tensors are views into one buffer holding the file's data (no second copy)."""
    dtypes = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2)}
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = bytearray(os.fstat(f.fileno()).st_size - 8 - n)  # read straight into one buffer: no second copy
        f.readinto(data)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype, size = dtypes[info["dtype"]]
        a, b = info["data_offsets"]
        t = torch.frombuffer(data, dtype=dtype, count=(b - a) // size, offset=a) if b > a else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).float()
    return out


class Llama:
    """Llama forward in the transformers convention (RMSNorm, rotate_half RoPE, GQA, SwiGLU), fp32."""

    def __init__(self, directory):
        with open(os.path.join(directory, "config.json")) as f:
            c = json.load(f)
        assert c["model_type"] == "llama", c["model_type"]
        self.c = c
        self.d = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads") or self.heads
        self.head_dim = c.get("head_dim") or self.d // self.heads
        self.layers = c["num_hidden_layers"]
        self.neurons = c["intermediate_size"]
        self.vocab = c["vocab_size"]
        self.eps = c.get("rms_norm_eps", 1e-6)
        assert not c.get("rope_scaling"), "rope_scaling not implemented here"
        w = read_safetensors(os.path.join(directory, "model.safetensors"))
        self.embed = w["model.embed_tokens.weight"]
        self.lm_head = self.embed if c.get("tie_word_embeddings") else w["lm_head.weight"]
        self.norm = w["model.norm.weight"]
        self.blocks = []
        for l in range(self.layers):
            p = f"model.layers.{l}."
            self.blocks.append({k: w[p + k + ".weight"] for k in (
                "input_layernorm", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                "post_attention_layernorm", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")})
        theta = c.get("rope_theta", 10000.0)
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.int64).float() / self.head_dim))

    def rms(self, x, weight):
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def cos_sin(self, positions):
        angles = positions.float()[:, None] * self.inv_freq[None, :]  # [T, D/2]
        emb = torch.cat((angles, angles), dim=-1)
        return emb.cos(), emb.sin()  # [T, D]

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def forward(self, ids, cache=None, stats=None, last_only=False):
        """ids [B, T] int64 -> logits [B, T or 1, vocab] float32. cache: list of [k, v] per layer, extended in place.
        stats: (positives, sums) lists of [intermediate] tensors, accumulated in place."""
        b, t = ids.shape
        past = 0 if cache is None or cache[0] is None else cache[0][0].shape[2]
        s = past + t
        cos, sin = self.cos_sin(torch.arange(past, s))
        mask = None
        if t > 1:  # causal: query i (absolute past + i) may see keys 0..past + i
            mask = torch.full((t, s), float("-inf")).triu(past + 1)
        groups = self.heads // self.kv_heads
        x = torch.nn.functional.embedding(ids, self.embed)
        for l, w in enumerate(self.blocks):
            h = self.rms(x, w["input_layernorm"])
            q = torch.nn.functional.linear(h, w["self_attn.q_proj"]).view(b, t, self.heads, self.head_dim).transpose(1, 2)
            k = torch.nn.functional.linear(h, w["self_attn.k_proj"]).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            v = torch.nn.functional.linear(h, w["self_attn.v_proj"]).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            if cache is not None:
                if cache[l] is not None:
                    k = torch.cat((cache[l][0], k), dim=2)
                    v = torch.cat((cache[l][1], v), dim=2)
                cache[l] = (k, v)
            if groups > 1:  # transformers' repeat_kv
                k = k.repeat_interleave(groups, dim=1)
                v = v.repeat_interleave(groups, dim=1)
            scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
            if mask is not None:
                scores = scores + mask
            probs = torch.softmax(scores, dim=-1)
            attn = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, self.heads * self.head_dim)
            x = x + torch.nn.functional.linear(attn, w["self_attn.o_proj"])
            h = self.rms(x, w["post_attention_layernorm"])
            act = torch.nn.functional.silu(torch.nn.functional.linear(h, w["mlp.gate_proj"]))
            if stats is not None:
                stats[0][l] += (act > 0).float().sum(dim=(0, 1))
                stats[1][l] += act.sum(dim=(0, 1))
            x = x + torch.nn.functional.linear(act * torch.nn.functional.linear(h, w["mlp.up_proj"]),
                                               w["mlp.down_proj"])
        if last_only:
            x = x[:, -1:, :]
        return torch.nn.functional.linear(self.rms(x, self.norm), self.lm_head)

    def generate(self, prompts, new_tokens):
        """Greedy, KV cache; prompts [B, P] without padding. Returns [B, new_tokens] ids."""
        cache = [None] * self.layers
        out = []
        inp = prompts
        for _ in range(new_tokens):
            nxt = self.forward(inp, cache=cache, last_only=True)[:, -1, :].argmax(-1)
            out.append(nxt)
            inp = nxt[:, None]
        return torch.stack(out, dim=1)


# ---------------------------------------------------------------- java.util.Random(42)

class JavaRandom:
    MASK = (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & self.MASK

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & self.MASK
        r = self.seed >> (48 - bits)
        return r - (1 << 32) if r >= (1 << 31) else r

    def next_int(self, bound):
        r = self.next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            x = (u - r + m) & 0xFFFFFFFF
            if x < (1 << 31):  # no int overflow
                return r
            u = self.next(31)


def random_batch(rnd, vocab, n, length):
    return torch.tensor([[rnd.next_int(vocab) for _ in range(length)] for _ in range(n)], dtype=torch.int64)


# ---------------------------------------------------------------- modes

def tokens_per_second(tokens, repeats, fn):
    fn()  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return tokens * repeats / (time.perf_counter() - start)


def run_settings(args):
    """What a bench run's JSON states besides its figures (both PyTorch peers print it)."""
    return {
        "model": os.path.abspath(args.model),
        "device": "cpu()",
        "dtype": "float32",
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blas": "MKL" if torch.backends.mkl.is_available() else "other",
        "batch": args.batch,
        "length": args.length,
        "prompt_length": args.prompt_length,
        "new_tokens": args.new_tokens,
        "repeats": args.repeats,
    }


def bench(model, args):
    rnd = JavaRandom(42)
    ids = random_batch(rnd, model.vocab, args.batch, args.length)
    prompts = random_batch(rnd, model.vocab, args.batch, args.prompt_length)
    forward = tokens_per_second(args.batch * args.length, args.repeats, lambda: model.forward(ids))
    stats = ([torch.zeros(model.neurons) for _ in range(model.layers)],
             [torch.zeros(model.neurons) for _ in range(model.layers)])
    with_stats = tokens_per_second(args.batch * args.length, args.repeats, lambda: model.forward(ids, stats=stats))
    generation = tokens_per_second(args.batch * args.new_tokens, args.repeats,
                                   lambda: model.generate(prompts, args.new_tokens))
    return {
        **run_settings(args),
        "forward_tokens_per_s": round(forward, 1),
        "forward_with_neuron_stats_tokens_per_s": round(with_stats, 1),
        "generation_tokens_per_s": round(generation, 1),
    }


def run_cli(jar, *argv):
    proc = subprocess.run(["java", "-jar", jar, *argv], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"CLI failed ({proc.returncode}): {' '.join(argv)}\n{proc.stderr}")
    return json.loads(proc.stdout)


def check(model, args):
    """Compares logits (two sequences of different lengths, so the CLI pads one) and greedy generation."""
    rnd = JavaRandom(7)
    seqs = [[rnd.next_int(model.vocab) for _ in range(n)] for n in (args.check_length, args.check_length // 2 + 1)]
    ours = run_cli(args.jar, "logits", "--model", args.model, *sum((["--ids", ",".join(map(str, s))] for s in seqs), []))
    worst, scale = 0.0, 0.0
    for s, got in zip(seqs, ours["logits"]):
        ref = model.forward(torch.tensor([s]))[0]
        got = torch.tensor(got)
        assert got.shape == ref.shape, (got.shape, ref.shape)
        worst = max(worst, (got - ref).abs().max().item())
        scale = max(scale, ref.abs().max().item())
    prompts = [[rnd.next_int(model.vocab) for _ in range(6)] for _ in range(2)]
    gen = run_cli(args.jar, "generate", "--model", args.model, "--ignore-eos", "--json", "--max-new-tokens",
                  str(args.check_new_tokens), *sum((["--ids", ",".join(map(str, p))] for p in prompts), []))
    gen = gen if isinstance(gen, list) else [gen]
    ref_gen = model.generate(torch.tensor(prompts), args.check_new_tokens).tolist()
    result = {
        "model": os.path.abspath(args.model),
        "logits_sequence_lengths": [len(s) for s in seqs],
        "logits_max_abs_diff": worst,
        "logits_max_abs": scale,
        "logits_within_1e-4": worst <= 1e-4,
        "generated_ids_ours": [g["ids"] for g in gen],
        "generated_ids_torch": ref_gen,
        "generation_identical": [g["ids"] for g in gen] == ref_gen,
    }
    return result


def add_bench_arguments(ap):
    """The options of `langneurons bench` (both PyTorch peers take them, with the same defaults)."""
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--length", type=int, default=128)
    ap.add_argument("--new-tokens", type=int, default=32)
    ap.add_argument("--prompt-length", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_bench_arguments(ap)
    ap.add_argument("--check", action="store_true", help="compare with the CLI instead of timing")
    ap.add_argument("--jar", default=os.path.join(os.path.dirname(__file__), "..", "lib", "target", "langneurons.jar"))
    ap.add_argument("--check-length", type=int, default=12)
    ap.add_argument("--check-new-tokens", type=int, default=8)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with torch.inference_mode():
        model = Llama(args.model)
        out = check(model, args) if args.check else bench(model, args)
    print(json.dumps(out, indent=2))
    if args.check and not out["logits_within_1e-4"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
