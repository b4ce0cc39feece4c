#!/usr/bin/env python3
"""Manual interop check: run a LoRA adapter (e.g. one written by LangNeurons) through the real PEFT.

usage: check_adapter.py BASE_DIR ADAPTER_DIR OUT_JSON [--seqcls NUM_LABELS] [--compare OURS_JSON [--section NAME]]
                        [--tol 1e-4]

  BASE_DIR     Hugging Face checkpoint folder (config.json + *.safetensors), loaded with AutoModelForCausalLM
               (or AutoModelForSequenceClassification with num_labels=NUM_LABELS when --seqcls is given).
  ADAPTER_DIR  PEFT adapter folder (adapter_config.json + adapter_model.safetensors), loaded with
               PeftModel.from_pretrained; "-" runs the base model alone.
  OUT_JSON     where PEFT's outputs are written (layout below).
  --compare    a JSON of the same layout computed elsewhere (the Java side); prints the max abs difference of the
               logits and exits 1 if it exceeds --tol. If that JSON carries its own input ids, those are run
               instead of the fixed ones. --section NAME compares against OURS_JSON[NAME] instead (e.g.
               "--compare reference.json --section lora_causal").

JSON layout (the same as the lora_causal / lora_seqcls sections of reference.json):
  causal:  {"task": "CAUSAL_LM", "sequences": [{"ids": [int...], "logits": [[float x vocab] x len(ids)]}, ...]}
           each sequence run alone, unpadded, batch 1; logits at every position.
  seqcls:  {"task": "SEQ_CLS", "num_labels": N, "pad_token_id": P, "input_ids": [[int...] x B] (right-padded
           with P), "attention_mask": [[0/1...] x B], "logits": [[float x N] x B]}
           one padded batch; HF pools the logits of the rightmost token != pad_token_id.
  plus informational fields (base_dir, adapter_dir, versions) that --compare ignores.
Fixed inputs: [1, 5, 9, 13, 17, 21, 25] and [1, 30, 40, 50]. float32, CPU, eager attention, 1 thread.
Not run in CI.
"""
import argparse
import json
import sys

import torch

SEQUENCES = [[1, 5, 9, 13, 17, 21, 25], [1, 30, 40, 50]]


def pad_batch(seqs, pad):
    n = max(len(s) for s in seqs)
    return ([s + [pad] * (n - len(s)) for s in seqs], [[1] * len(s) + [0] * (n - len(s)) for s in seqs])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base_dir")
    ap.add_argument("adapter_dir")
    ap.add_argument("out_json")
    ap.add_argument("--seqcls", type=int, metavar="NUM_LABELS")
    ap.add_argument("--compare", metavar="OURS_JSON")
    ap.add_argument("--section", metavar="NAME")
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(0)
    import peft
    import transformers
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification

    ours = None
    if a.compare:
        with open(a.compare) as f:
            ours = json.load(f)
        if a.section:
            ours = ours[a.section]

    kw = dict(dtype=torch.float32, attn_implementation="eager")
    if a.seqcls:
        model = AutoModelForSequenceClassification.from_pretrained(a.base_dir, num_labels=a.seqcls, **kw)
    else:
        model = AutoModelForCausalLM.from_pretrained(a.base_dir, **kw)
    if a.adapter_dir != "-":
        model = PeftModel.from_pretrained(model, a.adapter_dir)
    model.eval()

    out = {"base_dir": a.base_dir, "adapter_dir": a.adapter_dir, "torch_version": torch.__version__,
           "transformers_version": transformers.__version__, "peft_version": peft.__version__}
    with torch.no_grad():
        if a.seqcls:
            cfg = model.config if a.adapter_dir == "-" else model.base_model.model.config
            pad = cfg.pad_token_id
            if pad is None:
                pad = 0
                cfg.pad_token_id = 0
                print("note: config has no pad_token_id; using 0", file=sys.stderr)
            if ours and "input_ids" in ours:
                ids, mask = ours["input_ids"], ours.get("attention_mask")
                if mask is None:
                    mask = [[0 if t == pad else 1 for t in row] for row in ids]
            else:
                ids, mask = pad_batch(SEQUENCES, pad)
            logits = model(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask)).logits
            out.update(task="SEQ_CLS", num_labels=a.seqcls, pad_token_id=pad, input_ids=ids, attention_mask=mask,
                       logits=logits.tolist())
            mine = [logits]
            theirs = [torch.tensor(ours["logits"])] if ours else None
        else:
            seqs = [s["ids"] for s in ours["sequences"]] if ours and "sequences" in ours else SEQUENCES
            mine = [model(input_ids=torch.tensor([s])).logits[0] for s in seqs]
            out.update(task="CAUSAL_LM", sequences=[{"ids": s, "logits": l.tolist()} for s, l in zip(seqs, mine)])
            theirs = [torch.tensor(s["logits"]) for s in ours["sequences"]] if ours else None

    with open(a.out_json, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print("wrote", a.out_json)

    if ours is not None:
        worst = 0.0
        for i, (m, t) in enumerate(zip(mine, theirs)):
            if m.shape != t.shape:
                print(f"shape mismatch in entry {i}: peft {list(m.shape)} vs ours {list(t.shape)}")
                sys.exit(2)
            d = float((m - t).abs().max())
            worst = max(worst, d)
            print(f"entry {i}: max abs diff {d:.3g}")
        if len(mine) != len(theirs):
            print(f"entry count differs: peft {len(mine)} vs ours {len(theirs)}")
            sys.exit(2)
        print(f"max abs diff {worst:.3g} (tol {a.tol:g}): {'OK' if worst <= a.tol else 'FAIL'}")
        sys.exit(0 if worst <= a.tol else 1)


if __name__ == "__main__":
    main()
