"""Semantic search over documents: clause-sized chunks of segmented documents in a `Library`.

Used by `longbrief index add|remove` and `longbrief search` (a persistent library on disk), by
the web app's search tab (one bundle, in memory), and wherever passages are retrieved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.chunk import chunk
from pipeline.segment import Segmented
from retrieval.library import Library
from retrieval.records import AddResult, ChunkInput, Hit

# Clause-sized chunks: MiniLM sentence embeddings were trained on short texts (<= 256 pieces).
CHUNK_TOKENS = 128


def _count_words(text: str) -> int:
    # ~1.3 word pieces per word in legal English: a cheap, monotone stand-in for the tokenizer.
    return int(len(text.split()) * 1.3) + 1


def chunk_inputs(seg: Segmented, max_tokens: int = CHUNK_TOKENS) -> list[ChunkInput]:
    """The document's clause-respecting chunks as retrieval inputs (exact spans and pages)."""
    return [
        ChunkInput(c.text, c.page, c.start, c.end) for c in chunk(seg, _count_words, max_tokens)
    ]


def index_documents(library: Library, segs: Sequence[Segmented]) -> list[AddResult]:
    """Add each document (idempotent by content hash) in one batch of index writes."""
    with library.batch():
        return [
            library.add_document(
                s.doc.doc_id, s.doc.title, s.doc.source, s.doc.sha256, chunk_inputs(s)
            )
            for s in segs
        ]


@dataclass(frozen=True)
class SearchHit:
    """A search result ready to show: score, document, page, span and text."""

    score: float
    doc_id: str
    page: str
    start: int
    end: int
    text: str


def search(
    library: Library, query: str, k: int = 5, doc_ids: Sequence[str] | None = None
) -> list[SearchHit]:
    """The `k` chunks most similar to `query`, optionally only from `doc_ids`."""
    hits: list[Hit] = library.search(query, k=k, doc_ids=doc_ids)
    return [
        SearchHit(h.score, h.chunk.doc_id, h.chunk.page, h.chunk.start, h.chunk.end, h.chunk.text)
        for h in hits
    ]
