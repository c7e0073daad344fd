"""Reconcile a vector index with the SQLite store it was built from.

SQLite is the source of truth; the index may lag behind it after a crash between a commit and the
index write, or be missing altogether. Vector ids are never reused, so comparing the two id sets
finds every difference: an id only in the index belongs to a chunk that no longer exists (its
vector is dropped, or masked in an HNSW index); an id only in SQLite is a chunk whose vector was
never written (it is embedded again from its stored text, or its document is deleted).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from retrieval.index import VectorIndex
from retrieval.records import RepairReport
from retrieval.store import MetadataStore

Repair = Literal["reembed", "drop"]


def reconcile(
    store: MetadataStore,
    index: VectorIndex,
    embed: Callable[[Sequence[str]], np.ndarray],
    repair: Repair = "reembed",
    rebuilt: bool = False,
) -> RepairReport:
    """Make `index` hold exactly the vectors of `store`'s chunks; report what it took.

    `embed` maps texts to vectors `(n, dim)`; with `repair="drop"` it is never called and the
    documents of unindexed chunks are deleted from `store` instead. `rebuilt` is passed through
    to the report (the caller knows whether it started from an empty index).
    """
    rows = store.vector_ids()
    held = np.sort(index.ids())
    stale = np.setdiff1d(held, rows, assume_unique=True)
    missing = np.setdiff1d(rows, held, assume_unique=True)
    before = index.ntotal
    index.remove(stale)
    # An HNSW index masks what it cannot delete: such removals simply wait for its compaction.
    masked = 0 if index.ntotal < before else len(stale)
    dropped: tuple[str, ...] = ()
    reembedded = 0
    if len(missing):
        records = store.chunks_by_id(missing)
        if repair == "drop":
            dropped = tuple(sorted({r.doc_id for r in records.values()}))
            index.remove(store.delete_documents(dropped))
        else:
            index.add(missing, embed([records[int(i)].text for i in missing]))
            reembedded = len(missing)
    return RepairReport(len(stale) - masked, reembedded, dropped, rebuilt, masked)
