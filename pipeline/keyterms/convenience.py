"""Termination for convenience: a party's right to end the agreement at will, by notice alone.

A lawyer reads it where a sentence grants a party the right to terminate this agreement
("Either party may terminate this Agreement", "This Agreement may be terminated by Buyer",
"shall be terminable by Licensor") and the grant asks for nothing but notice or says so
("for convenience", "without cause", "for any reason"). A grant that depends on a cause
(breach, default, insolvency, a change of control, force majeure, "if ...", "in the event of
...") is not one, nor is the notice that stops a renewal ("at the end of the then-current term",
which is `non_renewal_notice`), nor the termination of another instrument ("any Purchase
Order"). The value is the notice period the grant states, True when it states none.

A sentence is read as its alternatives (split at ";" and at enumerators "(a)", "(ii)"): in
"This Agreement may be terminated (a) by Buyer upon thirty days' notice; or (b) by either party
if the other breaches", (a) grants the right. The items of a list inherit the grant of the
sentence that leads into them ("This Agreement may be terminated upon any of the following:
... (d) by either party upon sixty days' written notice").
"""

from __future__ import annotations

import re

from pipeline.keyterms.context import Clause, Context
from pipeline.keyterms.patterns import ALTERNATIVE, ENUMERATOR, LIST_ITEM, _blank, _is_notice
from pipeline.normalize import find_durations
from pipeline.terms import Term

FIELD = "termination_for_convenience"

# The grant of a right to terminate (or cancel). Active: "may terminate", "shall have the right
# to terminate", "reserves the right at any time to terminate", "wishing to terminate"; passive:
# "may be terminated", "shall be terminable", "cancellable"; or "shall terminate (a) at the
# option of any party". Between the grant's word and "terminate" no other verb may intervene: in
# "as applicable law may require, this Agreement will terminate" nothing is granted.
ACTIVE_GRANT = re.compile(
    r"\b(?:may|can|right|entitled|option|elect(?:s|ing)?|wish(?:es|ing)?|desir(?:es|ing)|"
    r"intend(?:s|ing)?)\b(?:(?!\b(?:will|shall|is|are|was|were|be|been|requires?)\b)[^.;:]){0,60}?"
    r"\b(?:terminat|cancel)\w*",
    re.I,
)
# "shall be terminated" is what happens, not a right ("shall be terminated automatically").
PASSIVE_GRANT = re.compile(
    r"\b(?:may|can)\s+(?:[\w-]+\s+){0,3}?be\s+(?:terminated|cancell?ed)\b"
    r"|\b(?:terminable|cancell?able)\b",
    re.I,
)
OPTION_GRANT = re.compile(r"\bat\s+the\s+(?:option|election)\s+of\b", re.I)
# A term that runs "until (or unless sooner) terminated by either party on ninety days' notice"
# grants that right in passing. The grant starts at "terminated", after its IN_PASSING_LEAD, so
# that the "unless" is read as no condition.
IN_PASSING_GRANT = re.compile(
    r"\b(?:terminated|cancell?ed)\b(?=\s+(?:(?:sooner|earlier)\s+)?(?:at\s+any\s+time\s+)?by\b)",
    re.I,
)
IN_PASSING_LEAD = re.compile(r"\b(?:unless|until)\s+(?:(?:sooner|earlier)\s+)?$", re.I)
# A renewal stopped by notice is the non-renewal notice, not a right to end the term early.
RENEWS = re.compile(
    r"\b(?:renew\w*|successive|year[-\s]to[-\s]year|automatic(?:ally)?\s+extend\w*)\b", re.I
)
TERMINATE_WORD = re.compile(r"\bterminat|\bcancel", re.I)

# A grant that is denied: "Neither party may terminate", "may not terminate".
DENIED = re.compile(r"\b(?:not|neither|nor)\b|\bno\s+party\b", re.I)

# What follows "terminate" when the agreement itself ends: "this Agreement", "this SOW" (the
# document itself), "the Services Agreement", or no object at all ("may terminate upon notice",
# "may terminate, at any time, ..."). The employment or engagement that an employment or
# consulting agreement sets up is the agreement's own ("may terminate Consultant's engagement").
OWN_OBJECT = re.compile(
    r"\s*(?:[,(]|this\b|the\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract)\b|"
    r"(?:[\w-]+'s|your|his|her|the)\s+(?:employment|engagement|appointment)\b|"
    r"(?:upon|on|at|by|for|without|with|in|immediately|effective|forthwith|prior|after|before|"
    r"during|within|as|if|unless|and|or)\b|$)",
    re.I,
)
# What precedes "may be terminated" when the agreement itself ends: "This Agreement (or any
# Project Plan) may be terminated", "this Order Form may be terminated".
OWN_SUBJECT = re.compile(
    r"\b(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract)\b|\bthis\s+[A-Z]", re.I
)

# A grant handed to a list ("may be terminated upon any of the following:", "shall have the
# right to terminate this Agreement in its entirety: (a) ..."), and the items that inherit it
# (LIST_ITEM): "(d) By either party ...", "b. upon sixty days' notice".
HANDS_TO_LIST = re.compile(r"[^.;:]{0,120}:")
LIST_REACH = 12

# A grant that points elsewhere ("the right to terminate this Agreement pursuant to Section
# 11.2(b)", "elects to terminate as provided in this Section") grants nothing here.
REFERRED = re.compile(
    r"[^.;:]{0,40}?\b(?:pursuant\s+to|in\s+accordance\s+with|as\s+(?:provided|set\s+forth|"
    r"described|permitted))\b",
    re.I,
)

# Words that say the agreement is ended without cause: "for convenience", "without cause",
# "for any reason or no reason", "at will", "for non-cause".
AT_WILL = re.compile(
    r"\bfor\s+(?:(?:its|their|his|her|any\s+party's|[\w-]+'s)\s+)?(?:own\s+)?convenience\b"
    r"|\bwithout\s+(?:any\s+)?(?:cause|reason)\b|\bwith\s+or\s+without\s+cause\b"
    r"|\bfor\s+(?:any|no)\s+reason\b|\bfor\s+non-?cause\b|\bat\s+will\b",
    re.I,
)

# A notice that lets the right take effect: "upon ninety (90) days' written notice", "by giving
# written notice", "after first notifying", "at any time", "in its sole discretion" (a
# discretion may be about a cause, so these ask, as notice does, that no cause be named).
NOTICE = re.compile(
    r"\bnotice\b|\bnotif\w*|\bat\s+any\s+time\b"
    r"|\bin\s+(?:its|their|his|her)\s+(?:sole|absolute|unfettered|own)\s+(?:and\s+\w+\s+)?"
    r"discretion\b",
    re.I,
)
NOTICE_WORD = re.compile(r"\bnotice\b|\bnotif\w*", re.I)
# "without further notice", "without prior notice": no notice given.
NO_NOTICE = re.compile(r"\bwithout\s+(?:any\s+|further\s+|prior\s+)?notice\b", re.I)

# What makes a termination one for cause, not at will: a breach, a default, insolvency, a
# change of control, force majeure, a condition ("if ...", "in the event ...", "upon the
# occurrence of ..."), the parties' mutual agreement, a right granted elsewhere ("pursuant to
# Section 8", "as provided in this Section") or a definition's "means". "If either party wishes
# to terminate" states no condition.
WISH = r"(?!\s+(?:[\w-]+\s+){1,4}?(?:wish|desire)(?:s|es)?\s+to\b)"
CAUSE = re.compile(
    r"\b(?:breach\w*|default\w*|insolv\w*|bankrupt\w*|receiver\w*|liquidat\w*|dissol\w*|"
    r"fail\w*|violat\w*|causes?|misconduct|fraud\w*|negligen\w*|cease[sd]?|death|disab\w*|"
    r"occurrence|circumstances?|unless|should|non-?payment|mutual\w*|means|pursuant)\b"
    r"|\bin\s+accordance\s+with\b|\bas\s+(?:provided|set\s+forth|described)\b"
    r"|\bforce\s+majeure\b|\bchange\s+(?:of|in)\s+(?:control|ownership)\b"
    r"|\bif\b" + WISH + r"|\bin\s+(?:the\s+)?(?:event|case)\b(?:\s+that)?" + WISH,
    re.I,
)
# The notice that stops a renewal, not a right to end the agreement early: "at the end of the
# then-current term", "sixty days prior to the expiration of the Initial Term", "not to renew".
END_OF_TERM = (
    r"(?:the\s+|any\s+|each\s+|such\s+)?(?:then[-\s]current\s+|current\s+|initial\s+|"
    r"renewal\s+|original\s+|primary\s+)?(?:term|period)\b"
)
NON_RENEWAL = re.compile(
    r"\bnot\s+to\s+(?:be\s+)?(?:renew|extend)|\bnon-?renewal\b"
    r"|\b(?:at|upon|on|as\s+of|effective(?:\s+as\s+of|\s+at|\s+upon|\s+on)?|with\s+effect\s+from)"
    r"\s+(?:the\s+)?(?:end|expir\w*|conclusion)\s+of\s+"
    + END_OF_TERM
    + r"|\b(?:days?|months?|weeks?|years?)\W{0,3}(?:\s+(?:prior\s+)?(?:written\s+)?notice)?"
    r"\s+(?:prior\s+to|before|preceding)\s+(?:the\s+)?(?:end|expir\w*|conclusion)\s+of\s+"
    + END_OF_TERM,
    re.I,
)


def termination_for_convenience(ctx: Context) -> list[Term]:
    """A right to terminate at will, valued by its notice period (True when none is stated)."""
    out = []
    lead: Clause | None = None
    for clause in ctx.clauses:
        inherited = lead is not None and _continues_list(lead, clause)
        grant = _grant(clause.text)
        span = _at_will_span(clause.text, grant, inherited)
        if span is not None:
            out.append(_valued(ctx, clause, *span))
        if _leads_list(clause.text, grant):
            lead = clause
        elif not inherited:
            lead = None
    return out


def _continues_list(lead: Clause, clause: Clause) -> bool:
    """Whether `clause` is an item of the list that `lead` introduces."""
    near = clause.index - lead.index <= LIST_REACH
    return near and bool(LIST_ITEM.match(clause.text))


def _leads_list(text: str, grant: re.Match[str] | None) -> bool:
    """Whether the sentence's `grant` of a right to terminate hands its terms to a list.

    A lead-in that states the notice itself ("may terminate this Agreement upon written notice
    to Supplier if any of the following occurs:") leaves only the causes to the list.
    """
    if grant is None or HANDS_TO_LIST.match(text, grant.end()) is None:
        return False
    return NOTICE_WORD.search(text, grant.end()) is None


def _grant(text: str) -> re.Match[str] | None:
    """The first grant of a right to terminate this agreement in `text` (see ACTIVE_GRANT)."""
    found = [
        m
        for m in ACTIVE_GRANT.finditer(text)
        if OWN_OBJECT.match(text, m.end()) and not REFERRED.match(text, m.end())
    ]
    found += [
        m
        for m in PASSIVE_GRANT.finditer(text)
        if OWN_SUBJECT.search(text[max(0, m.start() - 100) : m.start()])
    ]
    found += [m for m in OPTION_GRANT.finditer(text) if TERMINATE_WORD.search(text, 0, m.start())]
    found += [
        m
        for m in IN_PASSING_GRANT.finditer(text)
        if IN_PASSING_LEAD.search(text, max(0, m.start() - 30), m.start())
        and OWN_SUBJECT.search(text[max(0, m.start() - 150) : m.start()])
        and not RENEWS.search(text, 0, m.start())
    ]
    found = [m for m in found if not _denied(text, m)]
    return min(found, key=lambda m: m.start()) if found else None


def _denied(text: str, m: re.Match[str]) -> bool:
    """Whether the grant is denied: "Neither party may terminate", "may not be terminated"."""
    return bool(DENIED.search(text[max(0, m.start() - 15) : m.end()]))


def _alternatives(text: str) -> list[tuple[int, int]]:
    """The spans of the sentence's alternatives (see ALTERNATIVE); an enumerator starts one."""
    spans = []
    a = 0
    for m in ALTERNATIVE.finditer(text):
        spans.append((a, m.start()))
        a = m.start() if m.group().startswith("(") else m.end()
    return [*spans, (a, len(text))]


def _at_will_span(
    text: str, grant: re.Match[str] | None, inherited: bool
) -> tuple[int, int] | None:
    """The span of the first alternative that grants a right to terminate at will, if any.

    `grant`: the sentence's first grant (`_grant`); `inherited`: the sentence is an item of a
    list whose lead-in grants the right.
    """
    if grant is None and not inherited:
        return None
    spans = _alternatives(text)
    for i, (a, b) in enumerate(spans):
        here = grant is not None and a <= grant.start() < b
        if grant is not None and b <= grant.start() and not inherited:
            continue
        # A condition before the grant holds for all that follows; it may be long and name
        # alternatives of its own ("If a party fails to cure (A) or (B) ..., then the other
        # party may terminate"), so it is read back to the sentence or its last semicolon.
        if here and _names_cause(_condition_before(text, grant)):
            return None
        # An alternative that an enumerated list continues ("may terminate this Agreement by
        # notice, (a) in the event of ...") leaves its terms to the list, unless it says "for
        # convenience" itself.
        leads = i + 1 < len(spans) and ENUMERATOR.match(text, spans[i + 1][0]) is not None
        if _at_will(text[grant.start() if here else a : b], notice_enough=not leads):
            return a, b
    return None


def _condition_before(text: str, grant: re.Match[str]) -> str:
    """The words before `grant` back to the sentence's start or last semicolon, less the
    "unless" / "until" that a grant in passing (IN_PASSING_GRANT) follows."""
    before = text[text.rfind(";", 0, grant.start()) + 1 : grant.start()]
    if grant.re is IN_PASSING_GRANT:
        return IN_PASSING_LEAD.sub("", before)
    return before


def _at_will(part: str, notice_enough: bool = True) -> bool:
    """Whether an alternative ends the agreement without cause: it says so ("without cause")
    with no condition before, or it asks for notice and names no cause at all."""
    if NON_RENEWAL.search(part):
        return False
    said = AT_WILL.search(part)
    if said is not None and not _names_cause(part[: said.start()]):
        return True
    if not notice_enough or part.rstrip().endswith(":"):
        return False
    return bool(NOTICE.search(_blank(NO_NOTICE, part))) and not _names_cause(part)


def _names_cause(text: str) -> bool:
    """Whether `text` names a cause or condition (see CAUSE); "without cause" is none."""
    return bool(CAUSE.search(_blank(AT_WILL, text)))


def _valued(ctx: Context, clause: Clause, a: int, b: int) -> Term:
    """The term for the alternative text[a:b]: its notice period, or True with no period."""
    text = clause.text
    notice = next(
        (f for f in find_durations(text) if a <= f.start < b and _is_notice(text, f)), None
    )
    if notice is not None:
        return ctx.term(FIELD, notice.value, clause, notice.start, notice.end)
    return ctx.term(FIELD, True, clause, a, b)
