"""The FAISS index: exact while small, HNSW past the threshold, masks, atomic files."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.index import IndexConfig, IndexFileError, VectorIndex

DIM = 32


def unit_rows(n: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_flat_search_is_exact_and_removal_deletes():
    base = unit_rows(200)
    index = VectorIndex(DIM)
    ids = np.arange(1000, 1200)
    index.add(ids, base)
    queries = unit_rows(10, seed=1)
    scores, found = index.search(queries, 5)
    truth = np.argsort(-(queries @ base.T), axis=1)[:, :5] + 1000
    assert index.kind == "flat"
    np.testing.assert_array_equal(found, truth)
    np.testing.assert_allclose(scores[:, 0], (queries @ base.T).max(axis=1), rtol=1e-5)

    index.remove(truth[:, 0])
    assert index.ntotal == 200 - len(set(truth[:, 0]))
    assert not set(index.search(queries, 5)[1].ravel()) & set(truth[:, 0])


def test_hnsw_switch_matches_exact_top1():
    base = unit_rows(300)
    config = IndexConfig(hnsw_threshold=100, hnsw_m=16, ef_search=64)
    index = VectorIndex(DIM, config)
    index.add(np.arange(50), base[:50])
    assert index.kind == "flat"
    index.add(np.arange(50, 300), base[50:])
    assert index.kind == "hnsw" and index.ntotal == 300
    np.testing.assert_array_equal(index.reconstruct([7, 250]), base[[7, 250]])
    # Queries near stored vectors: the exact top-1 is unambiguous.
    queries = base[::10] + 0.05 * unit_rows(30, seed=2)
    _, found = index.search(queries, 1)
    np.testing.assert_array_equal(found[:, 0], np.argmax(queries @ base.T, axis=1))


def test_hnsw_masks_removed_ids_then_compacts():
    base = unit_rows(120)
    index = VectorIndex(DIM, IndexConfig(hnsw_threshold=50, compact_fraction=0.25))
    index.add(np.arange(120), base)
    index.remove([3, 4])
    assert index.kind == "hnsw" and index.ntotal == 120 and index.n_live == 118
    _, found = index.search(base[[3, 4]], 3)
    assert not {3, 4} & set(found.ravel())
    index.remove(np.arange(10, 40))
    # 32 masked of 120 passes a quarter: rebuilt from the 88 live vectors, still HNSW.
    assert index.kind == "hnsw" and index.ntotal == 88 and index.n_live == 88
    index.remove(np.arange(40, 100))
    assert index.kind == "flat" and index.ntotal == 28


def test_allowed_ids_restrict_results():
    base = unit_rows(100)
    for threshold in (1000, 10):
        index = VectorIndex(DIM, IndexConfig(hnsw_threshold=threshold))
        index.add(np.arange(100), base)
        allowed = np.arange(0, 100, 7)
        _, found = index.search(base[:5], 3, allowed=allowed)
        assert set(found.ravel()) <= set(allowed)
        assert found[0, 0] == 0


def test_save_load_round_trip_and_bad_files(tmp_path):
    base = unit_rows(60)
    index = VectorIndex(DIM, IndexConfig(hnsw_threshold=20))
    index.add(np.arange(60) + 5, base)
    path = tmp_path / "index.faiss"
    index.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["index.faiss"]
    loaded = VectorIndex.load(path, DIM, IndexConfig(hnsw_threshold=20, ef_search=99))
    assert loaded.kind == "hnsw" and loaded.faiss_index.index is not None
    np.testing.assert_array_equal(np.sort(loaded.ids()), np.arange(60) + 5)
    np.testing.assert_array_equal(loaded.search(base[:3], 1)[1][:, 0], [5, 6, 7])

    with pytest.raises(IndexFileError):
        VectorIndex.load(path, DIM + 1)
    path.write_bytes(b"not an index")
    with pytest.raises(IndexFileError):
        VectorIndex.load(path, DIM)


def test_short_results_are_padded():
    index = VectorIndex(DIM)
    index.add([1, 2], unit_rows(2))
    scores, found = index.search(unit_rows(1), 4)
    assert list(found[0, 2:]) == [-1, -1] and np.isneginf(scores[0, 2:]).all()
