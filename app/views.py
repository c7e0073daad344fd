"""The result tabs that show the report as the pipeline made it: Brief, Documents, Export."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from app.text import md, pages_label, passage, plural, short
from pipeline.conflicts import LABELS
from pipeline.document import Document
from pipeline.report import Citation, Report, SummarySentence, to_markdown
from pipeline.terms import DocumentTerms

ORIGIN_NOTE = {
    "generated": "Written by the model; checked against the source.",
    "replaced": "The model's sentence failed the faithfulness check; the source sentence is shown.",
}


def titles(report: Report) -> dict[str, str]:
    """Display title of each document id."""
    return {d.doc_id: d.title or d.doc_id for d in report.documents}


def metrics(report: Report) -> None:
    """The bundle at a glance: documents, pages, conflicts, amended terms."""
    conflicts = [c for c in report.conflicts if c.kind == "conflict"]
    high = sum(c.severity == "high" for c in conflicts)
    cols = st.columns(4)
    cols[0].metric("Documents", len(report.documents))
    cols[1].metric("Pages", sum(d.n_pages for d in report.documents))
    cols[2].metric(
        "Conflicts",
        len(conflicts),
        delta=f"{high} high severity" if high else None,
        delta_color="inverse",
        delta_arrow="off",
    )
    cols[3].metric("Amended terms", len(report.conflicts) - len(conflicts))


def _citation_chip(
    citation: Citation, names: Mapping[str, str], docs: Mapping[str, Document], key: str
) -> None:
    """A chip "(document, page)" that opens the quoted source text in its page context."""
    name = names.get(citation.doc_id, citation.doc_id)
    # Widget labels are Markdown too: a document title must not format or link.
    label = f"{md(short(name))}, {pages_label(citation.pages)}"
    with st.popover(label, icon=":material/format_quote:", type="tertiary", key=key):
        st.markdown(f"**{md(name)}** · {pages_label(citation.pages)}")
        st.caption(md(citation.doc_id))
        doc = docs.get(citation.doc_id)
        if doc is None or doc.text[citation.start : citation.end] != citation.quote:
            st.markdown(f"> {md(citation.quote)}")
            return
        p = passage(doc, citation.start, citation.end)
        # The quote highlighted in its context; an empty directive (":gray[]") would show as text.
        parts = [
            f":gray[{md(p.before)}]" if p.before.strip() else "",
            f":orange-background[{md(p.quote)}]",
            f":gray[{md(p.after)}]" if p.after.strip() else "",
        ]
        st.markdown(" ".join(part for part in parts if part))


def _sentence(
    sentence: SummarySentence,
    names: Mapping[str, str],
    docs: Mapping[str, Document],
    key: str,
) -> None:
    text, chips = st.columns([5, 2], vertical_alignment="top")
    text.markdown(md(sentence.text))
    if sentence.origin in ORIGIN_NOTE:
        text.caption(ORIGIN_NOTE[sentence.origin])
    with chips:
        for i, citation in enumerate(sentence.citations):
            _citation_chip(citation, names, docs, f"{key}-{i}")


def brief(report: Report, docs: Mapping[str, Document]) -> None:
    """The bundle brief, every sentence with chips that open its source."""
    if not report.brief:
        st.info("Nothing to summarize in this bundle.")
        return
    st.caption(
        f"{report.mode.capitalize()} brief of {plural(len(report.documents), 'document')}. "
        "Each sentence cites its source; open a citation to read the passage."
    )
    names = titles(report)
    with st.container(border=True):
        for i, sentence in enumerate(report.brief):
            _sentence(sentence, names, docs, f"brief-{i}")


def terms_rows(doc_terms: DocumentTerms) -> list[dict[str, str]]:
    """The key-terms table of one document, values as people write them (Markdown-escaped:
    `st.table` renders cells as Markdown)."""
    return [
        {
            "Term": LABELS.get(t.field, t.field.replace("_", " ")).capitalize(),
            "Value": md(str(t.value)),
            "As written": md(t.text),
            "Page": md(t.page),
        }
        for t in doc_terms.terms
    ]


def _terms_table(doc_terms: DocumentTerms | None) -> None:
    if doc_terms is None or not doc_terms.terms:
        st.caption("No key terms found in this document.")
        return
    # A static table: every value in full, wrapped; no scrolling inside a cell.
    st.table(terms_rows(doc_terms), hide_index=True, border="horizontal")


def documents(report: Report, docs: Mapping[str, Document]) -> None:
    """Per document: its summary, cited by page, and its key-terms table."""
    terms = {t.doc_id: t for t in report.terms}
    names = titles(report)
    for i, summary in enumerate(report.documents):
        title = summary.title or summary.doc_id
        with st.expander(f"**{md(title)}**", expanded=i == 0, icon=":material/article:"):
            st.caption(
                f"{md(summary.doc_id)} · {summary.n_pages} pages · {summary.n_tokens:,} tokens"
            )
            st.markdown("##### Summary")
            for j, sentence in enumerate(summary.sentences):
                _sentence(sentence, names, docs, f"doc-{i}-{j}")
            st.markdown("##### Key terms")
            _terms_table(terms.get(summary.doc_id))


def export(report: Report) -> None:
    """Download the report as JSON and as Markdown."""
    st.markdown("Download the full report: brief, summaries, key terms and conflicts, cited.")
    name = f"longbrief-{report.bundle_id}"
    markdown = to_markdown(report)
    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        "Report as JSON",
        report.to_json(),
        file_name=f"{name}.json",
        mime="application/json",
        icon=":material/data_object:",
        on_click="ignore",
        key="export-json",
    )
    right.download_button(
        "Report as Markdown",
        markdown,
        file_name=f"{name}.md",
        mime="text/markdown",
        icon=":material/description:",
        on_click="ignore",
        key="export-md",
    )
    with st.expander("Preview the Markdown"):
        st.code(markdown, language="markdown", wrap_lines=True)
