"""The order of precedence among the contract's documents.

"The Amendment shall prevail over the Agreement", "in the event of a conflict between this
Agreement and any SOW, this Agreement shall control": the documents a sentence ranks, as
"Amendment > Agreement > SOW, Exhibit". `DOC_KINDS` names the kinds of document it knows
(`pipeline.conflicts` reads it too).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from pipeline.keyterms.context import Clause, Context
from pipeline.keyterms.patterns import ALTERNATIVE, LIST_ITEM
from pipeline.terms import Term

DOC_KINDS = [
    (r"amendments?", "Amendment"),
    (r"statements?\s+of\s+work|SOWs?", "SOW"),
    (r"order\s+forms?", "Order Form"),
    (r"purchase\s+orders?", "Purchase Order"),
    (r"exhibits?|schedules?|annex(?:es)?|appendi(?:x|ces)|attachments?", "Exhibit"),
    (r"addend(?:um|a)", "Addendum"),
    (r"(?:master\s+(?:services\s+)?)?agreement|MSA", "Agreement"),
]
_KIND_RE = re.compile(
    r"\b(?:this|the|any|each|such|an?|that)?\s*(?P<kind>"
    + "|".join(f"(?:{p})" for p, _ in DOC_KINDS)
    + r")\b",
    re.I,
)
PREVAIL = re.compile(
    r"\b(?:prevail\w*|control\w*|govern\w*|take\w*\s+precedence|supersede\w*|"
    r"rank\w*\s+after)\b",
    re.I,
)
PRECEDENCE_TOPIC = re.compile(r"precedence|conflict|inconsisten", re.I)


def _kind(word: str) -> str:
    return next(name for pat, name in DOC_KINDS if re.fullmatch(pat, word, re.I))


# A ranking given as a list: "the following order of precedence shall apply: (i) any
# Amendment; (ii) this Agreement; (iii) the SOW", "shall be given precedence in the following
# order: ...", "conflicts shall be resolved in the following order: ..." (not "payments shall be
# applied in the following order"). A list that starts after the colon's sentence ends may run
# on into the sentences after it.
ORDER_LIST = re.compile(
    r"\b(?:order\s+of\s+(?:precedence|priority)|(?:precedence|priority)\s+in\s+the\s+following"
    r"\s+order|(?:resolved|prevail|control|govern|rank(?:ed)?|apply|take\s+precedence)\s+in\s+the"
    r"\s+following\s+(?:descending\s+)?order)\b[^:.;]{0,80}:",
    re.I,
)
LIST_REACH = 6


def _listed_order(ctx: Context, clause: Clause) -> tuple[re.Match[str] | None, list]:
    """The ORDER_LIST of `clause` and the (higher, lower) pairs of the ranking it lists."""
    m = ORDER_LIST.search(clause.text)
    if m is None:
        return None, []
    after = [clause.text[m.end() :]]
    if not after[0].strip():
        for item in ctx.clauses[clause.index + 1 : clause.index + 1 + LIST_REACH]:
            if not LIST_ITEM.match(item.text):
                break
            after.append(item.text)
    ranked: list[str] = []
    for item in ALTERNATIVE.split(" ".join(after)):
        kind = _KIND_RE.search(item)
        if kind is not None and _kind(kind.group("kind")) not in ranked:
            ranked.append(_kind(kind.group("kind")))
    return m, list(itertools.pairwise(ranked))


def order_of_precedence(ctx: Context) -> list[Term]:
    """Which documents prevail over which, as "Amendment > Agreement > SOW, Exhibit"."""
    edges: list[tuple[str, str]] = []
    first: tuple[Clause, int, int] | None = None
    for clause in ctx.clauses:
        if not clause.about(PRECEDENCE_TOPIC):
            continue
        lead, listed = _listed_order(ctx, clause)
        if lead is not None and listed:
            edges.extend(listed)
            first = first or (clause, lead.start(), lead.end())
            continue
        if not PREVAIL.search(clause.text):
            continue
        found = _precedence_edges(clause.text)
        if found:
            edges.extend(found)
            m = PREVAIL.search(clause.text)
            first = first or (clause, m.start(), m.end())
    if not edges or first is None:
        return []
    clause, start, end = first
    return [ctx.term("order_of_precedence", _rank(edges), clause, start, end)]


def _precedence_edges(text: str) -> list[tuple[str, str]]:
    """(winner, loser) pairs: "X shall prevail over Y", "between X and Y, X shall prevail"."""
    edges = []
    for m in PREVAIL.finditer(text):
        verb = m.group(0).lower()
        left = [_kind(k.group("kind")) for k in _KIND_RE.finditer(text, 0, m.start())]
        right = [_kind(k.group("kind")) for k in _KIND_RE.finditer(text, m.end())]
        if not left:
            continue
        if verb.startswith("rank"):
            # "Exhibits to this Agreement rank after the body of this Agreement."
            edges.extend((other, left[0]) for other in right[:1] if other != left[0])
            break
        subject = left[-1]
        losers = [k for k in right if k != subject]
        if re.match(r"\s+over\b", text[m.end() : m.end() + 6]) and losers:
            edges.extend((subject, k) for k in dict.fromkeys(losers))
        else:
            edges.extend((subject, k) for k in dict.fromkeys(left[:-1]) if k != subject)
        # Only the first ruling of a sentence counts: the rest are its exceptions.
        if edges:
            break
    return edges


def _rank(edges: Sequence[tuple[str, str]]) -> str:
    """Levels by longest path from the top: ties (no order known) share a level."""
    nodes = list(dict.fromkeys(k for e in edges for k in e))
    level = dict.fromkeys(nodes, 0)
    for _ in nodes:
        for winner, loser in edges:
            if level[loser] <= level[winner] and level[winner] < len(nodes):
                level[loser] = level[winner] + 1
    groups: dict[int, list[str]] = {}
    for node in nodes:
        groups.setdefault(level[node], []).append(node)
    return " > ".join(", ".join(groups[k]) for k in sorted(groups))
