"""Extractive labels: the greedy ROUGE oracle (sentences that best reproduce a reference)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from nltk.stem import porter

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_STEMMER = porter.PorterStemmer()


@cache
def _stem(word: str) -> str:
    return _STEMMER.stem(word) if len(word) > 3 else word


def rouge_tokens(text: str) -> list[str]:
    """rouge-score's tokenization (lower case, non-alphanumerics split, Porter stems of words
    longer than 3), with the stemmer memoized: labels match the metric, ~10x faster."""
    return [_stem(w) for w in _NON_ALNUM.sub(" ", text.lower()).split()]


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / predicted, overlap / reference
    return 2 * p * r / (p + r)


def _gain(picked: Counter, grams: Counter, ref: Counter) -> int:
    """How much adding `grams` raises the clipped overlap of `picked` with `ref`."""
    return sum(
        min(picked[g] + c, ref[g]) - min(picked[g], ref[g]) for g, c in grams.items() if g in ref
    )


def greedy_oracle(
    sentences: Sequence[str], reference: str, max_words: int | None = None
) -> list[int]:
    """Indices of the sentences a greedy search picks to maximize mean ROUGE-1/2 F1.

    Sentences are added while they raise the score (and, with `max_words`, until the selection
    reaches that many words). Overlaps are updated incrementally, so one step costs the total
    length of the candidate sentences, not of the selection.
    """
    ref = rouge_tokens(reference)
    ref_grams = (_ngrams(ref, 1), _ngrams(ref, 2))
    ref_sizes = (max(len(ref), 1), max(len(ref) - 1, 1))
    sent_grams = [(_ngrams(t, 1), _ngrams(t, 2)) for t in map(rouge_tokens, sentences)]
    sent_sizes = [(sum(g[0].values()), sum(g[1].values())) for g in sent_grams]
    chosen: list[int] = []
    picked: tuple[Counter, Counter] = (Counter(), Counter())
    overlap, size = [0, 0], [0, 0]
    best_score, words = 0.0, 0
    while max_words is None or words < max_words:
        best = (best_score, -1, (0, 0))
        for i, grams in enumerate(sent_grams):
            if not sent_sizes[i][0] or i in chosen:
                continue
            gains = (
                _gain(picked[0], grams[0], ref_grams[0]),
                _gain(picked[1], grams[1], ref_grams[1]),
            )
            score = sum(
                _f1(overlap[n] + gains[n], size[n] + sent_sizes[i][n], ref_sizes[n]) / 2
                for n in range(2)
            )
            if score > best[0]:
                best = (score, i, gains)
        best_score, i, gains = best
        if i < 0:
            break
        chosen.append(i)
        for n in range(2):
            picked[n].update(sent_grams[i][n])
            overlap[n] += gains[n]
            size[n] += sent_sizes[i][n]
        words += len(sentences[i].split())
    return sorted(chosen)
