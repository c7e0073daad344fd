"""Reference points for summary evaluation: Lead, TextRank and the document-blind baseline.

Lead and TextRank are pure functions over a document's sentence texts that return the indices
of the chosen sentences in document order. They fill a word budget the way the pipeline's
extractive selection does (`pipeline.extractive.select`): words are counted with
`pipeline.extractive.words`, and sentences are added until the budget is reached, so the last
one may overrun it.

The document-blind baseline reads no document at all: it is the one training summary that
matches the other training summaries best, output for every document. MEASURED.md found such a
fixed summary tying a warm-started encoder-decoder on ECTSum, which is why every evaluation
reports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

# TextRank itself lives in the pipeline: the extractive head reads the same centrality.
from pipeline.centrality import DAMPING, pagerank, textrank_scores, tfidf_matrix
from pipeline.words import words

__all__ = [
    "document_blind",
    "fill_budget",
    "lead",
    "pagerank",
    "textrank",
    "textrank_scores",
    "tfidf_matrix",
    "unigram_f1",
]


def fill_budget(order: Sequence[int], sentences: Sequence[str], budget_words: int) -> list[int]:
    """Take sentences in `order` until `budget_words` is reached; return them in document order.

    The sentence that reaches the budget is kept (it may overrun), as in the pipeline's
    selection up to a reference length; a budget of 0 or less selects nothing.
    """
    chosen: list[int] = []
    used = 0
    for i in order:
        if used >= budget_words:
            break
        chosen.append(i)
        used += len(words(sentences[i]))
    return sorted(chosen)


def lead(sentences: Sequence[str], budget_words: int) -> list[int]:
    """The first sentences of the document up to the word budget."""
    return fill_budget(range(len(sentences)), sentences, budget_words)


def textrank(sentences: Sequence[str], budget_words: int, damping: float = DAMPING) -> list[int]:
    """The highest-ranked sentences up to the word budget, in document order.

    Ties keep document order (a stable sort), so a graph without edges degrades to Lead.
    """
    scores = textrank_scores(sentences, damping)
    order = sorted(range(len(sentences)), key=lambda i: -scores[i])
    return fill_budget(order, sentences, budget_words)


def unigram_f1(a: Counter[str], b: Counter[str]) -> float:
    """F1 of clipped unigram overlap: ROUGE-1 F of two token bags (symmetric in a and b)."""
    overlap = sum((a & b).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(b.values())
    recall = overlap / sum(a.values())
    return 2 * precision * recall / (precision + recall)


def document_blind(summaries: Sequence[Sequence[str]]) -> int:
    """Index of the summary with the highest mean ROUGE-1 F against all the others.

    `summaries` are token lists (ROUGE's tokenizer, stemmed, so this is ROUGE-1 exactly). Every
    pair is scored once; ties go to the lower index. One summary alone is its own answer.
    """
    if not summaries:
        raise ValueError("document_blind needs at least one training summary")
    bags = [Counter(tokens) for tokens in summaries]
    n = len(bags)
    totals = [0.0] * n
    for i in range(n):
        for j in range(i + 1, n):
            f = unigram_f1(bags[i], bags[j])
            totals[i] += f
            totals[j] += f
    return max(range(n), key=lambda i: (totals[i], -i))
