"""Per-sentence text features that the extractive head reads beside the encoder states.

The encoder's pooled states say what a sentence is about; these say what the states do not
carry well: how central the sentence is in its document (TextRank), how much of it is figures
(earnings calls are summarized by the sentences that state revenue, EPS and guidance), where it
sits in absolute terms, and whether it is a heading. A checkpoint names the features its head
was trained with (`ModelConfig.extractive_features`), so a head never reads features it was not
trained on: an unknown name is an error, not a silent zero.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np
import torch

from pipeline.centrality import textrank_scores
from pipeline.words import words

_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(
    r"[$£€₹%]|\b(?:rs|usd|eur|gbp|inr|percent|per cent|million|billion|mln|bln|cents?|"
    r"basis points|per share|eps)\b",
    re.IGNORECASE,
)
MIN_WORDS = 5
# Caps keep every feature in a small range whatever the document length.
MAX_NUMBERS = 5
LOG_INDEX_SCALE = 8.0
LOG_CENTRALITY_SCALE = 3.0


class _Sentences:
    """A document's sentence (or clause unit) texts, the text of the sentence each one belongs
    to, and, computed once on first use, their TextRank scores."""

    def __init__(self, texts: Sequence[str], parents: Sequence[str] | None = None):
        self.texts = texts
        self.parents = texts if parents is None else parents

    @cached_property
    def textrank(self) -> np.ndarray:
        return textrank_scores(self.texts)


Feature = Callable[[_Sentences], np.ndarray]


def _textrank(doc: _Sentences) -> np.ndarray:
    """log(n · PageRank score) / 3: 0 for an average sentence, positive for central ones."""
    scores = doc.textrank * len(doc.texts)
    return np.log(np.maximum(scores, 1e-6)) / LOG_CENTRALITY_SCALE


def _textrank_rank(doc: _Sentences) -> np.ndarray:
    """Rank by TextRank as a share of the document: 0 = most central (stable for ties)."""
    n = len(doc.texts)
    ranks = np.empty(n, dtype=np.float32)
    ranks[np.argsort(-doc.textrank, kind="stable")] = np.arange(n) / max(n, 1)
    return ranks


def _number_share(doc: _Sentences) -> np.ndarray:
    """Share of the sentence's words that hold a digit."""
    out = []
    for text in doc.texts:
        tokens = words(text)
        out.append(sum(bool(_DIGIT.search(t)) for t in tokens) / max(len(tokens), 1))
    return np.array(out, dtype=np.float32)


def _numbers(doc: _Sentences) -> np.ndarray:
    """How many words hold a digit, capped at 5, over 5."""
    return np.array(
        [
            min(sum(bool(_DIGIT.search(t)) for t in words(x)), MAX_NUMBERS) / MAX_NUMBERS
            for x in doc.texts
        ],
        dtype=np.float32,
    )


def _amount(doc: _Sentences) -> np.ndarray:
    """1 when the sentence states an amount (currency, percent, million, per share), else 0."""
    return np.array([float(bool(_AMOUNT.search(t))) for t in doc.texts], dtype=np.float32)


def _log_index(doc: _Sentences) -> np.ndarray:
    """log(1 + index) / 8: absolute position (the relative one is the head's own input)."""
    return np.array(
        [math.log1p(i) / LOG_INDEX_SCALE for i in range(len(doc.texts))], dtype=np.float32
    )


def heading_like(text: str) -> bool:
    """Titles, headings and fragments: under 5 words, or mostly upper case."""
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters) / max(len(letters), 1)
    return len(text.split()) < MIN_WORDS or upper > 0.6


def _heading(doc: _Sentences) -> np.ndarray:
    """1 for titles, headings and fragments, else 0."""
    return np.array([float(heading_like(t)) for t in doc.texts], dtype=np.float32)


def _unit_share(doc: _Sentences) -> np.ndarray:
    """The unit's share of its sentence's words: 1 for a whole sentence, less for a clause unit
    (`pipeline.units`). A head that names this feature was trained on clause units, so the
    pipeline lets it select them."""
    return np.array(
        [
            min(len(words(t)) / max(len(words(p)), 1), 1.0)
            for t, p in zip(doc.texts, doc.parents, strict=True)
        ],
        dtype=np.float32,
    )


FEATURES: dict[str, Feature] = {
    "textrank": _textrank,
    "textrank_rank": _textrank_rank,
    "number_share": _number_share,
    "numbers": _numbers,
    "amount": _amount,
    "log_index": _log_index,
    "heading": _heading,
    "unit_share": _unit_share,
}
DEFAULT_FEATURES = tuple(FEATURES)
UNIT_FEATURE = "unit_share"


def sentence_features(
    texts: Sequence[str], names: Sequence[str], parents: Sequence[str] | None = None
) -> torch.Tensor:
    """Features `(S, F)` of a document's sentences, one column per name, in `names` order.

    For clause units, `parents[i]` is the text of the sentence that unit i was cut from (None:
    the texts are whole sentences)."""
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"unknown sentence features {unknown}; known: {sorted(FEATURES)}")
    if not texts or not names:
        return torch.zeros(len(texts), len(names))
    if parents is not None and len(parents) != len(texts):
        raise ValueError(f"{len(parents)} parent sentences for {len(texts)} units")
    doc = _Sentences(texts, parents)
    columns = [np.asarray(FEATURES[n](doc), dtype=np.float32) for n in names]
    return torch.from_numpy(np.stack(columns, axis=1))
