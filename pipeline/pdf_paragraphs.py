"""Paragraph breaks for text extracted from a PDF page, from where its lines sit on the page.

pypdf's plain extraction ends every line with one newline whatever the space above the next
line, so a PDF loses the blank lines that separate its paragraphs, headings and list items.
Without them a heading runs into the clause below it, and a list of items reads as one
sentence. `ingest` records the position of every piece of text pypdf emits (its visitor) and
`with_paragraph_breaks` puts a blank line before a line that sits clearly lower under the line
above than the page's usual line pitch.

The text itself is never changed: blank lines are only inserted between pypdf's own lines, and
when the recorded pieces do not add up to pypdf's output exactly, or a page is not upright
(rotated text has no baseline going down the page), the output is returned as it came.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# A line whose baseline is at least this many usual line pitches below the one before starts a
# paragraph. Body text is set at one pitch; word processors add from 0.3 to 1 pitch of space
# between paragraphs, and a blank line adds one.
PARAGRAPH_GAP = 1.25
# Pitches can only be told apart with a few lines on the page.
MIN_LINES = 3


@dataclass(frozen=True)
class Piece:
    """A run of text as pypdf emitted it, the matrix (text x current) where it starts, and the
    font size it is set in (points on the page)."""

    text: str
    matrix: tuple[float, float, float, float, float, float]
    size: float = 0.0


@dataclass(frozen=True)
class _Line:
    text: str
    baseline: float | None = None
    size: float = 0.0


def combine(tm: Sequence[float], cm: Sequence[float]) -> tuple[float, ...]:
    """The text matrix times the current transformation matrix (PDF row-vector convention)."""
    a, b, c, d, e, f = (float(x) for x in tm[:6])
    p, q, r, s, t, u = (float(x) for x in cm[:6])
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def with_paragraph_breaks(output: str, pieces: Sequence[Piece]) -> str:
    """pypdf's page `output` with a blank line before each line that starts a paragraph.

    Each line is measured against the usual pitch of lines in its own font size, so a page of
    small footnotes neither sets the pitch for the body text nor is split line by line.
    """
    if "".join(p.text for p in pieces) != output or not all(_upright(p) for p in pieces):
        return output
    lines = _lines(pieces)
    pitches = _pitches(lines)
    out = [lines[0].text]
    for above, here in itertools.pairwise(lines):
        pitch = pitches.get(_size_key(here))
        if (
            pitch is not None
            and above.baseline is not None
            and here.baseline is not None
            and above.baseline - here.baseline >= PARAGRAPH_GAP * pitch
        ):
            out.append("")
        out.append(here.text)
    return "\n".join(out)


def _size_key(line: _Line) -> float:
    return round(line.size * 2) / 2


def _pitches(lines: Sequence[_Line]) -> dict[float, float]:
    """The usual line pitch of each font size that sets at least MIN_LINES steps down the page.

    A step is counted for the size of the line it reaches.
    """
    steps: dict[float, list[float]] = {}
    for above, here in itertools.pairwise(lines):
        if above.baseline is None or here.baseline is None or above.baseline <= here.baseline:
            continue
        steps.setdefault(_size_key(here), []).append(above.baseline - here.baseline)
    return {size: _usual_pitch(s) for size, s in steps.items() if len(s) >= MIN_LINES}


def _usual_pitch(steps: list[float]) -> float:
    """The most common step between baselines (the body text's line pitch).

    Not the median: on a page of short paragraphs half the steps can be paragraph gaps. Steps
    are rounded to a quarter point; of equally common ones the smallest wins, since a gap is
    never narrower than the lines it separates.
    """
    counts = Counter(round(step * 4) / 4 for step in steps)
    return min(counts, key=lambda step: (-counts[step], step))


def _upright(piece: Piece) -> bool:
    # Text that is not upright (a rotated table, a vertical margin note) has no baseline going
    # down the page; its pieces carry no text or a rotation in the matrix.
    a, b = piece.matrix[0], piece.matrix[1]
    return not piece.text.strip() or (a > 0 and abs(b) <= 1e-6 * max(1.0, abs(a)))


def _lines(pieces: Sequence[Piece]) -> list[_Line]:
    """The output's lines, each with the baseline and size of the first piece with text on it."""
    lines = [_Line("")]
    for piece in pieces:
        for k, part in enumerate(piece.text.split("\n")):
            if k:
                lines.append(_Line(""))
            last = lines[-1]
            if last.baseline is None and part.strip() and k == 0:
                lines[-1] = _Line(last.text + part, piece.matrix[5], piece.size)
            else:
                lines[-1] = _Line(last.text + part, last.baseline, last.size)
    return lines
