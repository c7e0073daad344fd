"""The Library API on disk and in memory (with the word-hashing embedder: no model load)."""

from __future__ import annotations

import numpy as np
import pytest
from retrieval_fakes import chunks_of, sha

from retrieval.index import IndexConfig
from retrieval.library import Library, LibraryLocked, contents_digest
from retrieval.paths import DATA_ENV, default_library_dir
from retrieval.records import AddStatus

MSA = [
    "This Agreement is governed by the laws of the State of Delaware.",
    "Customer shall pay each invoice within thirty days of receipt.",
    "Either party may terminate this Agreement on ninety days written notice.",
]
SOW = [
    "This Statement of Work is governed by the laws of the State of New York.",
    "Fees are payable within forty five days of the invoice date.",
]
NDA = [
    "Recipient shall keep the Confidential Information secret for five years.",
    "This agreement is governed by English law.",
]


def add(lib: Library, doc_id: str, texts: list[str]):
    return lib.add_document(
        doc_id, doc_id.upper(), f"/docs/{doc_id}.pdf", sha(" ".join(texts)), chunks_of(texts)
    )


def test_add_search_remove_round_trip(tmp_path, hash_embedder):
    with Library.open(tmp_path / "lib", hash_embedder) as lib:
        assert add(lib, "msa", MSA).status == AddStatus.ADDED
        assert add(lib, "sow", SOW).status == "added"
        hits = lib.search("invoice pay within days", k=3)
        assert len(hits) == 3
        assert hits[0].chunk.doc_id in {"msa", "sow"}
        assert hits[0].score >= hits[1].score >= hits[2].score
        top = lib.search("laws of the State of Delaware", k=1)[0].chunk
        assert (top.doc_id, top.chunk, top.page) == ("msa", 0, "1")
        assert (top.start, top.end) == (0, len(MSA[0]))
        assert top.sha256 == sha(" ".join(MSA))

        removed = lib.remove("msa")
        assert removed is not None and removed.n_chunks == 3
        assert lib.remove("msa") is None
        assert {h.chunk.doc_id for h in lib.search("governed by the laws", k=5)} == {"sow"}
        stats = lib.stats()
        assert (stats.n_documents, stats.n_chunks, stats.index_vectors) == (1, 2, 2)


def test_reopen_persists(tmp_path, hash_embedder):
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "msa", MSA)
        add(lib, "sow", SOW)
        before = lib.search("terminate on written notice", k=2)
    embedded = hash_embedder.texts
    with Library.open(tmp_path, hash_embedder) as lib:
        assert lib.repair_report.clean
        assert [d.doc_id for d in lib.documents()] == ["msa", "sow"]
        assert lib.search("terminate on written notice", k=2) == before
    # Reopening embedded only the query, no chunk again.
    assert hash_embedder.texts == embedded + 1


def test_same_content_is_unchanged(tmp_path, hash_embedder):
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "msa", MSA)
        size = lib.stats().index_vectors
        calls = hash_embedder.calls
        again = add(lib, "msa", MSA)
        assert again.status == AddStatus.UNCHANGED == "unchanged"
        # The same content under another name is the same document.
        alias = add(lib, "msa-copy", MSA)
        assert (alias.status, alias.doc_id) == (AddStatus.UNCHANGED, "msa")
        assert lib.stats().index_vectors == size and lib.stats().n_documents == 1
        assert hash_embedder.calls == calls


def test_changed_content_replaces_chunks(tmp_path, hash_embedder):
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "msa", MSA)
        old_ids = {c.vector_id for c in lib.chunks("msa")}
        amended = [*MSA[:1], "Customer shall pay each invoice within sixty days of receipt."]
        result = add(lib, "msa", amended)
        assert (result.status, result.n_chunks) == (AddStatus.REPLACED, 2)
        chunks = lib.chunks("msa")
        assert [c.text for c in chunks] == amended
        assert not old_ids & {c.vector_id for c in chunks}
        assert lib.stats().index_vectors == 2
        assert "sixty" in lib.search("pay invoice days", k=1)[0].chunk.text
    with Library.open(tmp_path, hash_embedder) as lib:
        assert lib.repair_report.clean and lib.stats().n_chunks == 2


def test_search_restricted_to_doc_ids(hash_embedder):
    lib = Library.in_memory(hash_embedder)
    for doc_id, texts in (("msa", MSA), ("sow", SOW), ("nda", NDA)):
        add(lib, doc_id, texts)
    hits = lib.search("governed by the laws", k=10, doc_ids=["sow", "nda"])
    assert {h.chunk.doc_id for h in hits} == {"sow", "nda"} and len(hits) == 4
    # The same through the index's selector instead of the exact subset path.
    lib.config = IndexConfig(exact_subset_limit=0)
    assert lib.search("governed by the laws", k=10, doc_ids=["sow", "nda"]) == hits
    with pytest.raises(KeyError):
        lib.search("law", doc_ids=["missing"])


def test_hnsw_library_gives_exact_top1(tmp_path, hash_embedder):
    texts = [f"clause {i} about topic{i} and subject{i % 7}" for i in range(60)]
    config = IndexConfig(hnsw_threshold=20)
    with Library.open(tmp_path / "h", hash_embedder, config=config) as big:
        exact = Library.in_memory(hash_embedder)
        for i in range(0, 60, 10):
            add(big, f"d{i}", texts[i : i + 10])
            add(exact, f"d{i}", texts[i : i + 10])
        assert big.index_kind == "hnsw" and exact.index_kind == "flat"
        for text in texts[::3]:
            query = " ".join(text.split()[:4])
            approx, truth = big.search(query, k=1)[0], exact.search(query, k=1)[0]
            # Hashed words can collide and tie two chunks: compare the best score, then the text.
            assert approx.score == pytest.approx(truth.score, abs=1e-6)
            assert approx.chunk.text in {
                h.chunk.text
                for h in exact.search(query, k=3)
                if h.score == pytest.approx(truth.score, abs=1e-6)
            }
        big.remove("d10")
    index_file = tmp_path / "h" / "index.faiss"
    written = index_file.stat().st_mtime_ns
    with Library.open(tmp_path / "h", hash_embedder, config=config) as big:
        # The removed document's 10 vectors stay in the graph, masked: no rewrite on open.
        report = big.repair_report
        assert big.index_kind == "hnsw" and report.clean and report.masked == 10
        assert big.stats().index_vectors == 60 and big.stats().n_chunks == 50
        assert "d10" not in {h.chunk.doc_id for h in big.search("topic12 subject5", k=50)}
    assert index_file.stat().st_mtime_ns == written


def test_nearest_across_aligns_same_topic_clauses(hash_embedder):
    lib = Library.in_memory(hash_embedder)
    add(lib, "msa", MSA)
    add(lib, "sow", SOW)
    pairs = lib.nearest_across("msa", "sow", k=2)
    assert [p.chunk.chunk for p in pairs] == [0, 1, 2]
    assert pairs[0].matches[0].chunk.text == SOW[0]
    assert pairs[0].matches[0].score >= pairs[0].matches[1].score
    only = lib.nearest_across("msa", "sow", k=1, chunks_a=[1])
    assert len(only) == 1 and only[0].matches[0].chunk.text == SOW[1]
    with pytest.raises(KeyError):
        lib.nearest_across("msa", "nope")


def test_search_vectors_and_precomputed_vectors(hash_embedder):
    lib = Library.in_memory(hash_embedder)
    vectors = hash_embedder.embed(MSA)
    lib.add_document("msa", "MSA", "s", sha("msa"), chunks_of(MSA), vectors=vectors)
    results = lib.search_vectors(vectors, k=1)
    assert [r[0].chunk.chunk for r in results] == [0, 1, 2]
    np.testing.assert_allclose([r[0].score for r in results], 1.0, rtol=1e-5)
    with pytest.raises(ValueError):
        lib.search_vectors(vectors[:, :10])


def test_single_writer_and_read_only(tmp_path, hash_embedder):
    with pytest.raises(FileNotFoundError):
        Library.open(tmp_path / "none", hash_embedder, read_only=True)
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "msa", MSA)
        with pytest.raises(LibraryLocked):
            Library.open(tmp_path, hash_embedder)
        with Library.open(tmp_path, hash_embedder, read_only=True) as reader:
            assert reader.search("Delaware", k=1)[0].chunk.doc_id == "msa"
            with pytest.raises(PermissionError):
                add(reader, "sow", SOW)
    with Library.open(tmp_path, hash_embedder) as lib:
        assert lib.stats().n_documents == 1


def test_batch_writes_index_once(tmp_path, hash_embedder, monkeypatch):
    from retrieval.index import VectorIndex

    saves = []
    original = VectorIndex.save
    monkeypatch.setattr(
        VectorIndex, "save", lambda self, path: saves.append(path) or original(self, path)
    )
    with Library.open(tmp_path, hash_embedder) as lib, lib.batch():
        add(lib, "msa", MSA)
        add(lib, "sow", SOW)
        add(lib, "nda", NDA)
        assert saves == []
    assert len(saves) == 1


def test_no_pickle_files(tmp_path, hash_embedder):
    with Library.open(tmp_path, hash_embedder, config=IndexConfig(hnsw_threshold=3)) as lib:
        add(lib, "msa", MSA)
        add(lib, "sow", SOW)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".lock", "index.faiss", "library.sqlite3"]
    for path in tmp_path.iterdir():
        head = path.read_bytes()[:2]
        assert not (len(head) == 2 and head[0] == 0x80 and head[1] <= 5), f"{path} looks pickled"


def test_default_directory(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    assert default_library_dir() == tmp_path / "data" / "library"
    monkeypatch.delenv(DATA_ENV)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_library_dir() == tmp_path / ".longbrief" / "library"


def test_contents_digest_follows_which_documents_are_held(tmp_path, hash_embedder):
    assert contents_digest(tmp_path / "none") is None
    with Library.open(tmp_path, hash_embedder) as lib:
        add(lib, "msa", MSA)
        one = contents_digest(tmp_path)
        add(lib, "msa", MSA)
        assert contents_digest(tmp_path) == one, "re-adding the same document changes nothing"
        add(lib, "sow", SOW)
        two = contents_digest(tmp_path)
        add(lib, "sow", [*SOW, "Amended."])
        changed = contents_digest(tmp_path)
        lib.remove("sow")
        assert contents_digest(tmp_path) == one
    assert len({one, two, changed}) == 3
