"""Paragraph breaks for text extracted from a PDF page, from where its lines sit on the page.

pypdf's plain extraction ends every line with one newline whatever the space above the next
line, so a PDF loses the blank lines that separate its paragraphs, headings and list items.
Without them a heading runs into the clause below it, and a list of items reads as one
sentence. `ingest` records the position of every piece of text pypdf emits (its visitor) and
`with_paragraph_breaks` puts a blank line before a line that sits at least 1.25 line pitches
below the line above: the usual pitch of its font size on the page, and the nearer steps
around it (see the function).

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
# A step under this share of the font size is no line's (a superscript, a cell off its row).
MIN_STEP_SHARE = 0.5


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

    A step down to a line is a paragraph gap when it is at least PARAGRAPH_GAP times both the
    usual pitch of lines in that line's font size on the page (the size of the line above when
    its own size sets too few lines) and the smaller of the steps just above and just below
    it. The first keeps footnotes in a small size from setting the body's pitch; the second
    keeps a double-spaced body from splitting line by line when a longer single-spaced quote
    sets the page's usual pitch.
    """
    if "".join(p.text for p in pieces) != output or not all(_upright(p) for p in pieces):
        return output
    lines = _lines(pieces)
    steps = _steps(lines)
    pitches = _pitches(lines, steps)
    out = [lines[0].text]
    for i in range(1, len(lines)):
        step = steps[i]
        usual = pitches.get(_size_key(lines[i]), pitches.get(_size_key(lines[i - 1])))
        if step is not None and usual is not None and step >= PARAGRAPH_GAP * usual:
            # The neighbouring steps, above and below: one of them is a line step inside a
            # paragraph unless the paragraphs around are one line each.
            near = [s for s in (steps[i - 1], steps[i + 1] if i + 1 < len(steps) else None) if s]
            if not near or step >= PARAGRAPH_GAP * min(near):
                out.append("")
        out.append(lines[i].text)
    return "\n".join(out)


def _size_key(line: _Line) -> float:
    return round(line.size * 2) / 2


def _steps(lines: Sequence[_Line]) -> list[float | None]:
    """The step down the page from each line's baseline to the next line's (None for the first
    line, a line without a baseline, a step up the page, or one too small to be a line's: a
    superscript or a table cell set off its row)."""
    steps: list[float | None] = [None]
    for above, here in itertools.pairwise(lines):
        step = None
        if above.baseline is not None and here.baseline is not None:
            down = above.baseline - here.baseline
            if down > MIN_STEP_SHARE * max(here.size, above.size):
                step = down
        steps.append(step)
    return steps


def _pitches(lines: Sequence[_Line], steps: Sequence[float | None]) -> dict[float, float]:
    """The usual line pitch of each font size that sets at least MIN_LINES steps down the page.

    A step is counted for the size of the line it reaches.
    """
    by_size: dict[float, list[float]] = {}
    for line, step in zip(lines, steps, strict=True):
        if step is not None:
            by_size.setdefault(_size_key(line), []).append(step)
    return {size: _usual_pitch(s) for size, s in by_size.items() if len(s) >= MIN_LINES}


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
