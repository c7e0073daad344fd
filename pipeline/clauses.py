"""Clause-type classifier over CUAD categories: MiniLM embeddings, multinomial logistic regression.

Features are the normalized all-MiniLM-L6-v2 sentence embeddings of `retrieval.embedder`; the
model is one linear layer with a softmax over the CUAD clause categories plus "none" (a sentence
that belongs to no annotated clause). Weights are a safetensors file with a JSON label list
beside it under `pipeline/models/clauses/`, small enough to commit.

Training data is `contracts/cuad_dev.jsonl.gz`: every clause text of a category is a labelled
example; "none" examples are sentences of the same contracts that overlap no annotated clause.
Categories whose annotations are entity spans rather than clauses (document name, parties,
agreement date) are left out: a sentence classifier cannot learn them and they would only add
noise. Contracts are held out by id (sha1(id) mod 1000 < 200), so no clause of a held-out
contract is ever trained on; the split rule is written out here because `pipeline` must not
import `training`.

    python -m pipeline.clauses train --data ../shared/data/contracts/cuad_dev.jsonl.gz
    python -m pipeline.clauses predict "This Agreement is governed by the laws of Delaware."
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file, save_file

from pipeline.segment import split_sentences

MODEL_DIR = Path(__file__).resolve().parent / "models" / "clauses"
DEFAULT_CACHE = Path(__file__).resolve().parents[1] / "runs" / "clauses"
NONE = "none"
HELD_OUT_PERMILLE = 200
# Entity-span annotations, not clauses (see the module docstring).
SPAN_CATEGORIES = frozenset({"Document Name", "Parties", "Agreement Date"})
NEGATIVES_PER_CONTRACT = 15
MIN_WORDS = 4
CHUNK = 512


@dataclass(frozen=True)
class ClausePrediction:
    """The most likely clause type of one text and its probability."""

    label: str
    score: float


@dataclass(frozen=True)
class Example:
    """One labelled training text; a text annotated under several categories has several labels."""

    contract: str
    text: str
    labels: tuple[str, ...]


def is_held_out(contract_id: str, permille: int = HELD_OUT_PERMILLE) -> bool:
    """The deterministic held-out rule: sha1(id) mod 1000 < permille (same as training.splits)."""
    bucket = int(hashlib.sha1(contract_id.encode("utf-8")).hexdigest(), 16) % 1000
    return bucket < permille


class ClauseClassifier:
    """A softmax classifier over MiniLM embeddings; `predict` embeds texts itself."""

    def __init__(self, labels: Sequence[str], weight: np.ndarray, bias: np.ndarray):
        if weight.ndim != 2 or weight.shape[0] != len(labels) or bias.shape != (len(labels),):
            raise ValueError(f"weight {weight.shape} / bias {bias.shape} vs {len(labels)} labels")
        self.labels = tuple(labels)
        self.weight = weight.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self._embedder = None

    @classmethod
    def load(cls, directory: Path | str = MODEL_DIR) -> ClauseClassifier:
        """Read `model.safetensors` and `labels.json` from `directory`."""
        directory = Path(directory)
        tensors = load_file(str(directory / "model.safetensors"))
        meta = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
        return cls(meta["labels"], tensors["weight"], tensors["bias"])

    def save(self, directory: Path | str, metadata: dict | None = None) -> None:
        """Write the weights (safetensors) and the labels with `metadata` (JSON)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        save_file({"weight": self.weight, "bias": self.bias}, str(directory / "model.safetensors"))
        meta = {"labels": list(self.labels), **(metadata or {})}
        (directory / "labels.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    def proba(self, embeddings: np.ndarray) -> np.ndarray:
        """Class probabilities `(n, n_labels)` for rows of MiniLM embeddings."""
        logits = embeddings.astype(np.float32) @ self.weight.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict_embeddings(self, embeddings: np.ndarray) -> list[ClausePrediction]:
        """The top label of each embedding row."""
        probs = self.proba(embeddings)
        best = probs.argmax(axis=1)
        return [ClausePrediction(self.labels[i], float(probs[r, i])) for r, i in enumerate(best)]

    def predict(self, texts: Sequence[str]) -> list[ClausePrediction]:
        """Embed `texts` with MiniLM (loaded once, lazily) and classify them."""
        if not texts:
            return []
        if self._embedder is None:
            from retrieval.embedder import Embedder

            self._embedder = Embedder()
        return self.predict_embeddings(self._embedder.embed(list(texts)))


def load_contracts(path: Path | str) -> list[dict]:
    """The records of a CUAD JSON Lines file (gzipped or not)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def squeeze(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs collapsed to one space, and each kept char's original offset."""
    out: list[str] = []
    index: list[int] = []
    for m in re.finditer(r"\S+", text):
        if out:
            out.append(" ")
            index.append(m.start() - 1)
        out.append(m.group(0))
        index.extend(range(m.start(), m.end()))
    return "".join(out), index


def clause_spans(text: str, clauses: Iterable[str]) -> list[tuple[int, int]]:
    """Spans in `text` of the clause strings that occur in it up to whitespace.

    CUAD joins the non-contiguous parts of one annotation with "<omitted>": each part is
    located on its own.
    """
    flat, index = squeeze(text)
    spans = []
    for clause in clauses:
        for part in clause.split("<omitted>"):
            needle = " ".join(part.split())
            if len(needle) < 3:
                continue
            at = flat.find(needle)
            if at >= 0:
                spans.append((index[at], index[at + len(needle) - 1] + 1))
    return spans


def contract_examples(record: dict) -> list[Example]:
    """The labelled clauses of one contract and up to NEGATIVES_PER_CONTRACT "none" sentences."""
    cid = record["id"]
    by_text: dict[str, list[str]] = {}
    for category, texts in sorted(record["clauses"].items()):
        if category in SPAN_CATEGORIES:
            continue
        for raw in texts:
            text = " ".join(raw.replace("<omitted>", " ... ").split())
            if len(text.split()) >= MIN_WORDS and category not in by_text.get(text, []):
                by_text.setdefault(text, []).append(category)
    examples = [Example(cid, t, tuple(labels)) for t, labels in by_text.items()]
    all_clauses = [c for texts in record["clauses"].values() for c in texts]
    spans = clause_spans(record["text"], all_clauses)
    negatives = []
    for start, end in split_sentences(record["text"]):
        if any(start < b and a < end for a, b in spans):
            continue
        text = " ".join(record["text"][start:end].split())
        if len(text.split()) >= MIN_WORDS and any(ch.islower() for ch in text):
            negatives.append(text)
    # A deterministic sample that does not favour the start of the contract.
    negatives = sorted(set(negatives), key=lambda t: hashlib.sha1(t.encode()).hexdigest())
    examples.extend(Example(cid, t, (NONE,)) for t in negatives[:NEGATIVES_PER_CONTRACT])
    return examples


def embed_cached(texts: Sequence[str], cache_dir: Path, log=print) -> np.ndarray:
    """MiniLM embeddings of `texts`, computed in chunks that are cached as .npy (resumable)."""
    from retrieval.embedder import Embedder

    cache_dir.mkdir(parents=True, exist_ok=True)
    embedder: Embedder | None = None
    parts = []
    for start in range(0, len(texts), CHUNK):
        chunk = list(texts[start : start + CHUNK])
        key = hashlib.sha1("\x00".join(chunk).encode("utf-8")).hexdigest()[:20]
        path = cache_dir / f"emb-{key}.npy"
        if path.exists():
            parts.append(np.load(path))
            continue
        embedder = embedder or Embedder()
        vectors = embedder.embed(chunk)
        np.save(path, vectors)
        parts.append(vectors)
        log(f"embedded {start + len(chunk)}/{len(texts)}")
    return np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)


def fit_softmax(
    x: np.ndarray, y: np.ndarray, n_classes: int, l2: float, steps: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch L-BFGS, classes weighted to equal mass.

    Class weighting makes rare categories count as much as common ones, which is what a
    macro-F1 rewards; `l2` is the penalty on the weights (not the bias), scaled per example.
    """
    torch.manual_seed(0)
    xt = torch.from_numpy(x.astype(np.float32))
    yt = torch.from_numpy(y.astype(np.int64))
    counts = torch.bincount(yt, minlength=n_classes).clamp_min(1).float()
    class_w = counts.sum() / (n_classes * counts)
    weight = torch.zeros(n_classes, x.shape[1], requires_grad=True)
    bias = torch.zeros(n_classes, requires_grad=True)
    opt = torch.optim.LBFGS([weight, bias], lr=1.0, max_iter=steps, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        logits = xt @ weight.T + bias
        loss = torch.nn.functional.cross_entropy(logits, yt, weight=class_w)
        loss = loss + l2 * (weight**2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return weight.detach().numpy(), bias.detach().numpy()


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict:
    """Per-label precision/recall/F1 and their macro average over labels present in `gold`."""
    per = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        if tp + fn == 0:
            continue
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[label] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    return {"macro_f1": macro, "per_label": per}


def _gold_for(example: Example, predicted: str) -> str:
    # A text annotated under several categories is right when the top label is any of them.
    return predicted if predicted in example.labels else example.labels[0]


def _design(examples: Sequence[Example], labels: Sequence[str]) -> tuple[list[int], list[int]]:
    """Row indices into `examples` and class ids: one row per (text, label) pair."""
    ids = {label: i for i, label in enumerate(labels)}
    rows, ys = [], []
    for i, ex in enumerate(examples):
        for label in ex.labels:
            rows.append(i)
            ys.append(ids[label])
    return rows, ys


def evaluate(clf: ClauseClassifier, examples: Sequence[Example], embeddings: np.ndarray) -> dict:
    """Macro-F1 of top-1 predictions on `examples` (labels absent from the gold are skipped)."""
    preds = [p.label for p in clf.predict_embeddings(embeddings)]
    gold = [_gold_for(ex, p) for ex, p in zip(examples, preds, strict=True)]
    result = macro_f1(gold, preds, clf.labels)
    clause_only = [label for label in clf.labels if label != NONE]
    result["macro_f1_clauses"] = macro_f1(gold, preds, clause_only)["macro_f1"]
    result["accuracy"] = sum(g == p for g, p in zip(gold, preds, strict=True)) / max(1, len(gold))
    result["n"] = len(gold)
    return result


def _train_fit(
    train: Sequence[Example], x: np.ndarray, labels: Sequence[str], l2: float
) -> ClauseClassifier:
    rows, ys = _design(train, labels)
    weight, bias = fit_softmax(x[rows], np.array(ys), len(labels), l2)
    return ClauseClassifier(labels, weight, bias)


def train(args: argparse.Namespace) -> dict:
    """Build examples, embed (cached), pick the L2 penalty on an inner split, fit, test, save."""
    records = load_contracts(args.data)
    examples = [ex for rec in records for ex in contract_examples(rec)]
    labels = [*sorted({label for ex in examples for label in ex.labels} - {NONE}), NONE]
    print(f"{len(records)} contracts, {len(examples)} examples, {len(labels)} labels", flush=True)
    x = embed_cached([ex.text for ex in examples], Path(args.cache))
    held = np.array([is_held_out(ex.contract) for ex in examples])
    # Inner validation: the next 200 permille bucket, also by contract, never the held-out one.
    inner = np.array(
        [is_held_out(ex.contract, 400) and not h for ex, h in zip(examples, held, strict=True)]
    )
    fit_idx = np.flatnonzero(~held & ~inner)
    inner_idx = np.flatnonzero(inner)
    scores = {}
    for l2 in args.l2:
        clf = _train_fit([examples[i] for i in fit_idx], x[fit_idx], labels, l2)
        scores[l2] = evaluate(clf, [examples[i] for i in inner_idx], x[inner_idx])["macro_f1"]
        print(f"l2={l2:g}: inner macro-F1 {scores[l2]:.3f}", flush=True)
    best = max(scores, key=scores.get)
    train_idx = np.flatnonzero(~held)
    test_idx = np.flatnonzero(held)
    clf = _train_fit([examples[i] for i in train_idx], x[train_idx], labels, best)
    report = evaluate(clf, [examples[i] for i in test_idx], x[test_idx])
    meta = {
        "trained": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data": Path(args.data).name,
        "held_out_rule": f"sha1(contract id) mod 1000 < {HELD_OUT_PERMILLE}",
        "l2": best,
        "inner_macro_f1": scores,
        "train_examples": len(train_idx),
        "held_out_examples": len(test_idx),
        "held_out_macro_f1": report["macro_f1"],
        "held_out_macro_f1_clauses": report["macro_f1_clauses"],
        "held_out_accuracy": report["accuracy"],
    }
    clf.save(args.out, meta)
    (Path(args.cache) / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(meta, indent=2), flush=True)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pipeline.clauses train|predict ...`."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.clauses", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="train on CUAD and save the weights")
    tr.add_argument("--data", default="../shared/data/contracts/cuad_dev.jsonl.gz")
    tr.add_argument("--out", default=str(MODEL_DIR))
    tr.add_argument("--cache", default=str(DEFAULT_CACHE))
    tr.add_argument("--l2", type=float, nargs="+", default=[1e-6, 1e-5, 1e-4])
    pr = sub.add_parser("predict", help="classify texts given on the command line")
    pr.add_argument("texts", nargs="+")
    pr.add_argument("--model", default=str(MODEL_DIR))
    args = parser.parse_args(argv)
    if args.command == "train":
        train(args)
        return 0
    clf = ClauseClassifier.load(args.model)
    for text, pred in zip(args.texts, clf.predict(args.texts), strict=True):
        print(f"{pred.label}\t{pred.score:.3f}\t{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
