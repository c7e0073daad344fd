"""The passages that the decoder's exact cross-attention reads: support sentences, then retrieval.

    EncodedBundle, span, support ──PassageRetriever.select──▶ PassageSet ──.source──▶ SourceInputs
      1. support: the extracted sentences' tokens (hybrid mode only), first, as
         `pipeline.decoder_inputs.passage_positions` takes them
      2. bundle: FAISS over the bundle's own chunks (`pipeline.search` into `Library.in_memory`),
         queried with the support sentences: the same-topic clauses of the other documents (the
         SOW's payment clause for the MSA's), as their tokens' positions in the encoder memory
      3. library (optional): chunks of earlier documents in a persistent `Library`
         (`longbrief index add`); they are not in the bundle memory, so each is encoded alone (a
         short extra encoder pass) and its states are appended to the memory for this call

Retrieved chunks of the bundle and of the library compete in one ranking by cosine similarity
to their closest support sentence; whole chunks are taken, best first, while they fit in what the
support sentences leave of the `passage_tokens` budget.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from pipeline.decoder_inputs import DECODER_MODES, SourceInputs
from pipeline.engine import EncodedBundle, EncodedDocument, Engine
from pipeline.search import index_documents
from retrieval.embedder import Embedder
from retrieval.library import DB_NAME, Library, TextEmbedder
from retrieval.records import ChunkRecord, Hit

Support = Sequence[tuple[EncodedDocument, Sequence[int]]]
ORIGINS = ("support", "bundle", "library")
RETRIEVED_CHUNKS = 4
# MiniLM cosine between unrelated clauses of legal prose is mostly below this; a chunk that is
# no closer to any support sentence only dilutes the exact attention.
MIN_SCORE = 0.35


class LibraryUnavailable(FileNotFoundError):
    """The library path given for retrieval holds no library, or one with no documents.

    A FileNotFoundError, so that callers report it like a missing checkpoint (the CLI does).
    """


@dataclass(frozen=True)
class Passage:
    """One passage of a decoder call and where it came from, so that a report can cite it.

    `origin` is "support" (an extracted sentence; `index` is its sentence index), "bundle" (a
    retrieved chunk of a document of the bundle) or "library" (a retrieved chunk of an earlier
    document in the persistent library); for both, `index` is the chunk number in its document.
    `text` is the document's text[start:end], on the pages labelled `pages`; `score` the cosine
    similarity to the closest support sentence (0 for support). `positions` are bundle token
    positions (support, bundle) or rows of `PassageSet.library_states` (library); a support
    sentence cut by the budget keeps only its first tokens.
    """

    origin: str
    doc_id: str
    index: int
    pages: tuple[str, ...]
    start: int
    end: int
    text: str
    score: float
    positions: tuple[int, ...]


@dataclass(frozen=True)
class PassageSet:
    """The passages of one decoder call, support sentences first, then retrieved chunks best
    first; `library_states` `(M, d)` and `library_ids` `(M,)` hold the library passages' tokens,
    which the bundle memory does not."""

    passages: tuple[Passage, ...]
    library_states: torch.Tensor
    library_ids: torch.Tensor

    @property
    def n_tokens(self) -> int:
        """Passage tokens in all."""
        return sum(len(p.positions) for p in self.passages)

    @property
    def retrieved(self) -> tuple[Passage, ...]:
        """The passages that retrieval added (not the support sentences)."""
        return tuple(p for p in self.passages if p.origin != "support")

    def source(self, bundle: EncodedBundle, span: tuple[int, int]) -> SourceInputs:
        """The decoder's input for bundle tokens `span` with these passages.

        Passages inside the span point into its memory; the others (chunks of other documents,
        library chunks) have their states and ids appended after it, where only the exact
        cross-attention reads them: the linear cross-attention sees the span, as in training.
        """
        if bundle.memory is None:
            raise ValueError("the bundle was encoded without memory")
        start, end = span
        rows, row_ids, positions = [], [], []
        n_rows = end - start
        for p in self.passages:
            pos = torch.tensor(p.positions, dtype=torch.long)
            if p.origin != "library" and bool(((pos >= start) & (pos < end)).all()):
                positions.append(pos - start)
                continue
            states, ids = (
                (self.library_states, self.library_ids)
                if p.origin == "library"
                else (bundle.memory, bundle.ids)
            )
            rows.append(states[pos])  # (n, d)
            row_ids.append(ids[pos])
            positions.append(torch.arange(n_rows, n_rows + len(pos)))
            n_rows += len(pos)
        memory = torch.cat([bundle.memory[start:end], *rows])  # (span + appended, d)
        ids = torch.cat([bundle.ids[start:end], *row_ids])
        flat = torch.cat(positions) if positions else torch.zeros(0, dtype=torch.long)
        return SourceInputs(memory, ids, flat, end - start if rows else None)


@functools.cache
def shared_embedder() -> Embedder:
    """The MiniLM sentence embedder, loaded once per process (a few seconds)."""
    return Embedder()


def open_library(path: str | Path) -> Library:
    """The persistent library at `path`, opened read-only for retrieval.

    Raises `LibraryUnavailable`, naming the path, when there is no library there or it holds
    no documents (retrieving from it would silently add nothing).
    """
    directory = Path(path)
    hint = f"add documents with `longbrief index add --library {directory} FILE...`"
    if not (directory / DB_NAME).is_file():
        raise LibraryUnavailable(f"{directory}: no library there ({DB_NAME} missing); {hint}")
    library = Library.open(directory, read_only=True)
    if library.stats().n_documents == 0:
        library.close()
        raise LibraryUnavailable(f"{directory}: the library holds no documents; {hint}")
    return library


def chunk_positions(doc: EncodedDocument, start: int, end: int) -> tuple[int, ...]:
    """Bundle positions of the tokens of `doc`'s text[start:end] (by each token's start)."""
    starts = [a for a, _ in doc.offsets]
    lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return tuple(range(doc.token_start + lo, doc.token_start + hi))


def support_passages(support: Support, budget: int) -> list[Passage]:
    """The support sentences as passages, in order, at most `budget` tokens in all."""
    out: list[Passage] = []
    left = budget
    for doc, indices in support:
        for i in indices:
            positions = doc.sentence_tokens(i)[: max(left, 0)]
            if not positions:
                continue
            s = doc.seg.sentences[i]
            pages = tuple(p.label for p in doc.seg.doc.pages_of(s.start, s.end))
            out.append(
                Passage(
                    "support",
                    doc.seg.doc.doc_id,
                    i,
                    pages,
                    s.start,
                    s.end,
                    s.text,
                    0.0,
                    tuple(positions),
                )
            )
            left -= len(positions)
    return out


@dataclass(frozen=True)
class _Candidate:
    """A retrieved chunk before selection: its best score over the queries."""

    origin: str
    score: float
    record: ChunkRecord


class PassageRetriever:
    """Selects the passages of each decoder call on one bundle; create one per bundle.

    The bundle's chunk index is built (and its chunks embedded) on the first `select`; `library`
    is an open persistent library or None; `chunks` caps the retrieved chunks per call.
    """

    def __init__(
        self,
        engine: Engine,
        bundle: EncodedBundle,
        chunks: int = RETRIEVED_CHUNKS,
        library: Library | None = None,
        embedder: TextEmbedder | None = None,
        min_score: float = MIN_SCORE,
    ):
        if chunks < 0:
            raise ValueError(f"chunks must be >= 0, got {chunks}")
        self.engine = engine
        self.bundle = bundle
        self.chunks = chunks
        self.library = library
        self.min_score = min_score
        self._embedder = embedder
        self._index: Library | None = None
        # By content: the in-memory index keeps one copy of identical documents, and a library
        # copy of a bundle document is already in the memory.
        self._by_sha: dict[str, EncodedDocument] = {}
        for d in bundle.documents:
            self._by_sha.setdefault(d.seg.doc.sha256, d)

    @property
    def embedder(self) -> TextEmbedder:
        return self._embedder or shared_embedder()

    def bundle_index(self) -> Library:
        """The bundle's chunks in an in-memory FAISS library, built on first use."""
        if self._index is None:
            self._index = Library.in_memory(self.embedder)
            index_documents(self._index, [d.seg for d in self.bundle.documents])
        return self._index

    def select(
        self, span: tuple[int, int], support: Support, mode: str, passage_tokens: int
    ) -> PassageSet:
        """The passages for decoding bundle tokens `span` in `mode`, at most `passage_tokens`.

        Hybrid mode reads the support sentences first; abstractive mode only the retrieved
        chunks. Both query with the support sentences' text.
        """
        if mode not in DECODER_MODES:
            raise ValueError(f"unknown decoder mode {mode!r}; use one of {DECODER_MODES}")
        chosen = support_passages(support, passage_tokens) if mode == "hybrid" else []
        left = passage_tokens - sum(len(p.positions) for p in chosen)
        queries = [d.seg.sentences[i].text for d, indices in support for i in indices]
        d_model = self.engine.model.cfg.d_model
        states, ids = torch.zeros(0, d_model), torch.zeros(0, dtype=torch.long)
        if queries and left > 0 and self.chunks > 0:
            retrieved, states, ids = self._retrieve(queries, support, left)
            chosen += retrieved
        return PassageSet(tuple(chosen), states, ids)

    def _candidates(self, queries: list[str], support: Support) -> list[_Candidate]:
        vectors = np.asarray(self.embedder.embed(queries), dtype=np.float32)  # (q, 384)
        # Room for the chunks skipped below: each query's own chunk comes back first.
        k = self.chunks + len(queries)
        spans: dict[str, list[tuple[int, int]]] = {}
        for d, indices in support:
            spans.setdefault(d.seg.doc.sha256, []).extend(
                (d.seg.sentences[i].start, d.seg.sentences[i].end) for i in indices
            )
        best: dict[tuple[str, int], _Candidate] = {}
        for row in self.bundle_index().search_vectors(vectors, k):
            for hit in row:
                # A chunk that holds a support sentence matches it with itself and adds little.
                if not _overlaps(hit.chunk, spans.get(hit.chunk.sha256, ())):
                    _keep(best, "bundle", hit)
        if self.library is not None:
            for row in self.library.search_vectors(vectors, k):
                for hit in row:
                    if hit.chunk.sha256 not in self._by_sha:
                        _keep(best, "library", hit)
        return sorted(best.values(), key=lambda c: -c.score)

    def _retrieve(
        self, queries: list[str], support: Support, budget: int
    ) -> tuple[list[Passage], torch.Tensor, torch.Tensor]:
        out: list[Passage] = []
        states: list[torch.Tensor] = []
        ids: list[torch.Tensor] = []
        n_rows = 0
        for c in self._candidates(queries, support):
            if len(out) == self.chunks or c.score < self.min_score:
                break
            r = c.record
            if c.origin == "bundle":
                doc = self._by_sha[r.sha256]
                positions = chunk_positions(doc, r.start, r.end)
                pages = tuple(p.label for p in doc.seg.doc.pages_of(r.start, r.end))
            else:
                n = len(self.engine.tokenizer.encode(r.text).ids)
                positions = tuple(range(n_rows, n_rows + n))
                pages = (r.page,)
            if not positions or len(positions) > budget:
                continue
            if c.origin == "library":
                chunk_ids, memory = self.engine.encode_alone(r.text)  # (n + 2,), (n + 2, d)
                states.append(memory[1:-1])  # without [CLS] and [SEP]
                ids.append(chunk_ids[1:-1])
                n_rows += n
            budget -= len(positions)
            out.append(
                Passage(
                    c.origin, r.doc_id, r.chunk, pages, r.start, r.end, r.text, c.score, positions
                )
            )
        d_model = self.engine.model.cfg.d_model
        return (
            out,
            torch.cat(states) if states else torch.zeros(0, d_model),
            torch.cat(ids) if ids else torch.zeros(0, dtype=torch.long),
        )


def _keep(best: dict[tuple[str, int], _Candidate], origin: str, hit: Hit) -> None:
    """Keep `hit` unless the same chunk already scored higher for another query."""
    key = (origin, hit.chunk.vector_id)
    if key not in best or hit.score > best[key].score:
        best[key] = _Candidate(origin, hit.score, hit.chunk)


def _overlaps(chunk: ChunkRecord, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a < chunk.end and chunk.start < b for a, b in spans)
