"""Objective 2: the extractive sentence-scoring head, trained on a frozen encoder's cached states.

Labels come from the greedy ROUGE oracle against the reference summary. The encoder is frozen,
so each document is encoded once (whole document, one pass) and its pooled sentence states, its
oracle labels and its sentence text features are cached on disk as safetensors; training the
head then takes seconds per epoch on CPU.

Splits, by id (`training.splits`): the validation split (sha1(id) mod 1000 < 100) is what
`longbrief eval summaries` reports on and is never read here; a development slice of the training
split (the next `dev_permille` buckets) picks the epoch and gives the dev ROUGE that decisions
about the head are made on; the rest trains.

The cache grows: a larger `--train-per-file` encodes only the documents not cached yet; a change
of the feature set recomputes the features of cached documents without re-encoding them; and a
document whose segmentation changed since it was cached is encoded again.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import lightning.pytorch as pl
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch.utils.data import DataLoader, Dataset

from lm.checkpoint import checkpoint_info, load_checkpoint, save_checkpoint
from lm.config import ModelConfig
from lm.layers.heads import ExtractiveHead
from lm.model import LongBriefModel
from lm.tokenizer import Tokenizer
from lm.warmstart import from_minilm, minilm_state
from pipeline.document import Document
from pipeline.engine import Engine, EngineConfig, map_tokens_to_sentences
from pipeline.extractive import rank_scores, select
from pipeline.ingest import clean_pages
from pipeline.segment import Segmented, segment
from pipeline.sentence_features import DEFAULT_FEATURES, UNIT_FEATURE
from pipeline.units import UnitView, selection_view
from pipeline.words import words
from training.oracle import greedy_oracle
from training.splits import DEFAULT_VAL_PERMILLE, is_validation

DEFAULT_DEV_PERMILLE = 100
MAX_CHARS = 400_000


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


def split_of(
    doc_id: str, val_permille: int = DEFAULT_VAL_PERMILLE, dev_permille: int = DEFAULT_DEV_PERMILLE
) -> str:
    """ "val" (held out for `longbrief eval summaries`), "dev" (the training split's development
    slice: the next `dev_permille` hash buckets) or "train"."""
    if is_validation(doc_id, val_permille):
        return "val"
    return "dev" if is_validation(doc_id, val_permille + dev_permille) else "train"


def truncated(record: SummaryRecord, max_chars: int = MAX_CHARS) -> SummaryRecord:
    """Very long documents are cut: the head learns from their first `max_chars` characters."""
    return SummaryRecord(record.doc_id, record.text[:max_chars], record.summary)


def example_view(seg: Segmented, record: SummaryRecord, names: tuple[str, ...]) -> UnitView:
    """The units the pipeline selects from when it summarizes this document at the reference's
    length: clause units for a head that reads them and a short budget, else sentences."""
    return selection_view(seg, max(1, len(words(record.summary))), UNIT_FEATURE in names)


def example_features(view: UnitView, names: tuple[str, ...]) -> torch.Tensor:
    """The text features `(U, F)` the pipeline computes for this document's units."""
    return view.features(names)


@torch.inference_mode()
def encode_example(
    engine: Engine,
    record: SummaryRecord,
    features: tuple[str, ...] = (),
    seg: Segmented | None = None,
) -> dict[str, torch.Tensor]:
    """Pooled unit states `(U, d)`, token counts `(U,)`, oracle labels `(U,)` and text features
    `(U, F)` of one document (its segmentation `seg`, when already computed). The units are the
    sentences, or the clause units the pipeline would select from (`example_view`): their states
    are pooled over their own tokens and the oracle picks among them."""
    seg = seg or segment(as_document(record))
    view = example_view(seg, record, features)
    bundle = engine.encode([seg])
    doc = bundle.documents[0]
    assert bundle.memory is not None
    memory = bundle.memory[doc.token_start : doc.token_start + doc.n_tokens]
    of_token = map_tokens_to_sentences(view.seg, doc.offsets)
    unit_ids = torch.tensor(of_token, dtype=torch.long)
    n = len(view.seg.sentences)
    sent, counts = ExtractiveHead.pool(memory[None].float(), unit_ids[None], n)
    chosen = greedy_oracle(
        [s.text for s in view.seg.sentences], record.summary, len(record.summary.split())
    )
    labels = torch.zeros(n)
    labels[chosen] = 1.0
    return {
        "sent": sent[0].half(),
        "counts": counts[0],
        "labels": labels,
        "features": example_features(view, features),
    }


@dataclass(frozen=True)
class CachedDocument:
    """One cached training or development document: where its tensors are and what it is."""

    path: Path
    corpus: str
    split: str
    record: SummaryRecord


def cache_key(file: str | Path, doc_id: str) -> str:
    """Ids hold slashes and such: cache files are named by a hash of corpus and id."""
    return hashlib.sha1(f"{Path(file).name}/{doc_id}".encode()).hexdigest()[:16]


def _stored_features(path: Path) -> tuple[str, ...] | None:
    """The feature names a cache file was written with (None: written before features)."""
    with safe_open(str(path), "pt") as f:
        meta = f.metadata() or {}
    names = meta.get("features")
    return None if names is None else tuple(n for n in names.split(",") if n)


def units_key(view: UnitView) -> str:
    """What a cache file records of its units: "sentences", or "clauses-" and a hash of the
    clause spans (a change of the cutting rules then re-encodes the document)."""
    if not view.split:
        return "sentences"
    spans = ",".join(f"{u.start}:{u.end}" for u in view.seg.sentences)
    return "clauses-" + hashlib.sha1(spans.encode()).hexdigest()[:16]


def _same_units(path: Path, view: UnitView) -> bool:
    """Whether a cache file was written for these units (files written before clause units
    hold sentences)."""
    with safe_open(str(path), "pt") as f:
        meta = f.metadata() or {}
    return meta.get("units", "sentences") == units_key(view)


def _save(
    tensors: dict[str, torch.Tensor], out: Path, features: tuple[str, ...], view: UnitView
) -> None:
    tmp = out.with_suffix(".tmp")
    metadata = {"features": ",".join(features), "units": units_key(view)}
    save_file(tensors, str(tmp), metadata=metadata)
    tmp.replace(out)


def cache_document(
    engine: Engine, record: SummaryRecord, out: Path, features: tuple[str, ...]
) -> None:
    """Make `out` hold the document's tensors with `features`, doing as little as possible.

    Up to date: nothing. Same units, other features: features recomputed (only the new columns
    when the stored names are a prefix of `features`), states kept. Missing, or cut into other
    units than now (the segmenter changed, or clause units came in or went): encoded again.
    """
    seg = segment(as_document(record))
    view = example_view(seg, record, features)
    if out.is_file():
        tensors = load_file(str(out))
        if tensors["labels"].shape[0] == len(view.seg.sentences) and _same_units(out, view):
            stored = _stored_features(out) or ()
            if stored == features:
                return
            if stored and features[: len(stored)] == stored and "features" in tensors:
                extra = example_features(view, features[len(stored) :])
                tensors["features"] = torch.cat([tensors["features"], extra], dim=1)
            else:
                tensors["features"] = example_features(view, features)
            _save(tensors, out, features, view)
            return
    _save(encode_example(engine, record, features, seg), out, features, view)


def build_cache(
    engine: Engine,
    files: list[str],
    cache_dir: Path,
    per_file_limit: int | Sequence[int],
    features: tuple[str, ...] = (),
    val_permille: int = DEFAULT_VAL_PERMILLE,
    dev_permille: int = DEFAULT_DEV_PERMILLE,
    max_chars: int = MAX_CHARS,
) -> list[CachedDocument]:
    """Cache the first `per_file_limit` records of each file's training split (resumable).

    `per_file_limit` is one count for every file or one per file. The validation split is
    skipped; of the records read, those in the development slice are returned with split "dev",
    the others with "train". Growing a limit later reads the same records first, so the cache
    only grows.
    """
    limits = [per_file_limit] * len(files) if isinstance(per_file_limit, int) else per_file_limit
    if len(limits) != len(files):
        raise ValueError(f"{len(limits)} per-file limits for {len(files)} files")
    cache_dir.mkdir(parents=True, exist_ok=True)
    out: list[CachedDocument] = []
    for file, limit in zip(files, limits, strict=True):
        taken = 0
        for record in read_records(file):
            if taken >= limit:
                break
            split = split_of(record.doc_id, val_permille, dev_permille)
            if split == "val":
                continue
            taken += 1
            path = cache_dir / f"{cache_key(file, record.doc_id)}.safetensors"
            record = truncated(record, max_chars)
            cache_document(engine, record, path, features)
            out.append(CachedDocument(path, Path(file).name, split, record))
    return out


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
    f = items[0]["features"].shape[1] if "features" in items[0] else 0
    sent = torch.zeros(len(items), s, d)
    counts = torch.zeros(len(items), s)
    labels = torch.zeros(len(items), s)
    features = torch.zeros(len(items), s, f)
    for i, x in enumerate(items):
        n = x["labels"].shape[0]
        sent[i, :n], counts[i, :n], labels[i, :n] = x["sent"].float(), x["counts"], x["labels"]
        if f:
            features[i, :n] = x["features"]
    return {"sent": sent, "counts": counts, "labels": labels, "features": features}


def with_fresh_head(model: LongBriefModel, features: tuple[str, ...]) -> LongBriefModel:
    """`model` with a new, untrained extractive head that reads `features` (config to match).

    Always a fresh head: retraining never silently continues from the base checkpoint's head.
    """
    model.cfg = model.cfg.replace(extractive_features=tuple(features))
    model.extractive = ExtractiveHead(model.cfg)
    return model


class ExtractiveHeadModule(pl.LightningModule):
    """Trains `model.extractive` on cached pooled states; everything else stays frozen.

    Loss: binary cross-entropy against the oracle labels, positives weighted by `pos_weight`
    (a summary is a few percent of a judgment's sentences). In training, the MLP sees every
    positive and at most `negatives_per_doc` random negatives of each document, weighted up to
    stand for all of them: an unbiased loss at a fraction of the cost on long judgments (the
    context inputs, neighbours and document mean, still come from every sentence). With
    `per_document`, each document's weights sum to one, so corpora of short documents are not
    drowned by long judgments.
    """

    def __init__(
        self,
        checkpoint: str | None = None,
        lr: float = 1e-3,
        pos_weight: float = 5.0,
        features: tuple[str, ...] = DEFAULT_FEATURES,
        weight_decay: float = 0.01,
        negatives_per_doc: int | None = 256,
        per_document: bool = False,
    ):
        super().__init__()
        self.save_hyperparameters()
        self.model = with_fresh_head(load_base(checkpoint), tuple(features))
        for p in self.model.parameters():
            p.requires_grad_(False)
        for p in self.model.extractive.parameters():
            p.requires_grad_(True)

    def logits(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Head logits `(B, S)` of a collated batch."""
        head = self.model.extractive
        features = batch["features"] if head.features else None
        return head.score_pooled(batch["sent"], batch["counts"], features)

    def _negative_weights(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Per-sentence weights `(B, S)` of a sampled loss: 0 for negatives left out, n/k for
        the k of a document's n negatives kept, 1 for positives (before `pos_weight`)."""
        real = batch["counts"] > 0
        negative = real & (batch["labels"] == 0)
        n = negative.sum(dim=1, keepdim=True).float()  # (B, 1)
        k = n.clamp_max(float(self.hparams.negatives_per_doc))
        # k of the n negatives by random keys: the k smallest keys are kept.
        keys = torch.rand(negative.shape, device=negative.device).masked_fill(~negative, 2.0)
        order = keys.argsort(dim=1).argsort(dim=1)  # (B, S) rank of each key
        kept = negative & (order < k)
        return torch.where(kept, n / k.clamp_min(1.0), (real & ~negative).float())

    def _loss(self, batch: dict[str, torch.Tensor], sample: bool = False) -> torch.Tensor:
        head = self.model.extractive
        features = batch["features"] if head.features else None
        rows = head.inputs(batch["sent"], batch["counts"], features)  # (B, S, 4d + 3 + F)
        labels = batch["labels"]
        weight = (batch["counts"] > 0).float()
        if sample and self.hparams.negatives_per_doc is not None:
            weight = self._negative_weights(batch)
        weight = weight * torch.where(labels > 0, self.hparams.pos_weight, 1.0)
        if self.hparams.per_document:
            # Each document weighs the same, whatever its length: a 40-sentence earnings call
            # counts as much as a 2,000-sentence judgment.
            weight = weight / weight.sum(dim=1, keepdim=True).clamp_min(1e-6)
        keep = weight > 0
        logits = head.mlp(rows[keep]).squeeze(-1)  # only the rows that count
        losses = torch.nn.functional.binary_cross_entropy_with_logits(
            logits, labels[keep], reduction="none"
        )
        return (losses * weight[keep]).sum() / weight[keep].sum().clamp_min(1e-6)

    def training_step(self, batch: dict[str, torch.Tensor], _: int) -> torch.Tensor:
        loss = self._loss(batch, sample=True)
        self.log("train/loss", loss, prog_bar=True, batch_size=batch["labels"].shape[0])
        return loss

    def validation_step(self, batch: dict[str, torch.Tensor], _: int) -> None:
        loss = self._loss(batch)
        self.log("dev/loss", loss, prog_bar=True, batch_size=batch["labels"].shape[0])

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.AdamW(
            self.model.extractive.parameters(),
            lr=self.hparams.lr,
            weight_decay=self.hparams.weight_decay,
        )


def load_base(checkpoint: str | None) -> LongBriefModel:
    """The frozen model whose encoder states the head learns from, in float32.

    Default: the engine's checkpoint, read directly (`Engine.load` would cast its encoder to
    bf16, and an export would then store every encoder weight as changed), else MiniLM with
    block-local attention.
    """
    directory = checkpoint or Engine.resolve(EngineConfig())
    if directory:
        return load_checkpoint(directory)
    return from_minilm(ModelConfig.from_name("minilm", encoder_layers=("local",) * 6))


def export_with_head(module: ExtractiveHeadModule, out_dir: Path, notes: str = "") -> Path:
    """Save the model with its trained head; tensors equal to MiniLM's are left to the base."""
    base_dir = module.hparams.checkpoint or Engine.resolve(EngineConfig())
    trained = checkpoint_info(base_dir).trained if base_dir else ()
    trained = tuple(dict.fromkeys((*trained, "extractive")))
    model = module.model
    try:
        base = minilm_state(model.cfg)
    except ValueError:  # not MiniLM-shaped (e.g. the tiny test preset): store every tensor
        base = None
    return save_checkpoint(model, out_dir, base=base, trained=trained, notes=notes)


@dataclass(frozen=True)
class DevScore:
    """Mean ROUGE F1 x100 of the head's selection on one corpus's development documents."""

    corpus: str
    documents: int
    rouge1: float
    rouge2: float


@torch.inference_mode()
def dev_rouge(
    head: ExtractiveHead, docs: list[CachedDocument], max_overlap: float = 0.5
) -> list[DevScore]:
    """Score the head as the pipeline uses it, per corpus: the head's logits with headings
    pushed last (`rank_scores`), the pipeline's `select` at the reference length in words."""
    from training.evaluate import Rouge, count_words, summary_sentences

    rouge = Rouge()
    was_training = head.training
    head.eval()
    by_corpus: dict[str, list[tuple[float, float]]] = {}
    for doc in docs:
        view = example_view(segment(as_document(doc.record)), doc.record, head.features)
        units = view.seg.sentences
        batch = collate([load_file(str(doc.path))])
        features = batch["features"] if head.features else None
        logits = head.score_pooled(batch["sent"], batch["counts"], features)[0]
        scores = rank_scores(logits.tolist(), units)
        chosen = select(view.seg, scores, max(1, count_words(doc.record.summary)), max_overlap)
        result = rouge.score([units[i].text for i in chosen], summary_sentences(doc.record.summary))
        by_corpus.setdefault(doc.corpus, []).append((result.rouge1, result.rouge2))
    head.train(was_training)
    return [
        DevScore(
            corpus,
            len(pairs),
            round(sum(p[0] for p in pairs) / len(pairs), 2),
            round(sum(p[1] for p in pairs) / len(pairs), 2),
        )
        for corpus, pairs in by_corpus.items()
    ]


def _features(value: str) -> tuple[str, ...]:
    return () if value in ("", "none") else tuple(v.strip() for v in value.split(",") if v.strip())


def main(argv: list[str] | None = None) -> None:
    """`python -m training.extractive --data A.jsonl.gz B.jsonl.gz --out DIR [--checkpoint DIR]`.

    Caches encoder states (resumable, growing), trains a fresh head with Lightning (the epoch
    with the lowest development loss is kept), exports a checkpoint and writes the development
    ROUGE of the exported head to `DIR/dev_rouge.json`.
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", nargs="+", required=True, help="JSON Lines corpora")
    parser.add_argument("--checkpoint", help="frozen base checkpoint (default: engine default)")
    parser.add_argument("--out", type=Path, required=True, help="exported checkpoint directory")
    parser.add_argument("--cache", type=Path, default=Path("runs/extractive-cache"))
    parser.add_argument(
        "--train-per-file",
        type=int,
        nargs="+",
        default=[150],
        help="training-split records read per file (train + development slice): one count, "
        "or one per --data file",
    )
    parser.add_argument("--dev-permille", type=int, default=DEFAULT_DEV_PERMILLE)
    parser.add_argument(
        "--features",
        type=_features,
        default=DEFAULT_FEATURES,
        help="comma-separated sentence features of the head, or 'none' (default: all)",
    )
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--pos-weight", type=float, default=5.0)
    parser.add_argument(
        "--per-document",
        action="store_true",
        help="weigh every document the same in the loss (default: every sentence)",
    )
    parser.add_argument(
        "--negatives-per-doc",
        type=int,
        default=256,
        help="negatives of a document per training step (all positives are kept)",
    )
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    pl.seed_everything(args.seed)

    base = load_base(args.checkpoint)
    engine = Engine(base, Tokenizer.minilm(), "base", (), EngineConfig())
    limits = args.train_per_file
    docs = build_cache(
        engine,
        args.data,
        args.cache,
        limits[0] if len(limits) == 1 else limits,
        args.features,
        dev_permille=args.dev_permille,
    )
    train = [d.path for d in docs if d.split == "train"]
    dev = [d for d in docs if d.split == "dev"]
    module = ExtractiveHeadModule(
        args.checkpoint,
        lr=args.lr,
        pos_weight=args.pos_weight,
        features=args.features,
        negatives_per_doc=args.negatives_per_doc,
        per_document=args.per_document,
    )
    ckpt = pl.callbacks.ModelCheckpoint(
        monitor="dev/loss", save_last=True, dirpath=args.out / "lightning"
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
        DataLoader(
            CachedSentences([d.path for d in dev]), batch_size=args.batch_size, collate_fn=collate
        ),
    )
    best = ExtractiveHeadModule.load_from_checkpoint(ckpt.best_model_path)
    corpora = ", ".join(Path(f).name for f in args.data)
    notes = (
        f"extractive head: {len(train)} training documents of {corpora} "
        f"(sentence features: {', '.join(args.features) or 'none'}); "
        f"best development loss {float(ckpt.best_model_score):.4f}"
    )
    export_with_head(best, args.out, notes)
    scores = dev_rouge(best.model.extractive, dev)
    (args.out / "dev_rouge.json").write_text(
        json.dumps([dataclasses.asdict(x) for x in scores], indent=2) + "\n", encoding="utf-8"
    )
    for x in scores:
        print(f"dev {x.corpus}: {x.documents} documents, R-1 {x.rouge1:.2f}, R-2 {x.rouge2:.2f}")


if __name__ == "__main__":
    main()
