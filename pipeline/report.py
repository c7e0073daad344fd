"""The report: typed records for summaries with citations, and their JSON and Markdown forms.

The JSON schema is documented in `docs/report-schema.md`; `SCHEMA` names its version.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from pipeline.conflicts import LABELS, ConflictFlag
from pipeline.document import IngestError
from pipeline.terms import DocumentTerms, terms_to_json

SCHEMA = "longbrief.report/1"


@dataclass(frozen=True)
class Citation:
    """Where a summary sentence rests: a character span of a document and the pages it covers."""

    doc_id: str
    pages: tuple[str, ...]
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of a summary.

    `origin` is "extracted" (a source sentence verbatim), "generated" (decoder output that passed
    the faithfulness guard) or "replaced" (a generated sentence that failed the guard, replaced by
    its best-supported source sentence).
    """

    text: str
    citations: tuple[Citation, ...]
    origin: str
    score: float = 0.0


@dataclass(frozen=True)
class RetrievedPassage:
    """A chunk that retrieval gave the decoder to read (exact cross-attention and copying).

    `origin` is "bundle" (a chunk of a document of this bundle) or "library" (a chunk of an
    earlier document in the persistent library; `citation.doc_id` is its library id and
    `citation.pages` the page where the chunk starts); `chunk` is its number among its
    document's chunks, `score` its cosine similarity to the closest extracted sentence.
    """

    origin: str
    chunk: int
    score: float
    citation: Citation


@dataclass(frozen=True)
class DocumentSummary:
    """The summary of one document; `passages`: what retrieval gave its decoder (if it ran)."""

    doc_id: str
    title: str
    source: str
    sha256: str
    n_pages: int
    n_tokens: int
    sentences: tuple[SummarySentence, ...]
    passages: tuple[RetrievedPassage, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True)
class GuardStats:
    """What the faithfulness guard did: generated sentences checked, dropped and replaced."""

    checked: int = 0
    dropped: int = 0
    replaced: int = 0

    def __add__(self, other: GuardStats) -> GuardStats:
        return GuardStats(
            self.checked + other.checked,
            self.dropped + other.dropped,
            self.replaced + other.replaced,
        )


@dataclass(frozen=True)
class StageTiming:
    """Wall time of one pipeline stage, in seconds."""

    stage: str
    seconds: float


@dataclass(frozen=True)
class Report:
    """Everything longbrief says about one bundle (or one document of a batch)."""

    bundle_id: str
    mode: str
    model: str
    documents: tuple[DocumentSummary, ...]
    brief: tuple[SummarySentence, ...]
    errors: tuple[IngestError, ...]
    timings: tuple[StageTiming, ...]
    guard: GuardStats
    terms: tuple[DocumentTerms, ...] = ()
    conflicts: tuple[ConflictFlag, ...] = ()
    # What retrieval gave the decoder for the brief (hybrid and abstractive modes).
    brief_passages: tuple[RetrievedPassage, ...] = ()
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (see docs/report-schema.md)."""
        data = dataclasses.asdict(self)
        for doc, summary in zip(data["documents"], self.documents, strict=True):
            doc["summary"] = summary.text
        data["brief_text"] = " ".join(s.text for s in self.brief)
        data["terms"] = [terms_to_json(t, display=True) for t in self.terms]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _pages(c: Citation) -> str:
    return c.pages[0] if len(c.pages) == 1 else f"{c.pages[0]}-{c.pages[-1]}"


def _cite(sentence: SummarySentence) -> str:
    marks = [f"{c.doc_id}, p. {_pages(c)}" for c in sentence.citations]
    return f" [{'; '.join(marks)}]" if marks else ""


def _sentences(items: tuple[SummarySentence, ...]) -> list[str]:
    return [f"- {s.text}{_cite(s)}" for s in items]


def to_markdown(report: Report) -> str:
    """A readable Markdown rendering: brief, per-document summaries, errors, timings."""
    sections: list[list[str]] = []
    # A one-document report (a batch row) has no bundle brief: it starts with the document.
    if report.brief or not report.documents:
        body = _sentences(report.brief) or ["(nothing to summarize)"]
        sections.append([f"# Brief ({report.mode})", "", *body])
    for doc in report.documents:
        header = [f"## {doc.title or doc.doc_id}", "", f"`{doc.doc_id}`, {doc.n_pages} pages", ""]
        sections.append(header + _sentences(doc.sentences))
    if report.conflicts:
        sections.append(["## Conflicts", "", *_conflict_lines(report.conflicts)])
    for doc_terms in report.terms:
        if doc_terms.terms:
            sections.append(_terms_table(doc_terms))
    if report.errors:
        errors = [f"- `{e.source}`: {e.reason}" for e in report.errors]
        sections.append(["## Files that could not be read", "", *errors])
    g = report.guard
    if g.checked:
        sections.append(
            [
                f"Faithfulness guard: {g.checked} generated sentences checked, "
                f"{g.replaced} replaced by source sentences, {g.dropped} dropped."
            ]
        )
    passages = _passage_lines(report)
    if passages:
        sections.append(["## Passages retrieved for the decoder", "", *passages])
    timings = [f"| {t.stage} | {t.seconds:.2f} |" for t in report.timings]
    sections.append(["## Timings", "", "| stage | seconds |", "|---|---|", *timings])
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def _passage_lines(report: Report) -> list[str]:
    groups = [("the brief", report.brief_passages)]
    groups += [(f"`{d.doc_id}`", d.passages) for d in report.documents]
    lines = []
    for target, passages in groups:
        for p in passages:
            c = p.citation
            lines.append(
                f"- for {target}: {c.doc_id}, p. {_pages(c)} ({p.origin} chunk {p.chunk}, "
                f"similarity {p.score:.2f}): \u201c{_clip(c.quote)}\u201d"
            )
    return lines


def _clip(text: str, words: int = 16) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _conflict_lines(flags: tuple[ConflictFlag, ...]) -> list[str]:
    lines = []
    for f in flags:
        kind = "amended" if f.kind == "amended_by" else f"{f.severity} conflict"
        governs = f.governs if f.governs != "unresolved" else "unresolved"
        lines += [
            f"- **{LABELS.get(f.field, f.field)}** ({kind}): {f.explanation} Governs: {governs} "
            f"({f.rule}).",
            f"  - {f.a.doc_id}, p. {f.a.page}: \u201c{_unquoted(f.a.quote)}\u201d",
            f"  - {f.b.doc_id}, p. {f.b.page}: \u201c{_unquoted(f.b.quote)}\u201d",
        ]
    return lines


def _unquoted(quote: str) -> str:
    """`quote` without the closing mark of a quotation opened before it: an amendment's new
    wording ends '...(US$500,000.00)."', and the report puts its own marks around it."""
    closing = quote.rstrip()
    marks = sum(closing.count(mark) for mark in ('"', "\u201c", "\u201d"))
    if closing.endswith(('"', "\u201d")) and marks % 2:
        return closing[:-1].rstrip()
    return quote


def _terms_table(doc_terms: DocumentTerms) -> list[str]:
    rows = [
        f"| {LABELS.get(t.field, t.field.replace('_', ' '))} | {t.value} | "
        f"{' '.join(t.text.split())} | {t.page} |"
        for t in doc_terms.terms
    ]
    title = doc_terms.title or doc_terms.doc_id
    return [
        f"### Key terms: {title}",
        "",
        "| term | value | as written | page |",
        "|---|---|---|---|",
        *rows,
    ]
