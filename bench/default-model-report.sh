#!/usr/bin/env bash
# The README's figures for a model trained like the embedded default (or the default itself): validation bits per
# character, LAPE and the perplexity-change check (bench/DefaultNeurons.java), and the source x target steering
# table. About 20 minutes on 2 cores. Writes OUT/quality.md, neurons.txt, stats/, lape.json, lape.txt, steer.md.
#
#   bash bench/default-model-report.sh [MODEL_DIR|default] [OUT]      # OUT defaults to ./work/report
set -euo pipefail
cd "$(dirname "$0")/.."
M="${1:-default}" E="${2:-work/report}"
mkdir -p "$E"
[ -f lib/target/langneurons.jar ] || mvn -B -q package -DskipTests -pl lib -am
JAR=lib/target/langneurons.jar
source env/allocator.sh
J="java -Xmx8g -jar $JAR"
$J evaluate --model "$M" --markdown | tee "$E/quality.md"
java -Xmx8g -cp "$JAR" bench/DefaultNeurons.java "$M" 0.01 4000 2 | tee "$E/neurons.txt"
$J stats --model "$M" --langs all --tokens-per-lang 100000 --max-length 256 --batch-size 16 --out "$E/stats"
$J identify --stats "$E/stats" --langs all --method lape --out "$E/lape.json"
$J neurons show "$E/lape.json" | tee "$E/lape.txt"
$J steer --model "$M" --neurons "$E/lape.json" --from en,fr,zh,hi,ta --to all --value 50 --prompts-per-language 12 \
  --max-new-tokens 16 --markdown | tee "$E/steer.md"
