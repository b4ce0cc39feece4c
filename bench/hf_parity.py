#!/usr/bin/env python3
"""transformers' own logits of the parity fixtures in a given precision and device against the fixtures' float32
references: the yardstick for LangNeurons' fp16 error (one JSON line per fixture).

    python3 bench/hf_parity.py --device cuda --dtype fp16 FIXTURE_DIR...
"""
import argparse
import json
import os
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--dtype", default="fp16", choices=("fp32", "fp16", "bf16"))
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    from transformers import AutoModelForCausalLM
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[args.dtype]
    for d in args.dirs:
        ref = json.load(open(os.path.join(d, "reference.json")))
        start = time.time()
        try:
            model = AutoModelForCausalLM.from_pretrained(d, torch_dtype=dtype,
                                                         attn_implementation=ref.get("attn_implementation", "eager"))
            model = model.eval().to(args.device)
            worst, finite = 0.0, True
            with torch.inference_mode():
                for s in ref["sequences"]:
                    ids = torch.tensor([s["ids"]], device=args.device)
                    got = model(input_ids=ids).logits[0].float().cpu()
                    want = torch.tensor(s["logits"]).reshape(got.shape)
                    finite &= bool(torch.isfinite(got).all())
                    worst = max(worst, (got - want).abs().max().item())
            print(json.dumps({"fixture": os.path.basename(d.rstrip("/")), "peer": "transformers", "device": args.device,
                              "dtype": args.dtype, "max_abs_diff": float("%.3g" % worst), "finite": finite,
                              "seconds": round(time.time() - start, 2)}), flush=True)
        except Exception as e:  # a fixture transformers cannot load in this version: say so and go on
            print(json.dumps({"fixture": os.path.basename(d.rstrip("/")), "peer": "transformers",
                              "error": str(e)[:300]}), flush=True)


if __name__ == "__main__":
    main()
