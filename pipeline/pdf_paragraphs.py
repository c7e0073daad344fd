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
    """A run of text as pypdf emitted it, and the matrix (text x current) where it starts."""

    text: str
    matrix: tuple[float, float, float, float, float, float]


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
    """pypdf's page `output` with a blank line before each line that starts a paragraph."""
    if "".join(p.text for p in pieces) != output or not all(_upright(p) for p in pieces):
        return output
    lines, baselines = _lines_with_baselines(pieces)
    steps = [
        upper - lower
        for upper, lower in itertools.pairwise(baselines)
        if upper is not None and lower is not None and upper > lower
    ]
    if len(steps) < MIN_LINES:
        return output
    pitch = _usual_pitch(steps)
    out = [lines[0]]
    for i in range(1, len(lines)):
        above, here = baselines[i - 1], baselines[i]
        if above is not None and here is not None and above - here >= PARAGRAPH_GAP * pitch:
            out.append("")
        out.append(lines[i])
    return "\n".join(out)


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


def _lines_with_baselines(pieces: Sequence[Piece]) -> tuple[list[str], list[float | None]]:
    """The output's lines and the baseline of each (that of the first piece with text on it)."""
    lines: list[str] = [""]
    baselines: list[float | None] = [None]
    for piece in pieces:
        for k, part in enumerate(piece.text.split("\n")):
            if k:
                lines.append("")
                baselines.append(None)
            lines[-1] += part
            if baselines[-1] is None and part.strip() and k == 0:
                baselines[-1] = piece.matrix[5]
    return lines, baselines
