"""longbrief's web app: upload a contract bundle, read the cited brief, inspect the conflicts.

Run it with `longbrief app` (see `app.launch`). The page only calls pipeline functions and shows
their typed results: reading is `ingest_bytes`, the report is `summarize_documents` (answered from
the results cache when this bundle was summarized before), search is `pipeline.search`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import streamlit as st

from app import conflicts, files, progress, resources, sidebar, state, views
from app import search as search_tab
from app.sidebar import Settings
from app.text import md, plural
from pipeline.document import Document
from pipeline.results_cache import ResultsCache, report_key, summarize_cached
from pipeline.summarize import ModeUnavailable

ACCEPTED = ["pdf", "docx", "txt", "md"]


# Streamlit's default top padding leaves a tenth of the screen empty above the title.
_STYLE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
</style>
"""


def _header() -> None:
    st.html(_STYLE)
    st.markdown("## :material/gavel: longbrief")
    st.caption(
        "Cited briefs, key terms and cross-document conflicts for bundles of contracts "
        "and other long documents."
    )


def _welcome() -> None:
    with st.container(border=True):
        st.markdown(
            "**Upload every document of one deal** (the master agreement, its statements of "
            "work, amendments) as PDF, Word (.docx), text or Markdown files."
        )
        cols = st.columns(3)
        cols[0].markdown(
            ":material/summarize: **Brief**  \nA summary of the bundle; every sentence cites "
            "its page."
        )
        cols[1].markdown(
            ":material/table_view: **Key terms**  \nParties, dates, term, renewal, law, "
            "payment, liability cap."
        )
        cols[2].markdown(
            ":material/difference: **Conflicts**  \nWhere the documents disagree, both "
            "quotes, and which governs."
        )


def _read_all(uploads: Sequence, timer: progress.StatusTimer) -> tuple[state.FileRead, ...]:
    reads = []
    with timer.stage("ingest"):
        for i, upload in enumerate(uploads):
            timer.reading(i, len(uploads))
            reads.append(state.read_upload(upload.name, upload.getvalue()))
    return tuple(reads)


def _summarize(
    docs: list[Document], reads: tuple[state.FileRead, ...], settings: Settings, timer
) -> state.Run:
    """The report of `docs`: kept in this session, else from the results cache, else computed."""
    engine = resources.engine()
    errors = tuple(e for r in reads for e in r.result.errors)
    key = report_key(docs, settings.options, engine.fingerprint)

    def run() -> state.Run:
        start = time.perf_counter()
        with resources.model_lock():
            result = summarize_cached(ResultsCache(), engine, docs, settings.options, errors, timer)
        return state.Run(result.report, result.from_cache, time.perf_counter() - start)

    return state.remember_run((key, errors), run)


def _done_label(run: state.Run) -> str:
    report = run.report
    found = f"{plural(len(report.documents), 'document')}, {plural(len(report.conflicts), 'flag')}"
    if run.from_cache:
        return f"Opened from the results cache: {found}"
    return f"Done: {found} in {run.seconds:.1f} s"


def _process(uploads: Sequence, settings: Settings) -> state.View:
    """Read the uploads and summarize the readable ones, showing each stage as it runs."""
    files_slot = st.container()
    timer = progress.StatusTimer(f"Reading {len(uploads)} files…")
    reads = _read_all(uploads, timer)
    with files_slot:
        files.render(reads)
    docs = [d for r in reads for d in r.result.documents]
    mode = settings.options.mode.capitalize()
    problem = title = None
    if not docs:
        title, problem = "No readable documents", "None of the files could be read; see why above."
    elif settings.mode_problem:
        title = f"{mode} mode is not available"
        problem = f"{title}: {md(settings.mode_problem)}."
    else:
        try:
            run = _summarize(docs, reads, settings, timer)
        except ModeUnavailable as exc:
            title, problem = f"{mode} mode is not available", md(str(exc))
    if title:
        timer.finish(title, timer.timings, "error")
        return state.View(reads, None, title, "error", tuple(timer.timings), problem)
    label = _done_label(run)
    timer.finish(label, run.report.timings)
    return state.View(reads, run, label, "complete", run.report.timings)


def _results(view: state.View, settings: Settings) -> None:
    assert view.run is not None
    report = view.run.report
    docs = {d.doc_id: d for r in view.reads for d in r.result.documents}
    views.metrics(report)
    n_flags = len(report.conflicts)
    tabs = st.tabs(
        [
            ":material/summarize: Brief",
            ":material/article: Documents",
            f":material/difference: Conflicts ({n_flags})",
            ":material/search: Search",
            ":material/download: Export",
        ]
    )
    with tabs[0]:
        views.brief(report, docs)
    with tabs[1]:
        views.documents(report, docs)
    with tabs[2]:
        conflicts.render(report.conflicts)
    with tabs[3]:
        search_tab.render(
            report.bundle_id, list(docs.values()), views.titles(report), settings.use_library
        )
    with tabs[4]:
        views.export(report)


def main() -> None:
    """Draw the page for this session's uploads and settings."""
    st.set_page_config(page_title="longbrief", page_icon=":material/gavel:", layout="wide")
    settings = sidebar.render()
    _header()
    uploads = st.file_uploader(
        "Documents of the bundle",
        type=ACCEPTED,
        accept_multiple_files=True,
        key="bundle",
        help="PDF, Word (.docx), text or Markdown files, up to 50 MB each.",
    )
    if not uploads:
        _welcome()
        return
    signature = state.request_signature(uploads, settings.options)
    view = state.current_view(signature)
    if view is None:
        view = _process(uploads, settings)
        state.keep_view(signature, view)
    else:
        files.render(view.reads)
        progress.done_panel(view.label, view.timings, view.status)
    if view.problem:
        st.error(view.problem, icon=":material/error:")
        return
    _results(view, settings)


main()
