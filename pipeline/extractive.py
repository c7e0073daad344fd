"""Sentence scoring and selection for extractive summaries (and the passages of hybrid mode)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from pipeline.engine import EncodedBundle, EncodedDocument, Engine, map_tokens_to_sentences
from pipeline.segment import Segmented, Sentence
from pipeline.sentence_features import UNIT_FEATURE, heading_like
from pipeline.units import UnitView, selection_view, sentence_view
from pipeline.words import words


def is_heading_like(sentence: Sentence) -> bool:
    """Titles, headings and fragments: too short, or mostly upper case."""
    return heading_like(sentence.text)


def lead_scores(seg: Segmented) -> list[float]:
    """The interim ranking: document order (Lead), with headings and fragments pushed last.

    MEASURED.md found unsupervised centrality *below* Lead on judgments, so until a checkpoint
    carries a trained extractive head, Lead over real sentences is the honest choice.
    """
    n = max(len(seg.sentences), 1)
    return [(-10.0 if is_heading_like(s) else 0.0) - i / n for i, s in enumerate(seg.sentences)]


@torch.inference_mode()
def head_scores(
    engine: Engine, bundle: EncodedBundle, doc: EncodedDocument, view: UnitView | None = None
) -> list[float]:
    """Logits of the trained scoring head over this document's slice of the memory, one per
    unit of `view` (default: per sentence); a unit's state is pooled over its own tokens."""
    view = view or sentence_view(doc.seg)
    units = view.seg.sentences
    if not units or bundle.memory is None:
        return []
    memory = bundle.memory[doc.token_start : doc.token_start + doc.n_tokens]
    of_token = (
        doc.sentence_of_token if not view.split else map_tokens_to_sentences(view.seg, doc.offsets)
    )
    unit_ids = torch.tensor(of_token, dtype=torch.long)
    head = engine.model.extractive
    # Only a head trained with text features reads them (its checkpoint config names them).
    features = view.features(head.features)[None] if head.features else None
    logits = head(memory[None], unit_ids[None], len(units), features)[0]
    return rank_scores(logits.float().tolist(), units)


def rank_scores(logits: list[float], sentences: Sequence[Sentence]) -> list[float]:
    """Head logits as selection scores: headings and fragments pushed below every sentence."""
    return [
        s - (10.0 if is_heading_like(x) else 0.0) for s, x in zip(logits, sentences, strict=True)
    ]


def sentence_scores(engine: Engine, bundle: EncodedBundle, doc: EncodedDocument) -> list[float]:
    """The trained head's scores when the checkpoint has one, else the interim Lead ranking."""
    if engine.has_extractive_head and bundle.memory is not None:
        return head_scores(engine, bundle, doc)
    return lead_scores(doc.seg)


def reads_units(engine: Engine) -> bool:
    """Whether the checkpoint's head was trained on clause units (its config names the unit
    feature), and so may select them instead of whole sentences."""
    return engine.has_extractive_head and UNIT_FEATURE in engine.model.extractive.features


@dataclass(frozen=True)
class Extract:
    """An extractive selection: the units it chose from, every unit's score, the chosen ones
    (indices into `view.seg.sentences`, in document order)."""

    view: UnitView
    scores: tuple[float, ...]
    chosen: tuple[int, ...]


def extract(
    engine: Engine,
    bundle: EncodedBundle,
    doc: EncodedDocument,
    budget_words: int,
    max_overlap: float = 0.5,
) -> Extract:
    """The extractive summary of one document at `budget_words`: clause units when the head
    reads them and only a few of this document's sentences would fit (`pipeline.units`), else
    sentences; scored by the head (or the interim Lead ranking) and selected by `select`."""
    units = reads_units(engine) and bundle.memory is not None
    view = selection_view(doc.seg, budget_words, units)
    if view.split:
        scores = head_scores(engine, bundle, doc, view)
    else:
        scores = sentence_scores(engine, bundle, doc)
    chosen = select(view.seg, scores, budget_words, max_overlap)
    return Extract(view, tuple(scores), tuple(chosen))


def overlap(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of two word sets."""
    return len(a & b) / max(len(a | b), 1)


def select(
    seg: Segmented, scores: list[float], budget_words: int, max_overlap: float = 0.5
) -> list[int]:
    """Best-scored sentences until `budget_words` is reached, skipping near-duplicates.

    The last sentence may overrun the budget (as when selecting up to a reference length), so a
    long high-scoring sentence is never traded for a short low-scoring one. Document order.
    """
    chosen: list[int] = []
    chosen_words: list[set[str]] = []
    used = 0
    for i in sorted(range(len(scores)), key=lambda j: -scores[j]):
        sentence_words = words(seg.sentences[i].text)
        bag = set(sentence_words)
        if any(overlap(bag, other) > max_overlap for other in chosen_words):
            continue
        chosen.append(i)
        chosen_words.append(bag)
        used += len(sentence_words)
        if used >= budget_words:
            break
    return sorted(chosen)
