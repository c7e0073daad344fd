"""The Conflicts tab: where the documents disagree, both quotes side by side, and which governs."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app.text import md
from pipeline.conflicts import LABELS, ConflictFlag, Evidence

SEVERITIES = ("high", "medium", "low", "info")
SEVERITY_LABEL = {"high": "High", "medium": "Medium", "low": "Low", "info": "Amended"}
_BADGE_COLOR = {"high": "red", "medium": "orange", "low": "gray", "info": "violet"}


def field_label(field: str) -> str:
    """The readable name of a key-term field ("notice to prevent renewal")."""
    return LABELS.get(field, field.replace("_", " ")).capitalize()


def _filters(flags: Sequence[ConflictFlag]) -> tuple[list[str], list[str]]:
    present = [s for s in SEVERITIES if any(f.severity == s for f in flags)]
    fields = list(dict.fromkeys(f.field for f in flags))
    left, right = st.columns([2, 3])
    with left:
        severities = st.pills(
            "Severity",
            present,
            selection_mode="multi",
            default=present,
            format_func=lambda s: SEVERITY_LABEL.get(s, s),
            key="conflict-severity",
        )
    with right:
        chosen = st.multiselect(
            "Term",
            fields,
            format_func=field_label,
            key="conflict-fields",
            placeholder="All terms",
        )
    # No term chosen means every term: the filter narrows, it never starts empty.
    return list(severities or []), list(chosen or fields)


def _side(evidence: Evidence, heading: str, governs: bool) -> None:
    """One document's statement: document and its kind, page, value, and the quote."""
    with st.container(border=True):
        top, badge = st.columns([4, 1], vertical_alignment="center")
        over = f"{heading} · {evidence.kind}" if heading else evidence.kind
        top.markdown(f":gray[{md(over)}]  \n**{md(evidence.title)}** · p. {md(evidence.page)}")
        if governs:
            with badge:
                st.badge("Governs", icon=":material/gavel:", color="green")
        st.markdown(f"#### {md(evidence.value)}")
        st.markdown(f"> {md(evidence.quote)}")
        st.caption(f"{md(evidence.doc_id)}, page {md(evidence.page)}")


def _governs_line(flag: ConflictFlag) -> None:
    if flag.governs == "unresolved":
        st.warning(f"**Unresolved.** {md(flag.rule.capitalize())}.", icon=":material/help:")
        return
    side = flag.a if flag.governs == flag.a.doc_id else flag.b
    st.success(
        f"**{md(side.title)} governs** ({md(side.value)}): {md(flag.rule)}.",
        icon=":material/gavel:",
    )


def _card(flag: ConflictFlag, number: int) -> None:
    amended = flag.kind == "amended_by"
    # The key (a number, never user text) gives the card a stable CSS class, `st-key-flag-N`.
    with st.container(border=True, key=f"flag-{number}"):
        head, badge = st.columns([5, 1], vertical_alignment="center")
        head.markdown(f"### {md(field_label(flag.field))}")
        with badge:
            label = "Amended" if amended else f"{SEVERITY_LABEL[flag.severity]} severity"
            st.badge(label, color=_BADGE_COLOR.get(flag.severity, "gray"))
        st.markdown(md(flag.explanation))
        headings = ("Original", "Amended by") if amended else ("", "")
        left, arrow, right = st.columns([10, 1, 10])
        with left:
            _side(flag.a, headings[0], flag.governs == flag.a.doc_id)
        with arrow:
            # Level with the values, which sit a few lines into each side's card.
            st.space("large")
            st.markdown(":material/arrow_forward:" if amended else ":material/compare_arrows:")
        with right:
            _side(flag.b, headings[1], flag.governs == flag.b.doc_id)
        _governs_line(flag)


def render(flags: Sequence[ConflictFlag]) -> None:
    """Filters, then one card per conflict flag."""
    if not flags:
        st.success("No conflicts: the documents agree on every key term they share.")
        return
    severities, fields = _filters(flags)
    shown = [(i, f) for i, f in enumerate(flags) if f.severity in severities and f.field in fields]
    st.caption(f"Showing {len(shown)} of {len(flags)} flags.")
    for number, flag in shown:
        _card(flag, number)
