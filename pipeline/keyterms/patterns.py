"""Patterns and helpers that several fields read, kept here so no field module imports another's.

Recitals and the dates of other agreements (`_is_other`, `_dated`: agreement, effective and
expiration dates skip them), the signature block after "IN WITNESS WHEREOF"
(`_signature_region`: signature dates and signatory parties), and whether a duration is a
notice period (`_is_notice`: renewal terms, notice periods, covenant durations, termination for
convenience), and where a sentence's alternatives and list items start (`ALTERNATIVE`,
`LIST_ITEM`: termination for convenience, order of precedence). No field is extracted here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from pipeline.keyterms.context import Clause
from pipeline.normalize import Found, find_dates

# Where one alternative or list item of a sentence ends and the next begins: "; or by Licensee
# ...", "(b) by either Party ...". Numbers in brackets ("thirty (30)") and a plural's "(s)"
# after a word are not enumerators.
ALTERNATIVE = re.compile(r";|(?:(?<=\s)|(?<=^)|(?<=:))\((?:[a-z]|[ivx]{1,4})\)", re.I)
ENUMERATOR = re.compile(r"\((?:[a-z]|[ivx]{1,4})\)", re.I)
# A sentence that is an item of a list: "(d) By either party ...", "b. upon sixty days' notice".
LIST_ITEM = re.compile(r"^\W{0,3}(?:\(?(?:[a-z]|[ivx]{1,4})\)|[a-z]\.)\s", re.I)

# A recital ("WHEREAS, ..."): what it dates happened before this agreement.
OTHER_AGREEMENT = re.compile(r"^\W*(?:(?:RECITALS?|BACKGROUND|WITNESSETH)\W+)*WHEREAS", re.I)
RECITAL_HEADING = re.compile(r"recital|background|whereas|witnesseth|preliminary\s+statement")
# "... to the Manufacturing Agreement (the "Original Agreement") dated as of": a date that a
# participle hangs on another agreement, with no finite verb ("is made", "shall") of this one.
OTHER_AGREEMENT_DATE = re.compile(
    # ('"Master Agreement" means the Master Agreement between A and B, dated as of ...')
    r"\b(?:to|under|of|amend\w*|means)\s+(?:the|that)\s+(?:certain\s+)?[^;]{0,200}?"
    r"\b(?:agreement|contract|lease|licen[cs]e)\b(?:(?!\b(?:is|are|shall|will|hereby)\b)[^;])*?"
    r"\b(?:dated|entered\s+into|made|executed|signed)\b[^;]{0,40}$"
    # "(A) X and Y entered into the JV Agreement as of ...", "...; and WHEREAS, ...": a recital
    # inside a long sentence.
    r"|\b(?:entered|executed)\s+into\s+(?:a|an|the|that|certain)\b[^;]{0,120}$"
    r"|\bWHEREAS\b[^;]{0,250}$"
    # "supersedes the Services Agreement dated ...", "are parties to a Lease dated ..."
    r"|\b(?:previously\s+entered|are\s+parties\s+to|supersed\w*)\b"
    r"(?:(?!\b(?:is|shall|will|hereby)\b)[^;]){0,150}$"
    # "confirmed by letter dated November 30", "the purchase order dated": another document's date
    r"|\b(?:letter|purchase\s+order|memorandum|proposal|notice)\s+dated\s*(?:as\s+of\s*)?$",
    re.I,
)

# Where the parties sign; a signature block's dates are the dates the agreement was signed.
WITNESS = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|THUS\s+DONE\s+AND\s+SIGNED|(?:ACCEPTED|AGREED)\s+AND\s+"
    r"(?:ACCEPTED|AGREED)|AGREED\s+TO\s+AND\s+ACCEPTED",
    re.I,
)

SIGNATURE_SPAN = 1500
RULE_IN_DATE = re.compile(r"(?<=,)\s*-{3,}(?=\s*(?:19|20)\d\d\b)")


def _is_other(clause: Clause) -> bool:
    """Whether the sentence recites or refers to another agreement (its dates are not ours)."""
    return bool(OTHER_AGREEMENT.search(clause.text) or RECITAL_HEADING.search(clause.headings))


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """`text` with the matches of `pattern` blanked out (same length, same offsets)."""
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _dated(
    clauses: Iterable[Clause], keep: Callable[[str, Found], object]
) -> Iterator[tuple[Clause, Found]]:
    """(clause, date) for every date of `clauses` that `keep(text, date)` accepts.

    Recitals and dates that belong to another agreement ("to the Supply Agreement dated ...")
    are skipped: every date field wants this document's own dates.
    """
    for clause in clauses:
        if _is_other(clause):
            continue
        text = clause.text
        # "31 December, --------- 1996": a rule drawn through a date is read past (same offsets).
        for f in find_dates(_blank(RULE_IN_DATE, text)):
            if OTHER_AGREEMENT_DATE.search(text[max(0, f.start - 300) : f.start]):
                continue
            if keep(text, f):
                yield clause, f


def _before(text: str, found: Found, reach: int = 80) -> str:
    return text[max(0, found.start - reach) : found.start]


def _signature_region(text: str) -> tuple[int, int, re.Match[str] | None]:
    """The span after the first "IN WITNESS WHEREOF" past the document's first quarter (or the
    first at all), with the match; the whole text and None when there is none."""
    witness = WITNESS.search(text, len(text) // 4) or WITNESS.search(text)
    if witness is None:
        return 0, len(text), None
    return witness.start(), min(len(text), witness.end() + SIGNATURE_SPAN), witness


NOTICE_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,4}?(?:prior(?!\s+termination)|before|in\s+advance|preceding|notice"
    r"|written|advance)",
    re.I,
)
NOTICE_BEFORE = re.compile(r"(?:notice|notify\w*|notif\w*)\W+(?:\w+\W+){0,6}$", re.I)


def _is_notice(text: str, f: Found) -> bool:
    return bool(
        NOTICE_AFTER.search(text[f.end : f.end + 60])
        or NOTICE_BEFORE.search(text[max(0, f.start - 60) : f.start])
    )
