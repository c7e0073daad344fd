"""The last step of key-term extraction for the date fields: which candidate date comes first.

`pipeline.keyterms` finds every agreement, effective and expiration date a contract states,
best rule first; `select_dates` may reorder or drop those candidates. The choice is a small
logistic regression per field (trained by `training.date_select` on CUAD's train split) that
scores each candidate's chance of being the answer from its wording, its place in the document
and how it relates to the other date fields; the best candidate goes first, and a field whose
best candidate scores below the field's threshold is dropped (CUAD often leaves a date empty
that the contract only implies: "effective as of the date hereof"). With no model file
installed (`pipeline/models/date_select.json`) it returns the terms unchanged.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from pipeline.segment import Segmented
from pipeline.terms import Term

DATE_FIELDS = ("agreement_date", "effective_date", "expiration_date")
MODEL_PATH = Path(__file__).parent / "models" / "date_select.json"
PREAMBLE_CHARS = 4000
MAX_RANK = 3

# Wording of the candidate's quote. Each regex is one feature; the names are stored with the
# weights so that a model trained on another list is refused rather than misread.
QUOTE_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.I)
    for name, pattern in {
        "hereof": r"\bdate\s+(?:hereof|of\s+this\s+(?:agreement|contract))|execution\s+date",
        "first_written": r"first\s+(?:above\s+)?(?:written|set\s+forth|stated)|written\s+above",
        "effective_as_of": r"\beffective\s+(?:as\s+of|on|from)\b",
        "effective_date": r"\beffective\s+date\b",
        "last_signature": r"last\s+(?:signature|party|of\s+the\s+parties)|later\s+of\s+the\s+dates"
        r"|fully\s+executed|executed\s+by\s+(?:both|all)|signed\s+by\s+(?:both|all)",
        "commence": r"\bcommenc|\bbegin|\bstart",
        "expire": r"\bexpir",
        "terminate": r"\bterminat",
        "until": r"\buntil\b|\bthrough\b",
        "term_of": r"\b(?:initial|original)\s+term\b|\bterm\s+of\b|\bperiod\s+of\b",
        "years": r"\byears?\b|\bmonths?\b",
        "renew": r"\brenew",
        "dated": r"\bdated\b",
        "made_entered": r"\bmade\b|\bentered\s+into\b",
        "day_of": r"\bday\s+of\b",
        "date_label": r"\bdate\s*:",
        "witness": r"in\s+witness",
        "amend": r"\bamend",
        "earlier_terminated": r"earlier\s+terminated|unless\s+(?:sooner|earlier)",
        "this_agreement": r"\b(?:this|the)\s+(?:agreement|contract)\b",
        "term_word": r"\bterm\b",
        "means": r"\bmeans\b|\bshall\s+mean\b",
        # A clause headed "Term" or "Duration": "2. TERM. The term of this Agreement ...".
        "term_heading": r"^\W*(?:\d+(?:\.\d+)*\.?|[a-z]\.|\(\w+\)|article\s+\d+)?\s*"
        r"(?:term|duration|effective\s+date|commencement)\b",
    }.items()
}
WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF|ACCEPTED\s+AND\s+AGREED", re.I)
DOC_AMENDMENT = re.compile(r"\bamendment\b|\bamended\s+and\s+restated\b", re.I)
SHORT_SPAN = re.compile(r"\b(?:days?|weeks?|business)\b", re.I)
DOC_HEREOF = re.compile(r"\bdate\s+(?:hereof|of\s+this\s+agreement)|first\s+above\s+written", re.I)

FEATURES = (
    "bias",
    "rank",
    "first",
    "n_candidates",
    "only",
    "position",
    "preamble",
    "signature",
    "perpetual",
    "partial",
    "computed",
    "same_as_agreement",
    "same_as_effective",
    "years_after_agreement",
    "doc_hereof",
    "doc_amendment",
    "text_stated_date",
    "text_effective_word",
    "text_short_span",
    "quote_length",
    *(f"quote_{name}" for name in QUOTE_CUES),
)

_enabled: ContextVar[bool] = ContextVar("date_selection_enabled", default=True)


@dataclass(frozen=True)
class FieldModel:
    """Logistic-regression weights over standardized FEATURES, and the abstention threshold."""

    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float

    def score(self, x: Sequence[float]) -> float:
        """Probability that the candidate with features `x` is the answer."""
        z = sum(
            w * (v - m) / s
            for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True)
class SelectionModel:
    """One FieldModel per date field, and the feature names they were trained on."""

    features: tuple[str, ...]
    fields: Mapping[str, FieldModel]

    def to_json(self) -> dict:
        """The model as JSON-ready data (what `from_json` reads)."""
        return {
            "features": list(self.features),
            "fields": {
                name: {
                    "weights": list(m.weights),
                    "mean": list(m.mean),
                    "scale": list(m.scale),
                    "threshold": m.threshold,
                }
                for name, m in self.fields.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping) -> SelectionModel:
        """A model from `to_json`'s data; ValueError when its features are not FEATURES."""
        features = tuple(data["features"])
        if features != FEATURES:
            raise ValueError("date selection model was trained on other features")
        fields = {
            name: FieldModel(
                tuple(float(v) for v in m["weights"]),
                tuple(float(v) for v in m["mean"]),
                tuple(float(v) for v in m["scale"]),
                float(m["threshold"]),
            )
            for name, m in data["fields"].items()
        }
        return cls(features, fields)


@functools.cache
def load_model(path: Path = MODEL_PATH) -> SelectionModel | None:
    """The installed selection model, read once; None when there is no model file."""
    if not path.exists():
        return None
    return SelectionModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@contextmanager
def candidates_only() -> Iterator[None]:
    """Within this block `select_dates` returns terms unchanged (training reads the raw
    candidates through `extract_terms`, which always calls it)."""
    token = _enabled.set(False)
    try:
        yield
    finally:
        _enabled.reset(token)


def _year(value: object) -> int | None:
    if isinstance(value, str) and re.match(r"\d{4}", value):
        return int(value[:4])
    return None


def _witness_start(text: str) -> int:
    # As keyterms reads the signature block: the first witness clause past the first quarter.
    m = WITNESS.search(text, len(text) // 4) or WITNESS.search(text)
    return m.start() if m else len(text)


def candidate_features(
    text: str, term: Term, rank: int, n: int, firsts: Mapping[str, object]
) -> list[float]:
    """FEATURES of one candidate: the `rank`-th of `n` in its field of a document whose text
    is `text`; `firsts` holds each date field's first candidate value (rule order)."""
    value = term.value
    year = _year(value)
    agreed = _year(firsts.get("agreement_date"))
    computed = year is not None and str(year) not in term.text and str(year)[2:] not in term.text
    length = max(1, len(text))
    after = (year - agreed) / 10 if year is not None and agreed is not None else 0.0
    feats = {
        "bias": 1.0,
        "rank": min(rank, MAX_RANK) / MAX_RANK,
        "first": float(rank == 0),
        "n_candidates": min(n, MAX_RANK + 1) / (MAX_RANK + 1),
        "only": float(n == 1),
        "position": term.start / length,
        "preamble": float(term.start < PREAMBLE_CHARS),
        "signature": float(term.start >= _witness_start(text)),
        "perpetual": float(value == "perpetual"),
        "partial": float(isinstance(value, str) and value != "perpetual" and value.count("-") < 2),
        "computed": float(computed),
        "same_as_agreement": float(value == firsts.get("agreement_date")),
        "same_as_effective": float(value == firsts.get("effective_date")),
        "years_after_agreement": max(-1.0, min(3.0, after)),
        "doc_hereof": float(bool(DOC_HEREOF.search(text[:PREAMBLE_CHARS]))),
        "doc_amendment": float(bool(DOC_AMENDMENT.search(text[:300]))),
        # The value's own words: a written date, or only a reference ("effective", "the
        # Effective Date") that the rules resolved to another field's date.
        "text_stated_date": float(bool(re.search(r"\d", term.text)) and not computed),
        "text_effective_word": float("effective" in term.text.lower() and not computed),
        "text_short_span": float(bool(SHORT_SPAN.search(term.text))),
        "quote_length": min(1.0, len(term.quote) / 600),
    }
    for name, regex in QUOTE_CUES.items():
        feats[f"quote_{name}"] = float(bool(regex.search(term.quote)))
    return [feats[name] for name in FEATURES]


def field_candidates(terms: Sequence[Term]) -> dict[str, list[Term]]:
    """Each date field's candidates, in rule order."""
    return {name: [t for t in terms if t.field == name] for name in DATE_FIELDS}


def field_features(seg: Segmented, terms: Sequence[Term]) -> dict[str, list[list[float]]]:
    """FEATURES of every candidate, per date field."""
    cands = field_candidates(terms)
    firsts = {name: ts[0].value for name, ts in cands.items() if ts}
    text = seg.doc.text
    return {
        name: [candidate_features(text, t, i, len(ts), firsts) for i, t in enumerate(ts)]
        for name, ts in cands.items()
    }


def choose(model: FieldModel, features: Sequence[Sequence[float]]) -> int | None:
    """Index of the candidate to put first, or None to abstain."""
    if not features:
        return None
    scores = [model.score(x) for x in features]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return best if scores[best] >= model.threshold else None


def select_dates(
    seg: Segmented, terms: Sequence[Term], model: SelectionModel | None = None
) -> list[Term]:
    """`terms` of one document with the date fields' candidates in their final order.

    `model` defaults to the installed one; without any, or inside `candidates_only`, the terms
    come back unchanged. Other fields' terms keep their places.
    """
    model = model if model is not None else load_model()
    if model is None or not _enabled.get():
        return list(terms)
    cands = field_candidates(terms)
    feats = field_features(seg, terms)
    chosen: dict[str, list[Term]] = {}
    for name, ts in cands.items():
        field_model = model.fields.get(name)
        if field_model is None or not ts:
            chosen[name] = ts
            continue
        best = choose(field_model, feats[name])
        chosen[name] = [] if best is None else [ts[best], *ts[:best], *ts[best + 1 :]]
    out: list[Term] = []
    placed: set[str] = set()
    for t in terms:
        if t.field not in chosen:
            out.append(t)
        elif t.field not in placed:
            # The field's selection takes the place of its first candidate.
            placed.add(t.field)
            out.extend(chosen[t.field])
    return out
