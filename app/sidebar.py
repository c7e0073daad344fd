"""The sidebar: summary mode and length, and whether search covers the library index."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app import resources
from app.text import md, plural
from pipeline.summarize import MODES, ModeUnavailable, SummaryOptions, check_mode

MODE_HELP = {
    "extractive": "Source sentences, quoted verbatim and cited by page. The faithful default.",
    "abstractive": "The model writes each summary from the whole document.",
    "hybrid": "Extract first, then the model rewrites the extracted sentences.",
}


@dataclass(frozen=True)
class Settings:
    """What the user chose; `mode_problem` says why the chosen mode cannot run, if it cannot."""

    options: SummaryOptions
    use_library: bool
    mode_problem: str | None


def _mode_problem(mode: str) -> str | None:
    engine = resources.engine()
    try:
        check_mode(mode, engine.name, engine.trained)
    except ModeUnavailable as exc:
        return str(exc)
    return None


def _library_caption() -> None:
    directory = resources.library_dir()
    library = resources.library(str(directory))
    if library is None:
        st.caption(
            "No library index yet. Add documents with `longbrief index add FILES`; "
            f"it lives in {md(str(directory))}."
        )
        return
    stats = library.stats()
    st.caption(
        f"{plural(stats.n_documents, 'document')}, "
        f"{plural(stats.n_chunks, 'passage')} in the library index."
    )


def render() -> Settings:
    """Draw the sidebar and return the settings."""
    with st.sidebar:
        st.header("Summary")
        mode = st.selectbox(
            "Mode",
            MODES,
            format_func=str.capitalize,
            key="mode",
            help=" ".join(f"**{m.capitalize()}**: {h}" for m, h in MODE_HELP.items()),
        )
        problem = _mode_problem(mode)
        if problem:
            st.error(f"{mode.capitalize()} mode is not available: {md(problem)}.", icon="⚠️")
        summary_words = st.slider(
            "Words per document summary", 40, 400, 120, step=20, key="summary_words"
        )
        brief_words = st.slider(
            "Words in the bundle brief", 80, 600, 220, step=20, key="brief_words"
        )
        st.header("Search")
        use_library = st.toggle(
            "Also search the library index",
            key="use_library",
            help="The persistent index built with `longbrief index add`, besides this bundle.",
        )
        if use_library:
            _library_caption()
        st.divider()
        st.caption(f"Model: {md(resources.engine().name)}")
    options = SummaryOptions(mode=mode, summary_words=summary_words, brief_words=brief_words)
    return Settings(options, use_library, problem)
