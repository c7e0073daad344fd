"""Corpora for training: loaded with `datasets`, split by id, cut into token blocks.

    files (JSON Lines, Parquet, CSV) ─┐
    folders, PDF / TXT / MD files ────┴─read_corpus──▶ Dataset(id, text) (+ per-file errors)
        ──split_by_id──▶ train / validation (sha1 of the id, never random)
        ──tokenize_blocks (Dataset.map, batched, num_proc)──▶ Dataset(doc_id, block, ids, length)
        ├─ BlockDataModule: collate_blocks ──▶ (ids (B, T) long, mask (B, T) bool), T = block_size
        └─ FolderDataModule: LengthBucketBatchSampler + collate_padded ──▶ (ids, mask) (B, T_max)

A block is [CLS] + up to block_size - 2 tokens + [SEP], MiniLM's input format. The attention
transfer uses 512-token blocks (the positions MiniLM's weights know); `FolderDataModule` uses the
same cutting with a much larger (or no) limit, so a document is read at its full length (a long
one is cut into consecutive pieces, none of its text dropped). Documents are visited in the order
of a hash of their id, so a cap on the number of blocks takes a deterministic sample of the corpus
whatever the files' order.

Folders and PDF / plain-text / Markdown files are read through `pipeline.ingest` (the project's
only PDF reader, with its cleaning of headers, footers and hyphenation); JSON Lines, Parquet and
CSV files, listed or found in a folder, go through `datasets`' own builders. A file that ingest
cannot read (corrupt, encrypted, scanned, empty) is logged as an error naming the file and the
reason, and skipped: one bad PDF never stops a run.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightning.pytorch as pl
import torch
from datasets import Dataset, Features, Value, concatenate_datasets, load_dataset
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, Sampler, SequentialSampler

from lm.tokenizer import Tokenizer
from pipeline.document import IngestError
from pipeline.ingest import PDF_SUFFIXES, TEXT_SUFFIXES, expand_inputs, ingest_path
from training.splits import is_validation

log = logging.getLogger(__name__)

# File suffix -> `datasets` builder. A compression suffix (.gz, ...) may follow; `datasets`
# decompresses transparently.
FORMATS = {".jsonl": "json", ".json": "json", ".parquet": "parquet", ".csv": "csv"}
COMPRESSIONS = (".gz", ".bz2", ".xz", ".zst")
# Files read through `pipeline.ingest`: one document each (PDF pages cleaned and joined).
DOCUMENT_SUFFIXES = PDF_SUFFIXES + TEXT_SUFFIXES
CORPUS_FEATURES = Features({"id": Value("string"), "text": Value("string")})
INGESTED_FEATURES = Features(
    {"id": Value("string"), "text": Value("string"), "error": Value("string")}
)
BLOCK_FEATURES = Features(
    {
        "doc_id": Value("string"),
        "block": Value("int32"),
        "ids": [Value("int32")],
        "length": Value("int32"),
    }
)
# A block size that never cuts a document: `FolderDataModule(max_tokens=None)`.
WHOLE_DOCUMENT = 2**31 - 1


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
        raise ValueError(f"{path}: a folder, not a corpus file (`read_corpus` expands folders)")
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


@dataclass(frozen=True)
class CorpusSources:
    """The inputs of a corpus, sorted by reader.

    `tables` are files for `datasets` builders (JSON Lines, Parquet, CSV); `documents` are
    (path, id) pairs read through `pipeline.ingest`, the id being the path relative to the folder
    it was found in (the file's path as given when listed directly); `errors` are inputs that
    matched nothing.
    """

    tables: tuple[Path, ...]
    documents: tuple[tuple[str, str], ...]
    errors: tuple[IngestError, ...]


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: `dataset` with string columns `id` and `text`, and the files skipped."""

    dataset: Dataset
    errors: tuple[IngestError, ...]


def _is_document_file(path: Path) -> bool:
    return path.name.lower().endswith(DOCUMENT_SUFFIXES)


def corpus_sources(paths: Sequence[str | Path]) -> CorpusSources:
    """Expand folders (recursively, through `pipeline.ingest.expand_inputs`) and sort files.

    Raises ValueError for a listed file of an unknown format and FileNotFoundError for a listed
    file that does not exist: those are mistakes in the command, not bad documents.
    """
    tables: list[Path] = []
    documents: list[tuple[str, str]] = []
    errors: list[IngestError] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found, missing = expand_inputs([str(path)])
            errors.extend(missing)
            for file in found:
                if _is_document_file(file):
                    documents.append((str(file), file.relative_to(path).as_posix()))
                else:
                    tables.append(file)
        elif _is_document_file(path):
            if not path.is_file():
                raise FileNotFoundError(f"{path}: no such document file")
            documents.append((str(path), str(item)))
        else:
            corpus_format(path)
            if not path.is_file():
                raise FileNotFoundError(f"{path}: no such corpus file")
            tables.append(path)
    return CorpusSources(tuple(tables), tuple(documents), tuple(errors))


def _load_table(path: Path, text_field: str, id_field: str, cache_dir: str | None) -> Dataset:
    raw = load_dataset(
        corpus_format(path), data_files=str(path), split="train", cache_dir=cache_dir
    )
    missing = {id_field, text_field} - set(raw.column_names)
    if missing:
        raise ValueError(f"{path}: no field(s) {sorted(missing)}; has {raw.column_names}")
    return raw.map(
        _as_corpus,
        batched=True,
        fn_kwargs={"id_field": id_field, "text_field": text_field},
        remove_columns=raw.column_names,
        features=CORPUS_FEATURES,
        desc=f"reading {path.name}",
    )


def _ingested_rows(files: list[tuple[str, str, int, int]]) -> Iterator[dict[str, str]]:
    """One row per file: its cleaned text, or (text "") why ingest could not read it.

    `files` are (path, id, size, mtime_ns); size and time are only there so that `datasets`'
    cache (keyed by these arguments) is rebuilt when a file changes.
    """
    for path, doc_id, _size, _mtime in files:
        result = ingest_path(path)
        for error in result.errors:
            yield {"id": doc_id, "text": "", "error": f"{error.kind}\t{error.reason}"}
        for doc in result.documents:
            yield {"id": doc_id, "text": doc.text, "error": ""}


def _has_error(errors: list[str]) -> list[bool]:
    return [bool(e) for e in errors]


def _no_error(errors: list[str]) -> list[bool]:
    return [not e for e in errors]


def _ingest_documents(
    documents: Sequence[tuple[str, str]], cache_dir: str | None, num_proc: int | None
) -> Corpus:
    """Read document files through `pipeline.ingest` (in `num_proc` processes) into a Dataset."""
    stamped = []
    for path, doc_id in documents:
        stat = Path(path).stat()
        stamped.append((path, doc_id, stat.st_size, stat.st_mtime_ns))
    procs = num_proc if num_proc and num_proc > 1 and len(stamped) >= num_proc else None
    rows = Dataset.from_generator(
        _ingested_rows,
        features=INGESTED_FEATURES,
        cache_dir=cache_dir,
        gen_kwargs={"files": stamped},
        num_proc=procs,
    )
    failed = rows.filter(_has_error, batched=True, input_columns="error")
    errors = []
    by_id = {doc_id: path for path, doc_id in documents}
    for doc_id, error in zip(failed["id"], failed["error"], strict=True):
        kind, _, reason = error.partition("\t")
        errors.append(IngestError(source=by_id.get(doc_id, doc_id), kind=kind, reason=reason))
    read = rows.filter(_no_error, batched=True, input_columns="error").remove_columns("error")
    return Corpus(read.cast(CORPUS_FEATURES), tuple(errors))


def read_corpus(
    paths: str | Path | Sequence[str | Path],
    text_field: str = "text",
    id_field: str = "id",
    cache_dir: str | None = None,
    num_proc: int | None = None,
) -> Corpus:
    """Load corpus files and folders into one Dataset with string columns `id` and `text`.

    Table files are loaded on their own and reduced to the two fields, so files with different
    extra columns (judgments with summaries, licences with categories) combine. PDF, text and
    Markdown files (listed, or found in a folder) are read through `pipeline.ingest`; each one
    that cannot be read is logged (file and reason), left out and listed in `Corpus.errors`.
    Raises ValueError when nothing readable is left.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    if not paths:
        raise ValueError("no corpus files given")
    sources = corpus_sources(paths)
    parts = [_load_table(p, text_field, id_field, cache_dir) for p in sources.tables]
    errors = list(sources.errors)
    if sources.documents:
        ingested = _ingest_documents(sources.documents, cache_dir, num_proc)
        parts.append(ingested.dataset)
        errors.extend(ingested.errors)
    for error in errors:
        log.error("skipped %s: %s (%s)", error.source, error.reason, error.kind)
    parts = [p for p in parts if len(p)]
    if not parts:
        raise ValueError(f"no readable documents in {[str(p) for p in paths]}")
    dataset = parts[0] if len(parts) == 1 else concatenate_datasets(parts)
    return Corpus(dataset, tuple(errors))


def load_corpus(
    paths: str | Path | Sequence[str | Path],
    text_field: str = "text",
    id_field: str = "id",
    cache_dir: str | None = None,
    num_proc: int | None = None,
) -> Dataset:
    """`read_corpus(...).dataset`: the documents, with unreadable files logged and skipped."""
    return read_corpus(paths, text_field, id_field, cache_dir, num_proc).dataset


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
    out: dict[str, list] = {"doc_id": [], "block": [], "ids": [], "length": []}
    for doc_id, text in zip(batch["id"], batch["text"], strict=True):
        tokens = leading_tokens(tok, text, limit)
        for i, ids in enumerate(block_ids(tokens, spec, tok.cls_id, tok.sep_id)):
            out["doc_id"].append(doc_id)
            out["block"].append(i)
            out["ids"].append(ids)
            out["length"].append(len(ids))
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
        if not len(part):
            # `map` over no rows keeps the input's (removed) columns, not BLOCK_FEATURES.
            return Dataset.from_dict({k: [] for k in BLOCK_FEATURES}, features=BLOCK_FEATURES)
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


def collate_padded(
    rows: Sequence[dict[str, Any]], pad_id: int, multiple: int = 8
) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad rows to the batch's longest (rounded up to `multiple`): ids and mask `(B, T)`.

    With length-bucketed batches the rows are of similar length, so little is padding.
    """
    longest = max(len(row["ids"]) for row in rows)
    width = -(-longest // multiple) * multiple
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.bool)
    for i, row in enumerate(rows):
        n = len(row["ids"])
        ids[i, :n] = torch.as_tensor(row["ids"], dtype=torch.long)
        mask[i, :n] = True
    return ids, mask


class LengthBucketBatchSampler(BatchSampler):
    """Batches of rows of similar length, so that padding to the longest wastes little.

    The index `sampler` (random for training, sequential for validation; a DistributedSampler
    when Lightning shards for DDP, which it does by re-creating this class with that sampler)
    is read in pools of `pool_batches` × `batch_size` indices; each pool is sorted by length and
    cut into batches of at most `batch_size` rows and, with `max_batch_tokens`, at most that many
    padded tokens (rows × longest: many short documents or a few long ones). With `shuffle` the
    batches of a pool come in random order (torch's generator, so `seed_everything` fixes it),
    not shortest first. `drop_last` drops each pool's remainder batch when it is neither full
    nor closed by the token budget.

    Under DDP leave `max_batch_tokens` at None: with a budget the number of batches depends on
    the lengths, and ranks must step the same number of times.
    """

    def __init__(
        self,
        sampler: Sampler[int],
        batch_size: int,
        drop_last: bool,
        lengths: Sequence[int],
        max_batch_tokens: int | None = None,
        pool_batches: int = 50,
        shuffle: bool = False,
    ) -> None:
        super().__init__(sampler, batch_size, drop_last)
        if max_batch_tokens is not None and max_batch_tokens < 1:
            raise ValueError("max_batch_tokens must be positive (or None)")
        self.lengths = list(lengths)
        self.max_batch_tokens = max_batch_tokens
        self.pool_batches = max(1, pool_batches)
        self.shuffle = shuffle

    def _pool_batches(self, pool: list[int]) -> list[list[int]]:
        pool = sorted(pool, key=self.lengths.__getitem__)
        batches: list[list[int]] = []
        batch: list[int] = []
        for i in pool:
            # Sorted ascending, so row i is the batch's longest once added.
            over = (
                self.max_batch_tokens is not None
                and self.lengths[i] * (len(batch) + 1) > self.max_batch_tokens
            )
            if batch and (len(batch) == self.batch_size or over):
                batches.append(batch)
                batch = []
            batch.append(i)
        if batch:
            full = len(batch) == self.batch_size
            if not self.drop_last or full:
                batches.append(batch)
        return batches

    def _batches(self, order: list[int]) -> list[list[int]]:
        size = self.pool_batches * self.batch_size
        out: list[list[int]] = []
        for start in range(0, len(order), size):
            batches = self._pool_batches(order[start : start + size])
            if self.shuffle:
                batches = [batches[j] for j in torch.randperm(len(batches)).tolist()]
            out.extend(batches)
        return out

    def __iter__(self) -> Iterator[list[int]]:
        yield from self._batches(list(self.sampler))

    def __len__(self) -> int:
        """Exact without a token budget; with one, the count for the sampler's length in order.

        (The pools, and so the count, depend on the random order; Lightning uses this only for
        progress and for schedules when `max_steps` is not set.)
        """
        n = len(self.sampler)  # type: ignore[arg-type]
        if self.max_batch_tokens is None:
            size = self.pool_batches * self.batch_size
            pools = [min(size, n - s) for s in range(0, n, size)]
            if self.drop_last:
                return sum(p // self.batch_size for p in pools)
            return sum(-(-p // self.batch_size) for p in pools)
        shuffle, self.shuffle = self.shuffle, False
        try:
            return len(self._batches(list(range(min(n, len(self.lengths))))))
        finally:
            self.shuffle = shuffle


class _CorpusDataModule(pl.LightningDataModule):
    """Reads, splits and tokenizes a corpus into blocks; subclasses choose how to batch them."""

    def __init__(
        self,
        paths: Sequence[str],
        spec: BlockSpec,
        text_field: str,
        id_field: str,
        max_train: int | None,
        max_val: int | None,
        val_permille: int,
        num_proc: int | None,
        tokenizer: str | None,
        cache_dir: str | None,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        if not self.paths:
            raise ValueError("no corpus given: name files or a folder")
        self.spec = spec
        self._read = (text_field, id_field, cache_dir, num_proc)
        self._caps = (max_train, max_val)
        self.val_permille = val_permille
        self.tokenizer = tokenizer
        self.train_set: Dataset | None = None
        self.val_set: Dataset | None = None
        self.errors: tuple[IngestError, ...] = ()
        self._pad_id = 0

    def tokenizer_file(self) -> str:
        """The tokenizer.json that blocks are made with (default: MiniLM's WordPiece)."""
        if self.tokenizer is not None:
            return str(self.tokenizer)
        from lm.weights import minilm_files

        return str(minilm_files().tokenizer)

    def setup(self, stage: str | None = None) -> None:
        """Load, split and tokenize (cached by `datasets` after the first run).

        The training blocks are made only for `fit` (or no stage): `validate` needs the held-out
        blocks alone. Files that cannot be read are logged and kept in `errors`.
        """
        need_train = stage in (None, "fit") and self.train_set is None
        if not need_train and self.val_set is not None:
            return
        tokenizer_file = self.tokenizer_file()
        self._pad_id = _tokenizer(tokenizer_file).pad_id
        text_field, id_field, cache_dir, num_proc = self._read
        corpus = read_corpus(self.paths, text_field, id_field, cache_dir, num_proc)
        self.errors = corpus.errors
        train_docs, val_docs = split_by_id(corpus.dataset, self.val_permille)
        max_train, max_val = self._caps
        if need_train:
            self.train_set = tokenize_blocks(
                train_docs, self.spec, tokenizer_file, max_train, num_proc
            )
        if self.val_set is None:
            self.val_set = tokenize_blocks(val_docs, self.spec, tokenizer_file, max_val, num_proc)

    def _loader(self, data: Dataset | None, shuffle: bool) -> DataLoader:
        raise NotImplementedError

    def train_dataloader(self) -> DataLoader:
        return self._loader(self.train_set, shuffle=True)

    def val_dataloader(self) -> DataLoader:
        return self._loader(self.val_set, shuffle=False)


class BlockDataModule(_CorpusDataModule):
    """Fixed-size token blocks of a text corpus, split into train and validation by id.

    Args:
        paths: corpus files (.jsonl, .jsonl.gz, .parquet, .csv, PDF, text) or folders.
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
        num_proc: processes for reading documents and tokenization (`Dataset.map`).
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
        super().__init__(
            [paths] if isinstance(paths, str) else list(paths),
            BlockSpec(block_size, max_blocks_per_doc, min_block_tokens),
            text_field,
            id_field,
            max_blocks,
            max_val_blocks,
            val_permille,
            num_proc,
            tokenizer,
            cache_dir,
        )
        self.save_hyperparameters()

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


class FolderDataModule(_CorpusDataModule):
    """Whole documents of a domain corpus (a folder of a firm's PDFs), in length-bucketed batches.

    Every file in `folder` (recursively) that `pipeline.ingest` reads — PDF, .txt, .md — is one
    document, its id the path relative to the folder; .jsonl / .jsonl.gz files there (and any
    `paths` listed) give one document per record. A file that cannot be read is logged with its
    reason and skipped (`errors` lists them after `setup`). Documents are split into training and
    validation by the sha1 of their id. Each document becomes `[CLS] tokens [SEP]` at its full
    length; one longer than `max_tokens` is cut into consecutive pieces of `max_tokens` (none of
    its text is dropped, only `max_pieces_per_doc` can cap it), so memory stays bounded on a CPU.
    Batches are `(ids, mask)` `(B, T)`, T the longest row's length rounded up to 8.

    Args:
        folder: a folder of documents (searched recursively; hidden files skipped).
        paths: more corpus files or folders (JSON Lines, Parquet, CSV, PDF, text).
        text_field: the text field of table files.
        id_field: the id field of table files (decides a record's split).
        max_tokens: tokens per piece, [CLS] and [SEP] included; None = whole documents.
        max_pieces_per_doc: pieces taken from one document at most; None = all.
        min_tokens: a final piece with fewer content tokens is dropped (too short to corrupt).
        max_examples: training pieces to take (documents in id-hash order); None = all.
        max_val_examples: validation pieces to take; None = all.
        val_permille: share of documents (by id hash, in 1/1000) held out for validation.
        batch_size: pieces per batch at most.
        max_batch_tokens: padded tokens per batch at most (rows × longest); None = no budget.
        pool_batches: batches' worth of indices sorted together when bucketing by length.
        num_workers: DataLoader worker processes (0 = in the main process).
        num_proc: processes for reading files and tokenization (`Dataset.map`).
        tokenizer: a tokenizer.json; None = the verified MiniLM WordPiece tokenizer.
        cache_dir: `datasets` cache folder; None = its default.
    """

    def __init__(
        self,
        folder: str | None = None,
        paths: list[str] | None = None,
        text_field: str = "text",
        id_field: str = "id",
        max_tokens: int | None = None,
        max_pieces_per_doc: int | None = None,
        min_tokens: int = 8,
        max_examples: int | None = None,
        max_val_examples: int | None = None,
        val_permille: int = 50,
        batch_size: int = 8,
        max_batch_tokens: int | None = None,
        pool_batches: int = 50,
        num_workers: int = 0,
        num_proc: int | None = None,
        tokenizer: str | None = None,
        cache_dir: str | None = None,
    ) -> None:
        sources = [*([folder] if folder else []), *(paths or [])]
        super().__init__(
            sources,
            BlockSpec(max_tokens or WHOLE_DOCUMENT, max_pieces_per_doc, min_tokens),
            text_field,
            id_field,
            max_examples,
            max_val_examples,
            val_permille,
            num_proc,
            tokenizer,
            cache_dir,
        )
        self.save_hyperparameters()

    def _loader(self, data: Dataset | None, shuffle: bool) -> DataLoader:
        if data is None:
            raise RuntimeError("call setup() first")
        hp = self.hparams
        index: Sampler[int] = RandomSampler(data) if shuffle else SequentialSampler(data)
        batches = LengthBucketBatchSampler(
            index,
            hp.batch_size,
            drop_last=False,
            lengths=data["length"],
            max_batch_tokens=hp.max_batch_tokens,
            pool_batches=hp.pool_batches,
            shuffle=shuffle,
        )
        return DataLoader(
            data,
            batch_sampler=batches,
            num_workers=hp.num_workers,
            collate_fn=functools.partial(collate_padded, pad_id=self._pad_id),
            persistent_workers=hp.num_workers > 0,
        )


__all__ = [
    "BLOCK_FEATURES",
    "FORMATS",
    "BlockDataModule",
    "BlockSpec",
    "Corpus",
    "CorpusSources",
    "FolderDataModule",
    "LengthBucketBatchSampler",
    "block_ids",
    "collate_blocks",
    "collate_padded",
    "corpus_format",
    "corpus_sources",
    "id_digest",
    "leading_tokens",
    "load_corpus",
    "read_corpus",
    "split_by_id",
    "tokenize_blocks",
]
