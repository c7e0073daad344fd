"""Orchestration: documents in, a `Report` of cited summaries and a bundle brief out.

Modes:
- `extractive`: the sentence-scoring head (or the interim Lead ranking) picks source sentences;
  every summary sentence is a source sentence, cited by page and character span.
- `abstractive`: the decoder writes from the whole encoder memory (linear cross-attention).
- `hybrid`: extract first, then the decoder writes with exact attention and copying over the
  extracted sentences. Generated sentences pass the faithfulness guard or are replaced.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import torch

from lm.generate import GenerationConfig, generate
from pipeline.conflicts import ConflictFlag, detect_conflicts
from pipeline.decoder_inputs import decoder_inputs, source_inputs
from pipeline.document import Document, IngestError
from pipeline.engine import EncodedBundle, EncodedDocument, Engine
from pipeline.extractive import overlap, select, sentence_scores, words
from pipeline.faithfulness import SourceFacts, check
from pipeline.ingest import DEFAULT_OPTIONS, IngestOptions, ingest_paths
from pipeline.keyterms import extract_terms
from pipeline.report import (
    Citation,
    DocumentSummary,
    GuardStats,
    Report,
    StageTiming,
    SummarySentence,
)
from pipeline.segment import Segmented, segment, split_sentences
from pipeline.terms import DocumentTerms
from pipeline.truecase import TrueCaser, detokenize

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

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; use one of {MODES}")


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


class _Writer:
    """Generates text for one input and turns it into guarded, cited sentences."""

    def __init__(self, engine: Engine, bundle: EncodedBundle, options: SummaryOptions):
        self.engine = engine
        self.bundle = bundle
        self.options = options
        self.caser = TrueCaser([d.seg.doc.text for d in bundle.documents])
        self.guard = GuardStats()

    @torch.inference_mode()
    def write(
        self,
        span: tuple[int, int],
        support: list[tuple[EncodedDocument, list[int]]],
    ) -> tuple[SummarySentence, ...]:
        """Decode from bundle memory `span` (and exact passages in hybrid mode)."""
        model, opts = self.engine.model, self.options
        source = source_inputs(self.bundle, span, support, opts.mode, opts.passage_tokens)
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
        return self._guarded(text, support)

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
    """Summarize already-ingested documents as one bundle (one encoder pass)."""
    timer = timer or Timer()
    check_mode(options.mode, engine.name, engine.trained)
    with timer.stage("segment"):
        segs = [segment(d) for d in docs]
    needs_memory = options.mode != "extractive" or engine.has_extractive_head
    with timer.stage("encode"):
        bundle = engine.encode(segs, with_memory=needs_memory)
    with timer.stage("extract"):
        scores = [sentence_scores(engine, bundle, d) for d in bundle.documents]
        chosen = [
            select(d.seg, s, options.summary_words, options.max_overlap)
            for d, s in zip(bundle.documents, scores, strict=True)
        ]
        brief_pick = _brief_selection(bundle, scores, options)
    writer = _Writer(engine, bundle, options)
    summaries = []
    with timer.stage("summarize"):
        for d, s, idx in zip(bundle.documents, scores, chosen, strict=True):
            if options.mode == "extractive":
                sentences = _extracted(d.seg, idx, s)
            else:
                span = (d.token_start, d.token_start + d.n_tokens)
                sentences = writer.write(span, [(d, idx)])
            summaries.append(
                DocumentSummary(
                    d.seg.doc.doc_id,
                    d.seg.doc.title,
                    d.seg.doc.source,
                    d.seg.doc.sha256,
                    len(d.seg.doc.pages),
                    d.n_tokens,
                    sentences,
                )
            )
        if options.mode == "extractive":
            brief = tuple(s for d, s_, idx in brief_pick for s in _extracted(d.seg, idx, s_))
        else:
            brief = writer.write((0, len(bundle.ids)), [(d, idx) for d, _, idx in brief_pick])
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
    )


def _brief_selection(
    bundle: EncodedBundle, scores: list[list[float]], options: SummaryOptions
) -> list[tuple[EncodedDocument, list[float], list[int]]]:
    """The brief's sentences: every document gets a share of the budget by its length."""
    total = sum(d.n_tokens for d in bundle.documents) or 1
    picks = []
    for d, s in zip(bundle.documents, scores, strict=True):
        share = max(25, int(options.brief_words * d.n_tokens / total))
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
