"""Pack a segmented document's sentences into chunks that fit a token budget.

Chunks are the units that retrieval indexes and the decoder's exact cross-attention reads, so
each should be one clause: a chunk holds whole sentences of one clause (a heading or numbered
clause together with its list items "(a)", "(b)", ...) and a new clause always starts a new
chunk. Only a sentence longer than the budget is cut, at word boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.segment import Segmented, Sentence

WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Chunk:
    """A span of `doc.text` (`text` is exactly `doc.text[start:end]`).

    It covers sentences [sentence_start, sentence_end) of the segmentation, or part of one
    sentence when that sentence alone is over the budget. `section` is the clause it belongs to,
    `page` the label of the page where it starts, `n_tokens` the counter's count of `text`.
    """

    index: int
    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int
    section: int
    page: str
    n_tokens: int


def chunk(
    seg: Segmented, count_tokens: Callable[[str], int], max_tokens: int = 256
) -> tuple[Chunk, ...]:
    """Chunks of at most `max_tokens` tokens (as `count_tokens` counts them), in text order.

    Sentences are packed greedily within a clause; a clause boundary (any section that is not a
    list item of the current clause) starts a new chunk. A sentence over the budget becomes
    several chunks cut between words; a single word over the budget is cut between characters.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    packer = _Packer(seg, count_tokens, max_tokens)
    for section, sentences in _clause_groups(seg):
        packer.pack(section, sentences)
    return tuple(packer.chunks)


def clause_of(seg: Segmented, section: int) -> int:
    """The clause a section belongs to: itself, or for a list item its nearest non-item parent."""
    current = seg.sections[section]
    while current.is_item and current.parent is not None:
        current = seg.sections[current.parent]
    return current.index


def _clause_groups(seg: Segmented) -> list[tuple[int, list[Sentence]]]:
    """Runs of consecutive sentences of one clause, with that clause's section index."""
    groups: list[tuple[int, list[Sentence]]] = []
    for sentence in seg.sentences:
        clause = clause_of(seg, sentence.section)
        if groups and groups[-1][0] == clause:
            groups[-1][1].append(sentence)
        else:
            groups.append((clause, [sentence]))
    return groups


class _Packer:
    """Greedy packing that keeps every chunk's span exact and within the budget."""

    def __init__(self, seg: Segmented, count: Callable[[str], int], max_tokens: int):
        self.text = seg.doc.text
        self.seg = seg
        self.count = count
        self.max_tokens = max_tokens
        self.chunks: list[Chunk] = []

    def pack(self, section: int, sentences: list[Sentence]) -> None:
        """Chunk the sentences of one clause."""
        run: list[Sentence] = []
        run_tokens = 0
        for sentence in sentences:
            n = self.count(sentence.text)
            if n > self.max_tokens:
                self._flush(run, section)
                run, run_tokens = [], 0
                self._split_long(sentence, section)
                continue
            if run and run_tokens + n > self.max_tokens:
                self._flush(run, section)
                run, run_tokens = [], 0
            run.append(sentence)
            run_tokens += n
        self._flush(run, section)

    def _flush(self, run: list[Sentence], section: int) -> None:
        # Packing by the sum of sentence counts costs one count per sentence, and the sum is
        # exact for tokenizers that split on whitespace; a counter that counts the joined span
        # higher gets the run packed again by counting each candidate span.
        if not run:
            return
        text = self.text[run[0].start : run[-1].end]
        n_tokens = self.count(text)
        if n_tokens <= self.max_tokens:
            self._emit(
                run[0].start, run[-1].end, run[0].index, run[-1].index + 1, section, n_tokens
            )
            return
        first = last = run[0]
        for sentence in run[1:]:
            if self._fits(first.start, sentence.end):
                last = sentence
                continue
            self._emit(first.start, last.end, first.index, last.index + 1, section)
            first = last = sentence
        self._emit(first.start, last.end, first.index, last.index + 1, section)

    def _fits(self, start: int, end: int) -> bool:
        return self.count(self.text[start:end]) <= self.max_tokens

    def _emit(
        self,
        start: int,
        end: int,
        s_start: int,
        s_end: int,
        section: int,
        n_tokens: int | None = None,
    ) -> None:
        text = self.text[start:end]
        doc = self.seg.doc
        page = doc.page_at(start).label if doc.pages else ""
        n_tokens = self.count(text) if n_tokens is None else n_tokens
        self.chunks.append(
            Chunk(len(self.chunks), start, end, text, s_start, s_end, section, page, n_tokens)
        )

    def _split_long(self, sentence: Sentence, section: int) -> None:
        words = [m.span() for m in WORD.finditer(self.text, sentence.start, sentence.end)]
        i = 0
        while i < len(words):
            start = words[i][0]
            j = self._last_fitting(i, len(words) - 1, lambda k, s=start: self._fits(s, words[k][1]))
            if j < i:
                self._split_word(words[i], sentence.index, section)
                i += 1
                continue
            self._emit(start, words[j][1], sentence.index, sentence.index + 1, section)
            i = j + 1

    def _split_word(self, span: tuple[int, int], s_index: int, section: int) -> None:
        start, end = span
        while start < end:
            cut = self._last_fitting(start + 1, end, lambda c, s=start: self._fits(s, c))
            # A counter that rejects even one character still has to make progress.
            cut = max(cut, start + 1)
            self._emit(start, cut, s_index, s_index + 1, section)
            start = cut

    @staticmethod
    def _last_fitting(lo: int, hi: int, fits: Callable[[int], bool]) -> int:
        """Largest k in [lo, hi] with fits(k), or lo - 1; assumes fits is monotone (prefixes)."""
        best = lo - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            if fits(mid):
                best, lo = mid, mid + 1
            else:
                hi = mid - 1
        return best
