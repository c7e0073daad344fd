"""A FAISS inner-product index keyed by vector id: exact while small, HNSW when large.

The index is an `IndexIDMap2` (external int64 ids, reconstruction by id) around either

- `IndexFlatIP`: exact search; used while the number of live vectors is at most
  `IndexConfig.hnsw_threshold`. Removal deletes vectors outright.
- `IndexHNSWFlat` with `METRIC_INNER_PRODUCT`: approximate search, built from the flat index's
  vectors (reconstructed, not re-embedded) once the live count passes the threshold. HNSW graphs
  cannot delete nodes, so a removed id is *masked*: it stays in the graph and an id selector keeps
  it out of every result. When masked vectors exceed `compact_fraction` of the index, it is
  rebuilt from the live vectors (HNSW again, or flat if the collection has shrunk).

Masked ids are not written anywhere: they are exactly the ids that the index holds and the SQLite
store does not, which `retrieval.library` recomputes whenever it opens a library.
Files are written with `faiss.write_index` (no pickle) to a temporary name, synced and renamed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np


@dataclass(frozen=True)
class IndexConfig:
    """Index settings; efSearch and the threshold apply when a saved index is opened too."""

    hnsw_threshold: int = 50_000
    hnsw_m: int = 32
    ef_construction: int = 128
    ef_search: int = 64
    compact_fraction: float = 0.25
    # Restricted searches (`doc_ids`) over at most this many chunks are exact, scored in numpy
    # from reconstructed vectors: HNSW with a selective filter misses most of a small subset.
    exact_subset_limit: int = 20_000


class IndexFileError(RuntimeError):
    """An index file that cannot be read or is not an id-mapped inner-product index."""


def _ids(array: np.ndarray | list[int]) -> np.ndarray:
    return np.ascontiguousarray(array, dtype=np.int64).reshape(-1)


def _vectors(array: np.ndarray, dim: int) -> np.ndarray:
    out = np.ascontiguousarray(array, dtype=np.float32)
    if out.ndim != 2 or out.shape[1] != dim:
        raise ValueError(f"expected vectors of shape (n, {dim}), got {out.shape}")
    return out


class VectorIndex:
    """Vectors `(n, dim)` float32 under int64 ids, searched by inner product."""

    def __init__(self, dim: int, config: IndexConfig | None = None):
        self.dim = dim
        self.config = config or IndexConfig()
        self._masked: set[int] = set()
        self._set(self._new_flat())

    def _new_flat(self) -> faiss.Index:
        return faiss.IndexFlatIP(self.dim)

    def _new_hnsw(self) -> faiss.Index:
        inner = faiss.IndexHNSWFlat(self.dim, self.config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = self.config.ef_construction
        return inner

    def _set(self, inner: faiss.Index, idmap: faiss.IndexIDMap2 | None = None) -> None:
        # Keep the inner index referenced from Python: a SWIG IDMap built here does not own it.
        self._inner = inner
        self._index = idmap if idmap is not None else faiss.IndexIDMap2(inner)
        if isinstance(inner, faiss.IndexHNSWFlat):
            inner.hnsw.efSearch = self.config.ef_search
            inner.hnsw.efConstruction = self.config.ef_construction

    @classmethod
    def load(cls, path: Path | str, dim: int, config: IndexConfig | None = None) -> VectorIndex:
        """Read an index written by `save`; `IndexFileError` if it is unreadable or foreign."""
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as err:
            raise IndexFileError(f"cannot read index {path}: {err}") from err
        if not isinstance(index, faiss.IndexIDMap2):
            raise IndexFileError(f"{path} holds a {type(index).__name__}, not an IndexIDMap2")
        inner = faiss.downcast_index(index.index)
        if not isinstance(inner, faiss.IndexFlatIP | faiss.IndexHNSWFlat):
            raise IndexFileError(f"{path} wraps a {type(inner).__name__}")
        if inner.metric_type != faiss.METRIC_INNER_PRODUCT or index.d != dim:
            raise IndexFileError(f"{path} is not a {dim}-d inner-product index")
        out = cls(dim, config)
        out._set(inner, index)
        return out

    def save(self, path: Path | str) -> None:
        """Write the index atomically: a reader sees the old file or the new one, never half."""
        path = Path(path)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        faiss.write_index(self._index, str(tmp))
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        # The rename itself is durable only once the directory entry is synced.
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    @property
    def faiss_index(self) -> faiss.Index:
        """The underlying `IndexIDMap2` (for measurements; changing it bypasses the masks)."""
        return self._index

    @property
    def kind(self) -> str:
        """Either "flat" (exact) or "hnsw"."""
        return "hnsw" if isinstance(self._inner, faiss.IndexHNSWFlat) else "flat"

    @property
    def ntotal(self) -> int:
        """Vectors stored, masked ones included."""
        return int(self._index.ntotal)

    @property
    def n_live(self) -> int:
        """Vectors that searches can return."""
        return self.ntotal - len(self._masked)

    def ids(self) -> np.ndarray:
        """Every stored id `(ntotal,)` int64, masked ones included, in storage order."""
        return faiss.vector_to_array(self._index.id_map).astype(np.int64, copy=False)

    def set_ef_search(self, ef: int) -> None:
        """Change efSearch (HNSW only; the flat index is exact anyway)."""
        self.config = replace(self.config, ef_search=ef)
        if self.kind == "hnsw":
            self._inner.hnsw.efSearch = ef

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add `vectors` `(n, dim)` under `ids` `(n,)`; the ids must not be in the index yet."""
        ids, vectors = _ids(ids), _vectors(vectors, self.dim)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        if not len(ids):
            return
        if self.kind == "flat" and self.n_live + len(ids) > self.config.hnsw_threshold:
            # Build the graph once over everything instead of adding to a flat index first.
            old_ids, old_vectors = self._live()
            self._rebuild(np.concatenate([old_ids, ids]), np.concatenate([old_vectors, vectors]))
        else:
            self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray | list[int]) -> None:
        """Take `ids` out of every future result (ids not in the index are ignored)."""
        ids = _ids(ids)
        if not len(ids):
            return
        if self.kind == "flat":
            self._index.remove_ids(faiss.IDSelectorBatch(ids))
            return
        stored = np.isin(ids, self.ids())
        self._masked.update(int(i) for i in ids[stored])
        if len(self._masked) > self.config.compact_fraction * self.ntotal:
            self._rebuild(*self._live())

    def _live(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids `(m,)`, vectors `(m, dim)`) of the unmasked vectors."""
        ids = self.ids()
        vectors = (
            self._inner.reconstruct_n(0, self.ntotal)
            if self.ntotal
            else np.zeros((0, self.dim), np.float32)
        )
        if self._masked:
            keep = ~np.isin(ids, np.fromiter(self._masked, np.int64, len(self._masked)))
            ids, vectors = ids[keep], vectors[keep]
        return ids, vectors

    def _rebuild(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replace the index by one over exactly `ids`, `vectors`, of the kind their count needs."""
        big = len(ids) > self.config.hnsw_threshold
        self._masked = set()
        self._set(self._new_hnsw() if big else self._new_flat())
        if len(ids):
            self._index.add_with_ids(vectors, ids)

    def reconstruct(self, ids: np.ndarray | list[int]) -> np.ndarray:
        """The stored vectors `(n, dim)` of `ids` (each must be in the index)."""
        ids = _ids(ids)
        if not len(ids):
            return np.zeros((0, self.dim), np.float32)
        return self._index.reconstruct_batch(ids)

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-`k` (scores `(q, k)` float32, ids `(q, k)` int64) per query row, best first.

        `allowed` limits results to those ids. Rows with fewer than `k` results are padded with
        id -1 and score -inf.
        """
        queries = _vectors(queries, self.dim)
        if k < 1 or not len(queries):
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        # Selectors are SWIG objects that reference each other by raw pointer: keep them alive
        # (in these locals) until the search returns.
        base = not_masked = None
        if allowed is not None:
            base = faiss.IDSelectorBatch(_ids(allowed))
            selector = base
        elif self._masked:
            base = faiss.IDSelectorBatch(np.fromiter(self._masked, np.int64, len(self._masked)))
            not_masked = faiss.IDSelectorNot(base)
            selector = not_masked
        else:
            selector = None
        if self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(self.config.ef_search, k))
        else:
            params = faiss.SearchParameters()
        if selector is not None:
            params.sel = selector
        scores, ids = self._index.search(queries, k, params=params)
        scores[ids < 0] = -np.inf
        return scores, ids
