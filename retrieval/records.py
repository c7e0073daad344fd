"""Typed, frozen records that go in and out of the retrieval layer (no dicts at the API)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class ChunkInput:
    """One chunk of a document to index: `text` is `document_text[start:end]` on page `page`."""

    text: str
    page: str
    start: int
    end: int


@dataclass(frozen=True)
class ChunkRecord:
    """A stored chunk. `vector_id` is its id in the FAISS index (never reused after removal);
    `chunk` its position in the document; `sha256` the hash of the document it came from."""

    vector_id: int
    doc_id: str
    chunk: int
    text: str
    page: str
    start: int
    end: int
    sha256: str


@dataclass(frozen=True)
class DocumentRecord:
    """A stored document; `added_at` is an ISO-8601 UTC timestamp."""

    doc_id: str
    title: str
    source: str
    sha256: str
    added_at: str
    n_chunks: int


@dataclass(frozen=True)
class Hit:
    """A search result: `score` is the inner product of unit vectors (cosine similarity)."""

    score: float
    chunk: ChunkRecord


@dataclass(frozen=True)
class Alignment:
    """A chunk of one document with its most similar chunks of another, best first."""

    chunk: ChunkRecord
    matches: tuple[Hit, ...]


class AddStatus(StrEnum):
    """What `Library.add_document` did; compares equal to its string value."""

    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class AddResult:
    """`doc_id` is the document that now holds the content: for `UNCHANGED` it is the document
    already stored with that sha256, which may have another id than the one asked for."""

    status: AddStatus
    doc_id: str
    n_chunks: int


@dataclass(frozen=True)
class RepairReport:
    """What opening a library found out of step between SQLite and the index file, and did.

    `stale` counts index vectors with no SQLite row that were deleted from the index (a removal
    whose index write was lost); `reembedded` the chunks that had a row but no vector and were
    embedded again from their stored text; `dropped_docs` the documents deleted instead
    (`repair="drop"`); `rebuilt` is True when the index file was missing, unreadable or of the
    wrong width. `masked` counts vectors with no row that an HNSW index keeps, hidden from every
    result, until its next compaction: the normal state after removals, so `clean` ignores it.
    """

    stale: int = 0
    reembedded: int = 0
    dropped_docs: tuple[str, ...] = ()
    rebuilt: bool = False
    masked: int = 0

    @property
    def clean(self) -> bool:
        """True when SQLite and the index agreed."""
        return not (self.stale or self.reembedded or self.dropped_docs or self.rebuilt)


@dataclass(frozen=True)
class LibraryStats:
    """Sizes of a library. `index_vectors` includes vectors masked as removed (HNSW only)."""

    directory: str | None
    n_documents: int
    n_chunks: int
    index_kind: str
    index_vectors: int
    dim: int
    index_bytes: int
    db_bytes: int
