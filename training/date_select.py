"""Train `pipeline.date_select`'s model: which date candidate comes first, and when to abstain.

Each contract of the train split (`training.eval_terms.select(..., "train")`; the held-out split
is never read here) is built and segmented as `longbrief eval terms` builds it, and its raw date
candidates are read through `extract_terms` with selection switched off. A candidate is labelled
right exactly when the scorer would count it right as the first value (`date_matches` against
the CUAD answer; no candidate is right when the answer states no date). Per field, an
L2-regularized logistic regression scores candidates; the best goes first, and the field
abstains when that score is below a threshold chosen on out-of-fold scores.

The L2 strength is chosen by cross-validation over contracts; the reported accuracies are
nested (the inner folds choose the strength and threshold, the outer fold is only scored), so
they compare fairly with the rules' accuracy on the same contracts.

    longbrief train dates --data ../shared/data/contracts/cuad_dev.jsonl.gz \
        --out pipeline/models/date_select.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.date_select import (
    DATE_FIELDS,
    FEATURES,
    FieldModel,
    SelectionModel,
    candidates_only,
    choose,
    field_candidates,
    field_features,
)
from pipeline.keyterms import extract_terms
from pipeline.segment import segment
from training.eval_terms import (
    DATE_FIELDS as CUAD_NAMES,
)
from training.eval_terms import (
    _states_nothing,
    date_matches,
    read_contracts,
    select,
    to_document,
)

L2_GRID = (3.0, 10.0, 30.0, 100.0)
# A coarse grid: thresholds set between neighbouring out-of-fold scores fit the folds' noise.
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
FOLDS = 5
NEWTON_STEPS = 50


@dataclass(frozen=True)
class Example:
    """One contract's candidates for one date field: features, which are right, and whether
    the answer states no date (so that abstaining is right)."""

    doc_id: str
    field: str
    features: tuple[tuple[float, ...], ...]
    right: tuple[bool, ...]
    states_nothing: bool


def label_record(record: dict) -> list[Example]:
    """The Examples of one CUAD record (one per date field)."""
    seg = segment(to_document(record))
    with candidates_only():
        terms = extract_terms(seg).terms
    cands = field_candidates(terms)
    feats = field_features(seg, terms)
    out = []
    for name in DATE_FIELDS:
        gold = record["answers"].get(CUAD_NAMES[name], "") or ""
        empty = _states_nothing(name, gold)
        right = tuple(not empty and date_matches(gold, t.value) for t in cands[name])
        out.append(Example(record["id"], name, tuple(tuple(x) for x in feats[name]), right, empty))
    return out


def collect(
    records: Sequence[dict], progress: Callable[[str], None] = lambda _: None
) -> list[Example]:
    """Examples of every record, three per contract."""
    out: list[Example] = []
    for i, record in enumerate(records, 1):
        out.extend(label_record(record))
        if i % 25 == 0:
            progress(f"{i}/{len(records)} contracts")
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Weights of an L2-regularized logistic regression (Newton's method; the bias, column 0
    of the standardized `x`, is not penalized)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -60, 60)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _standardize(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    # The bias and constant features keep their raw value (and, for the bias, its weight).
    mean[0], scale[0] = 0.0, 1.0
    scale[scale < 1e-9] = 1.0
    return mean, scale


def _fit_weights(examples: Sequence[Example], l2: float) -> FieldModel:
    rows = [(x, r) for e in examples for x, r in zip(e.features, e.right, strict=True)]
    if not rows:
        zeros = tuple(0.0 for _ in FEATURES)
        return FieldModel(zeros, zeros, tuple(1.0 for _ in FEATURES), 0.5)
    x = np.array([r[0] for r in rows], dtype=float)
    y = np.array([float(r[1]) for r in rows])
    mean, scale = _standardize(x)
    w = fit_logistic((x - mean) / scale, y, l2)
    return FieldModel(tuple(w.tolist()), tuple(mean.tolist()), tuple(scale.tolist()), 0.5)


def is_correct(example: Example, pick: int | None) -> bool:
    """Whether the scorer counts the field right when candidate `pick` (None: none) is first."""
    return example.states_nothing if pick is None else example.right[pick]


def accuracy(examples: Sequence[Example], model: FieldModel | None) -> float:
    """Scorer's accuracy with `model` choosing (None: the rules' first candidate)."""
    if not examples:
        return 0.0
    hits = 0
    for e in examples:
        pick = (0 if e.features else None) if model is None else choose(model, e.features)
        hits += is_correct(e, pick)
    return hits / len(examples)


def fold_of(doc_id: str, folds: int) -> int:
    """The cross-validation fold of a contract (stable across runs)."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % folds


def _hits(examples: Sequence[Example], scores: Sequence[list[float]], threshold: float) -> int:
    hits = 0
    for e, row in zip(examples, scores, strict=True):
        pick = max(range(len(row)), key=lambda i: (row[i], -i)) if row else None
        hits += is_correct(e, pick if pick is not None and row[pick] >= threshold else None)
    return hits


def _oof_scores(examples: Sequence[Example], l2: float, folds: int) -> list[list[float]]:
    scores: list[list[float]] = [[] for _ in examples]
    for k in range(folds):
        train = [e for e in examples if fold_of(e.doc_id, folds) != k]
        model = _fit_weights(train, l2)
        for i, e in enumerate(examples):
            if fold_of(e.doc_id, folds) == k:
                scores[i] = [model.score(x) for x in e.features]
    return scores


def fit_field(
    examples: Sequence[Example], l2_grid: Sequence[float] = L2_GRID, folds: int = FOLDS
) -> FieldModel | None:
    """A FieldModel with its L2 strength and threshold chosen by `folds`-fold CV over
    contracts, or None when no choice beats the rules' first candidate out of fold (the field
    is then left as the rules order it)."""
    rules = round(accuracy(examples, None) * len(examples))
    best: tuple[int, float, float] | None = None  # (hits, l2, threshold)
    for l2 in l2_grid:
        scores = _oof_scores(examples, l2, folds)
        for t in THRESHOLDS:
            hits = _hits(examples, scores, t)
            if hits > rules and (best is None or hits > best[0]):
                best = (hits, l2, t)
    if best is None:
        return None
    _, l2, threshold = best
    weights = _fit_weights(examples, l2)
    return FieldModel(weights.weights, weights.mean, weights.scale, threshold)


def train(examples: Sequence[Example], folds: int = FOLDS) -> SelectionModel:
    """The selection model fitted on all `examples`."""
    fields = {}
    for name in DATE_FIELDS:
        field_examples = [e for e in examples if e.field == name]
        model = fit_field(field_examples, folds=folds)
        if model is not None:
            fields[name] = model
    return SelectionModel(FEATURES, fields)


def cross_validate(examples: Sequence[Example], folds: int = FOLDS) -> dict[str, dict]:
    """Nested CV accuracy per field: rules' first candidate vs the selector, same contracts."""
    out = {}
    for name in DATE_FIELDS:
        field_examples = [e for e in examples if e.field == name]
        hits, rules = 0, 0
        for k in range(folds):
            train_part = [e for e in field_examples if fold_of(e.doc_id, folds) != k]
            test_part = [e for e in field_examples if fold_of(e.doc_id, folds) == k]
            model = fit_field(train_part, folds=folds)
            hits += round(accuracy(test_part, model) * len(test_part))
            rules += round(accuracy(test_part, None) * len(test_part))
        n = len(field_examples)
        out[name] = {
            "n": n,
            "rules": round(rules / n, 4) if n else None,
            "selector": round(hits / n, 4) if n else None,
        }
    return out


def save(model: SelectionModel, path: Path) -> None:
    """Write the model as JSON (what `pipeline.date_select.load_model` reads)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.date_select", description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="cuad_dev.jsonl(.gz)")
    parser.add_argument("--out", type=Path, default=Path("pipeline/models/date_select.json"))
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--limit", type=int, default=None, help="first N train contracts")
    parser.add_argument("--cv-only", action="store_true", help="report CV, write no model")
    args = parser.parse_args(argv)
    records = select(read_contracts(args.data), "train", args.limit)
    examples = collect(records, progress=lambda s: print(s, file=sys.stderr))
    report = cross_validate(examples, args.folds)
    for name, row in report.items():
        print(f"{name}: n={row['n']} rules {row['rules']} selector {row['selector']} (nested CV)")
    if not args.cv_only:
        save(train(examples, args.folds), args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
