"""The agreement's life: initial term, renewal term, notice of non-renewal, expiration date.

Durations in the sentences that set the agreement's term (found by their wording or a "Term"
heading), the length of each renewal and the notice that stops one, the expiration date
(stated, counted from the start date by the initial term, or "perpetual"). Termination for
convenience is in `pipeline.keyterms.convenience`.
"""

from __future__ import annotations

import re

from pipeline.keyterms.context import Clause, Context
from pipeline.keyterms.dates import agreement_date, effective_date
from pipeline.keyterms.patterns import _before, _dated, _is_notice
from pipeline.normalize import (
    NUMBER,
    ORDINAL_DAYS,
    Found,
    add_months,
    find_dates,
    find_durations,
    month_end,
    parse_number,
)
from pipeline.terms import Duration, Term

TERM_HEADING = re.compile(r"\bterm\b(?!ination)|duration\s+of\s+(?:the\s+)?agreement|\bexpir", re.I)
NOT_TERM = re.compile(r"surviv|confidential", re.I)
TERM_SENTENCE = re.compile(
    r"\b(?:(?:initial|original)\s+term|term\s+of\s+(?:this|the)\s+(?:agreement|contract|license)"
    # "The term of this letter agreement"
    r"|term\s+of\s+this\s+(?:[\w-]+\s+){1,2}?(?:agreement|contract)"
    r"|(?:this|the)\s+(?:agreement|contract)\s+(?:shall|will|is)\s+(?:\w+\s+){0,3}?(?:commence|continue"
    r"|remain|be\s+in\s+(?:full\s+)?(?:force|effect)|expire|terminate|be\s+effective|end|run|last|"
    r"(?:be\s+)?valid|govern)"
    r"|shall\s+(?:expire|terminate)\s+on|the\s+term\s+(?:shall|will)|(?:term|agreement)\s+shall"
    r"\s+be\s+for|(?:come|enter)\s+into\s+force|have\s+a\s+(?:term|duration)|fixed\s+term"
    r"|(?:contract|term|initial|effective|agreement)\s+period|duration\s+of"
    # "This Services Agreement shall become effective on ... and shall continue ... for"
    r"|(?:this|the)\s+(?:\w+\s+){0,3}?(?:agreement|contract)\b[^.;]{0,120}?\b(?:shall|will)\s+"
    r"(?:\w+\s+){0,2}?(?:continue|remain|extend|expire|terminate|end)\b[^.;]{0,60}?"
    r"\b(?:for|until|through|thereafter|on)\b"
    # "... shall take effect on the Effective Date and continue in full force and effect for"
    r"|\b(?:and|shall|will)\s+(?:shall\s+|will\s+)?(?:continue|remain)\s+in\s+(?:full\s+)?"
    r"(?:force|effect)\b[^.;]{0,40}?\b(?:for|until|through)\b"
    r"|\b(?:shall|will)\s+(?:expire|terminate)\s+(?:on|upon)\b"
    r"|\b(?:agreement|contract)\s+(?:expires|terminates|ends)\s+on\b"
    # "... and enduring in perpetuity unless terminated", "shall endure indefinitely"
    r"|\b(?:endur\w*|continu\w*|remain\w*)\s+(?:in\s+perpetuity|indefinitely)\b"
    r"|\bthereafter,?\s+unless\s+(?:sooner\s+|earlier\s+)?terminated"
    # Translated contracts: "This Agreement is concluded for an indefinite period", "is of
    # unlimited duration"
    r"|\b(?:agreement|contract)\s+(?:is|shall\s+be|has\s+been)\s+(?:concluded|entered\s+into"
    r"|made|signed)\s+for\b|\b(?:agreement|contract)\s+is\s+of\s+(?:an?\s+)?(?:unlimited"
    r"|indefinite)\s+duration"
    # An engagement by one party of another: "Your employment shall commence on ... and shall
    # continue unless and until either party gives notice"
    r"|\b(?:employment|engagement|appointment)\s+(?:\w+\s+){0,4}?(?:shall|will)\s+"
    r"(?:commence|begin|continue)\b)"
    # The sentence that names the term: '... shall terminate June 1, 2000 (herein "Term")'
    r"|\(\s*(?:the\s+|herein\s+|hereinafter\s+)?[\"\u201c](?:initial\s+)?term[\"\u201d]\s*\)"
    # Its definition: '"Term" shall mean the period commencing on ...'
    r"|[\"\u201c](?:initial\s+)?term[\"\u201d]\s+(?:shall\s+)?mean"
    # A term label before dates: "6. TERM: November 01, 2014 to ...", "TERM OF EXECUTION From",
    # "Term of the engagement: 10 weeks from ...", "INITIAL SUPPLY PERIOD: May 1, 2012 through"
    r"|^\W*(?:\d[\d.]*\s*)?(?:(?:(?:initial|contract)\s+)?(?:terms?|duration)\b"
    r"(?:\s+of\s+(?:the\s+|this\s+)?[a-z]+)?|(?:initial|contract|agreement)\s+(?:[a-z]+\s+)?period)"
    r"\s*:?\s*(?:from\s+)?(?=[a-z]+\.?\s+\d|\d)",
    re.I,
)
# A sentence about how long something lasts, for dates after "until" / "ending on".
PERIOD_WORDS = re.compile(
    r"\b(?:term|period|agreement|contract|venture|duration|effective|commenc\w*|begin\w*|"
    r"expiration\s+date)\b",
    re.I,
)
TERM_LEAD = re.compile(
    r"(?:(?:initial\s+)?term\s+(?:of\s+(?:this\s+\w+\s+)?)?(?:shall\s+be\s+|is\s+|will\s+be\s+)?"
    r"(?:for\s+)?|for\s+a\s+(?:period|term)\s+of\s+|(?:continue|remain)\w*\s+(?:in\s+(?:full\s+)?"
    r"(?:force|effect)\s+(?:and\s+effect\s+)?)?(?:for\s+)?"
    # "shall expire ten (10) years from the Effective Date", "and ending two (2) years thereafter"
    r"|\b(?:expire|expires|end|ends|ending|terminate|terminates)\s+(?:on\s+the\s+date\s+that\s+is\s+)?)"
    r"(?:a\s+period\s+of\s+)?(?:an?\s+)?$",
    re.I,
)
NOT_OWN_TERM = re.compile(
    r"during\s+the\s+(?:initial\s+)?term|(?:following|after)\s+the\s+(?:initial\s+)?term|warrant",
    re.I,
)
STRONG_TERM = re.compile(
    r"initial\s+term|term\s+of\s+(?:this|the)\s+(?:agreement|contract)|(?:this|the)\s+agreement"
    r"\s+(?:shall|will)\s+(?:\w+\s+){0,4}?(?:for\s+a\s+(?:period|term)\s+of|continue|remain)",
    re.I,
)
RENEWAL = re.compile(
    r"\b(?:renew\w*|extend\w*\s+automatically|automatic(?:ally)?\s+(?:renew\w*|extend\w*|extension)"
    r"|successive|evergreen|(?:year|month)[-\s]+to[-\s]+(?:year|month)|successor\s+term"
    r"|extend\w*\s+(?:\w+\s+){0,6}?(?:an?\s+)?(?:additional|further)\b"
    # "shall be extended by one (1) year each time unless ..."
    r"|\bextend\w*\b[^.;]{0,40}?\b(?:each|every)\s+time\b)",
    re.I,
)
EVERY_YEAR = re.compile(
    r"\b(?:successive|additional|consecutive)\s+annual\b|\bannually\b|\b(?:each|every)\s+"
    r"(?:calendar\s+)?year\b|\byear\s+to\s+year\b|\byearly\b",
    re.I,
)
# The calendar units a contract defines: '"Contract Year" means', '"Calendar Quarter" shall mean'.
PERIOD_DEFINITION = re.compile(
    r"\b(?:fiscal|calendar|contract|financial|lease|agreement)\s+(?:years?|quarters?|months?)"
    r"[\"\u201d]?\s*(?:means|shall\s+(?:mean|refer\s+to)|refers\s+to)\b",
    re.I,
)
# A renewal's length followed by the condition that stops it, "one year periods unless", or
# the notice that exercises it: "two additional terms of five (5) years each by giving notice".
LENGTH_THEN_UNLESS = re.compile(
    r"\W{0,3}(?:(?:periods?|terms?|each|thereafter|basis|intervals?)\W+){0,2}"
    r"(?:unless|by\s+(?:giving|providing|delivering|serving|sending))\b",
    re.I,
)
SAME_LENGTH = re.compile(
    r"same\s+(?:duration|length|period)|equal\s+(?:in\s+length|duration)"
    # "renewed for like periods", not "renew on similar terms and conditions"
    r"|\bfor\s+(?:(?:an?|additional|successive|further)\s+)?(?:like|equal|similar|identical)"
    r"\s+(?:periods?|terms?)\b(?!\s+and\s+conditions)",
    re.I,
)

# A term with no fixed end: it runs until someone terminates it (CUAD: "perpetual").
PERPETUAL = re.compile(
    # (not the "perpetual, irrevocable license" that outlives the agreement)
    r"\bperpetu\w*\b(?!\s*(?:,|and|or)?\s*(?:irrevocable|royalty|fully|non-?exclusive|exclusive"
    r"|licen[cs]e|right))|\bindefinitely\b|\b(?:indefinite|unlimited)\s+(?:term|period|duration"
    r"|time)\b|\bend\s+when\s+terminated"
    # "until cancelled", "until it is terminated", "until such time as either party terminates"
    r"|\buntil\s+(?:(?:it\s+is\s+)?(?:terminated|cancell?ed)|termination\s+(?:as|by|in|pursuant"
    r"|under)|(?:such\s+time\s+as\s+)?(?:either|one|a)\s+party\s+(?:terminates|gives|informs"
    r"|provides|notifies)"
    r"|such\s+time\s+as\s+(?:it\s+is|this\s+agreement\s+is)\s+terminated"
    r"|(?:the\s+)?(?:expiration\s+or\s+)?(?:earlier\s+)?termination\s+of\s+(?:the|that)\b)"
    r"|\bunless\s+and\s+until\s+(?:either|one|a)\s+party"
    r"|(?:continue|remain)\w*\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+(?:and\s+effect\s+)?)?"
    r"(?:thereafter\s+)?(?:unless|until)\s+(?:and\s+until\s+)?(?:sooner\s+|earlier\s+)?terminated"
    # "shall govern the relations between the parties hereto thereafter, unless terminated"
    r"|\bthereafter,?\s+unless\s+(?:sooner\s+|earlier\s+)?terminated",
    re.I,
)
# A term with no end, said plainly of the agreement itself: it outranks a date that a
# sentence under a "Term" heading happens to put after "until".
OPEN_ENDED = re.compile(
    r"\b(?:continue|remain|endur)\w*\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+)?"
    r"(?:indefinitely|in\s+perpetuity|perpetually)\b|\bfor\s+an\s+(?:indefinite|unlimited)"
    r"\s+(?:term|period|time)\b|\bis\s+of\s+(?:an?\s+)?(?:indefinite|unlimited)\s+duration\b",
    re.I,
)
# Things other than the agreement that expire, end or last: payments and prices, a deadline
# date, a person's tenure, an exclusivity, a warranty, a lease.
OTHER_SUBJECT = re.compile(
    r"\b(?:payments?|royalt(?:y|ies)|compensation|fees?|prices?|pricing|discounts?|management"
    r"|employees?|personnel|exclusivity|warrant(?:y|ies|s)?|options?|offers?|indemnit(?:y|ies)"
    r"|leases?|(?:long\s*stop|outside|closing|drop[-\s]dead)\s+date|waiting\s+period)\b",
    re.I,
)
OWN_SUBJECT = re.compile(r"\b(?:agreement|contract|term)\b", re.I)
DURING_TERM = re.compile(r"\bduring\s+the\s+(?:initial\s+)?term\b", re.I)
EXPIRATION_LABEL = re.compile(
    r"(?:expiration|termination|end|expiry)\s+date(?:\s+of\s+(?:this|the)\s+(?:agreement|contract))?"
    r"[\"\u201d]?\s*(?:means|shall\s+(?:be|mean)|is|:)\s*$"
    r"|contract\s+end\s*:\s*$",
    re.I,
)
UNTIL_DATE = re.compile(
    # ("till", "valid up to": translated contracts' words for "until")
    r"(?:until|\btill|\bup\s+to|through|to\s+and\s+including|expir\w*(?:\s+(?:on|at))?|terminat\w*(?:\s+on)?|"
    r"(?:end|conclude)(?:s|d|ing)?(?:\s+(?:on|as\s+of|at))?|conclud\w*|expiry\s+date\s+(?:is|of))"
    r"\s*(?:the\s+)?(?:close\s+of\s+business\s+on\s+)?"
    # "expire at 11:59 p.m. (Eastern Time) on December 31, 2019"
    r"(?:(?:at\s+)?(?:\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?\s?m\.?|midnight|noon)\s*(?:\([^)]{0,30}\)\s*)?"
    r"(?:on\s+)?)?"
    # "until the earlier of (i) December 31, 2022, (ii) ...": the first of the dates named
    r"(?:(?:later|earlier|latest|earliest)\s+(?:to\s+occur\s+)?of\s*:?\s*(?:\(\w{1,4}\)\s*)?)?"
    r"(?:\w+\s+){0,2}$"
    # "... five (5) years after the launch, but in no event later than June 30, 2012"
    r"|\bin\s+no\s+event\s+later\s+than\s*$"
    # "TERM: November 01, 2014 to October 31, 2017": the end of a range after a term label
    r"|\b(?:terms?|period)\b[^.;]{0,60}?\d{4}\s*(?:to|through|until|-|\u2013)\s*$"
    # "This Agreement shall be effective from January 1, 2015 to December 31, 2017"
    r"|\bfrom\s+(?:the\s+)?[^.;]{0,25}?\d{4}\s*(?:to|through|until|till|-|\u2013)\s*$",
    re.I,
)
# "shall expire on the last day of March 2021": the month's last day.
LAST_DAY = re.compile(r"\blast\s+day\s+(?:of|in)\s+(?:the\s+month\s+of\s+)?$", re.I)
# The expiration date as a schedule labels it, counted from the start: "Expiration Date: at
# midnight on the last day of the month fifteen (15) years from the Effective Date".
LABELLED_LENGTH = re.compile(
    r"\b(?:expiration|expiry|termination)\s+date\s*:\s*(?P<lead>[^.;:]{0,60}?)$", re.I
)
POST_TERM = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,3}?(?:after|following|beyond)\s+(?:the\s+|its\s+|such\s+)?"
    r"(?:\w+\s+)?(?:expir|terminat|end\b|cessation)",
    re.I,
)
ORDINAL_RE = "|".join(sorted(ORDINAL_DAYS, key=len, reverse=True)).replace("-", r"[-\s]")
ANNIVERSARY = re.compile(
    rf"(?P<n>{ORDINAL_RE}|\d{{1,2}}(?:st|nd|rd|th))"
    # "(20th)", and the "(5t h)" that PDF conversion leaves behind
    r"\s*(?:\(\s*\d{1,2}\s*(?:st|nd|rd|th|s\s?t|n\s?d|r\s?d|t\s?h)?\s*\)\s*)?anniversary"
    rf"|(?P<count>{NUMBER})\s*(?:\(\s*\d{{1,2}}\s*\)\s*)?[-\s]year\s+anniversary",
    re.I,
)
# "the first Fiscal Year shall ... end on March 31": a year of the contract, not its end.
YEAR_DEF = re.compile(r"\b(?:fiscal|calendar|contract|financial|lease)\s+(?:year|quarter)", re.I)
# What a duration is counted from: "(36) months following the Hosting Service Ready Date".
COUNTED_FROM = re.compile(
    r"\W{0,3}(?:\w+\W+)??(?:from\s+and\s+after|after|following|from|of)\s+(?:the\s+)?"
    r"(?:(?:first|initial)\s+)?"
    r"(?P<event>[A-Za-z][\w -]{0,40})",
    re.I,
)
# Events that are this agreement's own start: counting from them gives a date (a "Promotion
# Commencement Date" is the start of the term it names, but an "Offtake Agreement Effective
# Date" is another agreement's start).
OWN_START = re.compile(
    r"(?:(?!(?:agreement|contract|lease|license|plan)\b)[\w-]+\s+){0,3}?"
    r"(?:effective|commencement|start|execution|signing)\s+date"
    r"|date\s+(?:hereof|first"
    r"|of\s+(?:this|the\s+agreement|execution|signature|signing|the\s+last|its\s+execution"
    r"|its\s+signature|full\s+execution)"
    # "the date on which both parties have signed it": the last signature
    r"|(?:on|upon)\s+which\s+(?:both|all|the\s+last\s+of\s+the)\s+parties\s+(?:have\s+)?"
    r"(?:signed|executed))|(?:such|that|said)\s+date|this\s+agreement|its\s+execution"
    r"|execution|signing|date\s+this",
    re.I,
)


# A term that starts when something happens: "shall commence on the date upon which the first
# unit is delivered", 'effective as of that date (the "Effective Date") the Site goes live'.
STARTS_ON_EVENT = re.compile(
    r"\b(?:commenc|begin|start)\w*\s+(?:on|upon|as\s+of)\s+(?:the\s+)?(?:date|day)\s+"
    r"(?:on\s+which|upon\s+which|as\s+of\s+which|when)\b"
    r"|\beffective\s+(?:as\s+of|on)\s+(?:that|the)\s+(?:date|day)\s+(?:\([^)]{0,40}\)\s+)?"
    r"(?:on\s+which|upon\s+which|when|the\s+\w+\s+(?:becomes|is|has|goes))\b",
    re.I,
)
# "until the end of", "shall expire on the last day of": the words that end a term at a year's end.
YEAR_END_LEAD = (
    r"\b(?:until|through|expir\w*(?:\s+(?:on|at))?|terminat\w*(?:\s+(?:on|at))?|end\w*\s+(?:on|at))"
    r"\s+(?:the\s+)?(?:end|last\s+day|close)\s+of\s+"
)
# "shall remain in effect until the end of the current calendar year": December 31 of the
# year the agreement starts.
END_OF_YEAR = re.compile(
    rf"{YEAR_END_LEAD}(?:the\s+|that\s+|such\s+)?"
    r"(?:then[-\s])?(?:current|same)\s+calendar\s+year\b",
    re.I,
)
# "shall expire at the end of the calendar year 2012" or "of the 2012 calendar year": December
# 31 of the year it names.
END_OF_NAMED_YEAR = re.compile(
    rf"{YEAR_END_LEAD}(?:the\s+)?(?:(?:calendar\s+)?year\s+(?P<year>(?:19|20)\d{{2}})\b"
    r"|(?P<year_first>(?:19|20)\d{2})\s+calendar\s+year\b)",
    re.I,
)
LAST_DAY_OF_MONTH = re.compile(r"last\s+day\s+of\s+the\s+(?:calendar\s+)?month", re.I)
# An agreement that no one can end: 'this Agreement ... shall not be terminable'.
NOT_TERMINABLE = re.compile(
    r"\b(?:shall|will|is|are)\s+(?:irrevocable\s+and\s+)?not\s+(?:be\s+)?terminable\b"
    r"|\bnon-?terminable\b",
    re.I,
)

# Words that tie a sentence's duration to the agreement itself: the agreement, its term, or
# an anniversary it runs to.
OWN_TERM_WORDS = re.compile(r"\b(?:agreement|contract|term|initial\s+period|anniversary)\b", re.I)

# Under a "Term" heading, a sentence that says how long something lasts.
TERM_WORDS = re.compile(r"\bterm\b|\bexpir|\bin\s+(?:full\s+)?force\b", re.I)


def _term_clauses(ctx: Context, hints: dict[str, frozenset[int]], field: str) -> list[Clause]:
    hinted = hints.get(field, frozenset())
    return [
        c
        for c in ctx.clauses
        if (
            TERM_SENTENCE.search(c.text)
            or (TERM_HEADING.search(c.headings) and TERM_WORDS.search(c.text))
            or c.index in hinted
        )
        and not NOT_TERM.search(c.text)
    ]


def _initial_hits(ctx: Context, hints: dict[str, frozenset[int]]) -> list[tuple[Clause, Found]]:
    return ctx.once("initial_term", lambda: _find_initial(ctx, hints))


def _find_initial(ctx: Context, hints: dict[str, frozenset[int]]) -> list[tuple[Clause, Found]]:
    """Initial-term durations, the sentences that most plainly set the term first."""
    hits = _initial_candidates(ctx, hints)
    return sorted(hits, key=lambda h: (-_term_score(*h), h[0].index))


def _term_score(clause: Clause, found: Found) -> int:
    """How plainly the sentence sets the agreement's own term with this duration."""
    before = clause.text[max(0, found.start - 60) : found.start]
    score = 2 * bool(TERM_LEAD.search(before)) + bool(TERM_HEADING.search(clause.headings))
    score += bool(STRONG_TERM.search(clause.text))
    return score - 3 * bool(NOT_OWN_TERM.search(clause.text))


def _initial_candidates(
    ctx: Context, hints: dict[str, frozenset[int]]
) -> list[tuple[Clause, Found]]:
    out = []
    for clause in _term_clauses(ctx, hints, "initial_term"):
        text = clause.text
        for f in find_durations(text):
            before = text[max(0, f.start - 90) : f.start].lower()
            # "shall extend for a period of five years" sets the term; "extend for successive
            # one-year periods" renews it.
            renews = re.search(
                r"renew|successive|additional|extension|extended\s+(?:for|by)", before[-60:]
            )
            # "before the end of such sixty (60) day period": a period set elsewhere.
            # "the last two (2) months of the Term": a part of the term, not its length.
            part = re.search(r"\b(?:last|first|final|remaining)\s+$", before)
            if _is_notice(text, f) or renews or before.endswith("such ") or part:
                continue
            if DEADLINE_BEFORE.search(before) or _other_instrument(before):
                continue
            if AT_TERMS_END.search(text, 0, f.start):
                # "before the expiration of the Term ... shall continue to provide the Services
                # for up to six (6) months": what happens at the end, not the term's length.
                continue
            if POST_TERM.search(text[f.end : f.end + 40]) or "during the term" in before:
                # "during the Term and for two (2) years thereafter": a survival period.
                continue
            # "shall end two (2) years later", "expire on the date falling 24 months after"
            if re.search(
                r"\b(?:term|period|for|continue\w*|remain\w*|be|is|of|in|ending|expire|expires"
                r"|terminate|terminates|end|ends|date\s+falling)\b\W*(?:\w+\W+){0,3}$",
                before,
            ):
                out.append((clause, f))
                break
        else:
            found = _anniversary(text)
            if found is not None:
                out.append((clause, found))
            elif text.rstrip().endswith(":") and clause.index + 1 < len(ctx.clauses):
                # "... shall remain in effect until the earlier of: (a) the fifth anniversary
                # of this Agreement; and ...": the list item is a sentence of its own.
                item = ctx.clauses[clause.index + 1]
                found = _anniversary(text.rstrip() + " " + item.text)
                if found is not None and found.start > len(text.rstrip()):
                    shift = len(text.rstrip()) + 1
                    at = Found(found.value, found.start - shift, found.end - shift, found.text)
                    out.append((item, at))
    return out


# A time limit, not a term: "within thirty (30) days", "remains uncured 30 days", "such failure
# shall continue for five (5) days" (a cure period).
DEADLINE_BEFORE = re.compile(
    r"\bwithin\s+(?:\w+\s+){0,3}$|\b(?:un)?(?:cured|remedied)\s+(?:for\s+)?(?:a\s+period\s+of\s+)?$"
    r"|\b(?:failure|breach|default|delay|violation)\w*\s+(?:\w+\s+){0,3}?"
    r"(?:continu|remain|persist)\w*\s+(?:\w+\s+){0,2}$",
    re.I,
)
AT_TERMS_END = re.compile(
    r"\b(?:expir\w*|end|termination)\s+of\s+(?:the|this)\s+(?:initial\s+)?(?:term|agreement)\b",
    re.I,
)
# "... which lease will have a term of at least fifty (50) years", "The Warrant ... shall have
# a term of ten (10) years": the term of some other instrument, not this agreement's.
HAS_TERM = re.compile(
    r"\bhave\s+an?\s+(?:initial\s+)?(?:term|duration)\s+of\s+(?:\w+\s+){0,2}$", re.I
)


def _other_instrument(before: str) -> bool:
    """Whether "have a term of" has a subject that is not this agreement (or its term)."""
    m = HAS_TERM.search(before)
    if m is None:
        return False
    subject = re.split(r"[.;:]\s", before[: m.start()])[-1]
    return not re.search(r"\b(?:agreement|contract|term|it)\b", subject, re.I)


def _anniversary(text: str) -> Found | None:
    """The term up to an anniversary: "expire on the third anniversary" -> 36 months."""
    m = ANNIVERSARY.search(text)
    if m is None or not re.search(
        r"expir|terminat|end|conclud|until|through", text[max(0, m.start() - 60) : m.start()], re.I
    ):
        return None
    if m.group("count"):
        years = parse_number(m.group("count")) or 0
    else:
        word = m.group("n").lower()
        ordinal = ORDINAL_DAYS.get(re.sub(r"[\s-]+", "-", word))
        years = ordinal if ordinal is not None else int(re.sub(r"\D", "", word))
    if not years:
        return None
    return Found(Duration(months=12 * int(years)), m.start(), m.end(), m.group(0))


def initial_term(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """The initial term: "an initial term of three (3) years", "for a period of five years"."""
    return [
        ctx.term("initial_term", f.value, c, f.start, f.end) for c, f in _initial_hits(ctx, hints)
    ]


def renewal_term(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """How long each renewal lasts: "successive renewal terms of one (1) year", "year to year"."""
    out = []
    hinted = hints.get("renewal_term", frozenset())
    for clause in ctx.clauses:
        cue = RENEWAL.search(clause.text)
        if cue is None and clause.index not in hinted:
            continue
        if cue is not None and PERIOD_DEFINITION.search(clause.text):
            # '"Calendar Quarter" means each successive period of three months': a unit of
            # the calendar the contract counts in, not a renewal.
            continue
        term = _renewal_in(ctx, clause, cue.start() if cue else 0)
        if term is not None:
            out.append(term)
    return out


def _renewal_in(ctx: Context, clause: Clause, at: int) -> Term | None:
    """The renewal length stated after the renewal cue at `at` (not a notice period)."""
    text = clause.text
    for f in find_durations(text):
        if at - 10 <= f.start < at + 200 and not _renewal_notice_period(text, f):
            return ctx.term("renewal_term", f.value, clause, f.start, f.end)
    m = EVERY_YEAR.search(text, max(0, at - 40))
    if m:
        return ctx.term("renewal_term", Duration(months=12), clause, m.start(), m.end())
    same = SAME_LENGTH.search(text, at)
    hits = _initial_hits(ctx, {})
    if same and hits:
        return ctx.term("renewal_term", hits[0][1].value, clause, same.start(), same.end())
    return None


def _renewal_notice_period(text: str, f: Found) -> bool:
    """Whether the duration at `f` is a notice period, not the length of a renewal.

    "renew for successive six (6) month periods unless written notice is given": the notice
    words belong to the "unless" clause that follows the renewal's length.
    """
    return _is_notice(text, f) and not LENGTH_THEN_UNLESS.match(text, f.end)


NON_RENEWAL = re.compile(
    r"not\s+(?:to\s+)?(?:be\s+)?(?:renew|extend)|non-?\s?renew|\bunless\b|terminat|cancel|"
    r"otherwise\s+notif",
    re.I,
)
# The renewal of an insurance policy or its certificate, not of the agreement.
INSURANCE_RENEWAL = re.compile(
    r"\b(?:insurance|insurers?|insureds?|coverages?)\b"
    r"|\b(?:renewal|non-?renewal|cancell?ation)\s+(?:of|in)\s+(?:any|such|the|each|its)\s+"
    r"(?:insurance\s+)?polic(?:y|ies)\b",
    re.I,
)
# Notice a party gives to *obtain* a renewal (an option) is not notice that stops one.
OPTION_TO_RENEW = re.compile(
    r"(?:option|right|elect\w*|desire|wish\w*|intent\w*)\s+(?:(?!not\b)\w+\s+)?to\s+(?:renew|extend)"
    r"|(?:renewal|extension)\s+option|may\s+(?:be\s+)?(?:renew|extend)\w*\s+(?:\w+\s+){0,6}?by\s+"
    r"(?:mutual|written\s+agreement)",
    re.I,
)
DEADLINE_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,5}?(?:prior\s+to|before|in\s+advance\s+of|preceding)\s+(?:the\s+)?"
    r"(?:\w+[\s-]+){0,4}?(?:expir\w*|end|renewal|anniversary|term\b|termination|close)",
    re.I,
)


def non_renewal_notice(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """Notice needed to stop a renewal: "notice of non-renewal at least sixty (60) days before"."""
    out = []
    hinted = hints.get("non_renewal_notice", frozenset())
    clauses = list(ctx.clauses)
    for clause in clauses:
        if not (RENEWAL.search(clause.text) or clause.index in hinted):
            continue
        if INSURANCE_RENEWAL.search(clause.text):
            # "notice of any cancellation or non-renewal of such insurance": a policy's renewal.
            continue
        # The notice often sits in the sentence after the renewal sentence.
        for cand in (clause, *clauses[clause.index + 1 : clause.index + 2]):
            hit = _renewal_notice(cand.text, cand is clause)
            if hit is not None:
                out.append(ctx.term("non_renewal_notice", hit.value, cand, hit.start, hit.end))
                break
    return out or _open_ended_notice(ctx, hints)


def _open_ended_notice(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """The notice that ends an open-ended term ("until terminated on 30 days' notice")."""
    for clause in _term_clauses(ctx, hints, "expiration_date"):
        if PERPETUAL.search(clause.text):
            hit = next((f for f in find_durations(clause.text) if _is_notice(clause.text, f)), None)
            if hit is not None:
                return [ctx.term("non_renewal_notice", hit.value, clause, hit.start, hit.end)]
    return []


def _renewal_notice(text: str, is_renewal_sentence: bool) -> Found | None:
    if OPTION_TO_RENEW.search(text) or not NON_RENEWAL.search(text):
        return None
    if not is_renewal_sentence and not re.search(r"renew|notice|notif", text, re.I):
        return None
    for f in find_durations(text):
        after = text[f.end : f.end + 80]
        if DEADLINE_AFTER.search(after) or (
            is_renewal_sentence and _renewal_notice_period(text, f)
        ):
            return f
    return None


def expiration_date(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """When the term ends: a stated date, start date + initial term, or "perpetual".

    A date counts as the end when a sentence that sets the agreement's term says the term runs
    "until" or "expires on" it, or when it is labelled ("Termination Date: December 31, 2023");
    a fiscal or contract year that "ends on" a date is no end of the agreement. Without one, a
    plainly stated initial term is counted from the start date; a term that runs "until
    terminated" is "perpetual".
    """
    clauses = _term_clauses(ctx, hints, "expiration_date")
    in_term = {c.index for c in clauses}
    stated = [
        ctx.term("expiration_date", _end_value(c.text, f), c, f.start, f.end)
        for c, f in _dated(ctx.clauses, _ends_term)
        if (
            c.index in in_term
            and not YEAR_DEF.search(c.text)
            and not DURING_TERM.search(c.text)
            and not _other_subject(c.text, f.start)
        )
        or EXPIRATION_LABEL.search(_before(c.text, f, 60))
    ]
    # A whole date before a month ("through March 2003"): the same end, said more exactly.
    stated.sort(key=lambda t: len(str(t.value)) < len("yyyy-mm-dd"))
    # (not "an automatic renewal for an indefinite period": the renewals are open-ended)
    open_ended = next(
        (
            (c, m)
            for c in clauses
            if not RENEWAL.search(c.text)
            for m in OPEN_ENDED.finditer(c.text)
            if not _other_subject(c.text, m.start())
        ),
        None,
    )
    if open_ended is not None and not any(STRONG_TERM.search(t.quote) for t in stated):
        c, m = open_ended
        return [ctx.term("expiration_date", "perpetual", c, m.start(), m.end())]
    if stated:
        return stated
    labelled = _labelled_length(ctx)
    if labelled:
        return labelled
    year_end = _end_of_start_year(ctx, clauses)
    if year_end:
        return year_end
    hits = _initial_hits(ctx, hints)
    perpetual = next(
        ((c, m) for c in clauses for m in PERPETUAL.finditer(c.text) if _ends_own_term(c, m, hits)),
        None,
    )
    if perpetual is not None and not (hits and _term_score(*hits[0]) >= 2):
        # "shall continue until terminated" outranks a duration that no term sentence states.
        c, m = perpetual
        return [ctx.term("expiration_date", "perpetual", c, m.start(), m.end())]
    unending = _not_terminable(ctx)
    if unending is not None and not hits:
        c, m = unending
        return [ctx.term("expiration_date", "perpetual", c, m.start(), m.end())]
    # A fixed term whose start is unknown has an end, only not one we can date.
    return _computed_expiration(ctx, hints)


def _start_date(ctx: Context) -> str | None:
    """The date the agreement starts: its effective date, else the date it was made."""
    starts = effective_date(ctx) or agreement_date(ctx)
    return str(starts[0].value) if starts else None


def _labelled_length(ctx: Context) -> list[Term]:
    """A labelled expiration date given as a length from the start ("Expiration Date: fifteen
    (15) years from the Effective Date"), counted from the start date."""
    for c in ctx.clauses:
        for f in find_durations(c.text):
            label = LABELLED_LENGTH.search(c.text[max(0, f.start - 100) : f.start])
            event = COUNTED_FROM.match(c.text, f.end)
            if label is None or event is None or not OWN_START.match(event.group("event")):
                continue
            start = _start_date(ctx)
            length = f.value
            assert isinstance(length, Duration)
            end = add_months(start, length.months, length.days) if start else None
            if end is None:
                return []
            if LAST_DAY_OF_MONTH.search(label.group("lead")):
                end = month_end(end) or end
            return [ctx.term("expiration_date", end, c, f.start, f.end)]
    return []


def _end_of_start_year(ctx: Context, clauses: list[Clause]) -> list[Term]:
    """December 31 of the start year for a term "until the end of the current calendar year",
    or of the year named: "expire at the end of the calendar year 2012"."""
    for c in clauses:
        named = END_OF_NAMED_YEAR.search(c.text)
        if named is not None and not _other_subject(c.text, named.start()):
            end = f"{named.group('year') or named.group('year_first')}-12-31"
            return [ctx.term("expiration_date", end, c, named.start(), named.end())]
    for c in clauses:
        m = END_OF_YEAR.search(c.text)
        if m is None or _other_subject(c.text, m.start()):
            continue
        year = (_start_date(ctx) or "")[:4]
        if year.isdigit():
            return [ctx.term("expiration_date", f"{year}-12-31", c, m.start(), m.end())]
    return []


def _not_terminable(ctx: Context) -> tuple[Clause, re.Match[str]] | None:
    """The sentence saying that this agreement cannot be terminated at all."""
    for c in ctx.clauses:
        for m in NOT_TERMINABLE.finditer(c.text):
            before = c.text[max(0, m.start() - 150) : m.start()]
            if OWN_SUBJECT.search(before) and not _other_subject(c.text, m.start()):
                return c, m
    return None


def _ends_own_term(clause: Clause, m: re.Match[str], hits: list) -> bool:
    """Whether an open end ("until terminated") is the agreement's own, not another thing's.

    Not when the nearest subject is some other thing ("the royalty payments shall continue
    indefinitely"), nor the renewals' end when a fixed initial term is stated ("shall renew for
    successive one-year periods until either party terminates").
    """
    if _other_subject(clause.text, m.start()):
        return False
    renewal = RENEWAL.search(clause.text, 0, m.start())
    return not (renewal and hits)


def _other_subject(text: str, at: int) -> bool:
    """Whether the nearest subject before `at` is something other than the agreement or its
    term: "This compensation shall expire on ...", "the Long Stop Date shall be extended until"."""
    before = text[max(0, at - 100) : at]
    other = list(OTHER_SUBJECT.finditer(before))
    if not other:
        return False
    own = list(OWN_SUBJECT.finditer(before))
    return not own or own[-1].start() < other[-1].start()


def _ends_term(text: str, f: Found) -> bool:
    """Whether the date at `f` is said to end something ("until", "expires on", a label)."""
    # "Sections 2.2.1 through 2.2.10" is no date: `find_dates` reads no section numbers.
    before = _before(text, f, 60)
    if LAST_DAY.search(before):
        # "... shall expire upon the later of: (a) ... and (b) the last day in June, 2021"
        return bool(re.search(r"\b(?:expir|terminat|until|through|end\b)", text[: f.start], re.I))
    return bool(UNTIL_DATE.search(before) or EXPIRATION_LABEL.search(before))


def _end_value(text: str, f: Found) -> object:
    """The date, or the last day of its month when the text says so."""
    if LAST_DAY.search(_before(text, f, 40)):
        return month_end(str(f.value)) or f.value
    return f.value


def _computed_expiration(ctx: Context, hints: dict[str, frozenset[int]]) -> list[Term]:
    """Start date + initial term, as CUAD computes it (5 years from 2014-12-05 is 2019-12-05).

    A term counted from some event ("ten (10) years after the First Commercial Sale", "12
    months from the Launch Date") has no date to compute from: none is given.
    """
    hits = _initial_hits(ctx, hints)
    # A duration in a sentence that names neither the agreement nor its term ("This training
    # is for the duration of 1 week") is no term to count an end from.
    if not hits or not OWN_TERM_WORDS.search(hits[0][0].text):
        return []
    clause, found = hits[0]
    # "five (5) years commencing on January 1, 2016": the term's own start, said with it.
    start = _start_stated_with(clause.text, found.end)
    event = COUNTED_FROM.match(clause.text, found.end)
    if start is None and event:
        start = _defined_date(ctx, event.group("event"))
    if start is None and event and not OWN_START.match(event.group("event")):
        return []
    if start is None and STARTS_ON_EVENT.search(clause.text):
        return []
    if start is None:
        start = _start_date(ctx)
        if start is None:
            return []
    length = found.value
    assert isinstance(length, Duration)
    end = add_months(start, length.months, length.days)
    if end is None:
        return []
    # "expire on the last day of the month in which the second anniversary ... occurs"
    if LAST_DAY_OF_MONTH.search(clause.text[max(0, found.start - 100) : found.start]):
        end = month_end(end) or end
    return [ctx.term("expiration_date", end, clause, found.start, found.end)]


# A defined date other than this agreement's own effective date, at the head of the words a
# duration is counted from: "the Commencement Date, unless ...", "the Launch Date".
DEFINED_DATE_NAME = re.compile(r"(?!Effective\s+Date\b)((?:[A-Z][\w-]*\s+){1,4}Date)\b")
# How far into its definition a defined date's own date may stand.
DEFINITION_REACH = 120
DEFINES = r"\s*(?:shall\s+)?(?:means?|shall\s+be|is|:)"
# Where the contract dates that name: "the parties anticipate the Commencement Date to be".
DATES_NAME = (
    r"\s+(?:(?:is|shall\s+be|will\s+be)\s+|(?:anticipated|expected)\s+to\s+be\s+|to\s+be\s+)"
)


def _defined_date(ctx: Context, event: str) -> str | None:
    """The date that the contract's definition of the defined date at the head of `event` states.

    '"Launch Date" means June 1, 2016'; 'on June 1, 2016 (the "Launch Date")'; a definition by an
    event followed by the date the parties expect it on ('"Commencement Date" shall mean the date
    on which conversion is complete. The parties anticipate the Commencement Date to be
    November 16, 1998.'). None when the name is no defined date or the contract dates it nowhere.
    """
    m = DEFINED_DATE_NAME.match(event)
    if m is None:
        return None
    name = r"\s+".join(map(re.escape, m.group(1).split()))
    quoted = re.compile(rf"[\"\u201c]{name}[\"\u201d]")
    defines = re.compile(rf"[\"\u201c]{name}[\"\u201d]{DEFINES}")
    dated = re.compile(rf"\b(?:the\s+)?{name}{DATES_NAME}$", re.I)
    for clause in ctx.clauses:
        text = clause.text
        d = defines.search(text)
        if d is not None:
            after = [f for f in find_dates(text) if 0 <= f.start - d.end() <= DEFINITION_REACH]
            if after:
                return str(after[0].value)
            nxt = ctx.clauses[clause.index + 1] if clause.index + 1 < len(ctx.clauses) else None
            said = nxt and next(
                (f for f in find_dates(nxt.text) if dated.search(_before(nxt.text, f, 80))), None
            )
            return str(said.value) if said else None
        q = quoted.search(text)
        if q is not None and re.search(r"\(\s*(?:the\s+|hereinafter\s+)?$", text[: q.start()]):
            before = [f for f in find_dates(text) if 0 <= q.start() - f.end <= 10]
            if before:
                return str(before[-1].value)
    return None


# ("for two years after April 1, 2011": the term runs from the date it is counted after)
STARTS_WITH = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:from|commenc\w*|begin\w*|start\w*|effective|as\s+of|after"
    r"|following)\W+"
    r"(?:(?:on|as\s+of|from)\W+)?(?:the\s+)?(?:\w+\W+){0,4}?$",
    re.I,
)


def _start_stated_with(text: str, at: int) -> str | None:
    """The date that a term's duration is said to start from, right after it: "for two (2)
    years commencing on March 1, 2016", "three years from January 1, 2020"."""
    after = text[at : at + 120]
    dates = find_dates(after)
    if not dates or not STARTS_WITH.match(after[: dates[0].start]):
        return None
    return str(dates[0].value)
