"""The uploaded files, each with what happened to it: read, locked (asks for the password), or
not readable (why), while the rest of the bundle goes on."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app.state import FileRead
from app.text import md, plural


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, n // 1024)} KB"


def _describe(read: FileRead) -> str:
    docs = read.result.documents
    if not docs:
        return _size(read.size)
    pages = sum(len(d.pages) for d in docs)
    title = docs[0].title if len(docs) == 1 and docs[0].title else ""
    parts = [plural(pages, "page"), _size(read.size)]
    return " · ".join([md(title), *parts] if title else parts)


def _problem(read: FileRead) -> None:
    """The file's problem, and for a locked PDF the box to type its password into."""
    error = read.result.errors[0]
    if error.kind == "encrypted":
        if read.password:
            st.error("That password does not open this file. Try again.", icon="🔒")
        else:
            st.warning("Password protected: enter its password to include it.", icon="🔒")
        # The label is hidden (the row shows the name) and names the box for screen readers and
        # browser tests, so it is the plain file name, not Markdown-escaped.
        st.text_input(
            f"Password for {read.name}",
            type="password",
            key=read.password_key,
            placeholder="Password, then Enter",
            label_visibility="collapsed",
        )
    elif error.kind == "no_text":
        st.warning("Scanned: no text layer, needs OCR. Left out of the brief.", icon="🖨️")
    else:
        st.error(f"Not read: {md(error.reason)}", icon="⚠️")


def _summary(reads: Sequence[FileRead]) -> str:
    read_ok = sum(not r.result.errors for r in reads)
    pages = sum(len(d.pages) for r in reads for d in r.result.documents)
    if read_ok < len(reads):
        return f"{read_ok} of {plural(len(reads), 'file')} read · {plural(pages, 'page')}"
    return f"{plural(len(reads), 'file')} read · {plural(pages, 'page')}"


def render(reads: Sequence[FileRead]) -> None:
    """One row per uploaded file, its status beside it; open by itself when a file needs care."""
    problems = any(r.result.errors for r in reads)
    icon = ":material/warning:" if problems else ":material/task_alt:"
    with st.expander(_summary(reads), expanded=problems, icon=icon):
        for read in reads:
            left, right = st.columns([3, 2], vertical_alignment="center")
            left.markdown(
                f":material/description: **{md(read.name)}**  \n:gray[:small[{_describe(read)}]]"
            )
            with right:
                if read.result.errors:
                    _problem(read)
                else:
                    st.badge("Read", icon=":material/check:", color="green")
