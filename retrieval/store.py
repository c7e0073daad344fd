"""SQLite metadata beside the vector index: documents, chunks, and the ids that join them.

SQLite is the source of truth of a library; the FAISS index is derived data that can be rebuilt
from the chunk texts stored here. A chunk's row id is its vector id in the index, and `chunks.id`
is AUTOINCREMENT, so an id is never handed out twice, even after its row is deleted: an id that
the index and this store both hold always means the same chunk text.

On disk the database runs in WAL mode with `synchronous=FULL`, so a commit is durable before the
library goes on to write the index file (see `retrieval.library` for the order of writes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from retrieval.records import ChunkInput, ChunkRecord, DocumentRecord

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    text TEXT NOT NULL,
    page TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    UNIQUE (doc_id, chunk)
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
"""

_DOC_COLUMNS = (
    "d.doc_id, d.title, d.source, d.sha256, d.added_at, "
    "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id)"
)
_CHUNK_COLUMNS = "id, doc_id, chunk, text, page, char_start, char_end, sha256"
# SQLite's default limit on host parameters in one statement is 32766 (999 before 3.32).
_BATCH = 900


class SchemaError(RuntimeError):
    """The database was written by a newer longbrief (or is not a library database)."""


class MetadataStore:
    """Documents and chunks in SQLite. `path=None` keeps everything in memory.

    Each writing method is one transaction: it commits whole or not at all. Not thread-safe by
    itself: `Library` serializes calls.
    """

    def __init__(self, path: Path | str | None = None, read_only: bool = False):
        self.path = None if path is None else Path(path)
        if self.path is None:
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        elif read_only:
            if not self.path.exists():
                raise FileNotFoundError(f"no library database at {self.path}")
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn = conn
        self.read_only = read_only
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        if self.path is not None and not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        self._check_schema()

    def _check_schema(self) -> None:
        version = self._schema_version()
        if version is None and not self.read_only:
            with self.transaction():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
                self._conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            version = SCHEMA_VERSION
        if version != SCHEMA_VERSION:
            raise SchemaError(
                f"library database {self.path} has schema version {version}, "
                f"this longbrief reads version {SCHEMA_VERSION}"
            )

    def _schema_version(self) -> int | None:
        try:
            row = self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        except sqlite3.OperationalError:
            return None
        return None if row is None else row[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """`BEGIN IMMEDIATE` ... `COMMIT`, or `ROLLBACK` on any exception."""
        # IMMEDIATE takes the write lock up front: a reader never has to be upgraded mid-way.
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection (a WAL database checkpoints on the last close)."""
        self._conn.close()

    def get_meta(self, key: str) -> str | None:
        """A value from the `meta` table, or None."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        """Store `key` = `value` in the `meta` table."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def document(self, doc_id: str) -> DocumentRecord | None:
        """The document stored under `doc_id`, or None."""
        return self._one_document("d.doc_id = ?", doc_id)

    def document_by_sha(self, sha256: str) -> DocumentRecord | None:
        """The document whose content hash is `sha256`, or None."""
        return self._one_document("d.sha256 = ?", sha256)

    def _one_document(self, where: str, value: str) -> DocumentRecord | None:
        row = self._conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents d WHERE {where}", (value,)
        ).fetchone()
        return None if row is None else DocumentRecord(*row)

    def documents(self) -> list[DocumentRecord]:
        """All documents, by doc_id."""
        rows = self._conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents d ORDER BY d.doc_id")
        return [DocumentRecord(*row) for row in rows]

    def chunks(self, doc_id: str) -> list[ChunkRecord]:
        """A document's chunks in document order."""
        rows = self._conn.execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE doc_id = ? ORDER BY chunk", (doc_id,)
        )
        return [ChunkRecord(*row) for row in rows]

    def chunks_by_id(self, vector_ids: Iterable[int]) -> dict[int, ChunkRecord]:
        """The chunks with these vector ids, keyed by id; ids with no row are left out."""
        ids = [int(i) for i in vector_ids]
        found: dict[int, ChunkRecord] = {}
        for start in range(0, len(ids), _BATCH):
            part = ids[start : start + _BATCH]
            marks = ",".join("?" * len(part))
            rows = self._conn.execute(
                f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE id IN ({marks})", part
            )
            found.update((row[0], ChunkRecord(*row)) for row in rows)
        return found

    def vector_ids(self, doc_ids: Sequence[str] | None = None) -> np.ndarray:
        """Sorted vector ids `(n,)` int64 of all chunks, or of the chunks of `doc_ids`."""
        if doc_ids is None:
            rows = self._conn.execute("SELECT id FROM chunks ORDER BY id").fetchall()
        else:
            rows = []
            for start in range(0, len(doc_ids), _BATCH):
                part = list(doc_ids[start : start + _BATCH])
                marks = ",".join("?" * len(part))
                rows += self._conn.execute(
                    f"SELECT id FROM chunks WHERE doc_id IN ({marks})", part
                ).fetchall()
        return np.sort(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))

    def counts(self) -> tuple[int, int]:
        """(number of documents, number of chunks)."""
        n_docs = self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        n_chunks = self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return n_docs, n_chunks

    def put_document(
        self,
        doc_id: str,
        title: str,
        source: str,
        sha256: str,
        chunks: Sequence[ChunkInput],
    ) -> tuple[list[int], list[int]]:
        """Insert a document, or replace the one stored under `doc_id`, with its chunks.

        Returns (the new chunks' vector ids in chunk order, the vector ids of replaced chunks).
        One transaction: a failure leaves the store as it was.
        """
        added_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.transaction() as conn:
            old = [r[0] for r in conn.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
            conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            conn.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
                "title = excluded.title, source = excluded.source, sha256 = excluded.sha256, "
                "added_at = excluded.added_at",
                (doc_id, title, source, sha256, added_at),
            )
            new = []
            for index, chunk in enumerate(chunks):
                cursor = conn.execute(
                    "INSERT INTO chunks (doc_id, chunk, text, page, char_start, char_end, sha256)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, index, chunk.text, chunk.page, chunk.start, chunk.end, sha256),
                )
                new.append(int(cursor.lastrowid))
        return new, old

    def delete_documents(self, doc_ids: Sequence[str]) -> list[int]:
        """Delete documents and their chunks; returns the vector ids of the deleted chunks."""
        removed: list[int] = []
        with self.transaction() as conn:
            for doc_id in doc_ids:
                removed += [
                    r[0] for r in conn.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))
                ]
                conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return removed
