"""The agreement date and the effective date.

Preamble dates ranked by the words before them ("made and entered into as of" over "dated" over
"effective"), the date line above a letter agreement's "Ladies and Gentlemen:", an execution
line ("Dated the ___ day of May, 2000."), dates labelled "Effective Date" or introduced by
"effective as of", the latest date of the signature block for a contract that takes effect on
signature, and the agreement date for one that refers to its effective date without stating
another. An amendment's quoted new wording of the amended agreement, recitals and the dates of
other documents ("the Master Agreement ... dated", "by letter dated") are not this agreement's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, pairwise

from pipeline.keyterms.context import Clause, Context
from pipeline.keyterms.patterns import _before, _dated, _is_notice, _is_other, _signature_region
from pipeline.normalize import Found, add_months, find_dates, find_durations, find_yearless_dates
from pipeline.terms import Term

# Where an execution line says the agreement was signed: "at London, England, ", "in Houston ".
PLACE = r"\s+(?:at|in)\s+(?:[A-Z][\w.'-]*,?\s+){1,4}?"
# How surely the words before a preamble date make it the agreement's own date.
DATE_CUES = [
    (
        3,
        r"(?:made|entered(?:\s+into)?|executed|concluded|signed"
        # "Signed at London on 3 March 2010", "Done at Geneva this 3rd day of March"
        rf"|(?:made|executed|concluded|signed|done){PLACE}(?=on|this))"
        r"(?:\s+and\s+(?:entered\s+into|effective|delivered))?\s*"
        # "made and entered into effect the 7th day of April"
        r"(?:(?:as\s+of|on|at|this|effect(?:ive)?(?:\s+as\s+of)?)\s*)?",
    ),
    (2, r"\bdated\s*:?\s*(?:as\s+of\s*)?|\bdate\s*:\s*|\bas\s+of\s*"),
    (1, r"effective\s*(?:as\s+of|on|from)?\s*"),
]
DATE_CUE_RES = [
    (score, re.compile(rf"(?:{pat})(?:the\s+)?(?:this\s+)?(?:day\s+of\s+)?$", re.I))
    for score, pat in DATE_CUES
]
EFFECTIVE_LABEL = re.compile(
    # '(the "Effective Date")', and the misplaced 'the ("Effective Date")'
    r"^\W{0,4}(?:the\s+(?=\())?(?:\(\s*)?(?:the\s+|this\s+|hereinafter\s+(?:the\s+)?)?[\"\u201c\u2018']*"
    r"(?:[A-Z][\w-]*\s+)?Effective\s+Date",
    re.I,
)
EFFECTIVE_DEF = re.compile(
    r"[\"\u201c\u2018']?Effective\s+Date[\"\u201d\u2019']?\s*(?:shall\s+)?"
    r"(?:means?|shall\s+be|is|refers\s+to)",
    re.I,
)
EFFECTIVE_CUE = re.compile(
    r"(?:(?:effective|commenc\w*|begin\w*|start\w*|into\s+force)\s+(?:as\s+of|on|from|upon|this)?"
    # "shall take effect on", "with effect from", "in full force and effect as of", "valid from"
    r"|(?:(?:take[sn]?|took)\s+effect|with\s+effect|in\s+(?:full\s+)?(?:force|effect)"
    r"(?:\s+and\s+effect)?|valid|into\s+effect)\s+(?:as\s+of|on|from)"
    # "The term of this Agreement shall be from March 3, 2010 to ..."
    r"|\b(?:is|be|runs?|extends?|lasts?)\s+from)\s*(?:the\s+)?(?:day\s+of\s+)?$",
    re.I,
)
TERM_HEAD = (
    r"(?:^|\n)\s*(?:\d+(?:\.\d+)*\.?\s*)?(?:initial\s+|contract\s+)?term"
    r"(?:\s+of\s+(?:[\w-]+\s+){0,2}?[\w-]+)?\s*:?"
)
# "Effective Date: March 1", '"Commencement Date" means 12:01 a.m. Eastern Time on March 3'.
EFFECTIVE_BEFORE = re.compile(
    r"(?:Effective|Commencement)\s+Date[\"\u201d\u2019']?\s*"
    # "The effective date of this Agreement is March 3"
    # (not "the effective date of the Merger Agreement is": another's)
    r"(?:of\s+(?:this\s+(?:[\w-]+\s+){0,2}?|the\s+)(?:agreement|contract|amendment|addendum)\s*)?"
    # (a gap before the date only after a defining verb: not "the Effective Date and shall
    # expire on December 31"; 'shall mean the date of installation, i.e. December 10')
    r"(?:[:\-]\s*|(?:is|shall\s+be|(?:shall\s+)?means?\s*:?)\s*"
    r"(?:[^;\"]{0,80}?(?:\bon|,?\s+i\.\s?e\.,?|,?\s+namely,?)\s+)?)?(?:the\s+)?$"
    # "COMMENCEMENT DATE FOR MAINTENANCE UNDER THIS ADDENDUM: MARCH 1", "Contract start: 04-01-06"
    r"|(?:Effective|Commencement|Start)\s+Date[^:;\n]{0,60}:\s*$|Contract\s+start\s*:\s*$"
    # A line headed with the term: "TERM OF SERVICE From June 1, 2015 until ...", "2. Term: from"
    rf"|{TERM_HEAD}\s*from\s*$",
    re.I,
)
EFFECTIVE_WORDS = re.compile(
    r"effective|commenc|into\s+(?:force|effect)|\b(?:begin|start)s?\s+on\b|\bbeginning\b"
    r"|contract\s+start|\bstart\s+date\b|\b(?:take[sn]?|took|with)\s+effect\b|\bin\s+(?:full\s+)?(?:force|effect)\b"
    r"|\bvalid\s+(?:from|as\s+of|on)\b|\b(?:is|be|runs?|extends?|lasts?)\s+from\b"
    rf"|{TERM_HEAD}\s*from\b",
    re.I,
)
# What takes effect: this agreement, its term, or the venture or engagement it sets up.
THIS_DEAL = (
    r"\b(?:this|the)\s+[\"\u201c]?(?:[\w-]+\s+){0,3}?(?:agreement|amendment|contract|addendum|venture"
    r"|promotion|engagement|term)\b[\"\u201d]?"
)
THIS_EFFECTIVE = re.compile(
    rf"{THIS_DEAL}\s+(?:\w+\s+){{0,4}}?(?:shall|will|is|becomes?)\s+(?:\w+\s+){{0,2}}?"
    r"(?:effective|commence|begin|start|take\s+effect|(?:come|enter)\s+into|in\s+(?:full\s+)?(?:force|effect)"
    r"|valid|(?:be|run|extend|last)\s+from)",
    re.I,
)

# This agreement (its term, its "Effective Date") dates itself by reference: "shall become
# effective as of the day and year first above written", "the Term will begin on the date
# hereof", "the "Commencement Date" means the date of this Agreement".
REF_VERB = (
    r"(?:effective|commenc\w*|begin\w*|start\w*|take\s+effect|in\s+(?:full\s+)?(?:force|effect)"
    r"|into\s+(?:force|effect))"
)
EFFECTIVE_REF = re.compile(
    # (not "... the Standstill Period commencing on the date hereof": another period's start)
    rf"(?:(?:{THIS_DEAL}|(?:Effective|Commencement|Start)\s+Date)[^.;]{{0,100}}?(?<!period\s)"
    rf"{REF_VERB}"
    # Only the defined date "means" or "shall be" the date hereof: "the date of the Licence
    # Agreement shall be the date of this agreement" defines another document's date.
    r"|(?:Effective|Commencement|Start)\s+Date[\"\u201d\u2019']?"
    r"(?:\s+of\s+(?:this|the)\s+(?:agreement|contract|amendment))?\s*:?\s*(?:shall\s+)?(?:means?|be|is))"
    r"\W{0,3}\s*(?:as\s+of|on|from|upon|with|at)?\s*(?:the\s+)?"
    # "the date first above written", "the first date above written", "the date first listed
    # above", "the date hereof", "the date of this Agreement"
    r"(?:(?:first\s+)?(?:date|day)(?:\s+and\s+year)?\s+(?:first\s+)?(?:(?:listed|stated|shown"
    r"|appearing)\s+)?(?:above|written|set\s+forth|hereof|mentioned"
    r"|of\s+(?:this|the)\s+(?:agreement|contract))|Date\s+of\s+(?:the\s+)?Agreement"
    # "shall begin on the date of execution", "effective as of the Execution Date" (not "the date
    # of its execution by the Distributor": one party's signature)
    r"|(?:date|day)\s+of\s+(?:its\s+)?execution(?:\s+(?:hereof|of\s+(?:this|the)\s+(?:agreement|contract)))?"
    r"(?!(?:\s+(?:hereof|of\s+(?:this|the)\s+(?:agreement|contract)))?\s+by\s+"
    r"(?!both|all|each|the\s+parties))|Execution\s+Date)",
    re.I,
)
# '"Effective Date" means the effective date of this Contract, which shall be the date on which
# it is approved': the reference goes on to tie the date to an event.
REF_THEN_EVENT = re.compile(
    r"^\W{0,3}\s*(?:which|that)\s+(?:shall\s+be|is|will\s+be)\s+the\s+(?:date|day)\s+"
    r"(?:on\s+which|when|that|of)\b",
    re.I,
)
# This agreement takes effect when the last party signs: its date is the latest signature date.
EFFECTIVE_ON_SIGNING = re.compile(
    r"(?:effective|commenc\w*|begin\w*|take\w*\s+effect|into\s+(?:force|effect)|Effective\s+Date"
    r"|entered\s+into)(?:[^.;]|\b[ap]\.m\.){0,80}?(?:(?:last|later|latest)\s+(?:of\s+the\s+)?(?:(?:two|both)\s+)?"
    r"(?:dates?\s+(?:of\s+|on\s+which\s+)?)?(?:signature|execution|executed|signed"
    r"|(?:it\s+is\s+)?(?:executed|signed)|shown\s+by\s+the\s+signatures)"
    r"|(?:last|later)\s+party\s+(?:hereto\s+)?(?:has\s+)?(?:executed|signed|signs)"
    r"|(?:is\s+)?signed\s+by\s+(?:both|all)\s+(?:the\s+)?parties"
    r"|signatures?\s+(?:and\s+seals\s+)?of\s+(?:both|all|the)\s+parties"
    r"|(?:executed|signed)\s+by\s+both\s+parties"
    # "on the date of its signature by both Parties", "on the date of signed acceptance by X"
    r"|signature\s+(?:of\s+(?:the|this)\s+(?:agreement|amendment|contract)\s+)?by\s+(?:both|all)"
    r"|date\s+of\s+signed\s+acceptance"
    # "upon full execution", "on the date it is fully executed", "upon its signature", "signed
    # by the last of the parties"
    r"|\b(?:fully\s+executed|full\s+execution|mutual\s+execution)\b"
    r"|\bupon\s+(?:its\s+|the\s+)?(?:signature|signing|execution)\b(?!\s+(?:and\s+delivery\s+)?of\s+(?!this|the\s+agreement))"
    r"|(?:signed|executed)\s+by\s+the\s+last\s+of\s+the\s+parties"
    # "upon execution of this Agreement by both parties"
    r"|execution\s+(?:hereof\s+|of\s+(?:this|the)\s+(?:agreement|amendment|contract)\s+)?by\s+(?:both|all)\b"
    # "the later of the dates that it is executed by", "the date on which the Parties sign and
    # execute this Agreement", "the last date provided for on the signature page", "as of the
    # date noted below"
    r"|(?:later|last)\s+of\s+the\s+dates\s+(?:that|on\s+which)\s+(?:it\s+is\s+)?(?:executed|signed)"
    r"|date\s+on\s+which\s+the\s+parties\s+(?:sign|execute)|(?:last|latest)\s+date\s+"
    r"(?:provided|set\s+forth|shown)\s+(?:for\s+)?on\s+the\s+signature\s+page"
    r"|date\s+(?:noted|set\s+forth|indicated)\s+below)",
    re.I,
)
# What the signing clause makes effective, when it is no agreement: "No amendment of this
# Agreement shall be effective unless in writing and signed by both parties", "Each Statement
# of Work shall be effective upon signature by both Parties".
OTHER_SUBJECT = re.compile(
    r"\b(?:no|any|each|every|all|such)\s+(?:[\w-]+\s+){0,3}?(?:amendments?|modifications?"
    r"|waivers?|changes?|alterations?|variations?|supplements?|consents?|notices?|modules?"
    r"|orders?|statements?\s+of\s+work|SOWs?|schedules?)\b",
    re.I,
)
SUBJECT_REACH = 120
# What takes effect on signature must be this agreement (its term, its effective date, the
# parties' entering into it): not "the licence granted hereunder". The signing wording's own
# first words count ('"Effective Date" means the date the last party signs'), not the agreement
# that it goes on to name ("effective once this Agreement is signed by both").
SUBJECT_WORDS = 15
SIGNING_SUBJECT = re.compile(
    rf"{THIS_DEAL}|\b(?:Effective|Commencement)\s+Date\b|\bentered\s+into\b|\bhereto\b", re.I
)
EFFECTIVE_MENTION = re.compile(r"\bEffective\s+Date\b")
EFFECTIVE_MEANS = re.compile(
    r"[\"\u201c]Effective\s+Date[\"\u201d]\s*(?:shall\s+)?(?:means?|has\s+the\s+meaning"
    r"|shall\s+have\s+the\s+meaning|refers?\s+to)",
    re.I,
)
EFFECTIVE_NAMED = re.compile(r"\((?:the|this)\s+[\"\u201c]Effective\s+Date[\"\u201d]\)", re.I)
# "Signed and effective this 25th day of May", "executed and effective as of": an execution
# line, wherever it stands, dates this agreement's taking effect.
SIGNED_AND_EFFECTIVE = re.compile(
    r"\b(?:signed|executed|made)\s+and\s+effective\s+(?:as\s+of\s+|on\s+)?(?:this\s+|the\s+)?$",
    re.I,
)
DAY_AFTER = re.compile(r"\bday\s+(?:after|following)\b", re.I)

# "Per:" is the signature line of Canadian usage; "\s\" a conformed signature typed backwards.
SIGN_MARK = re.compile(
    r"\bBy\s*:|/s/|\\s\\|\bName\s*:|\bTitle\s*:|\bSignature\b|\bSigned\b|\bPer\s*:", re.I
)
# A conformed signature earlier on the date's own line: "/s/ Jane Roe   President   19 Jan. 1998".
SIGNED_LINE = re.compile(r"(?:/s/|\\s\\)[^\n]*$", re.I)
DATE_LABEL = re.compile(r"\bDated?\s*(?:of\s+)?:?\s*(?:this\s+|the\s+)?$", re.I)
EXECUTION_LINE = re.compile(
    rf"^\W*(?:dated|signed|executed|done)(?:{PLACE})?\s*(?:as\s+of\s+|on\s+)?(?:this\s+|the\s+)?$",
    re.I,
)
# Underscores and dashes drawn for signatures and dates: "1/14/02 ------ Name (type or print) Date".
RULE_LINE = re.compile(r"[-_=]{3,}")
# EDGAR's "Source: ACME CORP, 8-K, 11/6/2019" stamp dates the filing, not the signature.
FILING_STAMP = re.compile(r"Source\s*:[^\n]{0,100},\s*$", re.I)

SIGN_MARK_REACH = 200

# A letter agreement is dated above its salutation.
SALUTATION = re.compile(
    r"\b(?:Ladies\s+and\s+Gentlemen|Dear\s+(?:Sirs?|Madam|Mr|Ms|Mrs|Dr)\b)\.?\s*[:,]?", re.I
)
PREAMBLE_LETTER = 3000
LETTER_REACH = 400
BARE_YEAR = re.compile(r"(?<![\w,])\s*_*\s*,\s*((?:19|20)\d{2})\b")
BLANK_DATING = re.compile(
    r"\b(?:made|entered\s+into|dated|executed)\s+(?:as\s+of\s+)?(?:this\s+|the\s+)?_*\s*"
    r"day\s+of\s*_*\s*,?\s*(?:19|20)?_*(?![\s_]*\d)",
    re.I,
)


def agreement_date(ctx: Context) -> list[Term]:
    """The date the agreement is made: "dated as of March 1, 2024", "this 1st day of June".

    Preamble dates are ranked by the words before them ("made and entered into as of" over
    "dated" over "effective"), earliest first among equals, and a letter agreement's date line
    outranks all but the first kind; then a preamble dating line whose year is left out ("made
    this 1st day of December,": "XXXX-12-01"); then a "signed this ... day of" or an execution line
    ("Dated the ___ day of May, 2000.") anywhere; then the date of the last signature in the
    signature block (as CUAD reads an undated preamble); then, unless the preamble leaves its
    date blank ("made as of this day of , 20"), the first plausible date near the top.
    """
    return ctx.once("agreement_date", lambda: _agreement_date(ctx))


def _agreement_date(ctx: Context) -> list[Term]:
    # A short contract is all preamble: its signature block ("Date: March 3") is not.
    signatures = _signature_region(ctx.seg.doc.text)
    opening = [c for c in ctx.preamble if signatures[2] is None or c.sentence.end <= signatures[0]]
    ranked = [
        (-_cue_score(_before(c.text, f)), c.index, f.start, c, f)
        for c, f in _dated(opening, lambda text, f: _cue_score(_before(text, f)))
    ]
    letter = _letter_date(ctx)
    if ranked:
        score, _, _, clause, f = min(ranked, key=lambda r: r[:3])
        if letter and -score < 3:
            return letter
        # A preamble that only says when the agreement takes effect ("is effective 7/1/98")
        # leaves it dated by its signatures, when they are dated.
        signed = _signature_date(ctx, "agreement_date") if -score == 1 else []
        return signed or [ctx.term("agreement_date", f.value, clause, f.start, f.end)]
    # "made this 30th day of April (the "Effective Date")": the year left out of the dating line
    # leaves the agreement dated by its day and month ("XXXX-04-30").
    for clause, f in _yearless(opening, lambda text, f: _cue_score(_before(text, f)) >= 2):
        return [ctx.term("agreement_date", f.value, clause, f.start, f.end)]
    # "Signed and effective this 25th day of May, 1999." at the end of the document, or an
    # execution line of its own: "Dated the ____ day of May, 2000."
    signed = _dated(
        ctx.clauses,
        lambda text, f: _cue_score(_before(text, f)) == 3 or EXECUTION_LINE.search(text[: f.start]),
    )
    for clause, f in signed:
        return [ctx.term("agreement_date", f.value, clause, f.start, f.end)]
    if letter:
        return letter
    last_signature = _signature_date(ctx, "agreement_date")
    if last_signature:
        return last_signature
    if any(BLANK_DATING.search(c.text) for c in opening[:12]):
        # A form whose preamble leaves the date blank ("made as of this day of , 20") states
        # none: a footer's "March 2015" is the form's edition.
        return []
    for clause, f in _dated(ctx.preamble[:12], lambda text, f: _plausible(text, f)):
        return [ctx.term("agreement_date", f.value, clause, f.start, f.end)]
    return []


def _yearless(
    clauses: Iterable[Clause], keep: Callable[[str, Found], object]
) -> Iterator[tuple[Clause, Found]]:
    """(clause, date) for every day and month without a year ("the 1st day of December,") in
    `clauses` that `keep(text, date)` accepts, outside recitals and other agreements' dates.

    Only dating lines are searched so: elsewhere such a phrase is mostly a recurring day ("on
    December 31 of each year").
    """
    for clause in clauses:
        if _is_other(clause):
            continue
        for f in find_yearless_dates(clause.text):
            if keep(clause.text, f):
                yield clause, f


def _letter_date(ctx: Context) -> list[Term]:
    """The date line of a letter agreement: the last date above its "Ladies and Gentlemen:"
    (a year alone when the day and month are left out: "AGENCY AGREEMENT , 2006")."""
    text = ctx.seg.doc.text
    salute = SALUTATION.search(text, 0, PREAMBLE_LETTER)
    if salute is None:
        return []
    lo = max(0, salute.start() - LETTER_REACH)
    window = text[lo : salute.start()]
    found = find_dates(window)
    if found:
        f = found[-1]
        value, start, end = f.value, lo + f.start, lo + f.end
    else:
        bares = list(BARE_YEAR.finditer(window))
        if not bares:
            return []
        bare = bares[-1]
        value, start, end = bare.group(1), lo + bare.start(1), lo + bare.end(1)
    q_start, q_end = ctx.sentence_span(start, end)
    return [ctx.term_at("agreement_date", value, start, end, q_start, q_end)]


def _cue_score(before: str) -> int:
    return next((score for score, regex in DATE_CUE_RES if regex.search(before)), 0)


# A label that names what its date is ("COMMENCEMENT DATE FOR SERVICES: ", "Initial Period: "),
# other than the agreement's own date ("Date:", "Dated:", "Agreement Date:").
OTHER_LABEL = re.compile(
    r"(?:^|[\n.;])\s*(?!(?:agreement\s+|contract\s+)?dated?\s*:)[A-Za-z][^\n:.;]{0,80}:\s*$", re.I
)
# One end of a period: "April 15, 2000 through October 15, 2000", "from 1/1/99 to 12/31/99".
RANGE_AFTER = re.compile(r"\s*(?:-|to|through|thru|until)\s", re.I)
RANGE_BEFORE = re.compile(r"(?:\d|\bfrom)\s*(?:-|to|through|thru|until)\s+$", re.I)


def _plausible(text: str, found: Found) -> bool:
    """Whether a date near the top may be the agreement's, for want of any that says so."""
    # A date in a filing stamp or after a statute's name is no agreement date.
    before = _before(text, found, 60).lower()
    if re.search(r"(?:act|filed|amended|code|revised|laws|source:.*)\W*(?:of\s*)?$", before):
        return False
    # Nor what a label names ("INITIAL PERIOD: March 3, 2010"), nor one end of a period.
    labelled = OTHER_LABEL.search(_before(text, found, 120))
    ranged = RANGE_AFTER.match(text, found.end) or RANGE_BEFORE.search(_before(text, found, 20))
    return not (labelled or ranged)


def _signature_date(ctx: Context, field: str, days_after: int = 0) -> list[Term]:
    """The latest date in the signature block ("Date: 1/27/2020"), moved on by `days_after`.

    The block is the text after the first "IN WITNESS WHEREOF" (or "ACCEPTED AND AGREED");
    a date counts there when a "Date:" label, a "By:"/"Name:"/"/s/" line or the witness
    sentence itself is beside it. Without such a cue, labelled dates beside signature lines
    anywhere count.
    """
    text = ctx.seg.doc.text
    lo, hi, witness = _signature_region(text)
    best: Found | None = None
    for f in find_dates(text[lo:hi]):
        start, end = lo + f.start, lo + f.end
        before = text[max(0, start - 120) : start]
        if FILING_STAMP.search(before):
            continue
        near = text[max(0, start - SIGN_MARK_REACH) : end + SIGN_MARK_REACH]
        # "Date: 1/27/2020", or a date above its "Name (type or print)   Date" caption.
        caption = RULE_LINE.sub(" ", text[end : end + 240])[:80]
        labelled = (
            DATE_LABEL.search(before)
            or re.search(r"\bDate\b", caption)
            or SIGNED_LINE.search(before)
        )
        in_witness = witness is not None and "." not in text[witness.end() : start].rstrip(". ")
        if not (labelled or in_witness) or not (SIGN_MARK.search(near) or in_witness):
            continue
        if best is None or str(f.value) > str(best.value):
            best = Found(f.value, start, end, f.text)
    if best is None:
        return []
    value = add_months(str(best.value), 0, days_after) if days_after else best.value
    if value is None:
        return []
    q_start, q_end = ctx.sentence_span(best.start, best.end)
    return [ctx.term_at(field, value, best.start, best.end, q_start, q_end)]


def effective_date(ctx: Context) -> list[Term]:
    """The date the agreement takes effect.

    A date labelled "Effective Date" or introduced by "effective as of" / "commencing on" wins.
    Otherwise a document that takes effect when the last party signs takes the latest signature
    date (the day after, for "the day after the date of last signature"; none when the
    signatures are undated); and one that speaks
    of its effective date without giving another ("the "Effective Date" means the date first
    written above", "effective as of the date hereof", "shall begin on the date of this
    Agreement") takes effect on the agreement date, as CUAD's annotators read it.
    """
    return ctx.once("effective_date", lambda: _effective_date(ctx))


def _effective_date(ctx: Context) -> list[Term]:
    out = _explicit_effective(ctx) or _term_start(ctx)
    if out:
        return out
    for clause in ctx.clauses:
        m = EFFECTIVE_ON_SIGNING.search(clause.text)
        if (
            m
            and not _is_other(clause)
            and not OTHER_SUBJECT.search(_subject(clause.text, m.start()))
            and SIGNING_SUBJECT.search(_subject(clause.text, m.start()) + m.group()[:SUBJECT_WORDS])
        ):
            days = 1 if DAY_AFTER.search(clause.text) else 0
            # Signatures left undated leave the date it takes effect unknown: the agreement
            # date is not it ("executed as of the Effective Date first written above" only
            # refers back to it).
            return _signature_date(ctx, "effective_date", days)
    ref = _effective_reference(ctx)
    agreed = agreement_date(ctx)
    if ref is None or not agreed:
        return []
    clause, m = ref
    return [ctx.term("effective_date", agreed[0].value, clause, m.start(), m.end())]


# This agreement's term set by its length: "The term of this Agreement shall be two (2) years",
# "This Agreement shall run for twenty-four months".
TERM_LENGTH_LEAD = re.compile(
    rf"{THIS_DEAL}[^.;]{{0,60}}?\b(?:be|for|of|run|last|continue|remain)\b\W*"
    r"(?:(?:a\s+)?(?:period|term)\s+of\s+)?$",
    re.I,
)
# Where that length is counted from: "... starting from September 1, 2016", "... from".
TERM_LENGTH_FROM = re.compile(
    r"^\W*(?:(?:starting|commencing|beginning|running|effective)\s+)?(?:on|from|as\s+of)\s+"
    r"(?:the\s+)?$",
    re.I,
)


# The period this agreement covers, named before its first day: "This Agreement covers the
# period January 1, 2015 through December 31, 2017".
PERIOD_RANGE_LEAD = re.compile(
    rf"{THIS_DEAL}[^.;]{{0,60}}?\b(?:term|period)\b\W*(?:(?:of|from|is|shall\s+be)\s+)?"
    r"(?:the\s+)?$",
    re.I,
)
RANGE_TO = re.compile(r"\s*(?:-|\u2013|to|through|thru|until)\s+$", re.I)


def _term_start(ctx: Context) -> list[Term]:
    """The date that this agreement's term is counted from, right after its length ("The term
    of this Agreement shall be two (2) years starting from September 1, 2016"), or the first
    day of the period it covers ("covers the period January 1, 2015 through June 30, 2016")."""
    for clause in ctx.clauses:
        text = clause.text
        if _is_other(clause):
            continue
        dates = find_dates(text)
        for first, last in pairwise(dates):
            lead = PERIOD_RANGE_LEAD.search(text[max(0, first.start - 120) : first.start])
            if lead and RANGE_TO.match(text[first.end : last.start]):
                return [ctx.term("effective_date", first.value, clause, first.start, first.end)]
        for d in find_durations(text):
            lead = TERM_LENGTH_LEAD.search(text[max(0, d.start - 120) : d.start])
            if lead is None or _is_notice(text, d) or OTHER_SUBJECT.search(lead.group()):
                continue
            f = next((f for f in dates if f.start >= d.end), None)
            if f is not None and TERM_LENGTH_FROM.match(text[d.end : f.start]):
                return [ctx.term("effective_date", f.value, clause, f.start, f.end)]
    return []


def _subject(text: str, end: int) -> str:
    """The words before `end` in its sentence (from the last semicolon), where the subject of
    what is said there stands."""
    head = text[max(0, end - SUBJECT_REACH) : end]
    return head[head.rfind(";") + 1 :]


def _explicit_effective(ctx: Context) -> list[Term]:
    """Dates labelled "Effective Date", or that this agreement is effective from."""
    preamble = {c.index for c in ctx.preamble}
    cued = [c for c in ctx.clauses if EFFECTIVE_WORDS.search(c.text)]
    # A dating line whose year is left out ('made this 1st day of December, (the "Effective
    # Date")') counts in the preamble, after every full date.
    candidates = chain(
        _dated(cued, lambda text, f: _effective_cue(text, f)),
        _yearless(
            (c for c in cued if c.index in preamble), lambda text, f: _effective_cue(text, f)
        ),
    )
    return [
        ctx.term("effective_date", f.value, clause, f.start, f.end)
        for clause, f in candidates
        if _effective_cue(clause.text, f) == 2
        or _takes_effect(clause, f, clause.index in preamble)
        or SIGNED_AND_EFFECTIVE.search(_before(clause.text, f))
    ]


# What an opening sentence may call the deal it makes: "This Supply Agreement, effective as of",
# "The term of the licence shall commence".
DEAL_WORD = re.compile(
    r"\b(?:agreement|contract|amendment|addendum|venture|term|licen[cs]e|franchise|lease"
    r"|engagement|promotion|arrangement|memorandum|protocol)\b",
    re.I,
)


# An opening sentence that starts with when it takes effect: "Effective as of the 1st day of
# January, 2008, this Agreement is made".
OPENS_EFFECTIVE = re.compile(
    r"^\W*effective\s+(?:as\s+of|on|from)?\s*(?:the\s+)?(?:day\s+of\s+)?$", re.I
)
MAKES_DEAL = re.compile(rf"{THIS_DEAL}|\b(?:agree|enter\w*\s+into|made)\b", re.I)
OPENING_REACH = 200


def _takes_effect(clause: Clause, f: Found, in_preamble: bool) -> bool:
    """Whether "effective" / "commencing on" before `f` says when this agreement takes effect.

    After the agreement's name in an opening sentence ("This Agreement is made effective as of
    May 1") or in a line of its own ("Effective as of May 1, 2010"); anywhere, after "this
    Agreement (its term) shall commence". Not what else takes effect on the date: "Commencing
    on May 1, the Consultant's fee shall be increased", "the Notes will, effective May 1, be
    adjusted", "No amendment shall be effective ...".
    """
    text = clause.text
    head = text[: f.start]
    if OTHER_SUBJECT.search(_subject(text, f.start)):
        return False
    if any(m.end() <= f.start for m in THIS_EFFECTIVE.finditer(head)):
        return True
    if not in_preamble:
        return False
    alone = not text[f.end :].strip(" .,;:\n")
    # (not "Effective on May 1, the Notes will convert": the sentence goes on to make this deal)
    opens = OPENS_EFFECTIVE.match(head) and MAKES_DEAL.search(text, f.end, f.end + OPENING_REACH)
    return alone or bool(DEAL_WORD.search(head) or opens)


def _effective_cue(text: str, f: Found) -> int:
    """2 when the date is labelled the effective date, 1 when "effective as of" leads to it."""
    before = _before(text, f, 50)
    # A label may run long: "COMMENCEMENT DATE FOR MAINTENANCE UNDER THIS ADDENDUM: MARCH 1".
    label = EFFECTIVE_BEFORE.search(_before(text, f, 90))
    if EFFECTIVE_LABEL.search(text[f.end : f.end + 60]) or label:
        return 2
    return int(bool(EFFECTIVE_CUE.search(before) or EFFECTIVE_DEF.search(before)))


def _defines_other_effective(clause: Clause) -> bool:
    """'"Effective Date" means the date that the Initial Closing occurs', or '... as of that
    date (the "Effective Date") the Site becomes operational': an effective date set by an event."""
    text = clause.text
    if EFFECTIVE_MEANS.search(text):
        return True
    named = EFFECTIVE_NAMED.search(text)
    return bool(named) and not find_dates(text) and not EFFECTIVE_ON_SIGNING.search(text)


def _effective_reference(ctx: Context) -> tuple[Clause, re.Match[str]] | None:
    """Where the document refers to its effective date without stating a separate one.

    A document that ties its "Effective Date" to some event ("means the Closing Date") does
    not take effect on the agreement date; one that only uses the defined term does.
    """
    for clause in ctx.clauses:
        m = EFFECTIVE_REF.search(clause.text)
        if m and REF_THEN_EVENT.search(clause.text[m.end() :]):
            break
        if m and not _quoted_new_wording(ctx, clause, m) and not _others_take_effect(clause, m):
            return clause, m
    if any(_defines_other_effective(c) for c in ctx.clauses):
        return None
    for clause in ctx.clauses:
        m = next(
            (m for m in EFFECTIVE_MENTION.finditer(clause.text) if _own_mention(clause, m)), None
        )
        if m and not _quoted_new_wording(ctx, clause, m) and not HEADING_ONLY.match(clause.text):
            return clause, m
    # A bare "effective" counts only when it is this agreement that takes effect, not an
    # appointment or a board seat "effective as of the next meeting".
    # Nor in a recital: "desire to terminate the Original Agreement effective as of ...".
    for clause in ctx.preamble:
        m = PREAMBLE_EFFECTIVE.search(clause.text)
        subject = _subject(clause.text, m.end()) if m else ""
        if m and (
            _is_other(clause)
            or OTHER_SUBJECT.search(subject)
            or ENDING.search(subject)
            or _others_take_effect(clause, m)
        ):
            continue
        if m and ON_EVENT.match(clause.text, m.end()):
            # "This Agreement will be effective upon the closing of the Merger": no date.
            return None
        if m and not _quoted_new_wording(ctx, clause, m):
            return clause, m
    return None


EACH_OF = re.compile(r"\beach\s+of\s+$", re.I)


def _others_take_effect(clause: Clause, m: re.Match[str]) -> bool:
    """Whether the documents said at `m` to take effect on the date hereof are others: "Each of
    the Supply Agreement and the Warrant is effective as of the date hereof", or a subject that
    names other instruments ("any purchase orders under the Agreement"); not "This Agreement and
    the Licence are effective as of the date hereof", which dates this agreement too."""
    if m.group().lower().startswith("this"):
        return False
    head = clause.text[max(0, m.start() - 40) : m.start()]
    return bool(EACH_OF.search(head) or OTHER_SUBJECT.search(_subject(clause.text, m.start())))


# Another thing's effective date: "the Effective Date of the Merger", "of the Study Order".
OTHERS_MENTION = re.compile(
    r"\s+of\s+(?:the|such|any|each|a|an)\s+(?!(?:agreement|contract|following)\b)", re.I
)
# "effective upon the closing of the Merger", "effective on the date of the approval by the
# ministry": an event, not a date.
ON_EVENT = re.compile(
    r"\s*(?:only\s+)?(?:upon|on|as\s+of|at|when|following|after|subject\s+to)\s+(?:the\s+)?"
    r"(?:(?:date|time|day)\s+(?:on\s+which|of|that|when)\s+(?:the\s+)?)?(?:[\w-]+\s+){0,2}?"
    r"(?:closing|consummation|completion|approval|occurrence|satisfaction|receipt|effectiveness"
    r"|funding|issuance|listing|registration|initial\s+public\s+offering|IPO|Effective\s+Time"
    r"|Effective\s+Date\s+of\s+the)\b",
    re.I,
)


def _own_mention(clause: Clause, m: re.Match[str]) -> bool:
    """Whether "Effective Date" at `m` is this agreement's, not "the Effective Date of the
    Merger"."""
    return not OTHERS_MENTION.match(clause.text, m.end())


# A heading that names the defined term ("4. Effective Date and Term.") does not use it.
HEADING_ONLY = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:[A-Z][\w'-]*,?\s+(?:and\s+|of\s+)?){0,5}[A-Z][\w'-]*\.?\s*$"
)
# An amendment's new wording for a section of the amended agreement: 'Section 4 is deleted and
# replaced with the following: "Term. This Agreement will become effective on the Effective
# Date ..."' speaks of that agreement's effective date, not of the amendment's.
NEW_WORDING_SENTENCES = 3
NEW_WORDING = re.compile(
    r"\b(?:replaced|amended|restated|revised|substituted)\b[^.;]{0,60}?\b(?:the\s+)?"
    r"follow(?:s|ing)\s*:",
    re.I,
)


def _quoted_new_wording(ctx: Context, clause: Clause, m: re.Match[str]) -> bool:
    """Whether `m` stands in the new wording that an amendment quotes, which may run over a
    few sentences of its paragraph ('... replaced with the following: "Term. The ...')."""
    text = clause.text[: m.start()]
    i, paragraph = clause.index, clause.sentence.paragraph
    while i > 0 and clause.index - i < NEW_WORDING_SENTENCES:
        prev = ctx.clauses[i - 1]
        # (the lead-in "... replaced with the following:" may end a paragraph of its own)
        if prev.sentence.paragraph != paragraph and not prev.text.rstrip().endswith(":"):
            break
        text = f"{prev.text} {text}"
        i, paragraph = i - 1, prev.sentence.paragraph
    return bool(NEW_WORDING.search(text))


# "Either party may terminate this Agreement effective upon notice": when it ends, not begins.
ENDING = re.compile(r"\b(?:terminat|cancel|expir|rescind|rescission|suspen)\w*", re.I)
PREAMBLE_EFFECTIVE = re.compile(
    # (not "post-effective amendments")
    rf"(?:{THIS_DEAL}|\b(?:made|entered\s+into|executed))[^.;]{{0,120}}?(?<!-)\beffective\b",
    re.I,
)
