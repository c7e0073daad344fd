"""Folder corpora: ingest-read documents, skipped broken files, id splits, full-length pieces,
length-bucketed batches. Real PDFs come from examples/bundle; nothing needs ../shared/data."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch.utils.data import SequentialSampler

from lm.tokenizer import Tokenizer
from pipeline.ingest import ingest_path
from training.bpe import BPESpec, train_bpe
from training.data import (
    BLOCK_FEATURES,
    BlockSpec,
    FolderDataModule,
    LengthBucketBatchSampler,
    collate_padded,
    corpus_sources,
    read_corpus,
    split_by_id,
    tokenize_blocks,
)
from training.splits import is_validation

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "examples" / "bundle"
PDFS = sorted(BUNDLE.glob("*.pdf"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three real PDFs, a text and a Markdown file in a subfolder, a JSON Lines file, a corrupt
    PDF, a text file named .pdf, and a hidden file (ignored)."""
    root = tmp_path_factory.mktemp("firm")
    for pdf in PDFS:
        shutil.copy(pdf, root / pdf.name)
    sub = root / "notes"
    sub.mkdir()
    source = (BUNDLE / "src" / "02_statement_of_work.txt").read_text(encoding="utf-8")
    (sub / "sow.txt").write_text(source, encoding="utf-8")
    (sub / "memo.md").write_text("# Memo\n\nNet 45 days applies to all invoices.\n", "utf-8")
    rows = [{"id": f"rec-{i}", "text": f"Record {i}: the term renews yearly."} for i in range(4)]
    (root / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    (root / "truncated.pdf").write_bytes(PDFS[0].read_bytes()[:400])
    (root / "fake.pdf").write_text("not a pdf at all", encoding="utf-8")
    (root / ".hidden.txt").write_text("never read", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def tokenizer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [(BUNDLE / "src" / p.name).read_text("utf-8") for p in (BUNDLE / "src").glob("*.txt")]
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    train_bpe(texts, BPESpec(vocab_size=500, n_sentinels=10)).save(path)
    return path


def test_folder_files_are_sorted_by_reader(folder: Path) -> None:
    sources = corpus_sources([folder])
    assert [doc_id for _, doc_id in sources.documents] == [
        "01_master_services_agreement.pdf",
        "02_statement_of_work.pdf",
        "03_amendment_no_1.pdf",
        "fake.pdf",
        "notes/memo.md",
        "notes/sow.txt",
        "truncated.pdf",
    ]
    assert sources.tables == (folder / "records.jsonl",)
    with pytest.raises(ValueError, match="unknown corpus format"):
        corpus_sources([folder / "contract.docx"])
    with pytest.raises(FileNotFoundError):
        corpus_sources([folder / "missing.pdf"])


def test_broken_files_are_logged_and_skipped(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="training.data"):
        corpus = read_corpus([folder], cache_dir=str(tmp_path / "cache"))
    ids = sorted(corpus.dataset["id"])
    assert ids == sorted(
        [p.name for p in PDFS] + ["notes/memo.md", "notes/sow.txt"] + [f"rec-{i}" for i in range(4)]
    )
    kinds = {Path(e.source).name: e.kind for e in corpus.errors}
    assert kinds == {"truncated.pdf": "corrupt", "fake.pdf": "not_pdf"}
    # Each error is logged with the file's path and the reason.
    for error in corpus.errors:
        assert error.source == str(folder / Path(error.source).name)
        assert any(
            error.source in r.getMessage() and error.reason in r.getMessage()
            for r in caplog.records
        )
    # The text is pipeline.ingest's (headers, footers and hyphenation cleaned), not re-read here.
    text = dict(zip(corpus.dataset["id"], corpus.dataset["text"], strict=True))
    for pdf in PDFS:
        assert text[pdf.name] == ingest_path(pdf).documents[0].text
    # The split is by id alone.
    train, val = split_by_id(corpus.dataset, 300)
    assert set(val["id"]) == {i for i in ids if is_validation(i, 300)}
    assert set(train["id"]) == {i for i in ids if not is_validation(i, 300)}


def test_a_folder_with_nothing_readable_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7 broken")
    with pytest.raises(ValueError, match="no readable documents"):
        read_corpus([tmp_path], cache_dir=str(tmp_path / "cache"))


PIECES_PROBE = """
import json
from training.data import FolderDataModule
pieces = FolderDataModule(**{common}, max_tokens=256, min_tokens=1, num_proc=2, cache_dir={cache})
pieces.setup("fit")
rows = [dict(block=r["block"], ids=r["ids"]) for r in pieces.train_set if r["doc_id"] == {msa}]
print(json.dumps(rows))
"""


def test_documents_are_read_at_full_length(
    folder: Path, tokenizer_file: Path, tmp_path: Path
) -> None:
    tok = Tokenizer.from_file(tokenizer_file)
    common = {"folder": str(folder), "tokenizer": str(tokenizer_file), "val_permille": 0}
    whole = FolderDataModule(**common, cache_dir=str(tmp_path / "c1"))
    whole.setup("fit")
    rows = {r["doc_id"]: r["ids"] for r in whole.train_set}
    msa = PDFS[0].name
    full = tok.encode(ingest_path(PDFS[0]).documents[0].text).ids
    assert len(full) > 2000  # far beyond 512: nothing is cut
    assert rows[msa] == [tok.cls_id, *full, tok.sep_id]
    assert whole.train_set["length"] == [len(r) for r in whole.train_set["ids"]]
    # With a piece limit a long document becomes consecutive pieces; none of its text is lost.
    # `num_proc=2` forks worker processes (datasets' map): that runs in a fresh interpreter, as
    # `longbrief train` does, because forking this test process (threads of earlier tests, e.g.
    # a Ray driver's) can deadlock the child.
    script = PIECES_PROBE.format(
        common=json.dumps(common), cache=json.dumps(str(tmp_path / "c2")), msa=json.dumps(msa)
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    mine = json.loads(done.stdout.strip().splitlines()[-1])
    assert [r["block"] for r in mine] == list(range(len(mine)))
    assert all(len(r["ids"]) <= 256 for r in mine)
    assert tuple(t for r in mine for t in r["ids"][1:-1]) == full


def test_batches_are_bucketed_by_length(folder: Path, tokenizer_file: Path, tmp_path: Path) -> None:
    dm = FolderDataModule(
        folder=str(folder),
        tokenizer=str(tokenizer_file),
        max_tokens=128,
        min_tokens=1,
        val_permille=0,
        batch_size=4,
        max_batch_tokens=300,
        cache_dir=str(tmp_path / "cache"),
    )
    dm.setup("fit")
    torch.manual_seed(0)
    seen = []
    for ids, mask in dm.train_dataloader():
        lengths = mask.sum(dim=1)
        assert ids.shape[1] % 8 == 0 and ids.shape[1] - int(lengths.max()) < 8
        assert ids.shape[0] * int(lengths.max()) <= 300 or ids.shape[0] == 1
        assert (ids[~mask] == Tokenizer.from_file(tokenizer_file).pad_id).all()
        seen.extend(lengths.tolist())
    assert sorted(seen) == sorted(dm.train_set["length"])  # every piece once


def test_bucket_sampler_groups_similar_lengths() -> None:
    lengths = [(i * 37) % 100 + 1 for i in range(200)]
    sampler = LengthBucketBatchSampler(
        SequentialSampler(lengths), 8, False, lengths, pool_batches=5
    )
    batches = list(sampler)
    assert len(batches) == len(sampler) == 25
    assert sorted(i for b in batches for i in b) == list(range(200))
    # Sorted within pools of 40: a batch spans a small part of the range of lengths.
    spread = [max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches]
    assert max(spread) < 25
    budget = LengthBucketBatchSampler(
        SequentialSampler(lengths), 8, False, lengths, max_batch_tokens=200
    )
    for b in budget:
        assert len(b) * max(lengths[i] for i in b) <= 200 or len(b) == 1
    dropped = LengthBucketBatchSampler(SequentialSampler(lengths[:20]), 8, True, lengths)
    assert [len(b) for b in dropped] == [8, 8] and len(dropped) == 2


def test_collate_pads_to_the_longest_row() -> None:
    ids, mask = collate_padded([{"ids": [2, 9, 3]}, {"ids": list(range(11))}], pad_id=0)
    assert ids.shape == mask.shape == (2, 16)
    assert mask.sum(dim=1).tolist() == [3, 11]
    assert ids[0, 3:].eq(0).all()


def test_an_empty_split_has_the_block_columns(tokenizer_file: Path) -> None:
    from datasets import Dataset

    empty = Dataset.from_dict({"id": [], "text": []})
    blocks = tokenize_blocks(empty, BlockSpec(64, min_block_tokens=1), str(tokenizer_file))
    assert len(blocks) == 0 and blocks.features == BLOCK_FEATURES
