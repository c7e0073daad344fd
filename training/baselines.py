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

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from pipeline.extractive import words

DAMPING = 0.85
PAGERANK_TOLERANCE = 1e-6
PAGERANK_MAX_ITERATIONS = 200


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


def tfidf_matrix(sentences: Sequence[str]) -> np.ndarray:
    """L2-normalized TF-IDF rows, one per sentence (raw term counts, smoothed IDF).

    IDF is log((1 + n) / (1 + df)) + 1 over the document's own sentences. Norms are taken over
    the whole vocabulary, but only terms found in two or more sentences are kept as columns:
    the others add nothing to a dot product between two different sentences, and dropping them
    keeps the matrix small for long judgments.
    """
    bags = [Counter(words(s)) for s in sentences]
    n = len(bags)
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    columns = {t: j for j, t in enumerate(sorted(t for t, c in df.items() if c >= 2))}
    matrix = np.zeros((n, len(columns)), dtype=np.float32)
    for i, bag in enumerate(bags):
        weights = {t: c * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if norm == 0.0:
            continue
        for t, w in weights.items():
            j = columns.get(t)
            if j is not None:
                matrix[i, j] = w / norm
    return matrix


def pagerank(similarity: np.ndarray, damping: float = DAMPING) -> np.ndarray:
    """PageRank scores of a weighted undirected graph given as a similarity matrix.

    Self-loops are ignored; a sentence with no edge spreads its rank uniformly. Power iteration
    in float32 (a judgment may have thousands of sentences) until the L1 change is below
    `PAGERANK_TOLERANCE` (or `PAGERANK_MAX_ITERATIONS`).
    """
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    transition = np.array(similarity, dtype=np.float32)
    np.fill_diagonal(transition, 0.0)
    out_weight = transition.sum(axis=1)
    linked = out_weight > 0.0
    transition[linked] /= out_weight[linked, None]
    transition[~linked] = 1.0 / n
    rank = np.full(n, 1.0 / n, dtype=np.float32)
    for _ in range(PAGERANK_MAX_ITERATIONS):
        updated = (1.0 - damping) / n + damping * (rank @ transition)
        change = float(np.abs(updated - rank).sum())
        rank = updated.astype(np.float32)
        if change < PAGERANK_TOLERANCE:
            break
    return rank


def textrank_scores(sentences: Sequence[str], damping: float = DAMPING) -> np.ndarray:
    """PageRank over the sentence graph weighted by cosine similarity of TF-IDF vectors."""
    matrix = tfidf_matrix(sentences)
    return pagerank(matrix @ matrix.T, damping)


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
