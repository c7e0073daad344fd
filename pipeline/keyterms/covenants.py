"""How long a covenant lasts: the confidentiality, non-compete and warranty periods.

Each is the first duration, not a notice period, after words such as "for a period of" in a
sentence about its topic (or under its heading).
"""

from __future__ import annotations

import re

from pipeline.keyterms.context import Context
from pipeline.keyterms.patterns import _is_notice
from pipeline.normalize import find_durations
from pipeline.terms import Term


def _period_terms(
    ctx: Context,
    field: str,
    topic: re.Pattern[str],
    durations_after: re.Pattern[str],
    skip: re.Pattern[str] | None = None,
) -> list[Term]:
    """Durations in clauses about `topic` whose preceding words match `durations_after`."""
    out = []
    for clause in ctx.clauses:
        if not clause.about(topic) or (skip and skip.search(clause.text)):
            continue
        text = clause.text
        for f in find_durations(text):
            before = text[max(0, f.start - 60) : f.start]
            if durations_after.search(before) and not _is_notice(text, f):
                out.append(ctx.term(field, f.value, clause, f.start, f.end))
                break
    return out


CONFIDENTIALITY = re.compile(r"confidential|non-?disclosure", re.I)
# A duty that never lapses: "these obligations shall survive in perpetuity", "shall continue
# indefinitely" (not the "perpetual license" a confidentiality clause may mention).
PERPETUAL_DUTY = re.compile(
    r"\b(?:surviv\w*|continu\w*|remain\w*|last|in\s+(?:full\s+)?(?:effect|force)|bind\w*)\b"
    r"[^.;]{0,60}?\b(?:in\s+perpetuity|perpetually|indefinitely|forever)\b",
    re.I,
)

DUTY = re.compile(
    r"confidential|non-?disclosure|obligations?|dut(?:y|ies)|this\s+(?:section|article)", re.I
)


def _denied(text: str, m: re.Match[str]) -> bool:
    """Whether the lasting duty is denied: "shall not survive indefinitely"."""
    return re.search(r"\bnot\b", text[max(0, m.start() - 15) : m.end()]) is not None


def confidentiality_period(ctx: Context) -> list[Term]:
    """How long confidentiality lasts: "survive for a period of three (3) years following", or
    "perpetual" when the duty is said to last without end."""
    periods = _period_terms(
        ctx,
        "confidentiality_period",
        CONFIDENTIALITY,
        re.compile(
            r"(?:period\s+of|survive\w*\s+(?:for\s+)?|continue\w*\s+(?:for\s+)?|for|"
            r"during|until)\s*(?:a\s+period\s+of\s+)?$",
            re.I,
        ),
    )
    if periods:
        return periods
    for clause in ctx.clauses:
        m = PERPETUAL_DUTY.search(clause.text) if clause.about(CONFIDENTIALITY) else None
        # The duty must be what lasts: not "this Agreement ... shall continue indefinitely"
        # under a heading that mentions confidentiality (the heading, before its full stop,
        # is no subject).
        subject = re.split(r"\.\s+(?=[A-Z])", clause.text[: m.start()])[-1] if m else ""
        if m is not None and DUTY.search(subject) and not _denied(clause.text, m):
            return [ctx.term("confidentiality_period", "perpetual", clause, m.start(), m.end())]
    return []


def non_compete_duration(ctx: Context) -> list[Term]:
    """How long a party may not compete: "for a period of two (2) years after termination"."""
    return _period_terms(
        ctx,
        "non_compete_duration",
        re.compile(
            r"non-?compet|not\s+(?:directly\s+or\s+indirectly\s+)?(?:\w+\s+)?compete|"
            r"competing\s+(?:business|product)|competitive\s+business|"
            r"(?:business|activit(?:y|ies)|products?)\s+(?:that\s+is\s+|which\s+is\s+)?"
            r"(?:competitive|in\s+competition)\s+with",
            re.I,
        ),
        re.compile(
            r"(?:period\s+of|for|during|thereafter|until)\s*(?:a\s+period\s+of\s+)?"
            r"(?:the\s+)?$|and\s+for\s*$",
            re.I,
        ),
        skip=re.compile(r"solicit", re.I),
    )


def warranty_duration(ctx: Context) -> list[Term]:
    """How long a warranty lasts: "for a period of six (6) months following its acceptance"."""
    return _period_terms(
        ctx,
        "warranty_duration",
        re.compile(r"\bwarrant", re.I),
        re.compile(
            r"(?:period\s+of|for|during|within|warranty\s+period\s+(?:is|shall\s+be|will\s+be))"
            r"\s*(?:a\s+period\s+of\s+)?$",
            re.I,
        ),
    )
