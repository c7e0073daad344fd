"""The SQLite metadata store: schema, WAL, transactions, ids that are never reused."""

from __future__ import annotations

import sqlite3

import pytest
from retrieval_fakes import chunks_of

from retrieval.store import SCHEMA_VERSION, MetadataStore, SchemaError


def test_schema_wal_and_round_trip(tmp_path):
    path = tmp_path / "meta.sqlite3"
    store = MetadataStore(path)
    new, old = store.put_document("a", "A", "a.pdf", "sha-a", chunks_of(["one.", "two."]))
    assert old == [] and len(new) == 2
    store.close()

    store = MetadataStore(path)
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    version = store._conn.execute("SELECT version FROM schema_version").fetchone()[0]
    assert version == SCHEMA_VERSION
    doc = store.document("a")
    assert (doc.title, doc.sha256, doc.n_chunks) == ("A", "sha-a", 2)
    assert store.document_by_sha("sha-a") == doc
    chunks = store.chunks("a")
    assert [c.text for c in chunks] == ["one.", "two."]
    assert [(c.start, c.end, c.page, c.chunk) for c in chunks] == [(0, 4, "1", 0), (5, 9, "1", 1)]
    assert list(store.vector_ids()) == new
    store.close()


def test_replace_and_delete_never_reuse_ids():
    store = MetadataStore(None)
    first, _ = store.put_document("a", "A", "s", "h1", chunks_of(["x", "y", "z"]))
    second, old = store.put_document("a", "A2", "s", "h2", chunks_of(["x2"]))
    assert old == first
    assert min(second) > max(first)
    assert store.document("a").title == "A2"
    assert store.delete_documents(["a"]) == second
    third, _ = store.put_document("b", "B", "s", "h3", chunks_of(["w"]))
    # AUTOINCREMENT: the highest id was deleted, yet the next one is new.
    assert min(third) > max(second)
    assert store.counts() == (1, 1)


def test_failed_transaction_leaves_nothing(tmp_path):
    store = MetadataStore(tmp_path / "m.sqlite3")
    store.put_document("a", "A", "s", "same", chunks_of(["x"]))
    # The sha256 column is UNIQUE: a second document with it fails as a whole.
    with pytest.raises(sqlite3.IntegrityError):
        store.put_document("b", "B", "s", "same", chunks_of(["y", "z"]))
    assert store.counts() == (1, 1)
    assert store.document("b") is None


def test_read_only_and_newer_schema(tmp_path):
    path = tmp_path / "m.sqlite3"
    with pytest.raises(FileNotFoundError):
        MetadataStore(path, read_only=True)
    store = MetadataStore(path)
    store.put_document("a", "A", "s", "h", chunks_of(["x"]))
    store._conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    store.close()
    with pytest.raises(SchemaError):
        MetadataStore(path)
