"""What every key-term extractor reads: the document's sentences as clauses under their headings.

`build_context(seg)` turns a segmented document into a `Context`: each sentence (and each
sentence split from text the segmenter left outside every paragraph) becomes a `Clause` that
carries the lower-cased chain of its section headings, and the preamble is the text before
clause 1 (or from the contract's opening sentence, when a cover page pushes it down). It
extracts no field itself; `Context.term` and `Context.term_at` build the `Term` that quotes the
sentence a value rests on.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.segment import Segmented, Sentence, split_sentences
from pipeline.terms import Term

MAX_QUOTE = 600
QUOTE_CONTEXT = 250
PREAMBLE_CHARS = 4000
MIN_GAP = 20
MAX_HEADING = 100


@dataclass(frozen=True)
class Clause:
    """A sentence with the headings of the sections that hold it (lower case, innermost last)."""

    sentence: Sentence
    headings: str
    index: int

    @property
    def text(self) -> str:
        return self.sentence.text

    def about(self, pattern: re.Pattern[str]) -> bool:
        """Whether the sentence or one of its headings matches `pattern`."""
        return bool(pattern.search(self.text) or pattern.search(self.headings))


@dataclass(frozen=True)
class Context:
    """What every field extractor reads: the document's clauses and its preamble."""

    seg: Segmented
    clauses: tuple[Clause, ...]
    preamble: tuple[Clause, ...]
    # Results that several fields reuse (the effective date feeds the expiration date).
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: str, compute: Callable[[], list]) -> list:
        """`compute()`, run once per document and key."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[return-value]

    @property
    def doc_id(self) -> str:
        return self.seg.doc.doc_id

    def term(self, field: str, value: object, clause: Clause, start: int, end: int) -> Term:
        """A term whose value is stated by `clause.text[start:end]` (offsets in the sentence)."""
        sent = clause.sentence
        return self.term_at(
            field, value, sent.start + start, sent.start + end, sent.start, sent.end
        )

    def term_at(
        self, field: str, value: object, start: int, end: int, q_start: int, q_end: int
    ) -> Term:
        """A term stated by `doc.text[start:end]`, quoting [q_start, q_end) (cut when long)."""
        doc = self.seg.doc
        if q_end - q_start > MAX_QUOTE:
            q_start, q_end = _window(doc.text, start, end, q_start, q_end)
        page = doc.page_at(q_start).label if doc.pages else ""
        return Term(
            field=field,
            value=value,  # type: ignore[arg-type]
            text=doc.text[start:end],
            quote=doc.text[q_start:q_end],
            doc_id=self.doc_id,
            page=page,
            start=q_start,
            end=q_end,
        )

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the sentences that [start, end) touches (the span itself if none)."""
        touched = [
            c.sentence for c in self.clauses if c.sentence.start < end and start < c.sentence.end
        ]
        if not touched:
            return start, end
        return min(start, touched[0].start), max(end, touched[-1].end)


def _window(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """A span around [start, end) of at most ~MAX_QUOTE chars inside [lo, hi), cut at spaces."""
    a = max(lo, start - QUOTE_CONTEXT)
    b = min(hi, end + QUOTE_CONTEXT)
    if a > lo:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < hi:
        space = text.rfind(" ", end, b)
        b = space if space >= 0 else b
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def build_context(seg: Segmented) -> Context:
    """Attach section headings to every sentence and find the preamble (text before clause 1)."""
    headings = [_heading_chain(seg, i) for i in range(len(seg.sections))]
    sentences = _with_gaps(seg)
    clauses = tuple(
        Clause(s, headings[s.section] if headings else "", i) for i, s in enumerate(sentences)
    )
    first_clause = next(
        (sec.start for sec in seg.sections if sec.number and re.match(r"\d", sec.number)),
        len(seg.doc.text),
    )
    limit = max(min(first_clause, PREAMBLE_CHARS * 2), min(PREAMBLE_CHARS, len(seg.doc.text)))
    opening = _opening(clauses, limit, seg.doc.text)
    preamble = tuple(
        c
        for c in clauses
        if c.sentence.start < limit or opening <= c.sentence.start < opening + PREAMBLE_CHARS
    )
    return Context(seg, clauses, preamble)


# "This Agreement is made and entered into ... by and between": the sentence that opens a
# contract, which a cover page or a table of contents may push far down. Its "BETWEEN:" may
# stand on a line of its own, outside the sentence ("THIS AGREEMENT, dated May 1, 2010, is
# BETWEEN: ..."), so the text just after the sentence is read with it.
OPENING = re.compile(
    r"\b(?:agreement|contract|amendment)\b[^.]{0,200}?\b(?:made|entered\s+into|executed|dated)\b"
    r"[^.]{0,300}?\b(?:between|among)\b",
    re.I,
)
OPENING_REACH = 30000
OPENING_RUN_ON = 40


def _opening(clauses: Sequence[Clause], limit: int, text: str) -> int:
    """Where the contract's opening sentence starts, when it lies past `limit` (else far out)."""
    for clause in clauses:
        start = clause.sentence.start
        if start > OPENING_REACH:
            break
        m = OPENING.search(text, start, clause.sentence.end + OPENING_RUN_ON)
        if m and m.start() < clause.sentence.end:
            return start if start >= limit else OPENING_REACH * 10
    return OPENING_REACH * 10


def _with_gaps(seg: Segmented) -> list[Sentence]:
    """The segmenter's sentences plus sentences split from any text that none of them covers.

    Text that the segmenter leaves outside every paragraph (a line it reads as a heading, such as
    a shouted title that runs on into a clause) would otherwise be lost: key terms must not
    depend on how a line was classified.
    """
    text = seg.doc.text
    out = list(seg.sentences)
    starts = [sec.start for sec in seg.sections]
    for gap_start, gap_end in _gaps(seg.sentences, len(text)):
        if sum(not ch.isspace() for ch in text[gap_start:gap_end]) < MIN_GAP:
            continue
        for a, b in split_sentences(text[gap_start:gap_end], gap_start):
            section = max(0, bisect.bisect_right(starts, a) - 1)
            page = seg.doc.page_at(a).label if seg.doc.pages else ""
            out.append(Sentence(-1, -1, section, a, b, text[a:b], page))
    return sorted(out, key=lambda s: s.start)


def _gaps(sentences: Sequence[Sentence], length: int) -> Iterable[tuple[int, int]]:
    pos = 0
    for s in sentences:
        if s.start > pos:
            yield pos, s.start
        pos = max(pos, s.end)
    if pos < length:
        yield pos, length


def _heading_chain(seg: Segmented, index: int) -> str:
    parts = []
    i: int | None = index
    while i is not None:
        sec = seg.sections[i]
        # A "heading" longer than a heading is a whole clause the segmenter took for one.
        if sec.heading and len(sec.heading) <= MAX_HEADING:
            parts.append(sec.heading)
        i = sec.parent
    return " / ".join(reversed(parts)).lower()
