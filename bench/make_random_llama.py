#!/usr/bin/python3
"""Writes a random-initialised Llama checkpoint directory in the Hugging Face layout.

    /usr/bin/python3 bench/make_random_llama.py [--size small-llama|llama-110m|llama3-tiny|llama-1b|llama-3.1-8b] [--out DIR]
                                                [--seed 0] [--std 0.02] [--norm-jitter 0.0]
                                                [--dtype f32|f16|bf16] [--device cpu|cuda]

llama-1b is Llama-3.2-1B's shape (tied embeddings) and llama-3.1-8b Llama-3.1-8B's (GQA 32/8, 14,336 neurons, vocab
128,256, Llama 3's RoPE scaling), both with Llama 3's special token ids. --dtype bf16 stores them as the real ones are
stored; --device cuda draws them on the GPU (8B parameters take minutes on a CPU).

Files: config.json (LlamaConfig as transformers serialises it) and model.safetensors (float32; header = u64 LE length
+ JSON + raw little-endian data, tensors sorted by name as the safetensors library writes them). Weights are drawn as
transformers' _init_weights does (normal(0, std) for linear layers and the embedding, ones for the RMSNorm weights);
--norm-jitter adds normal(0, jitter) noise to the norm weights and a larger --std gives larger logits, which makes a
parity check stricter. Needs only torch (Debian's python3-torch).
"""
import argparse
import json
import os
import struct

import torch

SIZES = {
    # about 31.8M parameters
    "small-llama": dict(hidden_size=512, num_hidden_layers=8, num_attention_heads=8, num_key_value_heads=4,
                        intermediate_size=1408, vocab_size=8000),
    # about 125M parameters (76M in the blocks, 49M in the untied embedding and lm_head)
    "llama-110m": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, num_key_value_heads=4,
                       intermediate_size=2048, vocab_size=32000),
    # Llama 3's vocabulary and RoPE on a tiny body (66M parameters, nearly all embedding): CPU rehearsals of what
    # needs Llama 3's tokenizer
    "llama3-tiny": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, num_key_value_heads=2,
                        intermediate_size=1024, vocab_size=128256, llama3=8.0),
    # Llama-3.2-1B's shape: about 1.24B parameters
    "llama-1b": dict(hidden_size=2048, num_hidden_layers=16, num_attention_heads=32, num_key_value_heads=8,
                     intermediate_size=8192, vocab_size=128256, llama3=32.0, tie=True),
    # Llama-3.1-8B's shape: about 8.03B parameters
    "llama-3.1-8b": dict(hidden_size=4096, num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8,
                         intermediate_size=14336, vocab_size=128256, llama3=8.0),
}


def llama_config(dims):
    """config.json as transformers (4.4x) writes a LlamaConfig."""
    head_dim = dims["hidden_size"] // dims["num_attention_heads"]
    return {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "head_dim": head_dim,
        "hidden_act": "silu",
        "hidden_size": dims["hidden_size"],
        "initializer_range": 0.02,
        "intermediate_size": dims["intermediate_size"],
        "max_position_embeddings": 2048,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": dims["num_attention_heads"],
        "num_hidden_layers": dims["num_hidden_layers"],
        "num_key_value_heads": dims["num_key_value_heads"],
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.46.3",
        "use_cache": True,
        "vocab_size": dims["vocab_size"],
    } | (llama3_config(dims) if "llama3" in dims else {})


def llama3_config(dims):
    """What Llama 3.x's config.json says beyond the shape."""
    return {
        "bos_token_id": 128000,
        "eos_token_id": 128001,
        "max_position_embeddings": 131072,
        "rms_norm_eps": 1e-05,
        "rope_theta": 500000.0,
        "rope_scaling": {"factor": dims["llama3"], "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                         "original_max_position_embeddings": 8192, "rope_type": "llama3"},
        "tie_word_embeddings": bool(dims.get("tie")),
    }


def random_weights(cfg, std, norm_jitter, seed, dtype=torch.float32, device="cpu"):
    g = torch.Generator(device=device).manual_seed(seed)
    d, n, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    hd = cfg["head_dim"]
    q_dim, kv_dim = cfg["num_attention_heads"] * hd, cfg["num_key_value_heads"] * hd

    def normal(*shape):
        return (torch.randn(*shape, generator=g, dtype=torch.float32, device=device) * std).to(dtype)

    def norm_weight():
        w = torch.ones(d, dtype=torch.float32, device=device)
        if norm_jitter > 0:
            w += torch.randn(d, generator=g, dtype=torch.float32, device=device) * norm_jitter
        return w.to(dtype)

    w = {"model.embed_tokens.weight": normal(v, d)}
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        w[p + "input_layernorm.weight"] = norm_weight()
        w[p + "self_attn.q_proj.weight"] = normal(q_dim, d)
        w[p + "self_attn.k_proj.weight"] = normal(kv_dim, d)
        w[p + "self_attn.v_proj.weight"] = normal(kv_dim, d)
        w[p + "self_attn.o_proj.weight"] = normal(d, q_dim)
        w[p + "post_attention_layernorm.weight"] = norm_weight()
        w[p + "mlp.gate_proj.weight"] = normal(n, d)
        w[p + "mlp.up_proj.weight"] = normal(n, d)
        w[p + "mlp.down_proj.weight"] = normal(d, n)
    w["model.norm.weight"] = norm_weight()
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = normal(v, d)
    return w


ST_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


def write_safetensors(path, tensors, metadata=None):
    header, offset, order = {}, 0, sorted(tensors)
    for name in order:
        t = tensors[name]
        size = t.numel() * t.element_size()
        header[name] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + size]}
        offset += size
    if metadata:
        header["__metadata__"] = metadata
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * (-len(blob) % 8)  # the safetensors library pads the header to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for name in order:
            f.write(tensors[name].contiguous().cpu().view(torch.uint8).numpy().tobytes())  # little-endian hosts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), default="small-llama")
    ap.add_argument("--out", help="output directory (default: /tmp/<size>)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--std", type=float, default=0.02, help="std of the linear/embedding weights (default 0.02)")
    ap.add_argument("--norm-jitter", type=float, default=0.0, help="std of noise added to RMSNorm weights")
    ap.add_argument("--dtype", choices=("f32", "f16", "bf16"), default="f32", help="stored precision (default f32)")
    ap.add_argument("--device", default="cpu", help="where the weights are drawn (cuda is faster for 8B)")
    args = ap.parse_args()
    out = args.out or os.path.join("/tmp", args.size)
    os.makedirs(out, exist_ok=True)
    cfg = llama_config(SIZES[args.size])
    dtype = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}[args.dtype]
    cfg["torch_dtype"] = str(dtype).replace("torch.", "")
    weights = random_weights(cfg, args.std, args.norm_jitter, args.seed, dtype, args.device)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    write_safetensors(os.path.join(out, "model.safetensors"), weights, {"format": "pt"})
    params = sum(t.numel() for t in weights.values())
    print(json.dumps({"out": out, "size": args.size, "parameters": params}))


if __name__ == "__main__":
    main()
