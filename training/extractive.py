"""Objective 2: the extractive sentence-scoring head, trained on a frozen encoder's cached states.

Labels come from the greedy ROUGE oracle against the reference summary. The encoder is frozen,
so each document is encoded once (whole document, one pass) and its pooled sentence states are
cached on disk as safetensors; training the head then takes seconds per epoch on CPU.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lightning.pytorch as pl
import torch
from safetensors.torch import load_file, save_file
from torch.utils.data import DataLoader, Dataset

from lm.checkpoint import checkpoint_info, load_checkpoint, save_checkpoint
from lm.model import LongBriefModel
from lm.tokenizer import Tokenizer
from lm.warmstart import minilm_state
from pipeline.document import Document
from pipeline.engine import Engine, EngineConfig
from pipeline.ingest import clean_pages
from pipeline.segment import segment
from training.oracle import greedy_oracle
from training.splits import DEFAULT_VAL_PERMILLE, is_validation


@dataclass(frozen=True)
class SummaryRecord:
    """One (document, reference summary) pair of a corpus."""

    doc_id: str
    text: str
    summary: str


def read_records(path: str | Path, limit: int | None = None) -> Iterator[SummaryRecord]:
    """Records of a JSON Lines file (.jsonl or .jsonl.gz) with id, text, summary fields."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                break
            row = json.loads(line)
            yield SummaryRecord(str(row["id"]), row["text"], row["summary"])


def as_document(record: SummaryRecord) -> Document:
    """The record as the pipeline would see it: cleaned the same way as an ingested file."""
    text, pages = clean_pages([record.text], ["1"])
    digest = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
    return Document(record.doc_id, record.doc_id, text, pages, digest)


@torch.inference_mode()
def encode_example(engine: Engine, record: SummaryRecord) -> dict[str, torch.Tensor]:
    """Pooled sentence states `(S, d)`, token counts `(S,)` and oracle labels `(S,)`."""
    seg = segment(as_document(record))
    bundle = engine.encode([seg])
    doc = bundle.documents[0]
    assert bundle.memory is not None
    memory = bundle.memory[doc.token_start : doc.token_start + doc.n_tokens]
    sentence_ids = torch.tensor(doc.sentence_of_token, dtype=torch.long)
    n = len(seg.sentences)
    sent, counts = engine.model.extractive.pool(memory[None].float(), sentence_ids[None], n)
    chosen = greedy_oracle(
        [s.text for s in seg.sentences], record.summary, len(record.summary.split())
    )
    labels = torch.zeros(n)
    labels[chosen] = 1.0
    return {"sent": sent[0].half(), "counts": counts[0], "labels": labels}


def build_cache(
    engine: Engine,
    files: list[str],
    cache_dir: Path,
    split: str,
    per_file_limit: int,
    val_permille: int = DEFAULT_VAL_PERMILLE,
    max_chars: int = 400_000,
) -> list[Path]:
    """Encode up to `per_file_limit` records of each file's `split` into `cache_dir` (resumable)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for file in files:
        taken = 0
        for record in read_records(file):
            if taken >= per_file_limit:
                break
            if is_validation(record.doc_id, val_permille) != (split == "val"):
                continue
            taken += 1
            # Ids hold slashes and such: name cache files by a hash of corpus and id.
            key = hashlib.sha1(f"{Path(file).name}/{record.doc_id}".encode()).hexdigest()[:16]
            out = cache_dir / f"{key}.safetensors"
            paths.append(out)
            if out.is_file():
                continue
            # Very long documents are cut (the head sees their first max_chars characters).
            record = SummaryRecord(record.doc_id, record.text[:max_chars], record.summary)
            tensors = encode_example(engine, record)
            tmp = out.with_suffix(".tmp")
            save_file(tensors, str(tmp))
            tmp.replace(out)
    return paths


class CachedSentences(Dataset):
    """Cached examples (one document each) read from safetensors files."""

    def __init__(self, paths: list[Path]):
        self.paths = paths

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return load_file(str(self.paths[i]))


def collate(items: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Pad documents to the longest: padded sentences have count 0 (the head ignores them)."""
    s = max(x["labels"].shape[0] for x in items)
    d = items[0]["sent"].shape[1]
    sent = torch.zeros(len(items), s, d)
    counts = torch.zeros(len(items), s)
    labels = torch.zeros(len(items), s)
    for i, x in enumerate(items):
        n = x["labels"].shape[0]
        sent[i, :n], counts[i, :n], labels[i, :n] = x["sent"].float(), x["counts"], x["labels"]
    return {"sent": sent, "counts": counts, "labels": labels}


class ExtractiveHeadModule(pl.LightningModule):
    """Trains `model.extractive` on cached pooled states; everything else stays frozen."""

    def __init__(self, checkpoint: str | None = None, lr: float = 1e-3, pos_weight: float = 5.0):
        super().__init__()
        self.save_hyperparameters()
        self.model = load_base(checkpoint)
        for p in self.model.parameters():
            p.requires_grad_(False)
        for p in self.model.extractive.parameters():
            p.requires_grad_(True)

    def _loss(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        logits = self.model.extractive.score_pooled(batch["sent"], batch["counts"])
        real = batch["counts"] > 0
        weight = torch.where(batch["labels"] > 0, self.hparams.pos_weight, 1.0)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            logits[real], batch["labels"][real], weight=weight[real]
        )
        return loss

    def training_step(self, batch: dict[str, torch.Tensor], _: int) -> torch.Tensor:
        loss = self._loss(batch)
        self.log("train/loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch: dict[str, torch.Tensor], _: int) -> None:
        self.log("val/loss", self._loss(batch), prog_bar=True)

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.AdamW(self.model.extractive.parameters(), lr=self.hparams.lr)


def load_base(checkpoint: str | None) -> LongBriefModel:
    """The frozen model whose encoder states the head learns from."""
    if checkpoint:
        return load_checkpoint(checkpoint)
    return Engine.load(EngineConfig()).model


def export_with_head(module: ExtractiveHeadModule, out_dir: Path, notes: str = "") -> Path:
    """Save the model with its trained head; tensors equal to MiniLM's are left to the base."""
    base_dir = module.hparams.checkpoint
    trained = checkpoint_info(base_dir).trained if base_dir else ()
    trained = tuple(dict.fromkeys((*trained, "extractive")))
    model = module.model
    return save_checkpoint(
        model, out_dir, base=minilm_state(model.cfg), trained=trained, notes=notes
    )


def main(argv: list[str] | None = None) -> None:
    """`python -m training.extractive --data A.jsonl.gz B.jsonl.gz --out DIR [--checkpoint DIR]`.

    Caches encoder states (resumable), trains the head with Lightning, exports a checkpoint.
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", nargs="+", required=True, help="JSON Lines corpora")
    parser.add_argument("--checkpoint", help="frozen base checkpoint (default: engine default)")
    parser.add_argument("--out", type=Path, required=True, help="exported checkpoint directory")
    parser.add_argument("--cache", type=Path, default=Path("runs/extractive-cache"))
    parser.add_argument("--train-per-file", type=int, default=150)
    parser.add_argument("--val-per-file", type=int, default=30)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args(argv)

    base = load_base(args.checkpoint)
    engine = Engine(base, Tokenizer.minilm(), "base", (), EngineConfig())
    train = build_cache(engine, args.data, args.cache / "train", "train", args.train_per_file)
    val = build_cache(engine, args.data, args.cache / "val", "val", args.val_per_file)
    module = ExtractiveHeadModule(args.checkpoint, lr=args.lr)
    ckpt = pl.callbacks.ModelCheckpoint(
        monitor="val/loss", save_last=True, dirpath=args.out / "lightning"
    )
    trainer = pl.Trainer(
        max_epochs=args.epochs,
        callbacks=[ckpt],
        logger=pl.loggers.CSVLogger(args.out / "logs"),
        enable_progress_bar=True,
        log_every_n_steps=5,
    )
    trainer.fit(
        module,
        DataLoader(
            CachedSentences(train), batch_size=args.batch_size, shuffle=True, collate_fn=collate
        ),
        DataLoader(CachedSentences(val), batch_size=args.batch_size, collate_fn=collate),
    )
    best = ExtractiveHeadModule.load_from_checkpoint(ckpt.best_model_path)
    notes = (
        f"extractive head: {len(train)} training documents from {', '.join(map(str, args.data))}"
    )
    export_with_head(best, args.out, notes)


if __name__ == "__main__":
    main()
