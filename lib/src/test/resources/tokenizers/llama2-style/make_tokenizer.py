"""Makes a small tokenizer.json shaped like Llama 2's (SentencePiece BPE as transformers converts it: the normalizer
prepends "▁" and replaces spaces by "▁", no pre-tokenizer, byte fallback, BOS added by the post-processor)."""
import sys
from tokenizers import Tokenizer, models, normalizers, processors, trainers, decoders
text = open(sys.argv[1], encoding="utf-8").read().splitlines()
tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=["<unk>", "<s>", "</s>"],
                              initial_alphabet=[], show_progress=False)
tok.train_from_iterator(text, trainer)
tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 1)])
tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
tok.save(sys.argv[2])
enc = tok.encode("Hello world, the file")
print(enc.tokens, enc.ids)
