"""How long a covenant lasts: the confidentiality, non-compete and warranty periods.

Each is the first duration, not a notice period, after words such as "for a period of" in a
sentence about its topic (or under its heading), read by `_period_terms`. Without one, a
confidentiality duty said to last without end is "perpetual", and a promise not to compete is
"during the term" or True.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.keyterms.context import Clause, Context
from pipeline.keyterms.patterns import _is_notice
from pipeline.normalize import find_durations
from pipeline.terms import Term


def _period_terms(
    ctx: Context,
    field: str,
    about: Callable[[Clause], bool],
    durations_after: re.Pattern[str],
    durations_before: re.Pattern[str] | None = None,
) -> list[Term]:
    """The first duration (not a notice period) of each clause that is `about` the covenant,
    whose preceding words match `durations_after` or whose following words match
    `durations_before` ("a six-month warranty")."""
    out = []
    for clause in ctx.clauses:
        if not about(clause):
            continue
        text = clause.text
        for f in find_durations(text):
            before = text[max(0, f.start - 60) : f.start]
            said = durations_after.search(before) or (
                durations_before is not None and durations_before.match(text, f.end)
            )
            if said and not _is_notice(text, f):
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
        lambda clause: clause.about(CONFIDENTIALITY),
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


NON_COMPETE = re.compile(
    r"non-?compet|not\s+(?:directly\s+or\s+indirectly\s+)?(?:\w+\s+)?compete|"
    r"competing\s+(?:business|product)|competitive\s+business|"
    r"(?:business|activit(?:y|ies)|products?)\s+(?:that\s+is\s+|which\s+is\s+)?"
    r"(?:competitive|in\s+competition)\s+with",
    re.I,
)
SOLICIT = re.compile(r"solicit", re.I)


def non_compete_duration(ctx: Context) -> list[Term]:
    """How long a party may not compete: "for a period of two (2) years after termination";
    "during the term" for a covenant that lasts as long as the agreement ("Distributor shall not
    sell any products competitive with the Products during the Term"), True for one that states
    no length. Stated lengths come first."""
    periods = _period_terms(
        ctx,
        "non_compete_duration",
        lambda clause: clause.about(NON_COMPETE) and not SOLICIT.search(clause.text),
        re.compile(
            r"(?:period\s+of|for|during|thereafter|until)\s*(?:a\s+period\s+of\s+)?"
            r"(?:the\s+)?$|and\s+for\s*$",
            re.I,
        ),
    )
    if periods:
        return periods
    for clause in ctx.clauses:
        covenant = _compete_covenant(clause.text)
        if covenant is None:
            continue
        during = DURING_TERM.search(clause.text)
        value: object = "during the term" if during else True
        return [ctx.term("non_compete_duration", value, clause, *covenant)]
    return []


# A promise not to compete: a negative ("shall not", "agrees not to", "neither ... shall",
# "prohibited from") followed, within the sentence, by a restricted act (sell, market, carry,
# develop, engage in ...) and by what competes ("competitive with the Products", "any Competing
# Product", "a Competitor", "the same or similar products").
NEGATIVE = re.compile(
    r"\b(?:shall|will|may|must|agrees?(?:\s+that\s+\w+\s+will)?|covenants?)\s+not\b|\bneither\b"
    r"|\bprohibited\s+from\b|\brefrain\w*\s+from\b",
    re.I,
)
RESTRICTED_ACT = re.compile(
    r"\b(?:compete|engag|sell|sale|market|distribut|manufactur|develop|carry|represent|promot"
    r"|offer|licens|acquir|operat|provid|advertis|place|commerciali[sz]|conduct|produc|supply"
    r"|open|invest|endorse|own)\w*",
    re.I,
)
COMPETITION = re.compile(
    r"(?<!unfair\s)(?<!anti-)\bcompet(?:e|es|ing|itive|itor|itors|ition)\b(?!\s+laws?\b)"
    r"|\bsame\s+or\s+(?:substantially\s+)?similar\s+(?:products?|services?|business)"
    r"|\bsimilar\s+(?:to\s+(?:the\s+)?)?(?:products?|services?)\b",
    re.I,
)
# Not a covenant: what the agreement leaves a party free to do ("Nothing in this Agreement
# shall prevent either party from competing", "shall not be restricted from"), or a remedy's
# or a definition's mention of competition.
PERMITS = re.compile(
    r"\bnothing\b[^.]{0,160}\b(?:prevent|restrict|limit|preclude|prohibit)|\bnot\s+be\s+"
    r"(?:restricted|prevented|prohibited|precluded|limited)\b|\bfree\s+to\b|\bmay\s+compete\b"
    r"|\bnot\s+(?:be\s+)?(?:deemed|construed)\b",
    re.I,
)
DURING_TERM = re.compile(
    r"\b(?:during|throughout)\s+the\s+(?:initial\s+)?term\b|\b(?:as|so)\s+long\s+as\s+this\s+"
    r"agreement\s+(?:is|remains)\s+in\s+(?:full\s+)?(?:force|effect)",
    re.I,
)
COVENANT_REACH = 250


def _compete_covenant(text: str) -> tuple[int, int] | None:
    """The span from the negative to what competes, where `text` promises not to compete."""
    if PERMITS.search(text):
        return None
    for comp in COMPETITION.finditer(text):
        lead_start = max(0, comp.start() - COVENANT_REACH)
        negatives = list(NEGATIVE.finditer(text, lead_start, comp.start()))
        if not negatives:
            continue
        neg = negatives[-1]
        between = text[neg.end() : comp.end()]
        if "." in between.replace("Inc.", "").replace("Ltd.", "") or ";" in between:
            continue
        if RESTRICTED_ACT.search(between):
            return neg.start(), comp.end()
    return None


# A warranty of the goods or work, said in the sentence itself: "warranty", or a party that
# "warrants" the work's quality; not a "representations and warranties" heading over other
# promises, nor a warrant to buy shares.
WARRANTY_NOUN = re.compile(r"\bwarrant(?:y|ies)\b", re.I)
WARRANTS = re.compile(r"\bwarrant(?:s|ed)?\b(?!\s+(?:to\s+purchase|exercisable|shares|\())", re.I)
EQUITY_WARRANT = re.compile(
    r"\b(?:grant\s+warrant|warrants?\s+(?:to\s+purchase|exercisable|for\s+\d|shares))", re.I
)
QUALITY = re.compile(
    r"defect|conform|workmanship|free\s+(?:from|of)\s+(?:any\s+)?(?:error|defect|bug)|\bbugs?\b"
    r"|specification|merchantab|fitness|perform\w*\s+(?:substantially|in\s+accordance)",
    re.I,
)
WARRANTY_AFTER = re.compile(r"\W{0,3}(?:limited\s+|product\s+|parts\s+)?warrant(?:y|ies)\b", re.I)
WARRANTY_BEFORE = re.compile(
    r"(?:period\s+of|for|during|within|warranty\s+period\s*(?:of|is|shall\s+be|will\s+be|:)?)"
    r"\s*(?:a\s+period\s+of\s+)?$",
    re.I,
)


def _without_heading(text: str, headings: str) -> str:
    """`text` without the numbered heading it opens with ("11. Warranties. ..."), where that
    heading is the last of `headings`."""
    heading = headings.rsplit(" / ", 1)[-1].strip()
    if not heading:
        return text
    lead = re.match(rf"\W*(?:[\w.()]{{1,8}}\s+)?{re.escape(heading)}\W*", text, re.I)
    return text[lead.end() :] if lead else text


def warranty_duration(ctx: Context) -> list[Term]:
    """How long a warranty lasts: "for a period of six (6) months following its acceptance",
    "a six-month warranty", "the warranty period is twelve (12) months"."""
    return _period_terms(ctx, "warranty_duration", _about_warranty, WARRANTY_BEFORE, WARRANTY_AFTER)


def _about_warranty(clause: Clause) -> bool:
    """Whether the sentence warrants the goods or work (see WARRANTY_NOUN).

    The heading is read as a heading, not as the sentence's own words: a sentence under a
    warranty heading that speaks of defects is about the warranty; "Representations and
    Warranties" over a promise to keep insurance makes it no warranty of the work.
    """
    if EQUITY_WARRANT.search(clause.text):
        return False
    body = _without_heading(clause.text, clause.headings)
    if WARRANTY_NOUN.search(body):
        return True
    warrants = WARRANTS.search(body) or WARRANTY_NOUN.search(clause.headings)
    return bool(warrants and QUALITY.search(body))
