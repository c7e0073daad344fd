"""Typed records that the pipeline's stages hand each other."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """One page of a document: its 1-based physical number, printed label, and text span."""

    number: int
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """A cleaned document with a map from every character back to its page.

    `pages` are contiguous and ordered: page i covers text[pages[i].start:pages[i].end].
    """

    doc_id: str
    source: str
    text: str
    pages: tuple[Page, ...]
    sha256: str
    title: str = ""
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(p.start for p in self.pages))

    def page_at(self, char: int) -> Page:
        """The page that holds character offset `char` of `text`."""
        if not self.pages:
            raise ValueError(f"{self.doc_id}: document has no pages")
        i = bisect.bisect_right(self._starts, char) - 1
        return self.pages[max(0, min(i, len(self.pages) - 1))]

    def pages_of(self, start: int, end: int) -> tuple[Page, ...]:
        """Every page that the character span [start, end) touches."""
        first = self.page_at(start)
        last = self.page_at(max(start, end - 1))
        return self.pages[first.number - 1 : last.number]


@dataclass(frozen=True)
class IngestError:
    """Why one input could not be read. `kind` is a stable machine-readable code."""

    source: str
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
