"""Typed key terms: what a document says about parties, dates, term, law, payment, liability...

Values are normalized so that the same term in different words compares equal: "thirty (30)
days" -> Duration(days=30), "one (1) year" -> Duration(months=12), "$1,000,000.00" ->
Money("USD", 1000000), dates -> ISO strings, states/countries -> canonical names.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

FIELDS = (
    "parties",
    "agreement_date",
    "effective_date",
    "expiration_date",
    "initial_term",
    "renewal_term",
    "non_renewal_notice",
    "governing_law",
    "venue",
    "arbitration",
    "payment_terms",
    "fees",
    "late_interest",
    "liability_cap",
    "confidentiality_period",
    "non_compete_duration",
    "warranty_duration",
    "termination_for_convenience",
    "order_of_precedence",
)


@dataclass(frozen=True)
class Duration:
    """A length of time in whole days or months (years become 12·n months)."""

    days: int = 0
    months: int = 0

    def __str__(self) -> str:
        if not self.months and not self.days:
            return "0 days"
        months = f"{self.months} month{'s' * (self.months != 1)}"
        days = f"{self.days} day{'s' * (self.days != 1)}"
        if self.months and not self.days:
            return months
        if self.days and not self.months:
            return days
        return f"{months} {days}"


@dataclass(frozen=True)
class Money:
    """An amount with an ISO 4217 currency code."""

    currency: str
    amount: float

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,.2f}"


@dataclass(frozen=True)
class Party:
    """A party and its defined alias: 'Acme Corp. ("Supplier")'.

    A party whose name the document leaves blank, redacts or only describes ("the persons listed
    on Schedule A") has an empty name and is known by its alias: '(unnamed) ("Investor")'.
    """

    name: str
    alias: str = ""

    def __str__(self) -> str:
        name = self.name or "(unnamed)"
        return f'{name} ("{self.alias}")' if self.alias else name


# A normalized value: text for law/venue/dates (ISO), or a typed value.
Value = str | int | float | bool | Duration | Money | Party


@dataclass(frozen=True)
class Term:
    """One key term of one document, with the evidence it rests on.

    `value` is normalized (comparable across documents); `text` is how the document says it;
    `quote` the sentence or clause holding it; `start`/`end` its character span in the
    document's text; `page` the printed label of the page where it starts.
    """

    field: str
    value: Value
    text: str
    quote: str
    doc_id: str
    page: str
    start: int
    end: int


@dataclass(frozen=True)
class DocumentTerms:
    """All key terms found in one document (several per field where the document has several)."""

    doc_id: str
    title: str
    terms: tuple[Term, ...]

    def get(self, field: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.field == field)


def value_to_json(value: Value) -> object:
    """A normalized value as JSON: Duration, Money and Party become objects of their fields."""
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


def terms_to_json(doc_terms: DocumentTerms, display: bool = False) -> dict[str, Any]:
    """`{"id", "title", "terms": {field: [{value, text, quote, page, start, end}, ...]}}`.

    Every field of FIELDS is present (an empty list when the document states none). With
    `display`, each term also carries its value as text (`"36 months"`) for people reading JSON.
    """
    # Fields in the order the document's terms come (so the JSON reads back in that order),
    # then the fields it does not state.
    fields: dict[str, list[dict[str, Any]]] = {}
    for t in doc_terms.terms:
        item = {
            "value": value_to_json(t.value),
            "text": t.text,
            "quote": t.quote,
            "page": t.page,
            "start": t.start,
            "end": t.end,
        }
        if display:
            item["display"] = str(t.value)
        fields.setdefault(t.field, []).append(item)
    for name in FIELDS:
        fields.setdefault(name, [])
    return {"id": doc_terms.doc_id, "title": doc_terms.title, "terms": fields}
