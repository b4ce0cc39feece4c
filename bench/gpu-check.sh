#!/usr/bin/env bash
# The GPU check, one prepared script for a bare GPU machine that has only Python with PyTorch (any version, no
# network, no Java): it brings its own Java runtime and the jar (a bundle made by bench/gpu-bundle.sh), rebuilds DJL's
# JNI glue for the machine's libtorch (env/gpu-setup.sh), and measures, writing one results file (JSON):
#   1. setup: the glue's compile time;  2. the GPU's fp16 matmul rate (TFLOP/s);
#   3. parity: the parity fixtures' logits on the device in fp32 (max |diff| <= 1e-4 against transformers' fp32
#      references) and fp16 (<= 0.05; transformers' own fp16 error on the same fixtures is recorded beside it);
#   4. bf16: does DJL survive a bfloat16 array (each probe a child JVM; 134 = the JVM aborted);
#   5. per --sizes shape: a random Llama (drawn with PyTorch, stored bf16 as Llama 3.x is), `bench` beside
#      transformers eager and sdpa (same checkpoint, ids, batch, length, precision);
#   6. on --stats-size (Llama-3.1-8B's shape, Llama 3's tokenizer): a forward's logits checked for infinities, a
#      statistics pass (en, fr), LAPE's neurons and their perplexity-change matrix (2 x 2 cells).
#
#   bash bench/gpu-check.sh --bundle .gpucheck [--out DIR] [--python PY] [--budget 510]       # on the GPU
#   bash bench/gpu-check.sh --cpu --bundle .gpucheck                                          # CPU rehearsal
#   options: --sizes "llama-110m llama-1b llama-3.1-8b" --stats-size llama-3.1-8b --batch 8 --length 512
#            --repeats 5 --dtype fp16 --stats-tokens 20000 --ppl-chars 3000 --jobs N
#            --slow F (every step's time limit times F; default 1 on a GPU, 4 with --cpu)
# --cpu: the same steps on the CPU with small shapes (sizes "llama3-tiny llama-110m", stats on llama3-tiny, batch 4 x
# 128, fp32 bench, 2 repeats): a rehearsal of the whole script and a proof of the rebuilt-glue route.
# Every step has its own time limit inside --budget seconds; the results file is rewritten after each step, so a run
# cut short still reports what it measured. Results: OUT/gpu-check.json (OUT: --out, else $OUT, else out/gpu-check).
set -uo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
CPU= BUNDLE=.gpucheck PY=python3 BUDGET=510 JOBS="$(nproc)" DEST="${OUT:-$REPO/out/gpu-check}" SLOW=
SIZES= STATS_SIZE= BATCH= LENGTH= REPEATS= DTYPE= STATS_TOKENS= PPL_CHARS=
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) CPU=1; shift ;;
    --bundle) BUNDLE="$2"; shift 2 ;;
    --out) DEST="$2"; shift 2 ;;
    --python) PY="$2"; shift 2 ;;
    --budget) BUDGET="$2"; shift 2 ;;
    --sizes) SIZES="$2"; shift 2 ;;
    --stats-size) STATS_SIZE="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --length) LENGTH="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --dtype) DTYPE="$2"; shift 2 ;;
    --stats-tokens) STATS_TOKENS="$2"; shift 2 ;;
    --ppl-chars) PPL_CHARS="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --slow) SLOW="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -n "$CPU" ]; then
  DEV=cpu TDEV=cpu
  : "${SIZES:=llama3-tiny llama-110m}" "${STATS_SIZE:=llama3-tiny}" "${BATCH:=4}" "${LENGTH:=128}" "${REPEATS:=2}"
  : "${DTYPE:=fp32}" "${STATS_TOKENS:=4000}" "${PPL_CHARS:=1500}" "${SLOW:=4}"
else
  DEV=gpu TDEV=cuda
  : "${SIZES:=llama-110m llama-1b llama-3.1-8b}" "${STATS_SIZE:=llama-3.1-8b}" "${BATCH:=8}" "${LENGTH:=512}"
  : "${REPEATS:=5}" "${DTYPE:=fp16}" "${STATS_TOKENS:=20000}" "${PPL_CHARS:=3000}" "${SLOW:=1}"
fi
WORK="${TMPDIR:-/tmp}/langneurons-gpu-check"; mkdir -p "$WORK"
if [ -f "$BUNDLE" ]; then   # the bundle as one .tar.xz file
  mkdir -p "$WORK/bundle" && xz -dc "$BUNDLE" | tar -x -C "$WORK/bundle" && BUNDLE="$WORK/bundle"
fi
BUNDLE="$(cd "$BUNDLE" && pwd)" || { echo "error: no bundle folder (make it with bench/gpu-bundle.sh)" >&2; exit 1; }
mkdir -p "$DEST"; DEST="$(cd "$DEST" && pwd)"
STEPS="$DEST/steps.jsonl"; : > "$STEPS"
START=$(date +%s)
JAVA="$BUNDLE/jre/bin/java"; [ -x "$JAVA" ] || JAVA=java
JAR="$BUNDLE/langneurons.jar"
CP="$JAR:$BUNDLE/classes"
TOKENIZER="$BUNDLE/tokenizer/tokenizer.json"
FIXTURES=()
for d in "$BUNDLE"/fixtures/*/; do [ -f "$d/reference.json" ] && FIXTURES+=("${d%/}"); done

left() { echo $(( BUDGET - ($(date +%s) - START) )); }
# step NAME LIMIT_S CMD...: runs CMD with its output in WORK/NAME.log, records status, seconds and the JSON lines
# it printed, rewrites the results file.
step() {
  local name="$1" limit=$(( $2 * SLOW )); shift 2
  local avail; avail=$(left)
  [ "$limit" -gt "$avail" ] && limit="$avail"
  if [ "$limit" -lt 5 ]; then
    echo "{\"step\":\"$name\",\"skipped\":\"budget spent\"}" >> "$STEPS"; merge; return 1
  fi
  echo "== $name (limit ${limit}s, $(left)s of the budget left)" >&2
  local t0; t0=$(date +%s.%N)
  timeout -k 10 "$limit" "$@" > "$WORK/$name.log" 2> "$WORK/$name.err"
  local rc=$?
  "$PY" - "$name" "$rc" "$t0" "$WORK/$name.log" "$WORK/$name.err" >> "$STEPS" <<'EOF'
import json, sys, time
name, rc, t0, log, err = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = []
for line in open(log, errors="replace"):
    line = line.strip()
    if line.startswith("{"):
        try:
            rows.append(json.loads(line))
        except ValueError:
            pass
if not rows:  # bench --json prints one object over several lines
    try:
        rows = [json.loads(open(log).read())]
    except ValueError:
        pass
tail = open(err, errors="replace").read().strip().splitlines()[-6:]
out = {"step": name, "rc": rc, "seconds": round(time.time() - t0, 1), "results": rows}
if rc != 0 or not rows:
    out["stderr_tail"] = tail
print(json.dumps(out))
EOF
  merge
  tail -3 "$WORK/$name.err" >&2
  return $rc
}
merge() {
  "$PY" - "$STEPS" "$DEST/gpu-check.json" "$CPU" "$SIZES" "$STATS_SIZE" "$BATCH" "$LENGTH" "$DTYPE" "$REPEATS" \
      "$(( $(date +%s) - START ))" <<'EOF'
import json, sys
steps, out, cpu, sizes, stats_size, batch, length, dtype, repeats, elapsed = sys.argv[1:]
rows = [json.loads(l) for l in open(steps) if l.strip()]
json.dump({"mode": "cpu rehearsal" if cpu else "gpu", "sizes": sizes.split(), "stats_size": stats_size,
           "batch": int(batch), "length": int(length), "dtype": dtype, "repeats": int(repeats),
           "elapsed_s": int(elapsed), "steps": rows}, open(out, "w"), indent=1)
EOF
}

# 0. the machine
step machine 30 "$PY" - "$TDEV" "$JAVA" <<'EOF'
import json, platform, subprocess, sys, os, torch
info = {"torch": torch.__version__, "cuda": torch.version.cuda, "python": platform.python_version(),
        "cpus": os.cpu_count(), "java": subprocess.run([sys.argv[2], "-version"], capture_output=True,
                                                        text=True).stderr.splitlines()[0]}
if sys.argv[1] == "cuda":
    info["gpu"] = torch.cuda.get_device_name()
    info["gpu_memory_gib"] = round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1)
try:
    import transformers
    info["transformers"] = transformers.__version__
except ImportError:
    info["transformers"] = None
print(json.dumps(info))
EOF

# 1. DJL's glue for this libtorch
step setup 240 bash env/gpu-setup.sh --python "$PY" --djl-src "$BUNDLE/djl" --jdk "$BUNDLE/jre" \
    --out "$WORK/torch" --jobs "$JOBS" $([ -n "$CPU" ] && echo --no-cuda) || { echo "setup failed" >&2; exit 1; }
# shellcheck disable=SC1091
source "$WORK/torch/env.sh"
export LANGNEURONS_CACHE="$WORK/cache"
JOPTS=(-Xmx16g -Dai.djl.offline=true)

# 2. the matmul rate of the device (fp16 on a GPU, fp32 on the CPU)
step matmul 60 "$PY" - "$TDEV" <<'EOF'
import json, sys, time, torch
dev = sys.argv[1]
n, dtype = (8192, torch.float16) if dev == "cuda" else (2048, torch.float32)
a, b = torch.randn(n, n, device=dev, dtype=dtype), torch.randn(n, n, device=dev, dtype=dtype)
sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
for _ in range(3):
    a @ b
sync()
reps = 50 if dev == "cuda" else 5
t = time.perf_counter()
for _ in range(reps):
    a @ b
sync()
s = time.perf_counter() - t
print(json.dumps({"n": n, "dtype": str(dtype), "tflops": round(2 * n ** 3 * reps / s / 1e12, 2)}))
EOF

# 3. parity of the fixtures' logits
step parity 150 "$JAVA" "${JOPTS[@]}" -cp "$CP" GpuParity "$DEV" fp32,fp16 "${FIXTURES[@]}"
step parity_hf_fp16 90 "$PY" bench/hf_parity.py --device "$TDEV" --dtype fp16 "${FIXTURES[@]}"

# 4. bfloat16 in DJL (a JVM abort is an exit status, not a lost run)
step bf16 60 bash -c 'for how in cast create matmul; do
    out=$("$0" -Dai.djl.offline=true -cp "$1" Bf16Probe $how $2 2>&1); rc=$?
    printf "{\"probe\":\"%s\",\"rc\":%d,\"last\":%s}\n" $how $rc "$(printf %s "$out" | tail -1 | python3 -c "import json,sys;print(json.dumps(sys.stdin.read()[:200]))")"
  done' "$JAVA" "$CP" "$DEV"

# 5. bench beside transformers per shape
for size in $SIZES; do
  dir="$WORK/$size"
  if [ ! -f "$dir/model.safetensors" ]; then
    step "make_$size" 150 "$PY" bench/make_random_llama.py --size "$size" --out "$dir" --dtype bf16 --device "$TDEV"
  fi
  args=(--batch "$BATCH" --length "$LENGTH" --repeats "$REPEATS")
  step "bench_${size}_langneurons" 150 "$JAVA" "${JOPTS[@]}" -jar "$JAR" bench --model "$dir" --device "$DEV" \
      --dtype "$DTYPE" "${args[@]}" --json
  for attn in eager sdpa; do
    step "bench_${size}_hf_$attn" 120 "$PY" bench/hf_reference.py --model "$dir" --device "$TDEV" --dtype "$DTYPE" \
        --attn "$attn" --threads "$(nproc)" "${args[@]}"
  done
done

# 6. the real-shaped model with Llama 3's tokenizer: infinities, statistics, perplexity change
dir="$WORK/$STATS_SIZE"
if [ ! -f "$dir/model.safetensors" ]; then
  step "make_$STATS_SIZE" 150 "$PY" bench/make_random_llama.py --size "$STATS_SIZE" --out "$dir" --dtype bf16 \
      --device "$TDEV"
fi
cp "$TOKENIZER" "$dir/tokenizer.json"
ids=$("$PY" -c "import random; r=random.Random(1); print(','.join(str(r.randrange(128000)) for _ in range(32)))")
step "finite_$STATS_SIZE" 120 bash -c '"$0" "${@:1:2}" -jar "$3" logits --model "$4" --device "$5" --dtype "$6" \
    --ids "$7" | "$8" -c "
import json, math, sys
x = json.load(sys.stdin)[\"logits\"][0]
flat = [v for row in x for v in row]
print(json.dumps({\"logits\": len(flat), \"finite\": all(math.isfinite(v) for v in flat),
                  \"max_abs\": max(abs(v) for v in flat)}))"' "$JAVA" "${JOPTS[@]}" "$JAR" "$dir" "$DEV" "$DTYPE" \
    "$ids" "$PY"
step "stats_$STATS_SIZE" 150 "$JAVA" "${JOPTS[@]}" -jar "$JAR" stats --model "$dir" --device "$DEV" --dtype "$DTYPE" \
    --langs en,fr --tokens-per-lang "$STATS_TOKENS" --out "$WORK/stats" --quiet
step "identify_$STATS_SIZE" 60 "$JAVA" "${JOPTS[@]}" -jar "$JAR" identify --stats "$WORK/stats" --langs en,fr \
    --out "$WORK/neurons.json"
step "ppxc_$STATS_SIZE" 150 "$JAVA" "${JOPTS[@]}" -jar "$JAR" ppl-change --model "$dir" --device "$DEV" \
    --dtype "$DTYPE" --neurons "$WORK/neurons.json" --stats "$WORK/stats" --max-chars "$PPL_CHARS" --out "$WORK/ppxc"
[ -f "$WORK/ppxc/ppxc.json" ] && cp "$WORK/ppxc/ppxc.json" "$DEST/ppxc.json"
[ -f "$WORK/stats/summary.json" ] && cp "$WORK/stats/summary.json" "$DEST/stats-summary.json"
merge
echo "results: $DEST/gpu-check.json ($(( $(date +%s) - START )) s)" >&2
