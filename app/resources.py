"""Process-wide resources: loaded once and shared by every browser session.

Nothing cached here is keyed by anything a user uploads or types, so sessions cannot see each
other's bundles through these caches; per-session data lives in `app.state`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from pipeline.engine import Engine, EngineConfig
from retrieval.embedder import Embedder
from retrieval.library import Library
from retrieval.paths import default_library_dir


@st.cache_resource(show_spinner="Loading the model…")
def engine() -> Engine:
    """The summarization model (the committed checkpoint, or MiniLM), loaded once."""
    return Engine.load(EngineConfig())


@st.cache_resource(show_spinner="Loading the search embedder…")
def embedder() -> Embedder:
    """The sentence embedder for semantic search, loaded once."""
    return Embedder()


@st.cache_resource
def model_lock() -> threading.Lock:
    """Serializes model calls: sessions share one model and the machine's few cores."""
    return threading.Lock()


def library_dir() -> Path:
    """Where the persistent library index lives (`$LONGBRIEF_DATA/library`)."""
    return default_library_dir()


# A minute's ttl: documents added with `longbrief index add` show up without a restart.
@st.cache_resource(ttl=60, show_spinner="Opening the library index…")
def library(directory: str) -> Library | None:
    """The persistent library at `directory`, opened read-only; None when there is none."""
    try:
        return Library.open(directory, embedder(), read_only=True)
    except FileNotFoundError:
        return None
