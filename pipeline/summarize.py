"""Orchestration: documents in, a `Report` of cited summaries and a bundle brief out.

Modes:
- `extractive`: the sentence-scoring head (or the interim Lead ranking) picks source sentences;
  every summary sentence is a source sentence, cited by page and character span.
- `abstractive`: the decoder writes from the whole encoder memory (linear cross-attention).
- `hybrid`: extract first, then the decoder writes with exact attention and copying over the
  extracted sentences. Generated sentences pass the faithfulness guard or are replaced.

With `SummaryOptions.retrieve` (the default), both decoder modes also read retrieved chunks
(`pipeline.passages`): the bundle's same-topic clauses and, with `SummaryOptions.library`, chunks
of earlier documents in a persistent library; the report lists them with each summary.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import torch

from lm.generate import GenerationConfig, generate
from pipeline.conflicts import ConflictFlag, detect_conflicts
from pipeline.decoder_inputs import decoder_inputs, source_inputs
from pipeline.document import Document, IngestError
from pipeline.engine import EncodedBundle, EncodedDocument, Engine
from pipeline.extractive import extract, overlap, select, sentence_scores, words
from pipeline.faithfulness import SourceFacts, check
from pipeline.ingest import DEFAULT_OPTIONS, IngestOptions, ingest_paths
from pipeline.keyterms import extract_terms
from pipeline.passages import RETRIEVED_CHUNKS, Passage, PassageRetriever, open_library
from pipeline.report import (
    Citation,
    DocumentSummary,
    GuardStats,
    Report,
    RetrievedPassage,
    StageTiming,
    SummarySentence,
)
from pipeline.segment import Segmented, segment, split_sentences
from pipeline.terms import DocumentTerms
from pipeline.truecase import TrueCaser, detokenize
from retrieval.library import Library, contents_digest

MODES = ("extractive", "abstractive", "hybrid")
_SENTENCE_START = re.compile(r"([.!?]\s+)([a-z])")


class ModeUnavailable(RuntimeError):
    """The loaded checkpoint cannot run the requested mode."""


def check_mode(mode: str, model_name: str, trained: tuple[str, ...]) -> None:
    """Raise `ModeUnavailable` unless a model trained for `trained` can run `mode`."""
    if mode != "extractive" and "abstractive" not in trained:
        raise ModeUnavailable(
            f"checkpoint {model_name!r} has no trained decoder; use the extractive mode"
        )


def _library_of(options: SummaryOptions) -> str | None:
    """The library directory that summarizing with `options` reads, if any."""
    return options.library if options.mode != "extractive" else None


def library_state(options: SummaryOptions) -> str | None:
    """What summarizing with `options` reads of the persistent library: its contents digest
    (`retrieval.library.contents_digest`), or None when no library is read. Part of every cache
    key of results, so that a library that gained or lost documents gives fresh results."""
    directory = _library_of(options)
    return None if directory is None else contents_digest(directory)


def check_library(options: SummaryOptions) -> None:
    """Raise `pipeline.passages.LibraryUnavailable`, naming the path, unless the library that
    `options` read (if any) exists and holds documents: for a job to fail before it starts."""
    directory = _library_of(options)
    if directory is not None:
        open_library(directory).close()


@dataclass(frozen=True)
class SummaryOptions:
    """What to produce. Word budgets bound each document summary and the bundle brief."""

    mode: str = "extractive"
    # Key terms of each document and the conflicts between them.
    terms: bool = True
    summary_words: int = 120
    brief_words: int = 220
    max_overlap: float = 0.5
    num_beams: int = 4
    max_new_tokens: int = 160
    passage_tokens: int = 512
    # Decoder modes: retrieved chunks join the passages (`pipeline.passages`), at most
    # `retrieved_chunks` per summary, from the bundle and from the persistent library in the
    # directory `library` (`longbrief index add --library`). A string, not a Path: the options
    # are hashed as JSON into cache keys; a path-like value is converted.
    retrieve: bool = True
    library: str | None = None
    retrieved_chunks: int = RETRIEVED_CHUNKS

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; use one of {MODES}")
        if self.library is not None:
            object.__setattr__(self, "library", os.fspath(self.library))
            if not self.retrieve:
                raise ValueError("a library is read only with retrieve=True")
        if self.retrieved_chunks < 0:
            raise ValueError(f"retrieved_chunks must be >= 0, got {self.retrieved_chunks}")


class Timer:
    """Collects per-stage wall times."""

    def __init__(self) -> None:
        self.timings: list[StageTiming] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings.append(StageTiming(name, round(time.perf_counter() - start, 4)))


def flat(text: str) -> str:
    """Sentence text for display: line breaks of the page layout folded into single spaces."""
    return " ".join(text.split())


def cite(doc: Document, start: int, end: int) -> Citation:
    """A citation of doc.text[start:end] with the labels of the pages it covers."""
    pages = tuple(p.label for p in doc.pages_of(start, end))
    return Citation(doc.doc_id, pages, start, end, doc.text[start:end])


def _extracted(
    seg: Segmented, indices: list[int], scores: list[float]
) -> tuple[SummarySentence, ...]:
    out = []
    for i in indices:
        s = seg.sentences[i]
        out.append(
            SummarySentence(
                flat(s.text), (cite(seg.doc, s.start, s.end),), "extracted", round(scores[i], 4)
            )
        )
    return tuple(out)


def _retrieved(p: Passage) -> RetrievedPassage:
    return RetrievedPassage(
        p.origin, p.index, round(p.score, 4), Citation(p.doc_id, p.pages, p.start, p.end, p.text)
    )


class _Writer:
    """Generates text for one input and turns it into guarded, cited sentences."""

    def __init__(
        self,
        engine: Engine,
        bundle: EncodedBundle,
        options: SummaryOptions,
        library: Library | None = None,
    ):
        self.engine = engine
        self.bundle = bundle
        self.options = options
        self.caser = TrueCaser([d.seg.doc.text for d in bundle.documents])
        self.guard = GuardStats()
        self.retriever = None
        if options.retrieve and options.mode != "extractive":
            self.retriever = PassageRetriever(engine, bundle, options.retrieved_chunks, library)

    @torch.inference_mode()
    def write(
        self,
        span: tuple[int, int],
        support: list[tuple[EncodedDocument, list[int]]],
    ) -> tuple[tuple[SummarySentence, ...], tuple[RetrievedPassage, ...]]:
        """Decode from bundle memory `span` (and exact passages in hybrid mode, and retrieved
        ones with retrieval): the guarded sentences and the retrieved passages read."""
        model, opts = self.engine.model, self.options
        retrieved: tuple[RetrievedPassage, ...] = ()
        chosen = None
        if self.retriever is not None:
            chosen = self.retriever.select(span, support, opts.mode, opts.passage_tokens)
            retrieved = tuple(_retrieved(p) for p in chosen.retrieved)
        # Abstractive mode with nothing retrieved reads the memory alone, as it is trained.
        if chosen is None or (opts.mode == "abstractive" and not chosen.passages):
            source = source_inputs(self.bundle, span, support, opts.mode, opts.passage_tokens)
        else:
            source = chosen.source(self.bundle, span)
        with self.engine.autocast():
            inputs = decoder_inputs(model, [source])
            cfg = GenerationConfig(
                max_length=opts.max_new_tokens,
                min_length=8,
                num_beams=opts.num_beams,
                no_repeat_ngram_size=3,
            )
            tokens = generate(model, inputs, cfg)[0]
        text = detokenize(self.engine.tokenizer.decode(tokens))
        return self._guarded(text, support), retrieved

    def _guarded(
        self, text: str, support: list[tuple[EncodedDocument, list[int]]]
    ) -> tuple[SummarySentence, ...]:
        candidates = [
            (d.seg, i) for d, idx in support for i in (idx or range(len(d.seg.sentences)))
        ]
        facts = SourceFacts.of(" ".join(d.seg.doc.text for d, _ in support))
        out: list[SummarySentence] = []
        checked = dropped = replaced = 0
        # The decoder writes lower case, where ". the" is no visible boundary: restore case,
        # capitalize after sentence punctuation, then split like any source text.
        cased = _SENTENCE_START.sub(
            lambda m: m.group(1) + m.group(2).upper(), self.caser.apply(text)
        )
        for a, b in split_sentences(cased):
            sentence = cased[a:b].strip()
            checked += 1
            best = max(
                candidates,
                key=lambda c: overlap(set(words(sentence)), set(words(c[0].sentences[c[1]].text))),
                default=None,
            )
            if best is None:
                dropped += 1
                continue
            seg, i = best
            src = seg.sentences[i]
            if check(sentence, facts).ok:
                out.append(
                    SummarySentence(sentence, (cite(seg.doc, src.start, src.end),), "generated")
                )
            elif any(flat(src.text) == s.text for s in out):
                dropped += 1
            else:
                replaced += 1
                out.append(
                    SummarySentence(
                        flat(src.text), (cite(seg.doc, src.start, src.end),), "replaced"
                    )
                )
        self.guard = self.guard + GuardStats(checked, dropped, replaced)
        return tuple(out)


def bundle_id(docs: Sequence[Document]) -> str:
    """Content hash of a bundle: the same files give the same id, in any order."""
    digest = hashlib.sha256()
    for h in sorted(d.sha256 for d in docs):
        digest.update(h.encode())
    return digest.hexdigest()[:16]


def summarize_documents(
    engine: Engine,
    docs: Sequence[Document],
    options: SummaryOptions = SummaryOptions(),
    errors: Sequence[IngestError] = (),
    timer: Timer | None = None,
) -> Report:
    """Summarize already-ingested documents as one bundle (one encoder pass).

    With `options.library`, the library is opened first: `pipeline.passages.LibraryUnavailable`
    (naming the path) when there is none there or it is empty.
    """
    timer = timer or Timer()
    check_mode(options.mode, engine.name, engine.trained)
    directory = _library_of(options)
    library = open_library(directory) if directory is not None else None
    with library or nullcontext():
        return _summarize_bundle(engine, docs, options, errors, timer, library)


def _summarize_bundle(
    engine: Engine,
    docs: Sequence[Document],
    options: SummaryOptions,
    errors: Sequence[IngestError],
    timer: Timer,
    library: Library | None,
) -> Report:
    with timer.stage("segment"):
        segs = [segment(d) for d in docs]
    needs_memory = options.mode != "extractive" or engine.has_extractive_head
    with timer.stage("encode"):
        bundle = engine.encode(segs, with_memory=needs_memory)
    extractive = options.mode == "extractive"
    with timer.stage("extract"):
        if extractive:
            # The extractive mode may select clause units (`pipeline.extractive.extract`); the
            # decoder modes read whole sentences as their support.
            extracts = [
                extract(engine, bundle, d, options.summary_words, options.max_overlap)
                for d in bundle.documents
            ]
            brief_extracts = [
                extract(engine, bundle, d, share, options.max_overlap)
                for d, share in zip(bundle.documents, _brief_shares(bundle, options), strict=True)
            ]
            scores = [list(e.scores) for e in extracts]
            chosen = [list(e.chosen) for e in extracts]
        else:
            scores = [sentence_scores(engine, bundle, d) for d in bundle.documents]
            chosen = [
                select(d.seg, s, options.summary_words, options.max_overlap)
                for d, s in zip(bundle.documents, scores, strict=True)
            ]
            brief_pick = _brief_selection(bundle, scores, options)
    writer = _Writer(engine, bundle, options, library)
    summaries = []
    with timer.stage("summarize"):
        for i, (d, s, idx) in enumerate(zip(bundle.documents, scores, chosen, strict=True)):
            passages: tuple[RetrievedPassage, ...] = ()
            if extractive:
                sentences = _extracted(extracts[i].view.seg, idx, s)
            else:
                span = (d.token_start, d.token_start + d.n_tokens)
                sentences, passages = writer.write(span, [(d, idx)])
            summaries.append(
                DocumentSummary(
                    d.seg.doc.doc_id,
                    d.seg.doc.title,
                    d.seg.doc.source,
                    d.seg.doc.sha256,
                    len(d.seg.doc.pages),
                    d.n_tokens,
                    sentences,
                    passages,
                )
            )
        brief_passages: tuple[RetrievedPassage, ...] = ()
        if extractive:
            brief = tuple(
                s
                for e in brief_extracts
                for s in _extracted(e.view.seg, list(e.chosen), list(e.scores))
            )
        else:
            brief_support = [(d, idx) for d, _, idx in brief_pick]
            brief, brief_passages = writer.write((0, len(bundle.ids)), brief_support)
    terms: tuple[DocumentTerms, ...] = ()
    conflicts: tuple[ConflictFlag, ...] = ()
    if options.terms:
        with timer.stage("terms"):
            terms = tuple(extract_terms(seg) for seg in segs)
        with timer.stage("compare"):
            conflicts = detect_conflicts(terms, segs)
    return Report(
        bundle_id=bundle_id(docs),
        mode=options.mode,
        model=engine.name,
        documents=tuple(summaries),
        brief=brief,
        errors=tuple(errors),
        timings=tuple(timer.timings),
        guard=writer.guard,
        terms=terms,
        conflicts=conflicts,
        brief_passages=brief_passages,
    )


def _brief_shares(bundle: EncodedBundle, options: SummaryOptions) -> list[int]:
    """Each document's share of the brief's budget, by its length (at least 25 words)."""
    total = sum(d.n_tokens for d in bundle.documents) or 1
    return [max(25, int(options.brief_words * d.n_tokens / total)) for d in bundle.documents]


def _brief_selection(
    bundle: EncodedBundle, scores: list[list[float]], options: SummaryOptions
) -> list[tuple[EncodedDocument, list[float], list[int]]]:
    """The brief's sentences: every document gets a share of the budget by its length."""
    picks = []
    for d, s, share in zip(bundle.documents, scores, _brief_shares(bundle, options), strict=True):
        picks.append((d, s, select(d.seg, s, share, options.max_overlap)))
    return picks


def summarize(
    paths: Sequence[str | Path],
    mode: str = "extractive",
    engine: Engine | None = None,
    ingest_options: IngestOptions = DEFAULT_OPTIONS,
    options: SummaryOptions | None = None,
) -> Report:
    """Notebook API: read files (PDF, text, Markdown, JSONL) and summarize them as one bundle.

    Files that cannot be read appear in `Report.errors`; the rest are summarized.
    """
    timer = Timer()
    with timer.stage("ingest"):
        result = ingest_paths([Path(p) for p in paths], ingest_options)
    engine = engine or Engine.load()
    options = options or SummaryOptions(mode=mode)
    return summarize_documents(engine, result.documents, options, result.errors, timer)
