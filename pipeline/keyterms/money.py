"""Money terms: payment terms, fees, interest on late payments and the cap on liability.

Days to pay an invoice ("net 30", "within thirty (30) days after receipt of invoice"), fees and
prices with their currency (totals first), late-payment interest ("1.5% per month", "prime +
2%"), and the liability cap as an amount or a multiple of the fees paid in a period.
"""

from __future__ import annotations

import re

from pipeline.keyterms.context import Clause, Context
from pipeline.normalize import NUMBER, find_durations, find_money, find_percents, parse_number
from pipeline.terms import Duration, Term

# "net 30", but not the "acme.net 30" of a web address or "net-30.com".
NET_DAYS = re.compile(rf"(?<![\w.@/-])net\s+(?P<n>{NUMBER})(?:\s*days?)?\b(?![.\-/@]\w)", re.I)
PAY_VERB = re.compile(r"\b(?:pay|pays|paid|payable|payment|remit\w*|due)\b", re.I)
# Another duty with its own deadline ("shall notify ... within fifteen (15) days").
OTHER_VERB = re.compile(
    r"\b(?:shall|will|must|may)\s+(?:\w+\s+){0,2}?(?:notify|dispute|object|submit|deliver|provide|"
    r"send|issue|invoice|give)\b",
    re.I,
)
# "within thirty (30) days", and "due thirty days after invoice" without the "within".
WITHIN = re.compile(
    r"\b(?:within|(?:due|payable)(?:\s+and\s+payable)?(?:\s+no\s+later\s+than)?|no\s+later\s+than)"
    r"\s*$",
    re.I,
)
INVOICE_AFTER = re.compile(
    r"^\W*(?:after|of|from|following|upon)\s+(?:the\s+)?(?:\w+\s+){0,4}?"
    r"(?:invoice|receipt|billing|statement)",
    re.I,
)
# The invoice named before the deadline: "shall pay each invoice within", "invoices are payable
# within", "all amounts invoiced shall be paid within".
INVOICE_BEFORE = re.compile(
    r"\b(?:invoices?|invoiced\s+amounts?|amounts?\s+invoiced)\b(?:\s+\S+){0,8}?\s*$", re.I
)


def payment_terms(ctx: Context) -> list[Term]:
    """Days to pay an invoice: "net 30", "within thirty (30) days after receipt of invoice"."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        for m in NET_DAYS.finditer(text):
            n = parse_number(m.group("n"))
            if n:
                out.append(
                    ctx.term("payment_terms", Duration(days=int(n)), clause, m.start(), m.end())
                )
        if not PAY_VERB.search(text):
            continue
        for f in find_durations(text):
            before = text[max(0, f.start - 120) : f.start]
            if not WITHIN.search(before):
                continue
            after = text[f.end : f.end + 80]
            if not (INVOICE_AFTER.search(after) or INVOICE_BEFORE.search(before)):
                continue
            if _last_verb_is_pay(before):
                out.append(ctx.term("payment_terms", f.value, clause, f.start, f.end))
    return out


def _last_verb_is_pay(before: str) -> bool:
    pay = [m.start() for m in PAY_VERB.finditer(before)]
    other = [m.start() for m in OTHER_VERB.finditer(before)]
    return bool(pay) and (not other or max(pay) > max(other))


FEE_WORDS = re.compile(
    r"\b(?:fees?|price|compensation|consideration|royalt\w+|charges?|purchase\s+price|"
    r"payable|pay|paid|retainer|salary|rate)\b",
    re.I,
)
NOT_FEE = re.compile(
    r"liabilit|insurance|coverage|exceed|indemnif|damages|penalt|expense|reimburs|"
    r"capital|shares|stock|loan|principal\s+amount|revenue",
    re.I,
)


def fees(ctx: Context) -> list[Term]:
    """Fees and prices with their currency: "a total fixed fee of ... (US$240,000.00)"."""
    totals, others = [], []
    for clause in ctx.clauses:
        text = clause.text
        if not FEE_WORDS.search(text) or NOT_FEE.search(text):
            continue
        for f in find_money(text):
            term = ctx.term("fees", f.value, clause, f.start, f.end)
            before = text[max(0, f.start - 60) : f.start]
            # A total or aggregate fee is what a reader compares first.
            (totals if re.search(r"total|aggregate|fixed\s+fee", before, re.I) else others).append(
                term
            )
    return totals + others


LATE = re.compile(
    r"late|overdue|past\s+due|not\s+paid|unpaid|delinquen|when\s+due|outstanding", re.I
)
PER_PERIOD = [
    (r"per\s+month|a\s+month|each\s+month|monthly|per\s+mensem", "month"),
    (r"per\s+annum|per\s+year|a\s+year|annual(?:ly)?|each\s+year|p\.a\.", "annum"),
    (r"per\s+day|a\s+day|daily", "day"),
]


def late_interest(ctx: Context) -> list[Term]:
    """Interest on late payments, as "1.5% per month" (or "prime + 2%")."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        if not re.search(r"\binterest\b", text, re.I) or not LATE.search(text):
            continue
        for f in find_percents(text):
            after = text[f.end : f.end + 40]
            before = text[max(0, f.start - 40) : f.start]
            period = next((p for pat, p in PER_PERIOD if re.search(pat, after, re.I)), "")
            value = f"{f.value:g}%" + (f" per {period}" if period else "")
            if re.search(r"prime|libor|base\s+rate|sofr", before + after, re.I):
                value = f"prime + {f.value:g}%"
            out.append(ctx.term("late_interest", value, clause, f.start, f.end))
            break
    return out


CAP = re.compile(r"liabilit\w*|liable", re.I)
INSURANCE = re.compile(r"insurance|insured|insurer|policy\s+limits|coverage", re.I)
CAP_LIMIT = re.compile(
    r"exceed|limited\s+to|in\s+excess\s+of|greater\s+than|more\s+than|not\s+to\s+exceed|cap\b|"
    r"maximum|aggregate",
    re.I,
)
MULTIPLE = re.compile(rf"(?P<n>{NUMBER})\s+times|(?P<word>twice|double)", re.I)
FEES_PAID = re.compile(
    r"(?:fees|amounts|charges|sums|price|compensation|consideration)\s+(?:\w+\s+){0,6}?"
    r"(?:paid|payable|received)",
    re.I,
)


def liability_cap(ctx: Context) -> list[Term]:
    """The cap on liability: an amount, or a multiple of the fees paid in a period."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        if not (CAP.search(text) and CAP_LIMIT.search(text)) and "liabilit" not in clause.headings:
            continue
        if not CAP.search(text) or INSURANCE.search(text):
            continue
        money = find_money(text)
        if money:
            f = money[0]
            out.append(ctx.term("liability_cap", f.value, clause, f.start, f.end))
            continue
        fees_paid = FEES_PAID.search(text)
        if fees_paid and CAP_LIMIT.search(text):
            out.append(_fees_multiple(ctx, clause, fees_paid))
    return out


def _fees_multiple(ctx: Context, clause: Clause, fees_paid: re.Match[str]) -> Term:
    text = clause.text
    mult = MULTIPLE.search(text)
    factor = 1.0
    if mult:
        factor = 2.0 if mult.group("word") else parse_number(mult.group("n")) or 1.0
    period = next((f for f in find_durations(text) if f.start > fees_paid.start() - 40), None)
    value = f"{factor:g}x fees paid"
    end = fees_paid.end()
    if period is not None:
        value += f" in {period.value}"
        end = max(end, period.end)
    start = min(fees_paid.start(), mult.start() if mult else fees_paid.start())
    return ctx.term("liability_cap", value, clause, start, end)
