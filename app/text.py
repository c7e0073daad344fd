"""Text helpers for display: Markdown escaping, page labels, the source passage around a quote.

Nothing here decides anything about a document; it only shapes what the pipeline returned for
the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.document import Document

# Source text and file names are untrusted Markdown: "$" would start LaTeX ("US$1,000 ... $500"),
# "*", "_", "[", "<", "&" would format, link or decode entities, ":" could form an emoji or icon
# code. A backslash before ASCII punctuation is always literal.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$:&])")
# On one line, only a leading "1." / "1)" / "-" / "+" makes a list item ("1. Definitions").
_LIST_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+])(?=\s|$)")


def md(text: str) -> str:
    """`text` as literal Markdown on one line (line breaks folded into spaces)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _LIST_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def plural(n: int, noun: str) -> str:
    """ "1 document", "3 documents"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def pages_label(pages: tuple[str, ...] | list[str]) -> str:
    """ "p. 3" or "pp. 3–4" for the printed labels a citation covers."""
    if not pages:
        return "p. ?"
    if len(pages) == 1 or pages[0] == pages[-1]:
        return f"p. {pages[0]}"
    return f"pp. {pages[0]}–{pages[-1]}"


def short(title: str, limit: int = 28) -> str:
    """A title cut to `limit` characters at a word boundary, for chips and badges."""
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0]
    return cut + "…"


@dataclass(frozen=True)
class Passage:
    """The quoted span with some text on either side, limited to the pages it is on."""

    before: str
    quote: str
    after: str


def passage(doc: Document, start: int, end: int, margin: int = 320) -> Passage:
    """The quote `doc.text[start:end]` with up to `margin` characters of context each side.

    The context stays on the cited pages, so what the reader sees is what the page shows, and
    is cut at word boundaries.
    """
    pages = doc.pages_of(start, end)
    lo = max(pages[0].start, start - margin)
    hi = min(pages[-1].end, end + margin)
    before = doc.text[lo:start]
    after = doc.text[end:hi]
    if lo > pages[0].start and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if hi < pages[-1].end and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return Passage(before, doc.text[start:end], after)
