"""BPE tokenizer training (`tokenizers`) for models trained from scratch on a new domain.

    longbrief train tokenizer --data FOLDER_OR_FILE... --vocab-size N --out DIR [--kind byte]

reads the corpus the way training does (`training.data.read_corpus`: JSON Lines, Parquet, CSV,
folders of PDFs and text through `pipeline.ingest`), holds out the validation documents by id
(`training.splits`, the same documents every objective holds out), trains on the rest and writes
`DIR/tokenizer.json` (loadable by `lm.tokenizer.Tokenizer.from_file`, ids and character offsets)
and `DIR/tokenizer_report.json`: size, time, and tokens per word on the held-out documents beside
MiniLM's WordPiece.

Two kinds:
- `byte` (default): byte-level BPE (GPT-2 style): every string encodes, no [UNK], case and
  spacing kept; offsets trimmed to the word (the leading space is not part of a token's span).
- `whitespace`: BPE inside words split at whitespace and punctuation, with '##' continuation
  pieces like WordPiece (decoding re-inserts the spaces); optional lower-casing.

The vocabulary starts with BERT's special tokens [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4 and
`n_sentinels` span-corruption sentinels [unused0].. (the names MiniLM's vocabulary uses for its
spare ids, so `training.denoise` finds them the same way). A model for this vocabulary takes
`config_overrides(tokenizer)`: vocab_size, pad_id, bos_id ([CLS]) and eos_id ([SEP]).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from datasets import Dataset
from tokenizers import Tokenizer as HFTokenizer
from tokenizers import decoders, models, normalizers, pre_tokenizers, processors, trainers

from lm.tokenizer import Tokenizer

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
SENTINEL_FORMAT = "[unused{}]"


@dataclass(frozen=True)
class BPESpec:
    """What tokenizer to train.

    `vocab_size` counts the special tokens and sentinels; `min_frequency` is the fewest times a
    pair must occur to be merged; `lowercase` applies to the `whitespace` kind only (byte-level
    keeps the text as it is).
    """

    vocab_size: int = 32000
    kind: Literal["byte", "whitespace"] = "byte"
    min_frequency: int = 2
    lowercase: bool = False
    n_sentinels: int = 100

    def __post_init__(self) -> None:
        if self.kind not in ("byte", "whitespace"):
            raise ValueError(f"unknown BPE kind {self.kind!r}; use 'byte' or 'whitespace'")
        floor = len(self.special_tokens) + (256 if self.kind == "byte" else 1)
        if self.vocab_size < floor:
            raise ValueError(f"vocab_size {self.vocab_size} is below the minimum {floor}")

    @property
    def special_tokens(self) -> tuple[str, ...]:
        """BERT's special tokens, then the sentinels (ids 0.. in this order)."""
        return SPECIAL_TOKENS + tuple(SENTINEL_FORMAT.format(i) for i in range(self.n_sentinels))


@dataclass(frozen=True)
class TokenizerReport:
    """What `train_tokenizer_files` did: sizes, time, and tokens per word on held-out text."""

    kind: str
    vocab_size: int
    train_documents: int
    train_characters: int
    seconds: float
    heldout_documents: int
    heldout_words: int
    tokens_per_word: float
    minilm_tokens_per_word: float | None
    config_overrides: dict[str, int]


def _untrained(spec: BPESpec) -> tuple[HFTokenizer, trainers.BpeTrainer]:
    """An empty tokenizer of `spec.kind` and the trainer that fills it."""
    if spec.kind == "byte":
        tok = HFTokenizer(models.BPE())
        tok.normalizer = normalizers.NFC()
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        # Trims a token's offsets to its visible characters (" Licensee" -> "Licensee").
        tok.post_processor = processors.ByteLevel(trim_offsets=True)
        trainer = trainers.BpeTrainer(
            vocab_size=spec.vocab_size,
            min_frequency=spec.min_frequency,
            special_tokens=list(spec.special_tokens),
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        return tok, trainer
    tok = HFTokenizer(models.BPE(unk_token="[UNK]", continuing_subword_prefix="##"))
    steps = [normalizers.NFKC()] + ([normalizers.Lowercase()] if spec.lowercase else [])
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.BpeTrainer(
        vocab_size=spec.vocab_size,
        min_frequency=spec.min_frequency,
        special_tokens=list(spec.special_tokens),
        continuing_subword_prefix="##",
        show_progress=False,
    )
    return tok, trainer


def train_bpe(texts: Iterable[str], spec: BPESpec = BPESpec()) -> Tokenizer:
    """Train a BPE tokenizer of `spec` on `texts`; returns the `lm` wrapper around it."""
    tok, trainer = _untrained(spec)
    tok.train_from_iterator(texts, trainer=trainer)
    return Tokenizer(tok)


def sentinel_ids(tok: Tokenizer, n: int) -> tuple[int, ...]:
    """Ids of the first `n` sentinels [unused0].. of `tok` (MiniLM's or one trained here).

    Raises ValueError when the vocabulary has fewer than `n`.
    """
    ids = []
    for i in range(n):
        tid = tok.token_to_id(SENTINEL_FORMAT.format(i))
        if tid is None:
            raise ValueError(
                f"the tokenizer has only {i} sentinel tokens {SENTINEL_FORMAT.format('N')}, "
                f"{n} asked for"
            )
        ids.append(tid)
    return tuple(ids)


def config_overrides(tok: Tokenizer) -> dict[str, int]:
    """`ModelConfig` fields for a model over `tok`'s vocabulary (from scratch: no warm start)."""
    return {
        "vocab_size": tok.vocab_size,
        "pad_id": tok.pad_id,
        "bos_id": tok.cls_id,
        "eos_id": tok.sep_id,
    }


def tokens_per_word(tok: Tokenizer, texts: Iterable[str]) -> tuple[float, int]:
    """(tokens per whitespace-separated word, words) over `texts`: lower is a better fit."""
    tokens = words = 0
    for text in texts:
        words += len(text.split())
        tokens += tok.count(text)
    return (tokens / words if words else 0.0), words


def _texts(dataset: Dataset, batch: int = 256) -> Iterator[str]:
    for start in range(0, len(dataset), batch):
        yield from dataset[start : start + batch]["text"]


def train_tokenizer_files(
    data: Sequence[str],
    out: str | Path,
    spec: BPESpec = BPESpec(),
    val_permille: int = 50,
    max_documents: int | None = None,
    text_field: str = "text",
    id_field: str = "id",
    compare_minilm: bool = True,
    cache_dir: str | None = None,
) -> TokenizerReport:
    """Train on the training split of `data` (files or folders), save and report.

    `max_documents` caps the training documents (in id-hash order, so the sample is the same
    whatever the file order). Writes `out/tokenizer.json` and `out/tokenizer_report.json`.
    """
    from training.data import read_corpus, split_by_id

    corpus = read_corpus(list(data), text_field, id_field, cache_dir)
    train_docs, val_docs = split_by_id(corpus.dataset, val_permille)
    if max_documents is not None:
        train_docs = train_docs.select(range(min(max_documents, len(train_docs))))
    started = time.perf_counter()
    tok = train_bpe(_texts(train_docs), spec)
    seconds = time.perf_counter() - started
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tok.save(out / "tokenizer.json")
    heldout = list(_texts(val_docs))
    ratio, words = tokens_per_word(tok, heldout)
    minilm = None
    if compare_minilm:
        from lm.weights import minilm_available

        if minilm_available():
            minilm = tokens_per_word(Tokenizer.minilm(), heldout)[0]
    report = TokenizerReport(
        kind=spec.kind,
        vocab_size=tok.vocab_size,
        train_documents=len(train_docs),
        train_characters=sum(len(t) for t in _texts(train_docs)),
        seconds=round(seconds, 1),
        heldout_documents=len(val_docs),
        heldout_words=words,
        tokens_per_word=round(ratio, 4),
        minilm_tokens_per_word=None if minilm is None else round(minilm, 4),
        config_overrides=config_overrides(tok),
    )
    (out / "tokenizer_report.json").write_text(
        json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8"
    )
    return report


def main(argv: list[str] | None = None) -> None:
    """`longbrief train tokenizer ...`: train a BPE tokenizer on a corpus."""
    parser = argparse.ArgumentParser(
        prog="longbrief train tokenizer",
        description="Train a BPE tokenizer (tokenizer.json) for a model trained from scratch.",
    )
    parser.add_argument("--data", nargs="+", required=True, help="corpus files or folders")
    parser.add_argument("--vocab-size", type=int, default=BPESpec.vocab_size)
    parser.add_argument("--out", required=True, help="output folder (tokenizer.json, report)")
    parser.add_argument("--kind", choices=("byte", "whitespace"), default=BPESpec.kind)
    parser.add_argument("--min-frequency", type=int, default=BPESpec.min_frequency)
    parser.add_argument("--lowercase", action="store_true", help="whitespace kind only")
    parser.add_argument("--sentinels", type=int, default=BPESpec.n_sentinels)
    parser.add_argument("--val-permille", type=int, default=50, help="held-out share, by id")
    parser.add_argument("--max-documents", type=int, default=None)
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--id-field", default="id")
    parser.add_argument("--no-compare", action="store_true", help="skip the MiniLM comparison")
    args = parser.parse_args(argv)
    spec = BPESpec(args.vocab_size, args.kind, args.min_frequency, args.lowercase, args.sentinels)
    report = train_tokenizer_files(
        args.data,
        args.out,
        spec,
        val_permille=args.val_permille,
        max_documents=args.max_documents,
        text_field=args.text_field,
        id_field=args.id_field,
        compare_minilm=not args.no_compare,
    )
    print(json.dumps(asdict(report), indent=2))
    print(f"wrote {Path(args.out) / 'tokenizer.json'}")


__all__ = [
    "SPECIAL_TOKENS",
    "BPESpec",
    "TokenizerReport",
    "config_overrides",
    "main",
    "sentinel_ids",
    "tokens_per_word",
    "train_bpe",
    "train_tokenizer_files",
]
