"""Dev bundles for cross-document conflict detection, built from held-out CUAD contracts.

Each bundle is one real contract of `contracts/cuad_dev.jsonl.gz` (the "Agreement", its text
unchanged) plus two documents written here in ordinary drafting: an amendment ("AMENDMENT NO. 1
TO <TITLE>") and an order form or statement of work, each dated after the contract, restating
the parties with their aliases, in numbered sections. Together they

- restate some of the contract's terms in other words ("thirty (30) days" -> "30 days",
  "the State of Delaware" -> "Delaware law", "one (1) year" -> "twelve (12) months",
  "$1,000,000" -> "USD 1,000,000.00"): the truth lists these as `restated`, and no detector
  should flag them;
- change others: the amendment with amending language ("Section 12.3 of the Agreement is
  deleted in its entirety and replaced with the following: ...", truth kind "amended_by", the
  amendment governs), the order form by stating another value without amending language (kind
  "conflict"; the Agreement, the order form or nobody governs, by the bundle's order-of-
  precedence clause when it has one, else "unresolved"). Now and then the amendment's own
  governing-law or venue clause states another value without amending the Agreement: that is a
  "conflict" too, and unresolved.

Drafting varies as it does in practice: a section "deleted and replaced" or "amended and
restated", words replaced inside a section, a term "extended until" a date, changes to one
section grouped in one replacement, a recital that first recites the old value, an order line
that names the Agreement's value it departs from or says "Notwithstanding Section X of the
Agreement", curly or straight quotes, an order document that mentions the amendment, and
numbers that are no key term (fees, delivery and support times, insurance limits, a
subscription term of the order itself).

Some bundles change nothing (restatements only). The changed and restated values are those that
`pipeline.keyterms` extracts from the contract itself, so the truth is relative to what the
contract says; a field is used only when its extraction agrees with the contract's CUAD answer
where CUAD has one (governing law, expiration date, renewal term, renewal notice; presence of a
cap, warranty, non-compete or convenience termination), so no truth rests on an extraction
error. Contracts come from the held-out part (sha1(id) mod 1000 < 200, the clause classifier's
rule); amendments and contracts whose own order-of-precedence clause could rank the new
documents are left out.

Every value phrase written is checked with `pipeline.normalize` against the value it should
state. Output: one folder per bundle with the `.txt` documents and a `truth.json`
(`BundleTruth`), plus `index.json`.

    python -m training.conflict_bundles --data ../shared/data/contracts/cuad_dev.jsonl.gz \
        --out runs/conflict_bundles --n 60 --seed 0
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.conflicts import LABELS
from pipeline.keyterms import extract_terms
from pipeline.normalize import (
    add_months,
    find_durations,
    find_money,
    find_percents,
    normalize_jurisdiction,
    parse_date,
    parse_duration,
)
from pipeline.segment import Segmented, segment
from pipeline.terms import DocumentTerms, Duration, Money, Term
from training.eval_terms import (
    date_matches,
    duration_matches,
    gold_date,
    law_matches,
    read_contracts,
    to_document,
)
from training.splits import is_validation

HELD_OUT_PERMILLE = 200
AGREEMENT_FILE = "01_agreement.txt"
DURATION_FIELDS = frozenset(
    {
        "initial_term",
        "renewal_term",
        "non_renewal_notice",
        "payment_terms",
        "confidentiality_period",
        "warranty_duration",
        "non_compete_duration",
        "termination_for_convenience",
    }
)
# Fields an order form or SOW may state; its own term is not the Agreement's term.
ORDER_FIELDS = (
    "payment_terms",
    "governing_law",
    "venue",
    "liability_cap",
    "late_interest",
    "renewal_term",
    "non_renewal_notice",
    "termination_for_convenience",
    "confidentiality_period",
    "warranty_duration",
)
STATES = (
    "Delaware",
    "New York",
    "California",
    "Texas",
    "Illinois",
    "Massachusetts",
    "Washington",
    "Florida",
    "Georgia",
    "New Jersey",
    "Colorado",
    "Pennsylvania",
    "Virginia",
    "Ohio",
)
COMMONWEALTHS = frozenset({"Massachusetts", "Pennsylvania", "Virginia", "Kentucky"})
CITIES = {
    "Delaware": "Wilmington",
    "New York": "New York County",
    "California": "San Francisco",
    "Texas": "Dallas County",
    "Illinois": "Cook County",
    "Massachusetts": "Boston",
    "Washington": "King County",
    "Florida": "Miami-Dade County",
    "Georgia": "Fulton County",
    "New Jersey": "Newark",
    "Colorado": "Denver",
    "Pennsylvania": "Philadelphia",
    "Virginia": "Fairfax County",
    "Ohio": "Franklin County",
}
ADJECTIVES = {
    "England and Wales": "English",
    "Germany": "German",
    "France": "French",
    "Switzerland": "Swiss",
    "Israel": "Israeli",
    "Japan": "Japanese",
}
THE_COUNTRIES = frozenset(
    {
        "United Kingdom",
        "United States",
        "Netherlands",
        "Philippines",
        "People's Republic of China",
        "Republic of Korea",
        "Cayman Islands",
        "British Virgin Islands",
        "United Arab Emirates",
        "Russian Federation",
        "Republic of Kazakhstan",
    }
)
PEOPLE = (
    "Maria Chen",
    "David Okafor",
    "Laura Bianchi",
    "James Whitfield",
    "Priya Raman",
    "Thomas Keller",
    "Elena Petrova",
    "Robert Lindqvist",
    "Sarah O'Neill",
    "Miguel Torres",
)
OFFICES = (
    "Chief Executive Officer",
    "President",
    "Chief Financial Officer",
    "General Counsel",
    "Vice President, Operations",
    "Chief Operating Officer",
)


@dataclass(frozen=True)
class Statement:
    """What one document of a bundle says about a field.

    `value` is the normalized value as the pipeline prints it (`str(Duration)`, `str(Money)`,
    a canonical jurisdiction, an ISO date, "1.5% per month", "2x fees paid in 12 months");
    `text` the words in the document that state it (for the Agreement: the extracted span).
    """

    doc_id: str
    value: str
    text: str


@dataclass(frozen=True)
class TruthConflict:
    """A planted difference: `b` states another value than `a` (the Agreement) for `field`.

    `kind` is "amended_by" (an amendment changes the term with amending language) or
    "conflict" (a document states another value without amending language). `governs` is the
    doc id of the document whose value governs, or "unresolved"; `style` says how the change
    was drafted, `why` why that document governs.
    """

    field: str
    kind: str
    a: Statement
    b: Statement
    governs: str
    style: str
    why: str

    @property
    def docs(self) -> frozenset[str]:
        return frozenset((self.a.doc_id, self.b.doc_id))


@dataclass(frozen=True)
class TruthRestatement:
    """A term that several documents state in different words but with one normalized value."""

    field: str
    value: str
    statements: tuple[Statement, ...]

    @property
    def docs(self) -> frozenset[str]:
        return frozenset(s.doc_id for s in self.statements)


@dataclass(frozen=True)
class TruthOnlyIn:
    """A term that only one document states: nothing to compare it with, so no flag."""

    field: str
    statement: Statement


@dataclass(frozen=True)
class BundleDoc:
    """One document of a bundle: its file name (the doc id), kind, title line and date."""

    doc_id: str
    kind: str
    title: str
    date: str


@dataclass(frozen=True)
class BundleTruth:
    """Everything planted in one bundle (the `truth.json` beside its documents).

    `precedence` lists the order-of-precedence clauses written, as "doc_id: rule"; `only_in`
    holds terms stated by one document only (nothing to compare them with).
    """

    bundle_id: str
    contract_id: str
    seed: str
    documents: tuple[BundleDoc, ...]
    precedence: tuple[str, ...]
    conflicts: tuple[TruthConflict, ...]
    restated: tuple[TruthRestatement, ...]
    only_in: tuple[TruthOnlyIn, ...] = ()
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_json(data: dict) -> BundleTruth:
        def st(d: dict) -> Statement:
            return Statement(**d)

        return BundleTruth(
            bundle_id=data["bundle_id"],
            contract_id=data["contract_id"],
            seed=data["seed"],
            documents=tuple(BundleDoc(**d) for d in data["documents"]),
            precedence=tuple(data["precedence"]),
            conflicts=tuple(
                TruthConflict(**{**c, "a": st(c["a"]), "b": st(c["b"])}) for c in data["conflicts"]
            ),
            restated=tuple(
                TruthRestatement(r["field"], r["value"], tuple(st(s) for s in r["statements"]))
                for r in data["restated"]
            ),
            only_in=tuple(
                TruthOnlyIn(o["field"], st(o["statement"])) for o in data.get("only_in", ())
            ),
            notes=tuple(data.get("notes", ())),
        )


def load_truth(bundle_dir: Path) -> BundleTruth:
    """The `truth.json` of one bundle folder."""
    return BundleTruth.from_json(json.loads((bundle_dir / "truth.json").read_text("utf-8")))


# Numbers, values and phrases.

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """An integer in lower-case words: 45 -> "forty-five", 1000000 -> "one million"."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TENS[n // 10] + (f"-{_UNITS[n % 10]}" if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return f"{_UNITS[n // 100]} hundred" + (f" {number_words(rest)}" if rest else "")
    for scale, word in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= scale:
            rest = n % scale
            return f"{number_words(n // scale)} {word}" + (f" {number_words(rest)}" if rest else "")
    raise ValueError(n)


def _net_days(text: str) -> Duration | None:
    m = re.search(r"\bnet\s+(\d+)", text, re.I)
    return Duration(days=int(m.group(1))) if m else None


def _interest(text: str) -> str | None:
    found = find_percents(text)
    if not found:
        return None
    after = text[found[0].end : found[0].end + 40]
    period = next(
        (
            p
            for pat, p in (("month", "month"), ("annum|year", "annum"), ("day", "day"))
            if re.search(rf"\b(?:per|a|each)\s+(?:{pat})", after, re.I)
        ),
        "",
    )
    return f"{found[0].value:g}%" + (f" per {period}" if period else "")


def _multiple(text: str) -> str | None:
    if not re.search(r"fees\s+(?:\w+\s+){0,6}?(?:paid|payable)", text, re.I):
        return None
    m = re.search(r"\((\d+)\)\s+times|\b(\d+)\s+times|\b(twice)\b", text, re.I)
    factor = 1.0
    if m:
        factor = 2.0 if m.group(3) else float(m.group(1) or m.group(2))
    fees_at = re.search(r"fees\s", text, re.I)
    periods = [f for f in find_durations(text) if fees_at and f.start > fees_at.start()]
    return f"{factor:g}x fees paid" + (f" in {periods[0].value}" if periods else "")


def normalized(field_name: str, text: str) -> str | None:
    """The normalized value (as the pipeline prints it) that `text` states for `field_name`.

    The check that a written phrase says what the truth records, via `pipeline.normalize`.
    """
    if field_name in DURATION_FIELDS:
        value = _net_days(text) if field_name == "payment_terms" else None
        value = value or parse_duration(text)
        return None if value is None else str(value)
    if field_name in ("governing_law", "venue"):
        return normalize_jurisdiction(text)
    if field_name == "expiration_date":
        return parse_date(text)
    if field_name == "late_interest":
        return _interest(text)
    if field_name == "liability_cap":
        money = find_money(text)
        return str(money[0].value) if money else _multiple(text)
    return None


def _checked(field_name: str, value: str, variants: Sequence[str], rng: random.Random) -> str:
    """One of `variants` (random) that normalizes to `value`; the first one that does if not."""
    good = [v for v in variants if normalized(field_name, v) == value]
    if not good:
        raise ValueError(f"{field_name}: no phrase for {value!r} among {list(variants)}")
    return rng.choice(good)


def duration_variants(d: Duration) -> list[str]:
    """Ways contracts write one duration: "thirty (30) days", "30 days", "one (1) year"..."""
    n, unit = (d.days, "day") if d.days and not d.months else (d.months, "month")
    units = unit if n == 1 else f"{unit}s"
    out = [f"{number_words(n)} ({n}) {units}", f"{n} {units}", f"{number_words(n)} {units}"]
    if unit == "day":
        out.append(f"{n} calendar {units}")
        if n % 7 == 0 and n // 7 <= 8:
            weeks = "week" if n == 7 else "weeks"
            out.append(f"{number_words(n // 7)} ({n // 7}) {weeks}")
    elif n % 12 == 0:
        y = n // 12
        years = "year" if y == 1 else "years"
        out += [f"{number_words(y)} ({y}) {years}", f"{y} {years}", f"{number_words(y)} {years}"]
    return out


def money_variants(m: Money) -> list[str]:
    """ "$1,000,000", "USD 1,000,000.00", "One Million U.S. Dollars (US$1,000,000.00)"..."""
    amount = m.amount
    whole = amount == int(amount)
    digits = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    cents = f"{amount:,.2f}"
    code = m.currency
    if code != "USD":
        return [f"{code} {digits}", f"{code} {cents}", f"{digits} {code}"]
    out = [f"${digits}", f"${cents}", f"USD {digits}", f"USD {cents}", f"US${cents}"]
    if whole and amount < 10**10:
        words = number_words(int(amount)).title().replace("-", "-")
        out.append(f"{words} U.S. Dollars (US${cents})")
        if amount % 1_000_000 == 0:
            out.append(f"${int(amount // 1_000_000)} million")
    return out


def law_variants(name: str) -> list[str]:
    """ "the laws of the State of Delaware", "Delaware law", "the laws of England and Wales"..."""
    if name in CITIES or name in COMMONWEALTHS or name in STATES:
        prefix = "Commonwealth" if name in COMMONWEALTHS else "State"
        return [
            f"the laws of the {prefix} of {name}",
            f"{name} law",
            f"the laws of {name}",
            f"the internal laws of the {prefix} of {name}",
        ]
    if name.endswith(", Canada"):
        province = name.removesuffix(", Canada")
        return [f"the laws of the Province of {province}", f"the laws of {province}"]
    the = "the " if name in THE_COUNTRIES else ""
    out = [f"the laws of {the}{name}"]
    if name in ADJECTIVES:
        out.append(f"{ADJECTIVES[name]} law")
    return out


def place_variants(name: str) -> list[str]:
    """Where the courts sit: "Wilmington, Delaware", "the State of New York"."""
    out = [f"{CITIES[name]}, {name}"] if name in CITIES else []
    if name.endswith(", Canada"):
        return [f"the Province of {name.removesuffix(', Canada')}"]
    if name in CITIES or name in STATES:
        prefix = "Commonwealth" if name in COMMONWEALTHS else "State"
        out.append(f"the {prefix} of {name}")
    else:
        out.append(("the " if name in THE_COUNTRIES else "") + name)
    return out


def date_variants(iso: str) -> list[str]:
    """ "March 1, 2024", "1 March 2024", "the 1st day of March, 2024"."""
    year, month, day = (int(x) for x in iso.split("-"))
    name = calendar.month_name[month]
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return [
        f"{name} {day}, {year}",
        f"{day} {name} {year}",
        f"the {day}{suffix} day of {name}, {year}",
    ]


def interest_variants(value: str) -> list[str]:
    """ "1.5% per month", "one and one-half percent (1.5%) per month"..."""
    m = re.fullmatch(r"([\d.]+)% per (month|annum)", value)
    if not m:
        return []
    rate, period = float(m.group(1)), m.group(2)
    per = [f"per {period}"] + (["per year"] if period == "annum" else [])
    words = {0.5: "one-half", 1.5: "one and one-half"}.get(rate)
    if words is None and rate == int(rate):
        words = number_words(int(rate))
    out = []
    for p in per:
        out.append(f"{rate:g}% {p}")
        if words:
            out.append(f"{words} percent ({rate:g}%) {p}")
    return out


# A cap as a multiple of the fees, the way `str` writes it: "2x fees paid in 12 months",
# "1x fees paid in 1 month", "1x fees paid".
FEES_MULTIPLE = re.compile(r"([\d.]+)x fees paid(?: in (\d+) (months?|days?))?")


def cap_variants(value: str, payer: str) -> list[str]:
    """The cap as a contract writes it: an amount, or a multiple of the fees paid."""
    money = _parse_money_value(value)
    if money is not None:
        return money_variants(money)
    m = FEES_MULTIPLE.fullmatch(value)
    if not m:
        return []
    factor = float(m.group(1))
    lead = (
        "the total fees"
        if factor == 1
        else (f"{number_words(int(factor))} ({int(factor)}) times the fees")
    )
    base = f"{lead} paid by {payer} under the Agreement"
    if not m.group(2):
        return [base]
    period = (
        Duration(months=int(m.group(2)))
        if m.group(3).startswith("month")
        else Duration(days=int(m.group(2)))
    )
    return [
        f"{base} in the {v} preceding the event giving rise to the claim"
        for v in duration_variants(period)
    ]


def _parse_money_value(value: str) -> Money | None:
    m = re.fullmatch(r"([A-Z]{3}) ([\d,]+\.\d\d)", value)
    return Money(m.group(1), float(m.group(2).replace(",", ""))) if m else None


def phrase(field_name: str, value: str, rng: random.Random, payer: str = "Customer") -> str:
    """A random wording of `value` that normalizes back to it."""
    if field_name in DURATION_FIELDS:
        d = _parse_duration_value(value)
        variants = duration_variants(d)
        if field_name == "payment_terms" and d.days and not d.months:
            variants = [*variants, f"net {d.days} days"]
    elif field_name == "governing_law":
        variants = law_variants(value)
    elif field_name == "venue":
        variants = place_variants(value)
    elif field_name == "expiration_date":
        variants = date_variants(value)
    elif field_name == "late_interest":
        variants = interest_variants(value)
    elif field_name == "liability_cap":
        variants = cap_variants(value, payer)
    else:
        raise ValueError(field_name)
    return _checked(field_name, value, variants, rng)


def _parse_duration_value(value: str) -> Duration:
    m = re.fullmatch(r"(\d+) (days?|months?)", value)
    if not m:
        raise ValueError(value)
    n = int(m.group(1))
    return Duration(days=n) if m.group(2).startswith("day") else Duration(months=n)


def changed_value(field_name: str, value: str, rng: random.Random) -> str | None:
    """Another plausible value of the same type, or None when the field cannot be changed."""
    options: list[str] = []
    if field_name in DURATION_FIELDS:
        d = _parse_duration_value(value)
        if d.days:
            choices = {
                "payment_terms": (15, 30, 45, 60, 90),
                "non_renewal_notice": (30, 60, 90, 120, 180),
                "termination_for_convenience": (15, 30, 60, 90, 180),
            }.get(field_name, (30, 60, 90, 180))
            options = [str(Duration(days=n)) for n in choices if n != d.days]
        else:
            choices = {
                "renewal_term": (6, 12, 24, 36),
                "non_renewal_notice": (1, 3, 6),
                "initial_term": (12, 24, 36, 48, 60, 84),
                "confidentiality_period": (24, 36, 60, 84, 120),
                "warranty_duration": (6, 12, 18, 24, 36),
                "non_compete_duration": (6, 12, 18, 24, 36),
            }.get(field_name, (12, 24, 36))
            options = [str(Duration(months=n)) for n in choices if n != d.months]
    elif field_name in ("governing_law", "venue"):
        options = [s for s in STATES if s != value]
    elif field_name == "expiration_date":
        options = [x for x in (add_months(value, n) for n in (6, 12, 24, 36)) if x]
    elif field_name == "late_interest":
        m = re.fullmatch(r"([\d.]+)% per (month|annum)", value)
        if m:
            rates = (1.0, 1.5, 2.0) if m.group(2) == "month" else (8.0, 10.0, 12.0, 18.0)
            options = [f"{r:g}% per {m.group(2)}" for r in rates if r != float(m.group(1))]
    elif field_name == "liability_cap":
        money = _parse_money_value(value)
        if money is not None:
            amounts = {_nice(money.amount * f) for f in (0.5, 2.0, 3.0)} - {money.amount}
            options = [str(Money(money.currency, a)) for a in sorted(amounts) if a > 0]
        else:
            m = FEES_MULTIPLE.fullmatch(value)
            if m:
                factor = float(m.group(1))
                tail = f" in {m.group(2)} {m.group(3)}" if m.group(2) else " in 12 months"
                options = [f"{f:g}x fees paid{tail}" for f in (1.0, 2.0, 3.0) if f != factor]
    return rng.choice(options) if options else None


def _nice(amount: float) -> float:
    """`amount` rounded to two significant digits (a cap a lawyer would write)."""
    if amount <= 0:
        return 0.0
    digits = len(str(int(amount))) - 2
    step = 10 ** max(digits, 0)
    return float(round(amount / step) * step)


# Which contract terms may be used.


@dataclass(frozen=True)
class Usable:
    """A field of the contract that a bundle may restate or change, with its evidence."""

    field: str
    value: str
    term: Term
    section: str
    heading: str


def _value_str(field_name: str, value: object) -> str | None:
    if field_name in DURATION_FIELDS:
        ok = isinstance(value, Duration) and (value.days == 0) != (value.months == 0)
        return str(value) if ok else None
    if field_name == "liability_cap":
        if isinstance(value, Money):
            return str(value) if value.amount >= 1000 else None
        return value if isinstance(value, str) and "fees paid" in value else None
    if field_name == "expiration_date":
        ok = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        return value if ok else None
    if field_name == "late_interest":
        ok = isinstance(value, str) and re.fullmatch(r"[\d.]+% per (?:month|annum)", value)
        return value if ok else None
    if field_name in ("governing_law", "venue"):
        return value if isinstance(value, str) and value != "United States" else None
    return None


def _yes(answers: dict, key: str) -> bool:
    return (answers.get(key) or "").strip().lower() == "yes"


def _verified(field_name: str, value: object, term: Term, answers: dict) -> bool:
    """Whether the extraction agrees with the contract's CUAD answer (when CUAD has one)."""
    checks: dict[str, Callable[[], bool]] = {
        "governing_law": lambda: law_matches(answers.get("Governing Law") or "", value),
        "expiration_date": lambda: date_matches(answers.get("Expiration Date") or "", value),
        "renewal_term": lambda: duration_matches(answers.get("Renewal Term") or "", value),
        "non_renewal_notice": lambda: duration_matches(
            answers.get("Notice Period to Terminate Renewal") or "", value
        ),
        "liability_cap": lambda: _yes(answers, "Cap on Liability"),
        "warranty_duration": lambda: _yes(answers, "Warranty Duration"),
        "non_compete_duration": lambda: _yes(answers, "Non-Compete"),
        "termination_for_convenience": lambda: _yes(answers, "Termination for Convenience"),
        "venue": lambda: bool(re.search(r"\bcourts?\b", term.quote, re.I)),
        "confidentiality_period": lambda: bool(re.search(r"confidential", term.quote, re.I)),
        "payment_terms": lambda: (
            7 <= getattr(value, "days", 0) <= 180
            and bool(re.search(r"\b(?:pay\w*|invoice\w*)", term.quote, re.I))
        ),
        "late_interest": lambda: True,
        "initial_term": lambda: True,
    }
    return field_name in checks and checks[field_name]()


TOPICS = {
    "governing_law": r"govern|law|applicable|jurisdiction|miscellaneous|general",
    "venue": r"jurisdiction|venue|forum|court|dispute|law",
    "payment_terms": r"pay|invoic|fee|compensation|price|billing",
    "late_interest": r"pay|invoic|interest|late|fee",
    "liability_cap": r"liabilit|limitation|damages",
    "initial_term": r"term\b|duration|expir",
    "expiration_date": r"term\b|duration|expir",
    "renewal_term": r"term\b|renew|duration",
    "non_renewal_notice": r"term\b|renew|duration",
    "confidentiality_period": r"confiden|disclos|secre",
    "warranty_duration": r"warrant",
    "non_compete_duration": r"compet|restrict|covenant|exclusiv",
    "termination_for_convenience": r"terminat",
}


def _section_of(seg: Segmented, start: int, field_name: str) -> tuple[str, str]:
    """(number, heading) of the numbered clause that holds offset `start`, or ("", "").

    Only a clause whose heading is about the field counts: CUAD text often loses its layout,
    and a wrong section number in an amendment would be a drafting error of its own.
    """
    best = None
    for sec in seg.sections:
        numbered = sec.number and re.fullmatch(r"\d+(?:\.\d+)*", sec.number)
        if (
            numbered
            and sec.start <= start < sec.end
            and (best is None or sec.end - sec.start <= best.end - best.start)
        ):
            best = sec
    if best is None:
        return "", ""
    heading = best.heading.strip(" .:")
    if not (2 < len(heading) <= 60 and "." not in heading) or not re.search(
        TOPICS[field_name], heading, re.I
    ):
        return "", ""
    return best.number or "", heading


def usable_terms(record: dict, seg: Segmented, terms: DocumentTerms) -> dict[str, Usable]:
    """The fields of a contract that a bundle may restate or change (see the module docstring)."""
    answers = record.get("answers") or {}
    out: dict[str, Usable] = {}
    for field_name in (*ORDER_FIELDS, "initial_term", "expiration_date", "non_compete_duration"):
        found = terms.get(field_name)
        if not found:
            continue
        value = _value_str(field_name, found[0].value)
        if value is None or not _verified(field_name, found[0].value, found[0], answers):
            continue
        number, heading = _section_of(seg, found[0].start, field_name)
        out[field_name] = Usable(field_name, value, found[0], number, heading)
    if "initial_term" in out and ("expiration_date" not in out or not _start_date(terms)):
        del out["initial_term"]
    return out


def _start_date(terms: DocumentTerms) -> str:
    for name in ("effective_date", "agreement_date"):
        found = terms.get(name)
        if found and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(found[0].value)):
            return str(found[0].value)
    return ""


def eligible(record: dict) -> bool:
    """Held out, and a standalone agreement (not itself an amendment or addendum)."""
    title = f"{record.get('title', '')} {(record.get('answers') or {}).get('Document Name', '')}"
    return is_validation(record["id"], HELD_OUT_PERMILLE) and not re.search(
        r"amendment|addendum|schedule|appendix", title, re.I
    )


GENERIC_ALIAS = re.compile(r"(?i)(?:the\s+)?(?:part(?:y|ies)|we|us|our|you|your|agreement)")


def contract_parties(record: dict, terms: DocumentTerms) -> list[tuple[str, str]]:
    """Two (name, alias) pairs: from the CUAD parties answer, else the extraction, else generic."""
    out: list[tuple[str, str]] = []
    for part in (record.get("answers") or {}).get("Parties", "").split(";"):
        quoted = re.findall(r"[\"\u201c\u201d]([^\"\u201c\u201d]{2,40})[\"\u201c\u201d]", part)
        aliases = [
            a.strip()
            for a in quoted
            if a.strip()[:1].isupper() and not GENERIC_ALIAS.fullmatch(a.strip())
        ]
        name = re.split(r"[(\"\u201c]", part)[0].strip(" ,;\n\t")
        name = " ".join(name.split())
        if len(name) >= 3 and not re.match(r"(?i)individually|collectively|each", name):
            out.append((name, aliases[0] if aliases else ""))
    if len(out) < 2:
        out = [(p.value.name, p.value.alias) for p in terms.get("parties")]  # type: ignore[union-attr]
    out = list(dict.fromkeys(out))[:2]
    while len(out) < 2:
        out.append(
            (("Northwind Holdings, Inc.", "Company"), ("Lakeshore Partners LLC", "Partner"))[
                len(out)
            ]
        )
    fallback = ("Company", "Counterparty")
    aliases = [alias or fallback[i] for i, (_, alias) in enumerate(out)]
    if aliases[0] == aliases[1]:
        aliases = list(fallback)
    return [(out[0][0], aliases[0]), (out[1][0], aliases[1])]


def contract_date(record: dict, terms: DocumentTerms) -> str:
    """The contract's latest reliable date: its CUAD dates and the filing date in its id.

    The extracted date only when neither is known. Generated documents are dated after it.
    """
    candidates = []
    answers = record.get("answers") or {}
    for key in ("Agreement Date", "Effective Date"):
        parts = gold_date(answers.get(key) or "")
        if parts and all(parts):
            candidates.append(f"{parts[0]}-{parts[1]}-{parts[2]}")
    m = re.search(r"_(\d{2})_(\d{2})_(\d{4})-|_(\d{4})(\d{2})(\d{2})_", record["id"])
    if m:
        mm, dd, yy = (
            (m.group(1), m.group(2), m.group(3))
            if m.group(1)
            else (m.group(5), m.group(6), m.group(4))
        )
        candidates.append(f"{yy}-{mm}-{dd}")
    candidates = [c for c in candidates if parse_date(c) == c]
    if not candidates and _start_date(terms):
        candidates.append(_start_date(terms))
    return max(candidates) if candidates else "2010-01-04"


# Writing the documents.


@dataclass(frozen=True)
class Names:
    """The parties of a bundle: full names and aliases; `payer` pays, `provider` supplies."""

    names: tuple[str, str]
    aliases: tuple[str, str]
    title: str
    contract_date: str

    @property
    def payer(self) -> str:
        return self.aliases[0]

    @property
    def provider(self) -> str:
        return self.aliases[1]


AGREEMENT_CLAUSES = {
    "governing_law": (
        "This Agreement shall be governed by and construed in accordance with {v}, without regard "
        "to its conflict of laws principles.",
        "This Agreement and all claims arising out of or relating to it shall be governed by {v}.",
        "The validity, interpretation and performance of this Agreement shall be governed by {v}.",
    ),
    "venue": (
        "Each party irrevocably submits to the exclusive jurisdiction of the state and federal "
        "courts located in {v} for any action arising out of or relating to this Agreement.",
        "Any suit or proceeding arising out of this Agreement shall be brought exclusively in the "
        "courts located in {v}, and each party waives any objection to that venue.",
    ),
    "payment_terms": (
        "{payer} shall pay each undisputed invoice within {v} after receipt of the invoice.",
        "All amounts invoiced under this Agreement are due and payable within {v} from the date "
        "of receipt of the invoice.",
        "Invoices shall be paid in full within {v} of the invoice date.",
        "Payment of each invoice is due {v} after the date of the invoice.",
    ),
    "late_interest": (
        "Any amount not paid when due shall bear interest at the rate of {v}, or the maximum rate "
        "permitted by law, whichever is less.",
        "Overdue amounts accrue interest at {v} from the due date until paid in full.",
    ),
    "liability_cap": (
        "Except for a party's indemnification obligations and breach of confidentiality, in no "
        "event shall either party's aggregate liability arising out of or relating to this "
        "Agreement exceed {v}.",
        "Each party's total cumulative liability under this Agreement, whether in contract, tort "
        "or otherwise, is limited to {v}.",
    ),
    "initial_term": (
        "The term of this Agreement shall commence on the Effective Date and continue for a "
        'period of {v} (the "Initial Term"), expiring on {exp}, unless terminated earlier in '
        "accordance with this Agreement.",
        "This Agreement shall remain in effect for an initial term of {v} from the Effective Date, "
        'that is, until {exp} (the "Initial Term").',
    ),
    "expiration_date": (
        "This Agreement shall remain in full force and effect until {v}, unless terminated "
        "earlier in accordance with its terms.",
        "The term of this Agreement shall expire on {v}.",
    ),
    "renewal_term": (
        "Upon expiration of the Initial Term, this Agreement shall automatically renew for "
        'successive renewal terms of {v} each (each, a "Renewal Term").',
        "Thereafter, this Agreement shall renew automatically for additional periods of {v} each.",
    ),
    "non_renewal_notice": (
        "Either party may prevent the automatic renewal of this Agreement by giving the other "
        "party written notice of non-renewal at least {v} prior to the end of the then-current "
        "term.",
        "This Agreement shall not renew if either party notifies the other in writing of its "
        "intention not to renew at least {v} before the expiration of the then-current term.",
    ),
    "confidentiality_period": (
        "The obligations of confidentiality under this Agreement shall survive for a period of "
        "{v} following the expiration or termination of this Agreement.",
        "Each party shall hold the other party's Confidential Information in confidence during "
        "the term of this Agreement and for {v} thereafter.",
    ),
    "warranty_duration": (
        "{provider} warrants that the products and services supplied under this Agreement will "
        "conform to their specifications for a period of {v} from the date of delivery.",
    ),
    "non_compete_duration": (
        "During the term of this Agreement and for a period of {v} thereafter, {provider} shall "
        "not, directly or indirectly, engage in any business that competes with the business of "
        "{payer}.",
    ),
    "termination_for_convenience": (
        "Either party may terminate this Agreement for convenience upon {v} prior written notice "
        "to the other party.",
        "{payer} may terminate this Agreement at any time without cause by giving {provider} {v} "
        "written notice.",
    ),
}
RESTATEMENTS = {
    "venue": (
        "Any action arising out of this Amendment shall be brought exclusively in the courts "
        "located in {v}, as provided in {where}.",
    ),
    "payment_terms": (
        "Invoices issued after the Amendment Effective Date remain payable within "
        "{v} after receipt, as provided in {where}.",
        "{payer} shall continue to pay each invoice within {v} of receipt.",
    ),
    "late_interest": ("Late payments continue to bear interest at {v}.",),
    "liability_cap": (
        "The limitation of liability in {where}, under which each party's aggregate "
        "liability shall not exceed {v}, applies equally to claims arising under "
        "this Amendment.",
    ),
    "initial_term": (
        "The parties confirm that the Initial Term of the Agreement is {v} and expires on {exp}.",
    ),
    "expiration_date": (
        "The parties confirm that the Term of the Agreement continues until {v}, "
        "subject to earlier termination.",
    ),
    "renewal_term": (
        "The Agreement continues to renew automatically for successive renewal periods of {v}.",
    ),
    "non_renewal_notice": (
        "Notice of non-renewal of the Agreement must still be given at least "
        "{v} before the end of the then-current term.",
    ),
    "confidentiality_period": (
        "The parties' confidentiality obligations under the Agreement "
        "continue to survive for {v} after its expiration or termination.",
    ),
    "warranty_duration": (
        "The warranty given by {provider} under {where} continues for {v} from delivery.",
    ),
    "non_compete_duration": (
        "{provider}'s covenant not to compete continues for {v} after "
        "termination of the Agreement.",
    ),
    "termination_for_convenience": (
        "Each party retains its right under {where} to terminate the "
        "Agreement for convenience on {v} written notice.",
    ),
}
ORDER_LINES = {
    "payment_terms": (
        "Payment Terms: {payer} shall pay all invoices issued under {noun} within {v} "
        "after receipt of invoice.",
        "Payment Terms: invoices under {noun} are payable within {v} of receipt of invoice.",
        "Payment: each invoice is due and payable within {v} after the invoice date.",
    ),
    "governing_law": (
        "Governing Law: {noun} shall be governed by {v}.",
        "Governing Law: {v}.",
        "Governing Law: {noun} and any dispute arising from it are governed by {v}.",
    ),
    "venue": (
        "Disputes: any action arising under {noun} shall be brought exclusively in the state "
        "or federal courts located in {v}.",
        "Venue: the courts located in {v} have exclusive jurisdiction over disputes under {noun}.",
    ),
    "liability_cap": (
        "Limitation of Liability: each party's aggregate liability arising under "
        "{noun} shall not exceed {v}.",
        "Liability Cap: {v} in the aggregate for all claims under {noun}.",
    ),
    "late_interest": ("Late Payment: overdue amounts bear interest at {v}.",),
    "renewal_term": (
        "Renewal: {noun} renews automatically together with the Agreement for "
        "successive renewal terms of {v}.",
        "Renewal Term: {v}, renewing automatically at the end of each term.",
    ),
    "non_renewal_notice": (
        "Non-Renewal: either party may elect not to renew by written notice "
        "given at least {v} before the end of the then-current term.",
        "Notice of Non-Renewal: at least {v} prior to the end of the then-current term.",
    ),
    "termination_for_convenience": (
        "Termination for Convenience: {payer} may terminate {noun} for "
        "convenience upon {v} prior written notice.",
        "Termination: either party may terminate {noun} without cause "
        "on {v} written notice to the other party.",
    ),
    "confidentiality_period": (
        "Confidentiality: {provider} shall keep all information received "
        "under {noun} confidential for {v} after its termination.",
    ),
    "warranty_duration": (
        "Warranty: {provider} warrants the deliverables under {noun} for a "
        "period of {v} following acceptance.",
    ),
}
ORDER_DISTRACTORS = (
    "Delivery: {provider} shall deliver the Order Items within thirty (30) days after the {short} "
    "Effective Date.",
    "Acceptance: {payer} shall accept or reject each deliverable within ten (10) business days "
    "after delivery.",
    "Support: {provider} shall respond to priority one incidents within four (4) hours, at all "
    "times.",
    "Expenses: pre-approved travel expenses are reimbursable up to USD 5,000.00 per calendar "
    "quarter.",
    "Subscription Term: twelve (12) months commencing on the {short} Effective Date.",
    "Service Levels: availability of at least 99.5% in each calendar month, measured monthly.",
)
AMEND_DISTRACTORS = (
    (
        "Fees",
        "With effect from the Amendment Effective Date, the fees payable under the Agreement "
        "are increased by three percent (3%).",
    ),
    (
        "Insurance",
        "{provider} shall maintain commercial general liability insurance with limits "
        "of not less than USD 2,000,000 per occurrence.",
    ),
    (
        "Notices",
        "The address of {provider} for notices under the Agreement is changed to 400 "
        "Harbor Boulevard, Suite 1200, Boston, Massachusetts 02210.",
    ),
    (
        "Reports",
        "{provider} shall deliver a written activity report to {payer} within fifteen "
        "(15) days after the end of each calendar quarter.",
    ),
)
RECITALS = {
    "governing_law": "{where} currently provides that the Agreement is governed by {old}",
    "venue": "{where} currently provides for the exclusive jurisdiction of the courts located in "
    "{old}",
    "payment_terms": "{where} currently requires payment of invoices within {old} after receipt",
    "late_interest": "{where} currently provides for interest on late payments at {old}",
    "liability_cap": "{where} currently limits each party's aggregate liability to {old}",
    "initial_term": "{where} currently provides for an initial term of {old}",
    "expiration_date": "{where} currently provides that the term of the Agreement ends on {old}",
    "renewal_term": "{where} currently provides for automatic renewal for successive periods of "
    "{old}",
    "non_renewal_notice": "{where} currently requires notice of non-renewal at least {old} before "
    "the end of the then-current term",
    "confidentiality_period": "{where} currently provides that the confidentiality obligations "
    "survive for {old} after termination",
    "warranty_duration": "{where} currently provides for a warranty period of {old}",
    "non_compete_duration": "{where} currently restricts competition for {old} after termination",
    "termination_for_convenience": "{where} currently allows termination for convenience on {old} "
    "written notice",
}
SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"]
)


def title_case(text: str) -> str:
    """ "SUPPLY AND LICENSE AGREEMENT" -> "Supply and License Agreement"."""
    words = text.lower().split()
    return " ".join(
        w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _heading(field_name: str, usable: Usable | None) -> str:
    if usable is not None and usable.heading:
        return title_case(usable.heading)
    return title_case(LABELS.get(field_name, field_name.replace("_", " ")))


# The plan of one bundle.


@dataclass(frozen=True)
class Change:
    """One planted change: the field, its new value, the document and the drafting style.

    Styles: in the amendment "replace" (section deleted and replaced), "restate" (amended and
    restated), "words" (words deleted and others inserted), "extend" (term extended until a
    date), "own_clause" (the amendment's own clause, no amending language); in the order
    document "plain", "override" ("Notwithstanding Section X of the Agreement, ..."), "instead"
    (the line names the Agreement's value it departs from).
    """

    field: str
    value: str
    where: str
    style: str


@dataclass(frozen=True)
class Plan:
    """What a bundle restates, changes and adds, and its precedence clauses."""

    changes: tuple[Change, ...]
    restate: tuple[tuple[str, str], ...]
    added: tuple[tuple[str, str], ...]
    amendment_precedence: bool
    order_precedence: str
    order_kind: str
    order_first: bool
    mentions_amendment: bool
    curly_quotes: bool
    recital: bool


AMEND_STYLES = ("replace", "replace", "replace", "restate", "restate", "words")
ORDER_STYLES = ("plain", "plain", "plain", "override", "instead")
ORDER_PRECEDENCE = ("none", "none", "agreement", "order", "override")


def _amend_style(name: str, usable: Usable, rng: random.Random) -> str:
    if name == "expiration_date" and rng.random() < 0.5:
        return "extend"
    style = rng.choice(AMEND_STYLES)
    words_ok = name not in ("governing_law", "venue", "expiration_date", "initial_term")
    return "replace" if style == "words" and not (words_ok and usable.term.text) else style


def make_plan(usable: dict[str, Usable], agreement_fields: set[str], rng: random.Random) -> Plan:
    """Choose the changes, restatements and additions of one bundle (see the module docstring)."""
    # Governing law and venue are the terms most contracts state: keep them from crowding out
    # the rest among the changes (they are then mostly restated).
    weight = {"governing_law": 0.5, "venue": 0.6}
    fields = sorted(usable, key=lambda f: rng.random() ** (1 / weight.get(f, 1.5)), reverse=True)
    n_changes = min(rng.choice((0, 1, 1, 1, 2, 2, 3)), len(fields))
    if n_changes == len(fields) and n_changes > 0 and rng.random() < 0.7:
        n_changes -= 1
    changes = []
    own_conflict = False
    for name in fields[:n_changes]:
        new = changed_value(name, usable[name].value, rng)
        if new is None:
            continue
        if name in ORDER_FIELDS and rng.random() < 0.45:
            changes.append(Change(name, new, "order", rng.choice(ORDER_STYLES)))
        elif name in ("governing_law", "venue") and not own_conflict and rng.random() < 0.25:
            own_conflict = True
            changes.append(Change(name, new, "amendment", "own_clause"))
        else:
            changes.append(Change(name, new, "amendment", _amend_style(name, usable[name], rng)))
    changed = {c.field for c in changes}
    if "initial_term" in changed:
        changed.add("expiration_date")
        changes = [c for c in changes if c.field != "expiration_date"]
    rest = [f for f in fields if f not in changed]
    n_restate = min(len(rest), rng.choice((1, 2, 2, 3, 4)))
    restate = []
    for name in rest[:n_restate]:
        where = rng.choice(("amendment", "order", "both")) if name in ORDER_FIELDS else "amendment"
        restate.append((name, where))
    added = []
    if "payment_terms" not in agreement_fields and rng.random() < 0.6:
        added.append(("payment_terms", f"{rng.choice((30, 45, 60))} days"))
    if "late_interest" not in agreement_fields and rng.random() < 0.3:
        added.append(("late_interest", f"{rng.choice((1.0, 1.5)):g}% per month"))
    order_precedence = rng.choice(ORDER_PRECEDENCE)
    if order_precedence != "override":
        changes = [
            Change(c.field, c.value, c.where, "plain") if c.style == "override" else c
            for c in changes
        ]
    return Plan(
        changes=tuple(changes),
        restate=tuple(restate),
        added=tuple(added),
        amendment_precedence=not own_conflict and rng.random() < 0.35,
        order_precedence=order_precedence,
        order_kind=rng.choice(("Order Form", "Order Form", "SOW")),
        order_first=rng.random() < 0.4,
        mentions_amendment=rng.random() < 0.5,
        curly_quotes=rng.random() < 0.3,
        recital=rng.random() < 0.3,
    )


# Building a bundle.


@dataclass
class Draft:
    """A generated document being written: its sections or items and what it states."""

    doc_id: str
    kind: str
    title: str
    date: str
    noun: str
    sections: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)
    statements: dict[str, Statement] = field(default_factory=dict)
    precedence: str = ""

    def state(self, field_name: str, value: str, text: str) -> Statement:
        self.statements[field_name] = Statement(self.doc_id, value, text)
        return self.statements[field_name]


@dataclass(frozen=True)
class Bundle:
    """A generated bundle: file name -> text, and its truth."""

    files: dict[str, str]
    truth: BundleTruth


class _Writer:
    """Writes the amendment and the order document of one bundle from its plan."""

    def __init__(
        self,
        record: dict,
        terms: DocumentTerms,
        usable: dict[str, Usable],
        plan: Plan,
        rng: random.Random,
    ) -> None:
        self.rng = rng
        self.usable = usable
        self.plan = plan
        self.terms = terms
        parties = contract_parties(record, terms)
        title = " ".join((record.get("title") or "Agreement").split()).strip(' (\u201c"')
        title = title if re.search(r"agreement|contract", title, re.I) else f"{title} Agreement"
        self.n = Names(
            (parties[0][0], parties[1][0]),
            (parties[0][1], parties[1][1]),
            title.upper(),
            contract_date(record, terms),
        )
        base = self.n.contract_date
        dates = sorted(
            {add_months(base, rng.randint(4, 30), rng.randint(1, 27)) or base for _ in range(2)}
        )
        if len(dates) == 1:
            dates.append(add_months(dates[0], 1) or dates[0])
        order_date, amend_date = dates if plan.order_first else dates[::-1]
        first = "order" if order_date < amend_date else "amendment"
        slot = {first: 2, ("amendment" if first == "order" else "order"): 3}
        self.amendment = Draft(
            f"0{slot['amendment']}_amendment_no_1.txt",
            "Amendment",
            f"{rng.choice(('AMENDMENT NO. 1 TO', 'FIRST AMENDMENT TO'))} {self.n.title}",
            amend_date,
            "this Amendment",
        )
        number = rng.randint(1, 6)
        sow = plan.order_kind == "SOW"
        self.order = Draft(
            f"0{slot['order']}_{'statement_of_work' if sow else 'order_form'}_no_{number}.txt",
            plan.order_kind,
            f"{'STATEMENT OF WORK' if sow else 'ORDER FORM'} NO. {number}",
            order_date,
            "this SOW" if sow else "this Order Form",
        )
        self.agreement = {
            f: Statement(AGREEMENT_FILE, u.value, " ".join(u.term.text.split()))
            for f, u in usable.items()
        }
        self.conflicts: list[TruthConflict] = []
        self.restated: list[TruthRestatement] = []
        self.only_in: list[TruthOnlyIn] = []
        self.own_clauses: list[tuple[str, str, bool]] = []
        self.recital = ""

    def phrase(self, name: str, value: str, plain: bool = False) -> str:
        text = phrase(name, value, self.rng, self.n.payer)
        while plain and text.lower().startswith("net "):
            text = phrase(name, value, self.rng, self.n.payer)
        return text

    def where(self, name: str) -> str:
        section = self.usable[name].section
        return f"Section {section} of the Agreement" if section else "the Agreement"

    def clause(self, name: str, text: str, exp: str = "") -> str:
        template = self.rng.choice(AGREEMENT_CLAUSES[name])
        return template.format(v=text, payer=self.n.payer, provider=self.n.provider, exp=exp)

    def conflict(
        self, name: str, kind: str, b: Statement, governs: str, style: str, why: str
    ) -> None:
        self.conflicts.append(
            TruthConflict(name, kind, self.agreement[name], b, governs, style, why)
        )

    def amend(self, changes: Sequence[Change]) -> None:
        """Amendment sections for the planted amendment changes, grouped by Agreement section."""
        groups: dict[str, list[Change]] = {}
        for change in changes:
            section = self.usable[change.field].section
            key = section if section and change.style in ("replace", "restate") else change.field
            groups.setdefault(key, []).append(change)
        for group in groups.values():
            self._amend_group(group)

    def _amend_group(self, group: list[Change]) -> None:
        am = self.amendment
        first = group[0]
        u = self.usable[first.field]
        if first.style == "own_clause":
            text = self.phrase(first.field, first.value)
            self.own_clauses.append((first.field, text, True))
            self.conflict(
                first.field,
                "conflict",
                am.state(first.field, first.value, text),
                "unresolved",
                "own_clause",
                "the Amendment states its own value "
                "without amending the Agreement, and no precedence clause decides",
            )
            return
        clauses = []
        for change in group:
            text = self.phrase(change.field, change.value, plain=change.style == "words")
            exp = ""
            if change.field == "initial_term":
                months = _parse_duration_value(change.value).months
                exp_iso = add_months(_start_date(self.terms), months) or ""
                exp = self.rng.choice(date_variants(exp_iso))
                old = self.usable["expiration_date"]
                b = am.state("expiration_date", exp_iso, exp)
                if exp_iso != old.value:
                    self.conflict(
                        "expiration_date",
                        "amended_by",
                        b,
                        am.doc_id,
                        change.style,
                        "the amended initial term ends on the new date it states",
                    )
            if change.style == "words":
                old_text = " ".join(u.term.text.split())
                clauses.append(
                    f"{self.where(change.field)} is hereby amended by deleting the "
                    f'words "{old_text}" and inserting in their place the words '
                    f'"{text}".'
                )
            elif change.style == "extend":
                clauses.append(f"The term of the Agreement is hereby extended until {text}.")
            else:
                clauses.append(self.clause(change.field, text, exp))
            b = am.state(change.field, change.value, text)
            self.conflict(
                change.field,
                "amended_by",
                b,
                am.doc_id,
                change.style,
                "a later-dated amendment changes the term with amending language",
            )
        ref = u.section
        heading = " and ".join(
            dict.fromkeys(_heading(c.field, self.usable[c.field]) for c in group)
        )
        number = (f"{ref}. " if "." not in ref else f"{ref} ") if ref else ""
        if self.plan.recital and not self.recital and first.style != "extend":
            old = self.phrase(first.field, u.value)
            self.recital = RECITALS[first.field].format(
                where=_sentence_case(self.where(first.field)), old=old
            )
        if first.style in ("words", "extend"):
            title = (
                "Extension of Term"
                if first.style == "extend"
                else (f"Amendment of Section {ref}" if ref else heading)
            )
            am.sections.append((title, " ".join(clauses)))
            return
        where = (
            self.where(first.field)
            if ref
            else (f"the {LABELS.get(first.field, first.field)} provision of the Agreement")
        )
        quoted = f'"{number}{heading}. {" ".join(clauses)}"'
        if first.style == "restate":
            body = (
                f"{_sentence_case(where)} is amended and restated in its entirety to read as "
                f"follows:\n\n{quoted}"
            )
        else:
            body = (
                f"With effect from the Amendment Effective Date, {where} is hereby deleted in "
                f"its entirety and replaced with the following:\n\n{quoted}"
            )
        am.sections.append((f"Amendment of Section {ref} ({heading})" if ref else heading, body))

    def order_change(self, change: Change) -> None:
        """An order-document line stating another value than the Agreement, with its truth."""
        od = self.order
        text = self.phrase(change.field, change.value)
        line = self.order_line(change.field, text)
        if change.style == "override":
            label, rest = line.split(": ", 1)
            line = (
                f"{label}: Notwithstanding {self.where(change.field)}, {rest[:1].lower()}{rest[1:]}"
            )
        elif change.style == "instead":
            old = self.phrase(change.field, self.agreement[change.field].value)
            line = f"{line[:-1]} (rather than the {old} provided in the Agreement)."
        od.items.append(line)
        b = od.state(change.field, change.value, text)
        governs, why = _order_governs(
            self.plan.order_precedence, change.style == "override", od.doc_id
        )
        self.conflict(change.field, "conflict", b, governs, change.style, why)

    def order_line(self, name: str, text: str) -> str:
        options = ORDER_LINES[name]
        if name == "payment_terms" and text.lower().startswith("net "):
            options = ("Payment Terms: {v} from the date of invoice.",)
        if name == "governing_law" and not re.match(r"the\s", text):
            options = tuple(o for o in options if o != "Governing Law: {v}.")
        line = self.rng.choice(options).format(
            v=text, noun=self.order.noun, payer=self.n.payer, provider=self.n.provider
        )
        return _sentence_case(line)

    def restate(self, name: str, where: str) -> None:
        """The Agreement's value restated in other words by the amendment, the order, or both."""
        u = self.usable[name]
        statements = [self.agreement[name]]
        if where in ("amendment", "both"):
            text = self.phrase(name, u.value)
            if name == "governing_law":
                self.own_clauses.append((name, text, False))
            else:
                template = self.rng.choice(RESTATEMENTS[name])
                exp = ""
                if name == "initial_term":
                    exp_iso = self.usable["expiration_date"].value
                    exp = self.rng.choice(date_variants(exp_iso))
                    self.amendment.state("expiration_date", exp_iso, exp)
                self.amendment.confirm.append(
                    template.format(
                        v=text,
                        where=self.where(name),
                        payer=self.n.payer,
                        provider=self.n.provider,
                        exp=exp,
                    )
                )
            statements.append(self.amendment.state(name, u.value, text))
        if where in ("order", "both"):
            text = self.phrase(name, u.value)
            self.order.items.append(self.order_line(name, text))
            statements.append(self.order.state(name, u.value, text))
        self.restated.append(TruthRestatement(name, u.value, tuple(statements)))

    def finish_truth(self) -> None:
        """An expiration date the amendment states as a side effect, equal to the Agreement's."""
        stated = self.amendment.statements.get("expiration_date")
        old = self.usable.get("expiration_date")
        fields = {c.field for c in self.conflicts} | {r.field for r in self.restated}
        if stated and old and stated.value == old.value and "expiration_date" not in fields:
            self.restated.append(
                TruthRestatement(
                    "expiration_date", old.value, (self.agreement["expiration_date"], stated)
                )
            )

    def add(self, name: str, value: str) -> None:
        text = self.phrase(name, value)
        self.order.items.insert(0, self.order_line(name, text))
        self.only_in.append(TruthOnlyIn(name, self.order.state(name, value, text)))


def _order_governs(rule: str, override: bool, order_id: str) -> tuple[str, str]:
    if rule == "agreement":
        return AGREEMENT_FILE, "the order of precedence makes the Agreement prevail"
    if rule == "order":
        return order_id, "the order of precedence makes the order document prevail"
    if rule == "override" and override:
        return (
            order_id,
            "it expressly overrides the Agreement's provision, as the precedence allows",
        )
    if rule == "override":
        return AGREEMENT_FILE, "the Agreement prevails; the order document states no override"
    return "unresolved", "no order-of-precedence clause decides between the documents"


def _signatures(n: Names, rng: random.Random) -> str:
    people = rng.sample(PEOPLE, 2)
    return "\n\n".join(
        f"{name.upper()}\n\nBy: /s/ {person}\nName: {person}\nTitle: {rng.choice(OFFICES)}"
        for name, person in zip(n.names, people, strict=True)
    )


def _numbered(sections: Sequence[tuple[str, str]]) -> str:
    return "\n\n".join(f"{i}. {h}. {b}" for i, (h, b) in enumerate(sections, 1))


def amendment_text(w: _Writer) -> str:
    """The amendment: title, preamble, recitals, numbered sections, signatures."""
    d, n, rng = w.amendment, w.n, w.rng
    a1, a2 = n.aliases
    sections = [
        (
            "Definitions",
            "Capitalized terms used but not defined in this Amendment have "
            "the meanings given to them in the Agreement.",
        )
    ]
    sections += d.sections
    for heading, body in rng.sample(AMEND_DISTRACTORS, rng.choice((0, 1, 1, 2))):
        sections.append((heading, body.format(payer=n.payer, provider=n.provider)))
    if len(sections) == 1:
        sections.append(AMEND_DISTRACTORS[2])
        sections[-1] = (sections[-1][0], sections[-1][1].format(provider=n.provider))
    if d.confirm:
        sections.append(
            (
                "Confirmation",
                "Except as expressly provided in this Amendment, the "
                "terms of the Agreement are confirmed. In particular: " + " ".join(d.confirm),
            )
        )
    if d.precedence:
        sections.append(
            (
                "Order of Precedence",
                "In the event of any conflict or inconsistency "
                "between this Amendment and the Agreement, the terms of this Amendment "
                "shall prevail.",
            )
        )
    sections.append(
        (
            "Effect of Amendment",
            "Except as expressly amended by this Amendment, the "
            "Agreement remains unchanged and in full force and effect. On and after the "
            'Amendment Effective Date, each reference in the Agreement to "this '
            'Agreement" means the Agreement as amended by this Amendment.',
        )
    )
    for name, text, conflicting in sorted(w.own_clauses):
        if name == "governing_law" and conflicting:
            body = f"This Amendment shall be governed by and construed in accordance with {text}."
        elif name == "governing_law":
            body = f"This Amendment shall be governed by {text}, consistent with {w.where(name)}."
        else:
            body = (
                f"Any action arising out of this Amendment shall be brought exclusively in the "
                f"courts located in {text}."
            )
        sections.append(("Governing Law" if name == "governing_law" else "Jurisdiction", body))
    sections.append(
        (
            "Counterparts",
            "This Amendment may be executed in counterparts, including "
            "by electronic signature, each of which is an original and all of which "
            "together constitute one instrument.",
        )
    )
    purpose = (
        "The parties wish to amend the Agreement on the terms set out in this Amendment."
        if d.sections
        else "The parties wish to update certain terms of the Agreement."
    )
    recital = (
        f"C. {w.recital}, and the parties wish to change it as set out below.\n\n"
        if (w.recital)
        else ""
    )
    head = (
        f"{d.title}\n\n"
        f"This {'First Amendment' if d.title.startswith('FIRST') else 'Amendment No. 1'} "
        f'(this "Amendment") is entered into as of '
        f'{rng.choice(date_variants(d.date))} (the "Amendment Effective Date") by and between '
        f'{n.names[0]} ("{a1}") and {n.names[1]} ("{a2}"), and amends the '
        f"{title_case(n.title)} between {a1} and {a2} dated as of "
        f'{rng.choice(date_variants(n.contract_date))} (the "Agreement").\n\n'
        f"RECITALS\n\n"
        f"A. {a1} and {a2} are parties to the Agreement.\n\n"
        f"B. {purpose}\n\n"
        f"{recital}"
        f"NOW, THEREFORE, in consideration of the mutual promises set out below, the parties agree "
        f"as follows:"
    )
    tail = (
        "IN WITNESS WHEREOF, the parties have executed this Amendment as of the Amendment "
        "Effective Date.\n\n" + _signatures(n, rng)
    )
    return f"{head}\n\n{_numbered(sections)}\n\n{tail}\n"


def order_text(w: _Writer) -> str:
    """The order form or SOW: title, preamble, scope, fees, commercial terms, signatures."""
    d, n, rng, plan = w.order, w.n, w.rng, w.plan
    a1, a2 = n.aliases
    noun = d.noun
    word, short = (
        ("Order Form", "Order Form") if d.kind == "Order Form" else ("Statement of Work", "SOW")
    )
    amended = ""
    if w.amendment.date < d.date and plan.mentions_amendment:
        name = "the First Amendment" if w.amendment.title.startswith("FIRST") else "Amendment No. 1"
        amended = f", as amended by {name} dated {rng.choice(date_variants(w.amendment.date))}"
    fee = rng.choice((4_500, 12_000, 18_750, 25_000, 60_000))
    items = list(d.items)
    for line in rng.sample(ORDER_DISTRACTORS, rng.choice((1, 2, 2, 3))):
        items.insert(rng.randint(0, len(items)), line.format(payer=a1, provider=a2, short=short))
    letters = "abcdefghijklmnop"
    sections = [
        (
            "Scope",
            f"{a2} shall provide to {a1} the products and services described in Schedule 1 "
            f'to {noun} (the "Order Items") in accordance with the Agreement.',
        ),
        (
            "Fees",
            f"{a1} shall pay {a2} a fee of USD {fee:,.2f} per "
            f"{rng.choice(('month', 'calendar quarter'))} for the Order Items, invoiced in "
            f"advance.",
        ),
        (
            "Commercial Terms",
            f"The following terms apply to {noun}:\n\n"
            + "\n\n".join(f"({letters[i]}) {t}" for i, t in enumerate(items)),
        ),
    ]
    if plan.order_precedence != "none":
        conflict = f"In the event of any conflict or inconsistency between {noun} and the Agreement"
        clause = {
            "agreement": f"{conflict}, the Agreement shall prevail.",
            "order": f"{conflict}, the terms of {noun} shall prevail as to the Order Items.",
            "override": f"{conflict}, the Agreement shall prevail unless {noun} expressly states "
            f"that a provision of {noun} overrides a specified provision of the Agreement.",
        }[plan.order_precedence]
        sections.append(("Order of Precedence", clause))
    sections.append(
        (
            "Incorporation",
            f"{_sentence_case(noun)} is issued under and incorporates "
            f"the terms and conditions of the Agreement.",
        )
    )
    head = (
        f"{d.title}\n\n"
        f'This {word} No. {d.title.rsplit(" ", 1)[-1]} (this "{short}") is entered into as of '
        f'{rng.choice(date_variants(d.date))} (the "{short} Effective Date") by and between '
        f'{n.names[0]} ("{a1}") and {n.names[1]} ("{a2}") under the {title_case(n.title)} '
        f"between them dated as of {rng.choice(date_variants(n.contract_date))} (the "
        f'"Agreement"{amended}). Capitalized terms used but not defined in {noun} have the '
        f"meanings given to them in the Agreement."
    )
    tail = (
        f"IN WITNESS WHEREOF, the parties have executed {noun} as of the {short} Effective "
        f"Date.\n\n" + _signatures(n, rng)
    )
    return f"{head}\n\n{_numbered(sections)}\n\n{tail}\n"


def _curly(text: str) -> str:
    return re.sub(r"\"([^\"\n]*)\"", "\u201c\\1\u201d", text)


def build_bundle(record: dict, bundle_id: str, seed: str) -> Bundle | None:
    """One bundle from one contract record, or None when the contract cannot give one.

    Deterministic in `seed` (a string). None when the contract has an order-of-precedence
    clause of its own or no usable term.
    """
    rng = random.Random(seed)
    seg = segment(to_document(record))
    terms = extract_terms(seg)
    if terms.get("order_of_precedence"):
        return None
    usable = usable_terms(record, seg, terms)
    if not usable:
        return None
    plan = make_plan(usable, {t.field for t in terms.terms}, rng)
    w = _Writer(record, terms, usable, plan, rng)
    w.amend([c for c in plan.changes if c.where == "amendment"])
    for change in plan.changes:
        if change.where == "order":
            w.order_change(change)
    for name, where in plan.restate:
        w.restate(name, where)
    w.finish_truth()
    for name, value in plan.added:
        w.add(name, value)
    precedence = []
    if plan.amendment_precedence:
        w.amendment.precedence = "Amendment > Agreement"
        precedence.append(f"{w.amendment.doc_id}: Amendment > Agreement")
    if plan.order_precedence != "none":
        k = plan.order_kind
        w.order.precedence = {
            "agreement": f"Agreement > {k}",
            "order": f"{k} > Agreement",
            "override": f"Agreement > {k}, unless the {k} expressly overrides",
        }[plan.order_precedence]
        precedence.append(f"{w.order.doc_id}: {w.order.precedence}")
    texts = {w.amendment.doc_id: amendment_text(w), w.order.doc_id: order_text(w)}
    if plan.curly_quotes:
        texts = {k: _curly(v) for k, v in texts.items()}
    files = {AGREEMENT_FILE: record["text"], **texts}
    docs = sorted(
        (
            BundleDoc(AGREEMENT_FILE, "Agreement", w.n.title, w.n.contract_date),
            BundleDoc(w.amendment.doc_id, "Amendment", w.amendment.title, w.amendment.date),
            BundleDoc(w.order.doc_id, w.order.kind, w.order.title, w.order.date),
        ),
        key=lambda d: d.doc_id,
    )
    notes = () if w.conflicts else ("no planted conflict: restatements only",)
    if w.recital:
        notes = (*notes, f"the amendment's recital C restates an old value: {w.recital}")
    truth = BundleTruth(
        bundle_id,
        record["id"],
        seed,
        tuple(docs),
        tuple(precedence),
        tuple(w.conflicts),
        tuple(w.restated),
        tuple(w.only_in),
        notes,
    )
    bundle = Bundle(files, truth)
    problems = check_bundle(bundle)
    if problems:
        raise AssertionError(f"{bundle_id} ({record['id']}): " + "; ".join(problems))
    return bundle


def check_bundle(bundle: Bundle) -> list[str]:
    """What in a bundle's truth its text does not bear out (empty when consistent).

    Every statement of a generated document appears in it and normalizes (`normalized`) to
    its value; restated values are equal, changed ones differ; generated documents are dated
    after the Agreement.
    """
    t, files = bundle.truth, bundle.files
    problems = []

    def check(field_name: str, s: Statement) -> None:
        text = " ".join(files.get(s.doc_id, "").split())
        if " ".join(s.text.split()) not in text:
            problems.append(f"{field_name}: {s.text!r} is not in {s.doc_id}")
        elif s.doc_id != AGREEMENT_FILE and normalized(field_name, s.text) != s.value:
            problems.append(f"{field_name}: {s.text!r} does not say {s.value!r}")

    for c in t.conflicts:
        check(c.field, c.a)
        check(c.field, c.b)
        if c.a.value == c.b.value:
            problems.append(f"{c.field}: planted change keeps the value {c.a.value!r}")
    for r in t.restated:
        for s in r.statements:
            check(r.field, s)
            if s.value != r.value:
                problems.append(f"{r.field}: restatement {s.value!r} != {r.value!r}")
    for o in t.only_in:
        check(o.field, o.statement)
    dates = {d.doc_id: d.date for d in t.documents}
    problems += [
        f"{k} is not dated after the Agreement"
        for k, v in dates.items()
        if k != AGREEMENT_FILE and v <= dates.get(AGREEMENT_FILE, "")
    ]
    return problems


# Generating a set of bundles.


def generate(
    records: Sequence[dict], n: int, seed: int, progress: Callable[[str], None] = lambda _: None
) -> list[Bundle]:
    """`n` bundles from the eligible contracts of `records`, deterministic in `seed`.

    Contracts are taken in a seeded shuffle of the eligible ones (sorted by id first, so the
    file order does not matter); when there are fewer usable contracts than `n`, they are
    reused with other seeds.
    """
    pool = sorted((r for r in records if eligible(r)), key=lambda r: r["id"])
    random.Random(seed).shuffle(pool)
    bundles: list[Bundle] = []
    used: list[dict] = []
    round_ = 0
    candidates = pool
    while len(bundles) < n and candidates:
        for record in candidates:
            if len(bundles) >= n:
                break
            bundle = build_bundle(
                record, f"bundle_{len(bundles):03d}", f"{seed}:{record['id']}:{round_}"
            )
            if bundle is None:
                continue
            if round_ == 0:
                used.append(record)
            bundles.append(bundle)
            progress(f"{len(bundles)}/{n} bundles")
        round_ += 1
        candidates = used
    return bundles


def write_bundles(bundles: Sequence[Bundle], out: Path) -> None:
    """One folder per bundle (documents + truth.json) and an index.json; stale bundles removed."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("bundle_*"):
        if (old / "truth.json").is_file():
            shutil.rmtree(old)
    index = []
    for b in bundles:
        folder = out / b.truth.bundle_id
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in b.files.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / "truth.json").write_text(
            json.dumps(b.truth.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        index.append(
            {
                "bundle": b.truth.bundle_id,
                "contract": b.truth.contract_id,
                "conflicts": [f"{c.field}:{c.kind}:{c.style}" for c in b.truth.conflicts],
                "restated": [r.field for r in b.truth.restated],
            }
        )
    (out / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m training.conflict_bundles --data FILE --out DIR --n 60 --seed 0`."""
    p = argparse.ArgumentParser(
        prog="python -m training.conflict_bundles",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--data", type=Path, default=Path("../shared/data/contracts/cuad_dev.jsonl.gz"))
    p.add_argument("--out", type=Path, default=Path("runs/conflict_bundles"))
    p.add_argument("--n", type=int, default=60)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if not args.data.is_file():
        raise SystemExit(f"{args.data}: no such file")
    bundles = generate(
        read_contracts(args.data), args.n, args.seed, progress=lambda s: print(s, file=sys.stderr)
    )
    write_bundles(bundles, args.out)
    n_conf = sum(len(b.truth.conflicts) for b in bundles)
    n_rest = sum(len(b.truth.restated) for b in bundles)
    clean = sum(not b.truth.conflicts for b in bundles)
    print(
        f"wrote {len(bundles)} bundles to {args.out}: {n_conf} planted conflicts, "
        f"{n_rest} restated terms, {clean} bundles without conflict"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
