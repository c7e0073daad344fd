"""Per-session state: what one browser session uploaded, read and computed.

Everything lives in `st.session_state`, which Streamlit keeps per browser session, so two
sessions never see or disturb each other's bundles. The stores are small and bounded: a session
that opens many bundles keeps only the latest few.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from app import resources
from pipeline.document import Document
from pipeline.ingest import IngestOptions, IngestResult, ingest_bytes
from pipeline.report import Report, StageTiming
from pipeline.search import index_documents
from pipeline.segment import segment
from retrieval.library import Library

# Matches `server.maxUploadSize` in .streamlit/config.toml.
MAX_UPLOAD_BYTES = 50 * 2**20
_KEEP = {"reads": 64, "runs": 4, "libraries": 2, "searches": 8}

T = TypeVar("T")


def _remember(store: str, key: object, make: Callable[[], T]) -> T:
    """`make()` once per `key` in this session's `store`, oldest entries dropped past the cap."""
    entries: dict[object, T] = st.session_state.setdefault(f"_lb_{store}", {})
    if key not in entries:
        entries[key] = make()
        while len(entries) > _KEEP[store]:
            del entries[next(iter(entries))]
    return entries[key]


@dataclass(frozen=True)
class FileRead:
    """One uploaded file and what reading it gave."""

    name: str
    digest: str
    size: int
    password: str
    result: IngestResult

    @property
    def password_key(self) -> str:
        return password_key(self.digest)


def password_key(digest: str) -> str:
    """The widget key of a file's password box: by content, never by the user's file name."""
    return f"password-{digest[:20]}"


def read_upload(name: str, data: bytes) -> FileRead:
    """Read one upload (with the password the user typed for it, if any), once per session."""
    digest = hashlib.sha256(data).hexdigest()
    password = st.session_state.get(password_key(digest), "") or ""
    options = IngestOptions(password=password or None, max_bytes=MAX_UPLOAD_BYTES)
    result = _remember("reads", (digest, password, name), lambda: ingest_bytes(name, data, options))
    return FileRead(name, digest, len(data), password, result)


@dataclass(frozen=True)
class Run:
    """A report shown in this session, and whether it came from the results cache."""

    report: Report
    from_cache: bool
    seconds: float


def remember_run(key: tuple[object, ...], make: Callable[[], Run]) -> Run:
    """The run for `key` (results-cache key, ingest errors): made once per session."""
    return _remember("runs", key, make)


def bundle_library(bundle: str, docs: Sequence[Document]) -> Library:
    """An in-memory search index of this bundle's documents, built on first use."""

    def build() -> Library:
        library = Library.in_memory(resources.embedder())
        index_documents(library, [segment(d) for d in docs])
        return library

    # By the names too: the same content uploaded under other names is cited by those names.
    return _remember("libraries", (bundle, *(d.doc_id for d in docs)), build)


def remember_search(key: tuple[str, ...], make: Callable[[], T]) -> T:
    """Search results for (bundle, scope, query, k), kept so reruns do not search again."""
    return _remember("searches", key, make)


@dataclass(frozen=True)
class View:
    """What the page shows for one request: the files as read, and the report (if any).

    `label` and `status` close the status panel; `problem` is shown instead of results when
    no report could be made (nothing readable, a mode the model cannot run).
    """

    reads: tuple[FileRead, ...]
    run: Run | None
    label: str
    status: str
    timings: tuple[StageTiming, ...]
    problem: str | None = None


def request_signature(uploads: Sequence[object], options: object) -> tuple[object, ...]:
    """What a page view depends on: the uploads, the passwords typed, the summary options.

    Interacting with the results (a filter, a search) leaves it unchanged, so the page is
    redrawn from the kept `View` without hashing or reading the files again.
    """
    files = tuple((f.file_id, f.name, f.size) for f in uploads)  # type: ignore[attr-defined]
    passwords = tuple(
        sorted((k, v) for k, v in st.session_state.items() if str(k).startswith("password-"))
    )
    return (files, passwords, options)


def current_view(signature: tuple[object, ...]) -> View | None:
    """The view kept for `signature`, if the last request had the same one."""
    kept = st.session_state.get("_lb_view")
    return kept[1] if kept and kept[0] == signature else None


def keep_view(signature: tuple[object, ...], view: View) -> None:
    st.session_state["_lb_view"] = (signature, view)
