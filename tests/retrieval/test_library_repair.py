"""Index and SQLite out of step after a lost, corrupted or stale index file: found and repaired."""

from __future__ import annotations

import shutil

import pytest
from retrieval_fakes import chunks_of, sha

from retrieval.index import VectorIndex
from retrieval.library import INDEX_NAME, Library

A = ["The Supplier warrants the goods for twelve months.", "Payment is due net thirty."]
B = ["This agreement is governed by the laws of Delaware.", "Notice must be in writing."]
C = ["Liability is capped at one million dollars.", "Disputes go to arbitration in London."]


def add(lib, doc_id, texts):
    return lib.add_document(doc_id, doc_id, doc_id, sha(" ".join(texts)), chunks_of(texts))


def test_missing_index_file_is_rebuilt_from_stored_text(tmp_path, hash_embedder):
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "a", A)
        add(lib, "b", B)
        expected = lib.search("governed by Delaware law", k=4)
    (tmp_path / INDEX_NAME).unlink()
    with Library.open(tmp_path, hash_embedder) as lib:
        report = lib.repair_report
        assert report.rebuilt and report.reembedded == 4 and not report.clean
        assert lib.search("governed by Delaware law", k=4) == expected
    with Library.open(tmp_path, hash_embedder) as lib:
        assert lib.repair_report.clean


def test_unreadable_index_file_is_rebuilt(tmp_path, hash_embedder):
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "a", A)
    (tmp_path / INDEX_NAME).write_bytes(b"\0" * 64)
    with Library.open(tmp_path, hash_embedder) as lib:
        assert lib.repair_report.rebuilt and lib.repair_report.reembedded == 2
        assert lib.search("net thirty payment", k=1)[0].chunk.text == A[1]


def test_crash_between_sqlite_commit_and_index_write(tmp_path, hash_embedder, monkeypatch):
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "a", A)
        add(lib, "b", B)

    def crash(self, path):
        raise OSError("simulated crash before the index file is written")

    # SQLite commits the removal of "a" and the addition of "c"; the index file keeps a and b.
    monkeypatch.setattr(VectorIndex, "save", crash)
    lib = Library.open(tmp_path, hash_embedder)
    with pytest.raises(OSError):
        lib.remove("a")
    with pytest.raises(OSError):
        add(lib, "c", C)
    lib._dirty = False  # the process dies here: nothing more is written
    lib.close()
    monkeypatch.undo()

    with Library.open(tmp_path, hash_embedder) as lib:
        report = lib.repair_report
        assert (report.stale, report.reembedded, report.rebuilt) == (2, 2, False)
        assert lib.stats().index_vectors == 4
        assert {h.chunk.doc_id for h in lib.search("liability arbitration warrants", k=4)} == {
            "b",
            "c",
        }
    with Library.open(tmp_path, hash_embedder) as lib:
        assert lib.repair_report.clean


def test_stale_index_file_restored_from_a_copy(tmp_path, hash_embedder):
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "a", A)
    shutil.copy(tmp_path / INDEX_NAME, tmp_path / "old.faiss")
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "a", B)  # replaced: new content under the same doc_id
    shutil.copy(tmp_path / "old.faiss", tmp_path / INDEX_NAME)
    with Library.open(tmp_path, hash_embedder) as lib:
        assert (lib.repair_report.stale, lib.repair_report.reembedded) == (2, 2)
        assert lib.search("Delaware", k=1)[0].chunk.text == B[0]


def test_repair_by_dropping_documents(tmp_path, hash_embedder):
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "a", A)
    shutil.copy(tmp_path / INDEX_NAME, tmp_path / "old.faiss")
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "b", B)
    shutil.copy(tmp_path / "old.faiss", tmp_path / INDEX_NAME)
    calls = hash_embedder.calls
    with Library.open(tmp_path, hash_embedder, repair="drop") as lib:
        assert lib.repair_report.dropped_docs == ("b",)
        assert [d.doc_id for d in lib.documents()] == ["a"]
    assert hash_embedder.calls == calls
