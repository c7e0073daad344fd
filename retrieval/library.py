"""The public retrieval API: a library of documents' chunks, searchable by meaning.

    with Library.open() as lib:                    # ~/.longbrief/library or $LONGBRIEF_DATA/library
        lib.add_document("msa.pdf", "MSA", "/path/msa.pdf", sha256, chunks)
        hits = lib.search("governing law", k=5, doc_ids=["msa.pdf", "sow.pdf"])

    bundle = Library.in_memory()                   # one bundle, nothing written
    pairs = bundle.nearest_across("msa.pdf", "sow.pdf", k=3)

A directory holds `library.sqlite3` (metadata, the source of truth, see `retrieval.store`),
`index.faiss` (the vectors, see `retrieval.index`) and `.lock`. One process writes at a time (an
exclusive `flock` on `.lock`, taken by a writable open); read-only opens take no lock.

Order of writes. Every change commits to SQLite first (one transaction, durable before it
returns), then updates the in-memory index, then writes the index file atomically (temporary
file, fsync, rename). A crash can therefore leave the index file behind SQLite, never ahead of
it with ids that SQLite could give to other chunks (ids are never reused). On open the two are
reconciled: index ids with no SQLite row (removed documents, replaced chunks) are dropped or
masked; SQLite chunks with no vector (added after the last index write, or every chunk when the
index file is missing or unreadable) are embedded again from their stored text, or with
`repair="drop"` their documents are deleted. `Library.repair_report` says what was done.
Inside `with lib.batch():` the index file is written once, at the end, instead of per change.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.consistency import Repair, reconcile
from retrieval.embedder import DIM, Embedder
from retrieval.index import IndexConfig, IndexFileError, VectorIndex
from retrieval.paths import default_library_dir
from retrieval.records import (
    AddResult,
    AddStatus,
    Alignment,
    ChunkInput,
    ChunkRecord,
    DocumentRecord,
    Hit,
    LibraryStats,
    RepairReport,
)
from retrieval.store import MetadataStore

DB_NAME = "library.sqlite3"
INDEX_NAME = "index.faiss"
LOCK_NAME = ".lock"


class TextEmbedder(Protocol):
    """What the library needs from an embedder (`retrieval.embedder.Embedder` is one)."""

    dim: int

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings `(len(texts), dim)` float32."""
        ...


class LibraryLocked(RuntimeError):
    """Another process has the library open for writing."""


class Library:
    """Documents' chunks with their embeddings; see the module docstring.

    Create one with `Library.open(directory)` or `Library.in_memory()`. Methods are safe to call
    from several threads (one lock serializes them). Without an `embedder`, the MiniLM
    `retrieval.embedder.Embedder` is loaded on first need (a few seconds).
    """

    def __init__(
        self,
        store: MetadataStore,
        embedder: TextEmbedder | None,
        config: IndexConfig,
        directory: Path | None = None,
        read_only: bool = False,
        lock_file: int | None = None,
    ):
        self._store = store
        self._embedder = embedder
        self.config = config
        self.directory = directory
        self.read_only = read_only
        self._lock_file = lock_file
        self._mutex = threading.RLock()
        self._batch_depth = 0
        self._dirty = False
        self._closed = False
        self.dim = self._resolve_dim()
        self._index = VectorIndex(self.dim, config)
        self.repair_report = RepairReport()

    @classmethod
    def open(
        cls,
        directory: Path | str | None = None,
        embedder: TextEmbedder | None = None,
        *,
        config: IndexConfig | None = None,
        read_only: bool = False,
        repair: Repair = "reembed",
    ) -> Library:
        """Open (creating it unless `read_only`) the library in `directory`, reconciled.

        `directory` defaults to `retrieval.paths.default_library_dir()`. Chunks with no vector
        are embedded again (`repair="reembed"`) or their documents deleted (`"drop"`); a
        read-only open always re-embeds, in memory only. Raises `LibraryLocked` when another
        process has the library open for writing, `FileNotFoundError` for a read-only open of a
        library that does not exist.
        """
        if repair not in ("reembed", "drop"):
            raise ValueError(f"repair must be 'reembed' or 'drop', got {repair!r}")
        directory = Path(directory) if directory is not None else default_library_dir()
        lock = None
        if not read_only:
            directory.mkdir(parents=True, exist_ok=True)
            lock = _lock(directory / LOCK_NAME)
        try:
            if not read_only:
                # A writer that died mid-save leaves its temporary file; the rename never happened.
                for leftover in directory.glob(f"{INDEX_NAME}.tmp-*"):
                    leftover.unlink()
            store = MetadataStore(directory / DB_NAME, read_only=read_only)
            library = cls(store, embedder, config or IndexConfig(), directory, read_only, lock)
        except BaseException:
            if lock is not None:
                os.close(lock)
            raise
        try:
            library._load_index(repair)
        except BaseException:
            library.close()
            raise
        return library

    @classmethod
    def in_memory(
        cls, embedder: TextEmbedder | None = None, *, config: IndexConfig | None = None
    ) -> Library:
        """A library that lives in memory only (one bundle's chunks); nothing is written."""
        return cls(MetadataStore(None), embedder, config or IndexConfig())

    def _resolve_dim(self) -> int:
        stored = self._store.get_meta("dim")
        if self._embedder is not None:
            dim = self._embedder.dim
        else:
            dim = int(stored) if stored is not None else DIM
        if stored is not None and int(stored) != dim:
            raise ValueError(f"library holds {stored}-d vectors, the embedder makes {dim}-d")
        if stored is None and not self.read_only:
            self._store.set_meta("dim", str(dim))
        return dim

    def _load_index(self, repair: Repair) -> None:
        path = self._index_path
        rebuilt = False
        if path is not None and path.exists():
            try:
                self._index = VectorIndex.load(path, self.dim, self.config)
            except IndexFileError:
                rebuilt = True
        n_chunks = self._store.counts()[1]
        rebuilt = rebuilt or (path is not None and not path.exists() and n_chunks > 0)
        repair = "reembed" if self.read_only else repair
        self.repair_report = reconcile(self._store, self._index, self._embed, repair, rebuilt)
        # Masking alone (`clean`) leaves the file as it is: no rewrite of a large HNSW index.
        if not self.repair_report.clean and not self.read_only:
            self._dirty = True
            self.flush()

    @property
    def _index_path(self) -> Path | None:
        return None if self.directory is None else self.directory / INDEX_NAME

    @property
    def embedder(self) -> TextEmbedder:
        """The embedder, loaded on first use."""
        if self._embedder is None:
            self._embedder = Embedder()
        return self._embedder

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = np.asarray(self.embedder.embed(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), self.dim)  # (n, dim)

    def _check_open(self, writing: bool = False) -> None:
        if self._closed:
            raise RuntimeError("the library is closed")
        if writing and self.read_only:
            raise PermissionError("the library was opened read-only")

    def add_document(
        self,
        doc_id: str,
        title: str,
        source: str,
        sha256: str,
        chunks: Sequence[ChunkInput],
        vectors: np.ndarray | None = None,
    ) -> AddResult:
        """Index a document's chunks, or change nothing if its content is already stored.

        Content is identified by `sha256`: a hash already in the library returns `UNCHANGED`
        (with the doc_id that holds it). A new hash under an existing `doc_id` replaces that
        document's chunks (`REPLACED`); otherwise the document is `ADDED`. `vectors` `(n, dim)`,
        one row per chunk, skip embedding (they must come from the same embedder).
        """
        if not doc_id:
            raise ValueError("doc_id must be a non-empty string")
        chunks = list(chunks)
        for chunk in chunks:
            if not isinstance(chunk, ChunkInput):
                raise TypeError(f"chunks must be ChunkInput, got {type(chunk).__name__}")
        with self._mutex:
            self._check_open(writing=True)
            same = self._store.document_by_sha(sha256)
            if same is not None:
                return AddResult(AddStatus.UNCHANGED, same.doc_id, same.n_chunks)
            status = AddStatus.REPLACED if self._store.document(doc_id) else AddStatus.ADDED
            if vectors is None:
                vectors = self._embed([c.text for c in chunks])
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.shape != (len(chunks), self.dim):
                raise ValueError(f"vectors {vectors.shape} for {len(chunks)} chunks of {self.dim}")
            new_ids, old_ids = self._store.put_document(doc_id, title, source, sha256, chunks)
            self._index.remove(old_ids)
            self._index.add(np.asarray(new_ids, dtype=np.int64), vectors)
            self._changed()
            return AddResult(status, doc_id, len(chunks))

    def remove(self, doc_id_or_sha: str) -> DocumentRecord | None:
        """Remove a document (by doc_id, else by sha256); returns it, or None if not found."""
        with self._mutex:
            self._check_open(writing=True)
            doc = self._store.document(doc_id_or_sha) or self._store.document_by_sha(doc_id_or_sha)
            if doc is None:
                return None
            self._index.remove(self._store.delete_documents([doc.doc_id]))
            self._changed()
            return doc

    def _changed(self) -> None:
        self._dirty = True
        if self._batch_depth == 0:
            self.flush()

    @contextlib.contextmanager
    def batch(self) -> Iterator[Library]:
        """Defer writing the index file to the end of the block (many documents, one write).

        SQLite still commits per document; a crash inside the block is repaired on next open.
        """
        with self._mutex:
            self._batch_depth += 1
        try:
            yield self
        finally:
            with self._mutex:
                self._batch_depth -= 1
                if self._batch_depth == 0 and not self._closed:
                    self.flush()

    def flush(self) -> None:
        """Write the index file if it has changed (no-op in memory or read-only)."""
        with self._mutex:
            path = self._index_path
            if self._dirty and path is not None and not self.read_only:
                self._index.save(path)
            self._dirty = False

    def search(self, query: str, k: int = 5, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        """The `k` chunks most similar to `query`, best first, optionally only of `doc_ids`."""
        self._check_open()
        # Embedding takes long: outside the lock, so that other threads are not held up.
        return self.search_vectors(self._embed([query]), k, doc_ids)[0]

    def search_vectors(
        self, matrix: np.ndarray, k: int = 5, doc_ids: Sequence[str] | None = None
    ) -> list[list[Hit]]:
        """For each row of `matrix` `(q, dim)`, its `k` nearest chunks by inner product.

        With `doc_ids` only those documents' chunks are candidates (`KeyError` for an unknown
        id); a subset of at most `config.exact_subset_limit` chunks is searched exactly.
        """
        queries = np.ascontiguousarray(matrix, dtype=np.float32)
        if queries.ndim != 2 or queries.shape[1] != self.dim:
            raise ValueError(f"expected queries of shape (q, {self.dim}), got {queries.shape}")
        with self._mutex:
            self._check_open()
            if doc_ids is None:
                scores, ids = self._index.search(queries, k)
            else:
                scores, ids = self._search_subset(queries, k, doc_ids)
            records = self._store.chunks_by_id(int(i) for i in np.unique(ids) if i >= 0)
        # A row can vanish between the index search and the lookup only under a concurrent
        # writer (read-only opens); such hits are skipped.
        return [
            [
                Hit(float(s), records[int(i)])
                for s, i in zip(row_scores, row_ids, strict=True)
                if int(i) in records
            ]
            for row_scores, row_ids in zip(scores, ids, strict=True)
        ]

    def _search_subset(
        self, queries: np.ndarray, k: int, doc_ids: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        doc_ids = list(doc_ids)
        unknown = [d for d in doc_ids if self._store.document(d) is None]
        if unknown:
            raise KeyError(f"no such documents in the library: {unknown}")
        allowed = self._store.vector_ids(doc_ids)
        if len(allowed) > self.config.exact_subset_limit:
            return self._index.search(queries, k, allowed=allowed)
        vectors = self._index.reconstruct(allowed)  # (m, dim)
        return _top_k(queries @ vectors.T, allowed, k)

    def nearest_across(
        self, doc_a: str, doc_b: str, k: int = 3, chunks_a: Sequence[int] | None = None
    ) -> list[Alignment]:
        """For each chunk of `doc_a` (or only chunk numbers `chunks_a`), its `k` most similar
        chunks of `doc_b` with their cosine similarity, best first. Exact at any index size."""
        with self._mutex:
            self._check_open()
            records_a, records_b = self._store.chunks(doc_a), self._store.chunks(doc_b)
            for doc_id, records in ((doc_a, records_a), (doc_b, records_b)):
                if not records and self._store.document(doc_id) is None:
                    raise KeyError(f"no such document in the library: {doc_id!r}")
            if chunks_a is not None:
                wanted = set(chunks_a)
                records_a = [r for r in records_a if r.chunk in wanted]
            ids_b = np.array([r.vector_id for r in records_b], dtype=np.int64)
            vectors_a = self._index.reconstruct([r.vector_id for r in records_a])  # (a, dim)
            vectors_b = self._index.reconstruct(ids_b)  # (b, dim)
        scores, ids = _top_k(vectors_a @ vectors_b.T, ids_b, k)
        by_id = {r.vector_id: r for r in records_b}
        return [
            Alignment(
                record,
                tuple(Hit(float(s), by_id[int(i)]) for s, i in zip(row_s, row_i, strict=True)),
            )
            for record, row_s, row_i in zip(records_a, scores, ids, strict=True)
        ]

    def document(self, doc_id: str) -> DocumentRecord | None:
        """The document stored under `doc_id`, or None."""
        with self._mutex:
            self._check_open()
            return self._store.document(doc_id)

    def documents(self) -> list[DocumentRecord]:
        """All documents, by doc_id."""
        with self._mutex:
            self._check_open()
            return self._store.documents()

    def chunks(self, doc_id: str) -> list[ChunkRecord]:
        """A document's chunks in order (empty for an unknown doc_id)."""
        with self._mutex:
            self._check_open()
            return self._store.chunks(doc_id)

    def stats(self) -> LibraryStats:
        """Counts and sizes."""
        with self._mutex:
            self._check_open()
            n_docs, n_chunks = self._store.counts()
            index_bytes = db_bytes = 0
            if self.directory is not None:
                index_bytes = _size(self.directory / INDEX_NAME)
                db_bytes = sum(
                    _size(self.directory / f"{DB_NAME}{suffix}") for suffix in ("", "-wal")
                )
            return LibraryStats(
                None if self.directory is None else str(self.directory),
                n_docs,
                n_chunks,
                self._index.kind,
                self._index.ntotal,
                self.dim,
                index_bytes,
                db_bytes,
            )

    @property
    def index_kind(self) -> str:
        """Either "flat" (exact) or "hnsw"."""
        return self._index.kind

    def close(self) -> None:
        """Write pending index changes, close the database, release the write lock."""
        with self._mutex:
            if self._closed:
                return
            try:
                self.flush()
            finally:
                self._closed = True
                self._store.close()
                if self._lock_file is not None:
                    os.close(self._lock_file)
                    self._lock_file = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def contents_digest(directory: Path | str) -> str | None:
    """A digest of which documents (id and content hash) the library at `directory` holds.

    Read from the SQLite metadata alone (the vector index is not loaded): cheap enough to key a
    cache of results that read the library, so that adding or removing a document there makes
    those results stale. None when there is no library database at `directory`.
    """
    path = Path(directory) / DB_NAME
    if not path.is_file():
        return None
    store = MetadataStore(path, read_only=True)
    try:
        docs = sorted((d.doc_id, d.sha256) for d in store.documents())
    finally:
        store.close()
    digest = hashlib.sha256()
    for doc_id, sha in docs:
        digest.update(f"{doc_id}\0{sha}\n".encode())
    return digest.hexdigest()[:16]


def _lock(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LibraryLocked(f"{path.parent} is open for writing by another process") from None
    return fd


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Best `k` per row of `scores` `(q, m)` -> (scores `(q, k')`, `ids[...]` `(q, k')`),
    k' = min(k, m), best first."""
    q, m = scores.shape
    k = min(k, m)
    if k < 1:
        return np.zeros((q, 0), np.float32), np.zeros((q, 0), np.int64)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]  # (q, k), unordered
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-part_scores, axis=1, kind="stable")
    best = np.take_along_axis(part, order, axis=1)
    return np.take_along_axis(scores, best, axis=1), ids[best]
