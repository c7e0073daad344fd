"""Recall@k of the HNSW index against exact inner-product search, on real chunk embeddings.

    python -m bench.bench_retrieval [--n-base 12000] [--n-queries 500] [--ef 16,64]

Chunks are sentences and clauses of the licence / statute texts (`pretrain/legal_text.jsonl.gz`)
and the CUAD contracts (`contracts/cuad_dev.jsonl.gz`) in `../shared/data`, cut by a simple
splitter (sentence ends, semicolons, blank lines), whitespace-normalized, 40-600 characters,
deduplicated. The sample is deterministic: each source's chunks ordered by the SHA-1 of their
text, the two sources interleaved; the first `--n-queries` chunks are the held-out queries, the
next `--n-base` are indexed. Their MiniLM embeddings (`retrieval.embedder`) are cached in
`runs/retrieval_bench/` as `.npy` shards of 1,000 rows named by the SHA-1 of their texts, so a
rerun (or a larger `--n-base`) embeds only what is new.

For each efSearch setting the HNSW index (`retrieval.index.VectorIndex`, built with the library's
M and efConstruction) is compared with the exact `IndexFlatIP` answer: recall@k is the share of
the exact top-k ids found in the HNSW top-k, averaged over the queries. Query latency is the
median over single-vector searches with one thread (the library's `search` path: one query at a
time). Build time is adding all base vectors (HNSW graph construction, all threads); index size is
the `faiss.write_index` file.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np

from bench.common import append_results, machine_info, markdown_table
from retrieval.index import IndexConfig, VectorIndex

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SOURCES = ("pretrain/legal_text.jsonl.gz", "contracts/cuad_dev.jsonl.gz")
CACHE = ROOT / "runs" / "retrieval_bench"
SHARD = 1000
KS = (1, 5, 10)
SECTION = "## Retrieval (HNSW vs exact)"

# A sentence ends at . ; : ! ? followed by space and something that can open a sentence;
# a blank line ends a paragraph (licence and statute texts have hard line breaks inside them).
SPLIT = re.compile(r"(?<=[.;:!?])\s+(?=[A-Z(\"'0-9])|\n\s*\n")
MIN_CHARS, MAX_CHARS = 40, 600


def split_chunks(text: str) -> Iterator[str]:
    """Sentence / clause pieces of `text`, whitespace-normalized, of a useful length."""
    for piece in SPLIT.split(text):
        chunk = " ".join(piece.split())
        if MIN_CHARS <= len(chunk) <= MAX_CHARS:
            yield chunk


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sample_chunks(n: int, data: Path = DATA) -> list[str]:
    """The first `n` chunks of the deterministic sample (see the module docstring)."""
    per_source = []
    for name in SOURCES:
        unique: set[str] = set()
        with gzip.open(data / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                unique.update(split_chunks(json.loads(line)["text"]))
        per_source.append(sorted(unique, key=_sha1))
    seen: set[str] = set()
    out: list[str] = []
    # Interleaving keeps any prefix balanced between sources, so a larger n extends the sample.
    for pair in zip(*per_source, strict=False):
        for chunk in pair:
            if chunk not in seen:
                seen.add(chunk)
                out.append(chunk)
    if len(out) < n:
        raise ValueError(f"only {len(out)} chunks available, asked for {n}")
    return out[:n]


def cached_embeddings(texts: Sequence[str], cache: Path = CACHE) -> np.ndarray:
    """MiniLM embeddings `(len(texts), 384)` float32, embedded shard by shard and cached."""
    cache.mkdir(parents=True, exist_ok=True)
    embedder = None
    parts = []
    for start in range(0, len(texts), SHARD):
        shard = list(texts[start : start + SHARD])
        path = cache / f"emb_{_sha1(chr(0).join(shard))}.npy"
        if not path.exists():
            if embedder is None:
                from retrieval.embedder import Embedder

                embedder = Embedder()
            began = time.perf_counter()
            vectors = embedder.embed(shard)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
            print(
                f"embedded rows {start}-{start + len(shard)} "
                f"in {time.perf_counter() - began:.0f} s",
                flush=True,
            )
        parts.append(np.load(path, allow_pickle=False))
    return np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)


@dataclass(frozen=True)
class Row:
    """One index's figures."""

    name: str
    ef_search: int | None
    recall: tuple[float, ...]
    build_s: float
    latency_s: float
    size_bytes: int


def exact_row(base: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, Row]:
    """Exact top-k row numbers `(Q, k)` (the ground truth) and the flat index's figures."""
    flat = faiss.IndexFlatIP(base.shape[1])
    began = time.perf_counter()
    flat.add(base)
    build_s = time.perf_counter() - began
    _, truth = flat.search(queries, k)
    latency = _median_latency(lambda q: flat.search(q, k), queries)
    return truth, Row(
        "exact (IndexFlatIP)", None, (1.0,) * len(KS), build_s, latency, _file_size(flat)
    )


def _median_latency(search, queries: np.ndarray) -> float:
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        samples = []
        for row in queries:
            began = time.perf_counter()
            search(row[None, :])
            samples.append(time.perf_counter() - began)
    finally:
        faiss.omp_set_num_threads(threads)
    return statistics.median(samples)


def _file_size(index: faiss.Index) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.faiss"
        faiss.write_index(index, str(path))
        return path.stat().st_size


def recall_at(truth: np.ndarray, found: np.ndarray, k: int) -> float:
    """Mean share of the exact top-k (`(Q, >=k)` ids) present in the approximate top-k."""
    hits = [len(set(t[:k]) & set(f[:k])) / k for t, f in zip(truth, found, strict=True)]
    return float(np.mean(hits))


def hnsw_rows(
    base: np.ndarray, queries: np.ndarray, truth: np.ndarray, efs: Sequence[int]
) -> list[Row]:
    """Build the library's HNSW index over `base` once; measure it at each efSearch."""
    config = replace(IndexConfig(), hnsw_threshold=0)
    index = VectorIndex(base.shape[1], config)
    ids = np.arange(len(base), dtype=np.int64)
    began = time.perf_counter()
    index.add(ids, base)
    build_s = time.perf_counter() - began
    if index.kind != "hnsw":
        raise RuntimeError(f"expected an HNSW index, got {index.kind}")
    size = _file_size(index.faiss_index)
    rows = []
    k_max = max(KS)
    for ef in efs:
        index.set_ef_search(ef)
        _, found = index.search(queries, k_max)
        recall = tuple(recall_at(truth, found, k) for k in KS)
        latency = _median_latency(lambda q: index.search(q, k_max), queries)
        rows.append(Row("HNSW", ef, recall, build_s, latency, size))
    return rows


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n-base", type=int, default=12_000)
    parser.add_argument("--n-queries", type=int, default=500)
    parser.add_argument("--ef", type=lambda s: [int(x) for x in s.split(",")], default=[16, 64])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--embed-only", action="store_true", help="fill the cache and stop")
    parser.add_argument("--no-append", action="store_true", help="print, don't touch RESULTS.md")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Embed (or load) the sample, measure, print the table, append it to the results file."""
    args = parse_args(argv)
    info = machine_info()
    texts = sample_chunks(args.n_queries + args.n_base, args.data)
    began = time.perf_counter()
    vectors = cached_embeddings(texts)
    print(f"embeddings ready ({len(texts)} chunks) in {time.perf_counter() - began:.0f} s")
    if args.embed_only:
        return
    queries, base = vectors[: args.n_queries], vectors[args.n_queries :]
    k_max = max(KS)
    truth, exact = exact_row(base, queries, k_max)
    rows = [exact, *hnsw_rows(base, queries, truth, args.ef)]
    config = IndexConfig()
    table = markdown_table(
        ["index", "efSearch", *(f"recall@{k}" for k in KS), "build s", "query ms", "size MiB"],
        [
            [
                r.name,
                "-" if r.ef_search is None else r.ef_search,
                *(f"{x:.3f}" for x in r.recall),
                f"{r.build_s:.2f}",
                f"{r.latency_s * 1e3:.3f}",
                f"{r.size_bytes / 2**20:.1f}",
            ]
            for r in rows
        ],
    )
    body = (
        f"{info.describe()}; faiss {faiss.__version__}\n\n"
        f"{len(base):,} real MiniLM chunk embeddings (d=384; licence/statute texts and CUAD "
        f"contracts, sentence/clause chunks), {len(queries)} held-out chunk queries; HNSW "
        f"M={config.hnsw_m}, efConstruction={config.ef_construction}; query latency is the "
        f"median single-query search with one thread.\n\n{table}\n"
    )
    print(body)
    if not args.no_append:
        append_results(SECTION, body)


if __name__ == "__main__":
    sys.exit(main())
