"""The Search tab: semantic search over this bundle, and over the library index when enabled."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from app import resources, state
from app.text import md
from pipeline.document import Document
from pipeline.search import SearchHit, search
from retrieval.library import Library


def _query() -> tuple[str, int]:
    with st.form("search", border=False):
        text, count, go = st.columns([7, 2, 2], vertical_alignment="bottom")
        query = text.text_input(
            "Search the bundle by meaning",
            placeholder="e.g. who may terminate, and on what notice",
            key="search-query",
        )
        k = count.number_input("Results", 1, 20, 5, key="search-k")
        go.form_submit_button("Search", icon=":material/search:", type="primary")
    return (query or "").strip(), int(k)


def _hits(hits: Sequence[SearchHit], title_of: Callable[[str], str]) -> None:
    if not hits:
        st.caption("No passages found.")
    for hit in hits:
        with st.container(border=True):
            head, score = st.columns([5, 1])
            head.markdown(f"**{md(title_of(hit.doc_id))}** · p. {md(hit.page)}")
            score.caption(f"relevance {hit.score:.2f}")
            st.markdown(md(hit.text))
            st.caption(md(hit.doc_id))


def _library_title(library: Library) -> Callable[[str], str]:
    def title(doc_id: str) -> str:
        record = library.document(doc_id)
        return (record.title if record and record.title else "") or doc_id

    return title


def _library_results(query: str, k: int) -> None:
    st.subheader("Library index")
    library = resources.library(str(resources.library_dir()))
    if library is None:
        st.info("No library index yet. Add documents to it with `longbrief index add FILES`.")
        return
    hits = state.remember_search(
        ("library", str(resources.library_dir()), query, str(k)),
        lambda: search(library, query, k=k),
    )
    _hits(hits, _library_title(library))


def render(
    bundle: str, docs: Sequence[Document], names: Mapping[str, str], use_library: bool
) -> None:
    """The search box and the passages most similar to the query, with document and page."""
    query, k = _query()
    if not query:
        st.caption("Finds passages by meaning, not only by exact words, with their pages.")
        return
    with st.spinner("Searching…"):
        hits = state.remember_search(
            ("bundle", bundle, *sorted(names), query, str(k)),
            lambda: search(state.bundle_library(bundle, docs), query, k=k),
        )
    if use_library:
        st.subheader("This bundle")
    _hits(hits, lambda doc_id: names.get(doc_id, doc_id))
    if use_library:
        _library_results(query, k)
