#!/usr/bin/env bash
# Executes the notebooks headless, in order, and writes each executed notebook and a standalone HTML page of it to
# OUT (default out/); stops at the first notebook with a cell error. Data the notebooks make (statistics, neuron
# sets, figures) goes to OUT/data, shared between notebooks ($LANGNEURONS_OUT), so later notebooks reuse it.
# The Java kernel (rapaio 3.0.1) hangs in about one start of five here (4 of 20 measured): its shell channel's
# thread never starts, so kernel_info is never answered. A healthy start answers within 2 s, so a start is given
# 20 s and then retried (TRIES, default 5).
#
#   bash env/run-notebooks.sh [OUT [NOTEBOOK.ipynb ...]]     # KERNEL=langneurons (the kernel spec name)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-out}"
shift || true
NOTEBOOKS=("$@")
[ ${#NOTEBOOKS[@]} -gt 0 ] || NOTEBOOKS=(notebooks/[0-9]*.ipynb)
KERNEL="${KERNEL:-langneurons}"
TRIES="${TRIES:-5}"
mkdir -p "$OUT/data"
OUT="$(cd "$OUT" && pwd)"
export LANGNEURONS_OUT="$OUT/data"
for nb in "${NOTEBOOKS[@]}"; do
  name="$(basename "$nb" .ipynb)"
  log="$OUT/$name.log"
  start=$SECONDS
  for try in $(seq 1 "$TRIES"); do
    if jupyter nbconvert --to notebook --execute "$nb" --output-dir "$OUT" --output "$name" \
        --ExecutePreprocessor.kernel_name="$KERNEL" --ExecutePreprocessor.timeout=1800 \
        --ExecutePreprocessor.startup_timeout=20 >"$log" 2>&1; then
      break
    fi
    if grep -q 'CellExecutionError' "$log" || [ "$try" = "$TRIES" ]; then
      echo "$nb failed (log: $log):" >&2
      tail -40 "$log" >&2
      exit 1
    fi
    echo "$nb: the kernel did not start (try $try of $TRIES), retrying" >&2
  done
  jupyter nbconvert --to html "$OUT/$name.ipynb" --output-dir "$OUT" >>"$log" 2>&1
  echo "$name: $((SECONDS - start)) s -> $OUT/$name.ipynb, $OUT/$name.html" >&2
done
