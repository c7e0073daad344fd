"""Sentence scoring and selection for extractive summaries (and the passages of hybrid mode)."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from pipeline.engine import EncodedBundle, EncodedDocument, Engine
from pipeline.segment import Segmented, Sentence
from pipeline.sentence_features import heading_like, sentence_features
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
def head_scores(engine: Engine, bundle: EncodedBundle, doc: EncodedDocument) -> list[float]:
    """Logits of the trained sentence-scoring head over this document's slice of the memory."""
    n_sent = len(doc.seg.sentences)
    if n_sent == 0 or bundle.memory is None:
        return []
    memory = bundle.memory[doc.token_start : doc.token_start + doc.n_tokens]
    sentence_ids = torch.tensor(doc.sentence_of_token, dtype=torch.long)
    head = engine.model.extractive
    # Only a head trained with text features reads them (its checkpoint config names them).
    features = None
    if head.features:
        features = sentence_features([x.text for x in doc.seg.sentences], head.features)[None]
    logits = head(memory[None], sentence_ids[None], n_sent, features)[0]
    return rank_scores(logits.float().tolist(), doc.seg.sentences)


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
