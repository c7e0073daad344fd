"""TextRank centrality of a document's sentences (TF-IDF cosine graph, PageRank).

Used twice: as an input feature of the extractive head (`pipeline.sentence_features`) and as the
TextRank baseline of `longbrief eval summaries` (`training.baselines`), so both see one ranking.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from pipeline.words import words

DAMPING = 0.85
PAGERANK_TOLERANCE = 1e-6
PAGERANK_MAX_ITERATIONS = 200


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
