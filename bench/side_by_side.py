#!/usr/bin/python3
"""Runs `langneurons bench` and its PyTorch peers alternately on the same checkpoints, each under /usr/bin/time -v,
and prints one JSON line per run plus a Markdown table of the medians of the clean runs and their ratios.

    python3 bench/side_by_side.py --models DEFAULT_DIR /tmp/llama-110m --rounds 3 --python V/bin/python
        [--peers hf,torch] [--jar lib/target/langneurons.jar] [--torch-lib DIR] [--out results.jsonl] [bench options]

Peers: hf = bench/hf_reference.py (transformers, eager attention, forward hooks: what the papers' code runs);
torch = bench/torch_reference.py (a plain PyTorch Llama, the same ops without transformers' overhead). --python is
the interpreter with torch (and transformers for hf): a PyTorch 2.13 CPU wheel with MKL (DEVELOPERS.md).

The machine may be shared: before each run it waits (up to --quiet-wait s) until the CPUs are idle, and during the
run it compares the CPU time the whole machine spent (/proc/stat, steal included) with the CPU time of the run
itself (user + sys from time -v). Runs where other work took more than --max-foreign of the machine are marked
"contended" and left out of the table when a clean run of the same pair exists.
--torch-lib: a directory put first on LD_LIBRARY_PATH of the torch runs (e.g. OpenBLAS's libblas.so.3: Debian's
python3-torch links whatever libblas.so.3 the system provides, by default the unoptimised reference BLAS).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HZ = os.sysconf("SC_CLK_TCK")
CPUS = os.cpu_count()
KEYS = ("forward_tokens_per_s", "forward_with_neuron_stats_tokens_per_s", "statistics_counts_tokens_per_s",
        "statistics_full_tokens_per_s", "generation_tokens_per_s")
SCRIPTS = {"hf": "hf_reference.py", "torch": "torch_reference.py"}


def busy_jiffies():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
    return user + nice + system + irq + softirq + steal


def wait_quiet(limit_s, seconds=5, threshold=0.10):
    """Waits until the machine was at most `threshold` busy for `seconds` in a row (or limit_s passed)."""
    start, quiet = time.time(), 0
    while True:
        b0 = busy_jiffies()
        time.sleep(1.0)
        share = (busy_jiffies() - b0) / HZ / CPUS
        quiet = quiet + 1 if share < threshold else 0
        if quiet >= seconds or time.time() - start > limit_s:
            return share


def cpu_of(pid):
    """CPU seconds (user + sys, all threads) of a live process, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / HZ
    except (OSError, IndexError):
        return 0.0


def child_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        return int(kids[0]) if kids else None
    except OSError:
        return None


def run(label, cmd, env, abort_share):
    """One run under /usr/bin/time -v. Returns None (after killing it) when other work took more than abort_share
    of the machine for 3 consecutive 2-second windows."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, tempfile.TemporaryFile("w+") as so, \
            tempfile.TemporaryFile("w+") as se:
        b0, t0 = busy_jiffies(), time.time()
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", tf.name, *cmd], stdout=so, stderr=se, env=env)
        bad, last_busy, last_own, child = 0, b0, 0.0, None
        while proc.poll() is None:
            time.sleep(2.0)
            child = child or child_of(proc.pid)
            busy, own = busy_jiffies(), cpu_of(child) if child else 0.0
            if own > 0:
                foreign = ((busy - last_busy) / HZ - (own - last_own)) / (2.0 * CPUS)
                bad = bad + 1 if foreign > abort_share else 0
                last_busy, last_own = busy, own
            if abort_share < 1 and bad >= 3:
                proc.kill()  # kills /usr/bin/time; its child is ours, end it by its id
                if child:
                    try:
                        os.kill(child, 9)
                    except OSError:
                        pass
                proc.wait()
                return None
        wall, machine = time.time() - t0, (busy_jiffies() - b0) / HZ
        timing = tf.read()
        so.seek(0)
        se.seek(0)
        stdout, stderr = so.read(), se.read()
    if proc.returncode != 0:
        sys.exit(f"{label} failed:\n{stderr[-3000:]}")
    field = lambda name: float(re.search(re.escape(name) + r": ([\d.]+)", timing).group(1))
    own = field("User time (seconds)") + field("System time (seconds)")
    out = json.loads(stdout[stdout.index("{"):])
    return {
        "impl": label,
        "model": out["model"],
        **{k: out.get(k) for k in KEYS},
        **({"torch": out["torch"]} if "torch" in out else {}),
        "peak_rss_mib": round(field("Maximum resident set size (kbytes)") / 1024),
        "wall_s": round(wall, 1),
        "own_cpu_s": round(own, 1),
        "foreign_share": round(max(0.0, machine - own) / (wall * CPUS), 3),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", required=True)
    ap.add_argument("--rounds", type=int, default=1,
                    help="attempts per pair; a pair with a clean run (here or already in --out) is not run again")
    ap.add_argument("--jar", default=os.path.join(HERE, "..", "lib", "target", "langneurons.jar"))
    ap.add_argument("--torch-lib")
    ap.add_argument("--python", default="/usr/bin/python3", help="interpreter of the PyTorch peers")
    ap.add_argument("--peers", default="hf", help="comma-separated: hf, torch")
    ap.add_argument("--out")
    ap.add_argument("--quiet-wait", type=float, default=300)
    ap.add_argument("--max-foreign", type=float, default=0.05)
    ap.add_argument("--abort-share", type=float, default=0.25,
                    help="kill a run (and retry in a later round) when other work takes more than this share of"
                         " the machine for 6 s; 1 = never")
    for name, default in (("batch", 8), ("length", 128), ("new-tokens", 32), ("prompt-length", 16), ("repeats", 3)):
        ap.add_argument("--" + name, type=int, default=default)
    args = ap.parse_args()
    opts = []
    for name in ("batch", "length", "new-tokens", "prompt-length", "repeats"):
        opts += ["--" + name, str(getattr(args, name.replace("-", "_")))]
    torch_env = dict(os.environ)
    if args.torch_lib:
        torch_env["LD_LIBRARY_PATH"] = args.torch_lib + os.pathsep + torch_env.get("LD_LIBRARY_PATH", "")
    results = []
    if args.out and os.path.exists(args.out):
        results = [json.loads(line) for line in open(args.out)]
    peers = [p for p in args.peers.split(",") if p]
    for r in range(args.rounds):
        for model in args.models:
            # alternate which side goes first, so slow drift of the machine does not favour one
            sides = [("ours", ["java", "-Dai.djl.offline=true", "-jar", args.jar, "bench", "--model", model, *opts,
                               "--json"], dict(os.environ))]
            sides += [(p, [args.python, os.path.join(HERE, SCRIPTS[p]), "--model", model, *opts], torch_env)
                      for p in peers]
            for label, cmd, env in (sides if r % 2 == 0 else sides[::-1]):
                if sum(x["impl"] == label and x["model"] == os.path.abspath(model) and not x["contended"]
                       for x in results) > r:
                    continue
                before = wait_quiet(args.quiet_wait)
                res = run(label, cmd, env, args.abort_share)
                if res is None:
                    print(json.dumps({"impl": label, "model": model, "round": r, "aborted": "machine busy"}),
                          flush=True)
                    continue
                res["idle_before_busy_share"] = round(before, 3)
                res["contended"] = res["foreign_share"] > args.max_foreign
                res["round"] = r
                print(json.dumps(res), flush=True)
                results.append(res)
                if args.out:
                    with open(args.out, "a") as f:
                        f.write(json.dumps(res) + "\n")
    table(results)


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def table(results):
    """Medians of the clean runs (all runs where none is clean), and ours / peer per measurement."""
    names = {"forward_tokens_per_s": "forward", "forward_with_neuron_stats_tokens_per_s": "forward + hook",
             "statistics_counts_tokens_per_s": "stats counts", "statistics_full_tokens_per_s": "stats full",
             "generation_tokens_per_s": "generation"}
    print("\n| model | impl | " + " | ".join(names[k] + " tok/s" for k in KEYS) + " | peak RSS MiB | runs (clean/all) |")
    print("|---|---|" + "---:|" * (len(KEYS) + 2))
    for model in dict.fromkeys(r["model"] for r in results):
        med = {}
        for impl in dict.fromkeys(r["impl"] for r in results):
            runs = [r for r in results if r["model"] == model and r["impl"] == impl]
            if not runs:
                continue
            clean = [r for r in runs if not r["contended"]] or runs
            med[impl] = {k: median(r.get(k) for r in clean) for k in KEYS}
            rss = max(r["peak_rss_mib"] for r in clean)
            n_clean = sum(not r["contended"] for r in runs)
            cells = " | ".join("-" if med[impl][k] is None else f"{med[impl][k]:,.0f}" for k in KEYS)
            print(f"| {os.path.basename(model)} | {impl} | {cells} | {rss} | {n_clean}/{len(runs)} |")
        for impl in med:
            if impl == "ours":
                continue
            cells = " | ".join("-" if med[impl][k] is None or med["ours"][k] is None
                               else f"{med['ours'][k] / med[impl][k]:.2f}x" for k in KEYS)
            print(f"| {os.path.basename(model)} | ours / {impl} | {cells} | | |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--table":
        table([json.loads(line) for path in sys.argv[2:] for line in open(path)])
    else:
        main()
