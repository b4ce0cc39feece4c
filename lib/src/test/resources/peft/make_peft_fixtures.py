#!/usr/bin/env python3
"""Regenerates the PEFT/LoRA interop fixtures in this folder (see README.txt).

Run from anywhere:  /root/V/bin/python lib/src/test/resources/peft/make_peft_fixtures.py
Needs torch, transformers (5.x) and peft (0.21). CPU, float32, one thread, seeded: rerunning gives the same files.
Writes: llama-tiny/, lora-causal/, lora-masked/ (+ neuron_mask.json), lora-seqcls/, reference.json,
bloom_keys.json (BLOOM LoRA key names only; the BLOOM model itself is too big to keep).
Then reloads every adapter with PeftModel.from_pretrained and checks it reproduces reference.json (asserts).
"""
import json
import math
import os
import shutil
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    # PEFT stores target_modules as a set; fix the hash seed so adapter_config.json's list order is reproducible
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

import peft  # noqa: E402
import transformers  # noqa: E402
from peft import LoraConfig, PeftModel, TaskType, get_peft_model  # noqa: E402
from safetensors.torch import load_file  # noqa: E402
from transformers import (  # noqa: E402
    BloomConfig,
    BloomForCausalLM,
    LlamaConfig,
    LlamaForCausalLM,
    LlamaForSequenceClassification,
)

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)  # so that adapter_config.json's base_model_name_or_path is the relative "llama-tiny"

BASE = "llama-tiny"
SEQUENCES = [[1, 5, 9, 13, 17, 21, 25], [1, 30, 40, 50]]
PAD = 0
NUM_LABELS = 3
R, ALPHA = 4, 8
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj"]
MASK = {"0": [0, 5, 7], "1": [3]}  # gate_proj output neurons (rows of lora_B) kept per layer
ATTN = "eager"
# the adapter_config.json fields a non-PEFT writer is asked to emit (task_type / modules_to_save set per adapter)
MINIMAL_CONFIG = {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": R, "lora_alpha": ALPHA, "lora_dropout": 0.0,
                  "target_modules": TARGETS, "bias": "none", "modules_to_save": None,
                  "base_model_name_or_path": "llama-tiny", "fan_in_fan_out": False}
SIG = 8  # significant digits kept in reference.json


def rnd(x):
    """Round a float / nested list to SIG significant digits (as plain JSON numbers)."""
    if isinstance(x, list):
        return [rnd(v) for v in x]
    x = float(x)
    if x == 0.0 or not math.isfinite(x):
        return x
    return float(f"{x:.{SIG - 1}e}")


def tolist(t):
    return rnd(t.detach().to(torch.float32).cpu().tolist())


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def init_llama_weights(model, seed):
    """Non-trivial seeded weights (HF's init with std 0.02 gives near-uniform logits)."""
    g = gen(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif "embed_tokens" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            elif "lm_head" in name:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p.shape[1]))
            elif p.dim() == 2:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p.shape[1]))
            else:
                raise RuntimeError("unexpected parameter " + name)


def seed_lora(model, seed, scale=0.05):
    """PEFT initialises lora_B to zero; give every lora_B seeded random values (lora_A stays PEFT's init)."""
    g = gen(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if ".lora_B." in name:
                p.copy_(scale * torch.randn(p.shape, generator=g))


def causal_logits(model):
    out = []
    with torch.no_grad():
        for ids in SEQUENCES:
            logits = model(input_ids=torch.tensor([ids])).logits[0]
            out.append(logits)
    return out


def seqcls_batch():
    n = max(len(s) for s in SEQUENCES)
    ids = [s + [PAD] * (n - len(s)) for s in SEQUENCES]
    mask = [[1] * len(s) + [0] * (n - len(s)) for s in SEQUENCES]
    return ids, mask


def seqcls_logits(model):
    ids, mask = seqcls_batch()
    with torch.no_grad():
        return model(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask)).logits


def seq_section(logits):
    return {"sequences": [{"ids": ids, "logits": tolist(l)} for ids, l in zip(SEQUENCES, logits)]}


def maxdiff(a, b):
    return max(float((x - y).abs().max()) for x, y in zip(a, b))


def strip_dir(d, keep):
    for f in os.listdir(d):
        if f not in keep:
            p = os.path.join(d, f)
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)


def load_base(cls=LlamaForCausalLM, **kw):
    return cls.from_pretrained(BASE, dtype=torch.float32, attn_implementation=ATTN, **kw).eval()


def save_adapter(model, d):
    if os.path.exists(d):
        shutil.rmtree(d)
    model.save_pretrained(d)
    # PEFT also writes a model-card README.md; not needed
    strip_dir(d, {"adapter_config.json", "adapter_model.safetensors"})


def keys_of(d):
    sd = load_file(os.path.join(d, "adapter_model.safetensors"))
    return {k: list(v.shape) for k, v in sorted(sd.items())}


def main():
    ref = {
        "fixture": "peft-lora",
        "description": "LoRA adapters made with the real PEFT on a tiny random Llama; outputs computed by "
        "transformers + PEFT (eager attention, float32, CPU, 1 thread). See README.txt.",
        "torch_version": torch.__version__,
        "transformers_version": transformers.__version__,
        "peft_version": peft.__version__,
        "attn_implementation": ATTN,
        "compute_dtype": "float32",
        "float_rounding": f"{SIG} significant digits",
        "lora": {"r": R, "lora_alpha": ALPHA, "scaling": ALPHA / R, "target_modules": TARGETS},
        "inputs": {"sequences": SEQUENCES},
    }

    # ---------------------------------------------------------------- 1. base checkpoint
    cfg = LlamaConfig(
        vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
        intermediate_size=48, rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=64,
        tie_word_embeddings=False, pad_token_id=PAD, bos_token_id=1, eos_token_id=2, hidden_act="silu",
        attention_bias=False, mlp_bias=False,
    )
    torch.manual_seed(0)
    base = LlamaForCausalLM(cfg).to(torch.float32).eval()
    init_llama_weights(base, 1234)
    if os.path.exists(BASE):
        shutil.rmtree(BASE)
    base.save_pretrained(BASE)
    strip_dir(BASE, {"config.json", "model.safetensors"})
    del base

    base = load_base()
    base_logits = causal_logits(base)
    ref["base"] = seq_section(base_logits)

    # ---------------------------------------------------------------- 2a. lora-causal
    torch.manual_seed(42)  # lora_A init (kaiming-uniform) draws from the global RNG
    lcfg = LoraConfig(task_type=TaskType.CAUSAL_LM, r=R, lora_alpha=ALPHA, lora_dropout=0.0,
                      target_modules=TARGETS, bias="none")
    pm = get_peft_model(base, lcfg).eval()
    seed_lora(pm, 4321)
    lora_logits = causal_logits(pm)
    save_adapter(pm, "lora-causal")
    ref["lora_causal"] = seq_section(lora_logits)
    ref["lora_causal"]["max_abs_diff_vs_base"] = rnd(maxdiff(lora_logits, base_logits))

    # ---------------------------------------------------------------- 2b. merge_and_unload
    merged = pm.merge_and_unload().eval()
    merged_logits = causal_logits(merged)
    sd = merged.state_dict()
    ref["merged_causal"] = seq_section(merged_logits)
    ref["merged_causal"]["max_abs_diff_vs_adapter"] = rnd(maxdiff(merged_logits, lora_logits))
    ref["merged_causal"]["note"] = ("merge_and_unload of lora-causal: W' = W + (lora_alpha/r) * lora_B @ lora_A; "
                                    "weights are row-major flattened [out, in]")
    for mod in ("self_attn.q_proj", "mlp.gate_proj"):
        w = sd[f"model.layers.0.{mod}.weight"]
        ref["merged_causal"][f"layer0_{mod.split('.')[1]}_weight"] = {"shape": list(w.shape), "values": tolist(w.flatten())}
    del pm, merged, base

    # ---------------------------------------------------------------- 2c. lora-masked (gate_proj only)
    base = load_base()
    torch.manual_seed(43)
    mcfg = LoraConfig(task_type=TaskType.CAUSAL_LM, r=R, lora_alpha=ALPHA, lora_dropout=0.0,
                      target_modules=["gate_proj"], bias="none")
    pm = get_peft_model(base, mcfg).eval()
    seed_lora(pm, 5678, scale=0.5)  # larger than lora-causal's 0.05 so the 4 masked neurons visibly move logits
    with torch.no_grad():
        for layer, rows in MASK.items():
            B = pm.base_model.model.model.layers[int(layer)].mlp.gate_proj.lora_B["default"].weight
            m = torch.zeros(B.shape[0], 1)
            m[rows] = 1.0
            B.mul_(m)  # rows not in the mask become exactly 0
    masked_logits = causal_logits(pm)
    save_adapter(pm, "lora-masked")
    with open("lora-masked/neuron_mask.json", "w") as f:
        # LangNeurons' GateMask format (org.langneurons.finetune.GateMask.save)
        f.write(json.dumps({"setup": "fixture", "languages": [], "layers": 2, "neurons_per_layer": 48,
                            "trainable_count": sum(len(v) for v in MASK.values()),
                            "trainable": [MASK[str(layer)] for layer in range(2)]}) + "\n")
    ref["lora_masked"] = seq_section(masked_logits)
    ref["lora_masked"]["max_abs_diff_vs_base"] = rnd(maxdiff(masked_logits, base_logits))
    ref["lora_masked"]["neuron_mask"] = MASK
    # which gate rows actually change when merged (must be exactly the mask)
    gsd_base = {k: v.clone() for k, v in pm.base_model.model.state_dict().items() if "gate_proj.base_layer" in k}
    merged = pm.merge_and_unload()
    changed = {}
    for l in range(2):
        w0 = gsd_base[f"model.layers.{l}.mlp.gate_proj.base_layer.weight"]
        w1 = merged.state_dict()[f"model.layers.{l}.mlp.gate_proj.weight"]
        changed[str(l)] = [int(i) for i in torch.nonzero((w1 - w0).abs().amax(1) > 0).flatten()]
    assert changed == MASK, changed
    ref["lora_masked"]["merged_gate_rows_changed"] = changed
    del pm, merged, base

    # ---------------------------------------------------------------- 3. lora-seqcls
    torch.manual_seed(7)
    base = load_base(LlamaForSequenceClassification, num_labels=NUM_LABELS)
    with torch.no_grad():
        base.score.weight.copy_(torch.randn(base.score.weight.shape, generator=gen(999)) / math.sqrt(32))
    torch.manual_seed(44)
    scfg = LoraConfig(task_type=TaskType.SEQ_CLS, r=R, lora_alpha=ALPHA, lora_dropout=0.0,
                      target_modules=TARGETS, bias="none")
    pm = get_peft_model(base, scfg).eval()
    seed_lora(pm, 8765)
    cls_logits = seqcls_logits(pm)
    save_adapter(pm, "lora-seqcls")
    ids, mask = seqcls_batch()
    it = torch.tensor(ids)
    last = ((it != PAD).int() * torch.arange(it.shape[1], dtype=torch.int32)).argmax(-1)
    # the same, one sequence at a time without padding (pooled = last position)
    with torch.no_grad():
        single = torch.stack([pm(input_ids=torch.tensor([s])).logits[0] for s in SEQUENCES])
    ref["lora_seqcls"] = {
        "num_labels": NUM_LABELS,
        "pad_token_id": PAD,
        "input_ids": ids,
        "attention_mask": mask,
        "pooled_index": [int(i) for i in last],
        "pooling_rule": "transformers GenericForSequenceClassification.forward (modeling_layers.py): "
        "non_pad_mask = (input_ids != config.pad_token_id).int(); token_indices = arange(seq_len); "
        "last_non_pad_token = (token_indices * non_pad_mask).argmax(-1); "
        "pooled_logits = logits[arange(batch), last_non_pad_token]. attention_mask is NOT used for pooling.",
        "logits": tolist(cls_logits),
        "max_abs_diff_vs_unpadded_single": rnd(float((single - cls_logits).abs().max())),
    }
    del pm, base

    # ---------------------------------------------------------------- 7. BLOOM key names (files not kept)
    bcfg = BloomConfig(vocab_size=64, hidden_size=32, n_layer=2, n_head=4, pad_token_id=0, bos_token_id=1,
                       eos_token_id=2)
    torch.manual_seed(0)
    bloom = BloomForCausalLM(bcfg).eval()
    torch.manual_seed(45)
    bl = get_peft_model(bloom, LoraConfig(task_type=TaskType.CAUSAL_LM, r=R, lora_alpha=ALPHA, lora_dropout=0.0,
                                          target_modules=["query_key_value", "dense", "dense_h_to_4h",
                                                          "dense_4h_to_h"], bias="none"))
    tmp = "_bloom_tmp"
    save_adapter(bl, tmp)
    bloom_keys = keys_of(tmp)
    with open(os.path.join(tmp, "adapter_config.json")) as f:
        bloom_cfg = json.load(f)
    shutil.rmtree(tmp)
    with open("bloom_keys.json", "w") as f:
        json.dump({"note": "BloomForCausalLM hidden 32, 2 layers, 4 heads, vocab 64; LoRA r=4 alpha=8 on "
                   "query_key_value,dense,dense_h_to_4h,dense_4h_to_h; keys of adapter_model.safetensors "
                   "(shape) as PEFT " + peft.__version__ + " saves them",
                   "adapter_model_keys": bloom_keys,
                   "adapter_config_target_modules": bloom_cfg["target_modules"]}, f, indent=1)
        f.write("\n")

    with open("reference.json", "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")

    verify(ref)


def verify(ref, tol=1e-5):
    """Reload everything from disk with PeftModel.from_pretrained and compare with reference.json."""
    def cmp(name, got, want_section):
        d = max(float((g - torch.tensor(w["logits"])).abs().max()) for g, w in zip(got, want_section["sequences"]))
        print(f"verify {name}: max abs diff {d:.3g}")
        assert d < tol, name

    torch.manual_seed(1)
    cmp("base", causal_logits(load_base()), ref["base"])
    for name, d in (("lora_causal", "lora-causal"), ("lora_masked", "lora-masked")):
        torch.manual_seed(2)
        m = PeftModel.from_pretrained(load_base(), d).eval()
        cmp(name, causal_logits(m), ref[name])
        if name == "lora_causal":
            cmp("merged_causal", causal_logits(m.merge_and_unload()), ref["merged_causal"])
    # A hand-written minimal adapter_config.json (what a non-PEFT writer such as LangNeurons emits) must load too.
    import tempfile
    for name, d, task, mts in (("lora_causal", "lora-causal", "CAUSAL_LM", None),
                               ("lora_seqcls", "lora-seqcls", "SEQ_CLS", ["classifier", "score"])):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "adapter_config.json"), "w") as f:
                json.dump(dict(MINIMAL_CONFIG, task_type=task, modules_to_save=mts), f)
            shutil.copy(os.path.join(d, "adapter_model.safetensors"), tmp)
            if task == "CAUSAL_LM":
                m = PeftModel.from_pretrained(load_base(), tmp).eval()
                cmp(name + " (minimal adapter_config.json)", causal_logits(m), ref[name])
            else:
                torch.manual_seed(5)
                m = PeftModel.from_pretrained(load_base(LlamaForSequenceClassification, num_labels=NUM_LABELS),
                                              tmp).eval()
                dd = float((seqcls_logits(m) - torch.tensor(ref[name]["logits"])).abs().max())
                print(f"verify {name} (minimal adapter_config.json): max abs diff {dd:.3g}")
                assert dd < tol

    torch.manual_seed(3)  # different seed than at creation: score must come from the adapter, not the base init
    m = PeftModel.from_pretrained(load_base(LlamaForSequenceClassification, num_labels=NUM_LABELS), "lora-seqcls").eval()
    d = float((seqcls_logits(m) - torch.tensor(ref["lora_seqcls"]["logits"])).abs().max())
    print(f"verify lora_seqcls: max abs diff {d:.3g}")
    assert d < tol


if __name__ == "__main__":
    main()
    sys.exit(0)
