"""Expiration date: a term counted from a start that the contract dates in other ways
(invented contract language)."""

from __future__ import annotations

from pipeline.ingest import ingest_bytes
from pipeline.keyterms import extract_terms
from pipeline.segment import segment

PARTIES = (
    'by and between Marigold Orchards, Inc., an Oregon corporation ("Marigold"), and Lantern '
    'Freight LLC ("Lantern").\n\n'
)


def values(field: str, preamble: str, body: str) -> list[object]:
    """The values of `field` in a contract that opens with `preamble` and goes on with `body`."""
    text = f"SERVICES AGREEMENT\n\n{preamble} {PARTIES}{body}\n"
    result = ingest_bytes("doc.txt", text.encode("utf-8"))
    assert result.documents, result.errors
    return [t.value for t in extract_terms(segment(result.documents[0])).get(field)]


YEARLESS = 'This Services Agreement is made this 12th day of September (the "Effective Date")'


def test_whole_years_from_a_start_without_a_year_keep_its_day_and_month() -> None:
    body = (
        "4. Term. This Agreement will begin on the Effective Date and will continue for a "
        "period of four (4) years therefrom."
    )
    assert values("expiration_date", YEARLESS, body)[:1] == ["XXXX-09-12"]


def test_months_from_a_start_without_a_year_give_no_date() -> None:
    body = (
        "4. Term. This Agreement will begin on the Effective Date and will continue for a "
        "period of nine (9) months therefrom."
    )
    assert values("expiration_date", YEARLESS, body) == []
