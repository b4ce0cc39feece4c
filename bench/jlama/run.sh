#!/usr/bin/env bash
# Jlama's greedy generation on a checkpoint directory (config.json, model.safetensors, tokenizer.json), for the
# side-by-side table in the README ("Performance"). Needs a JDK 21+ (JAVA21_HOME, else temurin-25 where installed)
# and a tokenizer.json in MODEL_DIR (a random checkpoint from make_random_llama.py has none: copy the default's).
#   bash bench/jlama/run.sh MODEL_DIR [new_tokens] [repeats] [prompt]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jdk="${JAVA21_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cp_file="$(mktemp)"
mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
exec "$jdk/bin/java" --add-modules jdk.incubator.vector --enable-preview -cp "$(cat "$cp_file")" \
  "$here/JlamaGeneration.java" "$@"
