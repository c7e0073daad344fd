"""Corpora for training: loaded with `datasets`, split by id, cut into fixed-size token blocks.

    files (JSON Lines, Parquet, CSV) ──load_corpus──▶ Dataset(id, text)
        ──split_by_id──▶ train / validation (sha1 of the id, never random)
        ──tokenize_blocks (Dataset.map, batched, num_proc)──▶ Dataset(doc_id, block, ids)
        ──collate_blocks──▶ (ids (B, T) long, mask (B, T) bool)

A block is [CLS] + up to block_size - 2 tokens + [SEP], MiniLM's input format: the 512 positions
its pretrained weights know. Documents are visited in the order of a hash of their id, so a cap on
the number of blocks takes a deterministic sample of the corpus whatever the files' order.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightning.pytorch as pl
import torch
from datasets import Dataset, Features, Value, concatenate_datasets, load_dataset
from torch.utils.data import DataLoader

from lm.tokenizer import Tokenizer
from training.splits import is_validation

# File suffix -> `datasets` builder. A compression suffix (.gz, ...) may follow; `datasets`
# decompresses transparently. A folder of PDFs or text files (a firm's own corpus) goes through
# `pipeline.ingest` instead: `load_corpus` is where that loader will plug in.
FORMATS = {".jsonl": "json", ".json": "json", ".parquet": "parquet", ".csv": "csv"}
COMPRESSIONS = (".gz", ".bz2", ".xz", ".zst")
CORPUS_FEATURES = Features({"id": Value("string"), "text": Value("string")})
BLOCK_FEATURES = Features(
    {
        "doc_id": Value("string"),
        "block": Value("int32"),
        "ids": [Value("int32")],
    }
)


@dataclass(frozen=True)
class BlockSpec:
    """How documents are cut into blocks.

    `block_size` counts [CLS] and [SEP]; `max_blocks_per_doc` keeps one long document (a US Code
    title is hundreds of blocks) from filling a capped sample; a final piece shorter than
    `min_block_tokens` content tokens is dropped (a few tokens teach attention nothing).
    """

    block_size: int = 512
    max_blocks_per_doc: int | None = None
    min_block_tokens: int = 32

    def __post_init__(self) -> None:
        if self.block_size < 3:
            raise ValueError("block_size must leave room for [CLS], [SEP] and a token")
        if self.max_blocks_per_doc is not None and self.max_blocks_per_doc < 1:
            raise ValueError("max_blocks_per_doc must be positive (or None for no cap)")
        if not 1 <= self.min_block_tokens <= self.block_size - 2:
            raise ValueError(f"min_block_tokens must lie in 1..{self.block_size - 2}")

    @property
    def body(self) -> int:
        """Content tokens per block."""
        return self.block_size - 2


def corpus_format(path: str | Path) -> str:
    """The `datasets` builder for a corpus file, from its suffix (compression suffixes skipped)."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(
            f"{path}: a folder; loading folders of PDFs or text files (through pipeline.ingest) "
            "is not supported yet: give JSON Lines, Parquet or CSV files"
        )
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in COMPRESSIONS:
        suffixes.pop()
    if not suffixes or suffixes[-1] not in FORMATS:
        raise ValueError(f"{path}: unknown corpus format; use one of {sorted(FORMATS)}")
    return FORMATS[suffixes[-1]]


def _as_corpus(batch: dict[str, list[Any]], id_field: str, text_field: str) -> dict[str, list]:
    ids, texts = batch[id_field], batch[text_field]
    for i, doc_id in enumerate(ids):
        if doc_id is None or str(doc_id) == "":
            raise ValueError(f"a row without {id_field!r}: the split by id needs one in every row")
        ids[i] = str(doc_id)
    return {"id": ids, "text": ["" if t is None else str(t) for t in texts]}


def load_corpus(
    paths: str | Path | Sequence[str | Path],
    text_field: str = "text",
    id_field: str = "id",
    cache_dir: str | None = None,
) -> Dataset:
    """Load corpus files into one Dataset with string columns `id` and `text`.

    Each file is loaded on its own and reduced to the two fields, so files with different extra
    columns (judgments with summaries, licences with categories) combine.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    if not paths:
        raise ValueError("no corpus files given")
    parts = []
    for path in paths:
        builder = corpus_format(path)
        if not Path(path).is_file():
            raise FileNotFoundError(f"{path}: no such corpus file")
        raw = load_dataset(builder, data_files=str(path), split="train", cache_dir=cache_dir)
        missing = {id_field, text_field} - set(raw.column_names)
        if missing:
            raise ValueError(f"{path}: no field(s) {sorted(missing)}; has {raw.column_names}")
        parts.append(
            raw.map(
                _as_corpus,
                batched=True,
                fn_kwargs={"id_field": id_field, "text_field": text_field},
                remove_columns=raw.column_names,
                features=CORPUS_FEATURES,
                desc=f"reading {Path(path).name}",
            )
        )
    return parts[0] if len(parts) == 1 else concatenate_datasets(parts)


def id_digest(doc_id: str) -> str:
    """sha1 of the id (hex): a document's place in the visiting order."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()


def _add_keys(batch: dict[str, list[str]], val_permille: int) -> dict[str, list]:
    return {
        "_order": [id_digest(i) for i in batch["id"]],
        "_val": [is_validation(i, val_permille) for i in batch["id"]],
    }


def _keep(flags: list[bool], validation: bool) -> list[bool]:
    return [f == validation for f in flags]


def split_by_id(corpus: Dataset, val_permille: int) -> tuple[Dataset, Dataset]:
    """Deterministic (train, validation) split by `training.splits.is_validation`.

    sha1(id) mod 1000 < val_permille is validation: a document's side depends on its id alone
    (not on the file order, the other documents or a seed), so it never moves between runs or
    when the corpus grows, and every objective agrees on it. Both parts come back sorted by the
    id's digest: a capped sample is the same whatever order the files list documents in.
    """
    if not 0 <= val_permille <= 1000:
        raise ValueError("val_permille must lie in 0..1000")
    keyed = corpus.map(
        _add_keys, batched=True, fn_kwargs={"val_permille": val_permille}, desc="hashing ids"
    )
    parts = []
    for validation in (False, True):
        part = keyed.filter(
            _keep, batched=True, input_columns="_val", fn_kwargs={"validation": validation}
        )
        parts.append(part.sort("_order").remove_columns(["_order", "_val"]))
    return parts[0], parts[1]


def block_ids(tokens: Sequence[int], spec: BlockSpec, cls_id: int, sep_id: int) -> list[list[int]]:
    """Cut one document's token ids into blocks `[CLS] piece [SEP]` (only the last may be short)."""
    blocks = []
    for start in range(0, len(tokens), spec.body):
        if spec.max_blocks_per_doc is not None and len(blocks) >= spec.max_blocks_per_doc:
            break
        piece = list(tokens[start : start + spec.body])
        if len(piece) < spec.min_block_tokens:
            break
        blocks.append([cls_id, *piece, sep_id])
    return blocks


@functools.cache
def _tokenizer(path: str) -> Tokenizer:
    # One load per worker process (Dataset.map with num_proc runs this in each).
    return Tokenizer.from_file(path)


def leading_tokens(tok: Tokenizer, text: str, limit: int | None) -> tuple[int, ...]:
    """The first `limit` token ids of `text` (all of them if `limit` is None).

    Only a prefix is tokenized when that suffices: a capped sample of a 200k-word statute needs
    its first few thousand tokens, not all of it. The prefix ends at an ASCII whitespace, where
    WordPiece's pre-tokenizer splits anyway, so its tokens are exactly the text's first tokens.
    """
    if limit is None:
        return tok.encode(text).ids
    chars = 8 * limit
    while chars < len(text):
        cut = max(text.rfind(c, 0, chars) for c in " \n\t\r")
        if cut > 0:
            ids = tok.encode(text[:cut]).ids
            if len(ids) >= limit:
                return ids[:limit]
        chars *= 2
    return tok.encode(text).ids[:limit]


def _tokenize_batch(
    batch: dict[str, list[str]],
    tokenizer_file: str,
    block_size: int,
    max_blocks_per_doc: int | None,
    min_block_tokens: int,
) -> dict[str, list]:
    tok = _tokenizer(tokenizer_file)
    spec = BlockSpec(block_size, max_blocks_per_doc, min_block_tokens)
    limit = None if max_blocks_per_doc is None else max_blocks_per_doc * spec.body
    out: dict[str, list] = {"doc_id": [], "block": [], "ids": []}
    for doc_id, text in zip(batch["id"], batch["text"], strict=True):
        tokens = leading_tokens(tok, text, limit)
        for i, ids in enumerate(block_ids(tokens, spec, tok.cls_id, tok.sep_id)):
            out["doc_id"].append(doc_id)
            out["block"].append(i)
            out["ids"].append(ids)
    return out


def tokenize_blocks(
    docs: Dataset,
    spec: BlockSpec,
    tokenizer_file: str,
    max_blocks: int | None = None,
    num_proc: int | None = None,
) -> Dataset:
    """Tokenize `docs` (in their order) into blocks, stopping once `max_blocks` are made.

    Runs `Dataset.map(batched=True, num_proc=...)`; results are cached by `datasets`. With a cap,
    documents are tokenized in slices sized from the blocks per document seen so far, so a small
    sample of a large corpus does not tokenize all of it.
    """
    fn_kwargs = {
        "tokenizer_file": tokenizer_file,
        "block_size": spec.block_size,
        "max_blocks_per_doc": spec.max_blocks_per_doc,
        "min_block_tokens": spec.min_block_tokens,
    }

    def run(part: Dataset) -> Dataset:
        return part.map(
            _tokenize_batch,
            batched=True,
            batch_size=64,
            fn_kwargs=fn_kwargs,
            remove_columns=part.column_names,
            features=BLOCK_FEATURES,
            num_proc=num_proc if num_proc and num_proc > 1 and len(part) >= num_proc else None,
            desc="tokenizing",
        )

    if max_blocks is None:
        return run(docs)
    parts: list[Dataset] = []
    made = seen = 0
    while made < max_blocks and seen < len(docs):
        per_doc = made / seen if made else 1.0
        want = math.ceil((max_blocks - made) / max(per_doc, 1e-3) * 1.1)
        stop = min(len(docs), seen + max(want, 16))
        part = run(docs.select(range(seen, stop)))
        parts.append(part)
        made += len(part)
        seen = stop
    if not parts:
        return run(docs.select([]))
    blocks = parts[0] if len(parts) == 1 else concatenate_datasets(parts)
    return blocks.select(range(min(max_blocks, len(blocks))))


def collate_blocks(
    rows: Sequence[dict[str, Any]], block_size: int, pad_id: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad blocks to `block_size`: ids `(B, block_size)` long and mask `(B, block_size)` bool.

    Every batch has the full block width (not the longest row's), so the model always sees the
    shapes it is trained and benchmarked at.
    """
    ids = torch.full((len(rows), block_size), pad_id, dtype=torch.long)
    mask = torch.zeros(len(rows), block_size, dtype=torch.bool)
    for i, row in enumerate(rows):
        tokens = torch.as_tensor(row["ids"], dtype=torch.long)
        if len(tokens) > block_size:
            raise ValueError(f"a block of {len(tokens)} tokens exceeds block_size {block_size}")
        ids[i, : len(tokens)] = tokens
        mask[i, : len(tokens)] = True
    return ids, mask


class BlockDataModule(pl.LightningDataModule):
    """Fixed-size token blocks of a text corpus, split into train and validation by id.

    Args:
        paths: corpus files (.jsonl, .jsonl.gz, .parquet, .csv, ...), one or several.
        text_field: the field holding each document's text.
        id_field: the field holding each document's id (decides its split).
        block_size: tokens per block including [CLS] and [SEP] (the model's `block_size`).
        max_blocks: training blocks to take (documents in id-hash order); None = all.
        max_val_blocks: validation blocks to take; None = all.
        max_blocks_per_doc: blocks taken from one document at most; None = all.
        min_block_tokens: a document's last piece shorter than this is dropped.
        val_permille: share of documents (by id hash, in 1/1000) held out for validation.
        batch_size: blocks per batch.
        num_workers: DataLoader worker processes (0 = in the main process).
        num_proc: processes for tokenization (`Dataset.map`).
        tokenizer: a tokenizer.json; None = the verified MiniLM WordPiece tokenizer.
        cache_dir: `datasets` cache folder; None = its default.
    """

    def __init__(
        self,
        paths: str | list[str],
        text_field: str = "text",
        id_field: str = "id",
        block_size: int = 512,
        max_blocks: int | None = None,
        max_val_blocks: int | None = None,
        max_blocks_per_doc: int | None = None,
        min_block_tokens: int = 32,
        val_permille: int = 50,
        batch_size: int = 8,
        num_workers: int = 0,
        num_proc: int | None = None,
        tokenizer: str | None = None,
        cache_dir: str | None = None,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.paths = [paths] if isinstance(paths, str) else list(paths)
        self.spec = BlockSpec(block_size, max_blocks_per_doc, min_block_tokens)
        self.train_set: Dataset | None = None
        self.val_set: Dataset | None = None
        self._pad_id = 0

    def _tokenizer_file(self) -> str:
        if self.hparams.tokenizer is not None:
            return str(self.hparams.tokenizer)
        from lm.weights import minilm_files

        return str(minilm_files().tokenizer)

    def setup(self, stage: str | None = None) -> None:
        """Load, split and tokenize (cached by `datasets` after the first run).

        The training blocks are made only for `fit` (or no stage): `validate` needs the held-out
        blocks alone.
        """
        hp = self.hparams
        need_train = stage in (None, "fit") and self.train_set is None
        if not need_train and self.val_set is not None:
            return
        tokenizer_file = self._tokenizer_file()
        self._pad_id = _tokenizer(tokenizer_file).pad_id
        corpus = load_corpus(self.paths, hp.text_field, hp.id_field, hp.cache_dir)
        train_docs, val_docs = split_by_id(corpus, hp.val_permille)
        if need_train:
            self.train_set = tokenize_blocks(
                train_docs, self.spec, tokenizer_file, hp.max_blocks, hp.num_proc
            )
        if self.val_set is None:
            self.val_set = tokenize_blocks(
                val_docs, self.spec, tokenizer_file, hp.max_val_blocks, hp.num_proc
            )

    def _loader(self, data: Dataset | None, shuffle: bool) -> DataLoader:
        if data is None:
            raise RuntimeError("call setup() first")
        return DataLoader(
            data,
            batch_size=self.hparams.batch_size,
            shuffle=shuffle,
            num_workers=self.hparams.num_workers,
            collate_fn=functools.partial(
                collate_blocks, block_size=self.spec.block_size, pad_id=self._pad_id
            ),
            persistent_workers=self.hparams.num_workers > 0,
        )

    def train_dataloader(self) -> DataLoader:
        return self._loader(self.train_set, shuffle=True)

    def val_dataloader(self) -> DataLoader:
        return self._loader(self.val_set, shuffle=False)


__all__ = [
    "BLOCK_FEATURES",
    "FORMATS",
    "BlockDataModule",
    "BlockSpec",
    "block_ids",
    "collate_blocks",
    "corpus_format",
    "id_digest",
    "leading_tokens",
    "load_corpus",
    "split_by_id",
    "tokenize_blocks",
]
