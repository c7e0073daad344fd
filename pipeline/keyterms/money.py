"""Money terms: payment terms, fees, interest on late payments and the cap on liability.

Days to pay an invoice ("net 30", "within thirty (30) days after receipt of invoice"), fees and
prices with their currency (totals first), late-payment interest ("1.5% per month", "prime +
2%"), and the liability cap as an amount or a multiple of the fees paid in a period.
"""

from __future__ import annotations

import re

from pipeline.keyterms.context import Clause, Context
from pipeline.normalize import (
    NUMBER,
    Found,
    find_durations,
    find_money,
    find_percents,
    parse_number,
)
from pipeline.terms import Duration, Money, Term

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


# "Payment is due upon receipt of invoice": no days at all.
ON_RECEIPT = re.compile(
    r"\b(?:due|payable)(?:\s+and\s+payable)?\s+(?:immediately\s+)?(?:up)?on\s+(?:the\s+)?"
    r"(?:receipt|presentation|presentment)\s+of\s+(?:(?:the|an|each|such|any|a|[\w.-]+['\u2019]s)\s+)?"
    r"(?:invoices?|bills?|statements?)\b",
    re.I,
)


def payment_terms(ctx: Context) -> list[Term]:
    """Days to pay an invoice: "net 30", "within thirty (30) days after receipt of invoice", 0
    days for "due upon receipt of invoice"."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        m = ON_RECEIPT.search(text)
        # (a number of days said beside it, "net 30" or "within thirty (30) days", wins)
        if m is not None and not find_durations(text) and not NET_DAYS.search(text):
            out.append(ctx.term("payment_terms", Duration(days=0), clause, m.start(), m.end()))
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


# A floating rate's benchmark: "prime plus 2%", "LIBOR plus 3%", "4% above the base rate".
BENCHMARK = re.compile(
    r"\bprime\b|\bLIBOR\b|\bSOFR\b|\bEURIBOR\b|\bSONIA\b|\bbase\s+(?:lending\s+)?rate\b"
    r"|\bfederal\s+funds\s+rate\b",
    re.I,
)


def _benchmark_name(word: str) -> str:
    """ "Prime" -> "prime", "Libor" -> "LIBOR", "base lending rate" -> "base rate"."""
    word = " ".join(word.split()).lower()
    if word.startswith("base"):
        return "base rate"
    return word if word in ("prime", "federal funds rate") else word.upper()


def late_interest(ctx: Context) -> list[Term]:
    """Interest on late payments, as "1.5% per month" (or "prime + 2%", "LIBOR + 3%")."""
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
            benchmark = BENCHMARK.search(before + after)
            if benchmark is not None:
                value = f"{_benchmark_name(benchmark.group(0))} + {f.value:g}%"
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
# "the fees paid by Customer", "the amounts to be paid hereunder"; not an indemnity's "amounts
# paid in settlement" or the "fees and expenses" of its counsel.
FEES_PAID = re.compile(
    r"(?:fees|amounts|charges|sums|price|compensation|consideration)(?!\s+and\s+expenses)\s+"
    r"(?:\w+\s+){0,6}?(?:paid|payable|received)(?!\s+in\s+settlement)",
    re.I,
)
# An amount that losses must pass before anyone is liable: "shall not be liable ... unless and
# until the aggregate amount of all Losses exceeds $50,000", "Losses in excess of $25,000".
THRESHOLD_BEFORE = re.compile(
    r"\b(?:unless|until|only\s+(?:if|when|to\s+the\s+extent)|except\s+to\s+the\s+extent)\b"
    r"[^.;]{0,120}?(?:exceed\w*|in\s+excess\s+of|greater\s+than|more\s+than)\s*"
    r"(?:(?:an?|the)\s+)?(?:amount\s+(?:of|equal\s+to)\s+)?$|"
    r"\b(?:losses|damages|claims)\s+(?:\w+\s+){0,3}?in\s+excess\s+of\s*$|"
    r"\b(?:basket|deductible|threshold)\b[^.;]{0,60}$",
    re.I,
)
# The name a contract gives its basket: '$50,000 (the "Basket")'.
THRESHOLD_NAME = re.compile(r"\s*\(\s*(?:the\s+)?[\"\u201c]?(?:basket|deductible|threshold)", re.I)
# The words that limit an amount: "shall not exceed", "is limited (except for ...) to", "be
# greater than", "the lesser of", "up to"; not the "(including) but not limited to" of a list.
LIMIT = (
    r"(?:exceed\w*|(?<!not )(?<!but )limited\b|greater\s+than|more\s+than|in\s+excess\s+of|"
    r"lesser\s+of|up\s+to|be\s+capped)"
)
# A limit on liability said just before what it limits (the text before a base or blank ends
# with it): "Supplier's liability ... shall not exceed", "any and all liability ... shall be
# limited (except for death or personal injury caused by ...) to", "the maximum liability of one
# Party to the other ... will be".
LIMIT_BEFORE = re.compile(
    rf"\bliab(?:ility|le)\b[^.;]{{0,250}}?{LIMIT}(?:[^.;()]{{0,60}}\([^()]{{0,300}}\))?"
    r"[^.;]{0,110}$|"
    r"\b(?:maximum|total|aggregate|cumulative|entire)\s+(?:\w+\s+){0,2}?liability\b[^.;]{0,160}?"
    r"\b(?:is|be|equals?)\s+(?!in\s+addition)(?:\w+\s+){0,3}$",
    re.I,
)
# The same limit in a sentence cut from its subject under a "Limitation of Liability" heading:
# "... SHALL BE LIMITED TO THE AMOUNT [***]".
LIMIT_ONLY_BEFORE = re.compile(rf"{LIMIT}[^.;]{{0,110}}$", re.I)
# Not "fees and other expenses": what counsel charges.
NOT_EXPENSES = r"(?!\s+and\s+(?:other\s+)?(?:expenses|costs|disbursements))"
# What a cap is measured by when it is no amount of money (not the "fees and expenses" of
# counsel an indemnity pays): "the amount received by JRVS",
# "payments made to M&I during the three (3) months", "the basic Monthly Maintenance Charges",
# "the contractual value", "the total value of the Work Order", "the purchase price of the
# products to which the claim relates".
PAID_BASE = re.compile(
    r"\b(?:amounts?|payments?|sums?|fees?|charges|compensation|consideration)\b"
    rf"{NOT_EXPENSES}(?:\s+\w+){{0,6}}?"
    r"\s+(?:paid|payable|received|made)\b(?!\s+in\s+settlement)",
    re.I,
)
FEE_BASE = re.compile(
    r"(?<!attorneys['\u2019] )(?<!attorneys )(?<!attorney['\u2019]s )(?<!legal )"
    rf"\b(?:fees?|charges)\b{NOT_EXPENSES}",
    re.I,
)
CONTRACT_BASE = re.compile(
    r"\bcontract(?:ual)?\s+(?:value|price|sum|amount)\b|\bvalue\s+of\s+(?:the|this|such|each|any|"
    r"all|that)\s+(?:\w+\s+){0,2}?(?:contract|agreement|work\s+orders?|purchase\s+orders?|"
    r"orders?|statements?\s+of\s+work|sows?)\b",
    re.I,
)
PRICE_BASE = re.compile(
    r"\bprice\s+(?:paid\s+)?(?:of|for)\s+(?:(?:the|such|any|that|those)\s+)?(?:\w+\s+){0,2}?"
    r"(?:products?|goods|units?|equipment|items?|deliver(?:y|ies|ables?)|shipments?|services?)\b",
    re.I,
)
# How far before a base or blank its limit on liability may start.
LOOKBACK = 800
BASES = (
    (PRICE_BASE, "purchase price"),
    (CONTRACT_BASE, "contract value"),
    (PAID_BASE, "fees paid"),
    (FEE_BASE, "fees paid"),
)
# The period of fees said as an adjective: "the monthly administrative fee", "the average annual
# aggregate amount paid".
PERIOD_WORD = re.compile(r"\b(?P<month>monthly)\b|\b(?:annual|yearly)\b", re.I)
# A share of the base: "fifty percent (50%) of the fees paid".
SHARE = re.compile(
    rf"(?P<pct>{NUMBER})\s*(?:%|percent\b|per\s+cent\b)(?:\s*\(\s*[\d.]+\s*%\s*\))?"
    r"\s+of\s+(?:the\s+)?[^.;]{0,40}$",
    re.I,
)
# A cap whose amount the filed copy blanks out: "[***]", "[* * *]", "$[**]", "[...***...]".
REDACTED = re.compile(r"\[\s*(?:\.{3})?\s*\*[*\s]*(?:\.{3})?\s*\]|\*{3,}", re.I)
# Liability limited to direct damages as its measure, not only indirect damages excluded: "is
# limited to, and will not exceed, Primecall's direct damages", "will only be liable to the other
# Party for direct damages".
DIRECT_ONLY = re.compile(
    r"(?:(?<!not )(?<!but )\blimited\s+to|\bnot\s+exceed|\bonly\s+(?:be\s+)?(?:liable|responsible)|"
    r"\b(?:liable|responsible)\s+only"
    # "will not have liability for any damages other than direct damages"
    r"|\bliab(?:ility|le)\b[^.;]{0,60}?\b(?:other\s+than|except(?:\s+for)?))\b[^.;]{0,60}?"
    # "actual, direct, and documented damages"
    r"(?<![\w-])(?:actual\s*,?\s+)?direct\b(?:\s*,?\s*(?:and\s+)?(?:documented|proven|actual))?"
    r"\s+(?:damages|loss(?:es)?)\b",
    re.I,
)
# A time limit to bring claims: "No action ... may be brought ... more than one (1) year after
# the cause of action has arisen", "any claim ... shall be commenced within two (2) years from
# the occurrence of the facts giving rise to such claim" (the duration follows the match).
CLAIM_BROUGHT = re.compile(
    r"\b(?:actions?|claims?|suits?|proceedings?)\b[^.;]{0,250}?\b(?:brought|commenced|"
    r"instituted|filed|initiated)\b[^.;]{0,40}?\b(?:within|more\s+than|later\s+than)\s+$",
    re.I,
)
# The event a limitation period runs from: the claim arising, accruing or being discovered.
ACCRUAL = re.compile(
    r"\b(?:aris\w*|arose|accru\w*|occur\w*|giving\s+rise|cause\s+of\s+action|discover\w*|knew|"
    r"known|aware)\b",
    re.I,
)


def liability_cap(ctx: Context) -> list[Term]:
    """The cap on liability, valued as a lawyer reads it; caps on amounts first.

    - an amount with its currency: Money("USD", 1000000) for "shall not exceed $1,000,000";
    - a multiple of what is paid: "1x fees paid in 12 months" ("the fees paid in the twelve
      months before the claim", "the amounts paid or payable under this Agreement"), "24x fees
      paid in 1 month" ("24 times the monthly fee"), "0.5x fees paid" ("50% of the fees");
      "1x contract value" ("the total value of the Work Order"), "1x purchase price" ("the
      price of the products to which the claim relates");
    - "redacted amount": a cap whose amount the filed copy blanks out ("shall not exceed
      [***]");
    - "direct damages only": liability limited to direct damages as its measure ("is limited
      to ... direct damages", "only liable for direct damages"), with no amount stated;
    - "claims within 12 months": a time limit to bring claims ("no action may be brought more
      than one year after the cause of action arose").

    Excluding indirect or consequential damages ("neither party shall be liable for indirect
    damages") caps nothing, and neither do insurance limits.
    """
    caps, others = [], []
    for clause in ctx.clauses:
        text = clause.text
        cap = None
        if INSURANCE.search(text):
            # An insurance policy's limit caps no one's liability.
            pass
        elif CAP.search(text):
            cap = _stated_cap(ctx, clause) or _measured_cap(ctx, clause, LIMIT_BEFORE)
            if cap is None:
                others.extend(_direct_damages(ctx, clause))
        elif "liabilit" in clause.headings:
            cap = _measured_cap(ctx, clause, LIMIT_ONLY_BEFORE)
        if cap is not None:
            caps.append(cap)
        others.extend(_claims_period(ctx, clause))
    return caps + others


def _stated_cap(ctx: Context, clause: Clause) -> Term | None:
    """An amount, or a multiple of fees paid, in a sentence about liability."""
    text = clause.text
    limited = CAP_LIMIT.search(text) is not None
    if not limited and "liabilit" not in clause.headings:
        return None
    found = _amount_cap(text, fees_paid_too=limited)
    return _cap_term(ctx, clause, found) if found else None


def parse_cap(text: str) -> Money | str | None:
    """The cap on an amount that a bare piece of text states, valued as `liability_cap` values
    it; None when it states none.

    "$500,000" is Money("USD", 500000); "three (3) times the fees paid by Company in the one
    year preceding the claim" is "3x fees paid in 12 months"; "fifty percent (50%) of the fees
    paid" is "0.5x fees paid"; "the total value of the Work Order" is "1x contract value". No
    words that limit liability need surround it: an amendment that replaces a cap's words says
    only the new ones ('deleting the words "$1,000,000" and inserting "$2,000,000"').
    """
    found = _amount_cap(text) or _base_cap(text)
    return found.value if found else None  # type: ignore[return-value]


def _amount_cap(text: str, fees_paid_too: bool = True) -> Found | None:
    """The first amount of money that is no threshold, else (with `fees_paid_too`) a multiple
    of the fees paid."""
    money = [f for f in find_money(text) if not _threshold(text, f.start, f.end)]
    if money:
        return money[0]
    fees_paid = FEES_PAID.search(text) if fees_paid_too else None
    return _fees_multiple(text, fees_paid) if fees_paid else None


def _base_cap(text: str, limit: re.Pattern[str] | None = None) -> Found | None:
    """A multiple of a base (fees, contract value, price; see BASES), where `limit` (if given)
    matches the words just before it."""
    for pattern, base in BASES:
        for m in pattern.finditer(text):
            if limit is None or limit.search(text[max(0, m.start() - LOOKBACK) : m.start()]):
                return _base_multiple(text, m, base)
    return None


def _cap_term(ctx: Context, clause: Clause, found: Found) -> Term:
    return ctx.term("liability_cap", found.value, clause, found.start, found.end)


def _threshold(text: str, start: int, end: int) -> bool:
    """Whether the amount at [start, end) is a threshold below which no one is liable (an
    indemnity's basket or deductible), not a cap."""
    before = text[max(0, start - 150) : start]
    return bool(THRESHOLD_BEFORE.search(before) or THRESHOLD_NAME.match(text[end : end + 40]))


def _fees_multiple(text: str, fees_paid: re.Match[str]) -> Found:
    """ "2x fees paid in 12 months": a multiple said anywhere in `text` (or a share said just
    before the fees: "50% of the fees paid" is 0.5x), and the first period said from just before
    the fees on."""
    mult = MULTIPLE.search(text)
    share = SHARE.search(text[max(0, fees_paid.start() - 60) : fees_paid.start()])
    factor = _factor(mult, share)
    period = next((f for f in find_durations(text) if f.start > fees_paid.start() - 40), None)
    value = f"{factor:g}x fees paid"
    end = fees_paid.end()
    if period is not None:
        value += f" in {period.value}"
        end = max(end, period.end)
    start = min(fees_paid.start(), mult.start() if mult else fees_paid.start())
    return Found(value, start, end, text[start:end])


def _factor(mult: re.Match[str] | None, share: re.Match[str] | None) -> float:
    """The factor of a multiple ("three (3) times", "twice") or, without one, of a share
    ("50% of"): 1 when neither is said."""
    if mult:
        return 2.0 if mult.group("word") else parse_number(mult.group("n")) or 1.0
    if share:
        return (parse_number(share.group("pct")) or 100.0) / 100
    return 1.0


def _measured_cap(ctx: Context, clause: Clause, limit: re.Pattern[str]) -> Term | None:
    """A cap measured by fees, the contract's value or the goods' price, or a redacted amount,
    just after the words that limit liability (`limit` matches the text before it)."""
    text = clause.text
    found = _base_cap(text, limit)
    if found is not None:
        return _cap_term(ctx, clause, found)
    for m in REDACTED.finditer(text):
        if limit.search(text[max(0, m.start() - LOOKBACK) : m.start()]):
            return ctx.term("liability_cap", "redacted amount", clause, m.start(), m.end())
    return None


def _base_multiple(text: str, base: re.Match[str], name: str) -> Found:
    """ "3x contract value", "24x fees paid in 1 month", "0.5x fees paid": the multiple said
    just before the base, and the period of fees said after it or as "monthly"/"annual"."""
    lead = text[max(0, base.start() - 60) : base.start()]
    mult = MULTIPLE.search(lead)
    share = SHARE.search(lead)
    factor, said = _factor(mult, share), mult or share
    start = base.start() - len(lead) + said.start() if said else base.start()
    value, end = f"{factor:g}x {name}", base.end()
    if name == "fees paid":
        period = next((f for f in find_durations(text) if 0 <= f.start - base.end() < 120), None)
        word = PERIOD_WORD.search(lead + text[base.start() : base.end()])
        if period is not None:
            value += f" in {period.value}"
            end = period.end
        elif word:
            value += f" in {Duration(months=1 if word.group('month') else 12)}"
    return Found(value, start, end, text[start:end])


def _direct_damages(ctx: Context, clause: Clause) -> list[Term]:
    """ "direct damages only" where liability is limited to direct damages."""
    m = DIRECT_ONLY.search(clause.text)
    if m is None:
        return []
    return [ctx.term("liability_cap", "direct damages only", clause, m.start(), m.end())]


def _claims_period(ctx: Context, clause: Clause) -> list[Term]:
    """ "claims within 12 months": the time limit to bring a claim after it arises."""
    text = clause.text
    for f in find_durations(text):
        if not CLAIM_BROUGHT.search(text[max(0, f.start - 320) : f.start]):
            continue
        if ACCRUAL.search(text[f.end : f.end + 150]):
            return [ctx.term("liability_cap", f"claims within {f.value}", clause, f.start, f.end)]
    return []
