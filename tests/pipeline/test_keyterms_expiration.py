"""Expiration date: wordings of the agreement's end, each with invented contract language."""

from __future__ import annotations

import pytest

from pipeline.ingest import ingest_bytes
from pipeline.keyterms import extract_terms
from pipeline.segment import segment
from pipeline.terms import DocumentTerms

PREAMBLE = (
    "SUPPLY AGREEMENT\n\nThis Supply Agreement is made and entered into as of March 3, 2015 "
    'by and between Orchard Valley Foods, Inc., an Oregon corporation ("Orchard"), and Tidewater '
    'Packaging LLC ("Tidewater").\n\n'
)


def text_terms(text: str) -> DocumentTerms:
    result = ingest_bytes("doc.txt", text.encode("utf-8"))
    assert result.documents, result.errors
    return extract_terms(segment(result.documents[0]))


def expiration(body: str) -> list[object]:
    return [t.value for t in text_terms(PREAMBLE + body + "\n").get("expiration_date")]


@pytest.mark.parametrize(
    "body",
    [
        # Cure periods and deadlines are no term of the agreement.
        "9. Term and Termination. 9.1 Orchard may end this Agreement by notice if Tidewater "
        "commits a breach of a material term of this Agreement that remains uncured 45 days.",
        "9. Events of Default. It is an event of default under this Agreement if Tidewater "
        "fails to deliver any shipment and such failure shall continue for ten (10) days.",
        "9. Term and Termination. 9.1 All fees accrued before the expiration of this Agreement "
        "shall be paid in full within sixty (60) days thereafter.",
        # The term of another instrument named in the agreement.
        "4. Premises. Orchard shall grant Tidewater a lease of the warehouse, which lease will "
        "have a term of at least twenty (20) years at a nominal rent.",
        "7. Share Warrant. The Warrant shall be issued in the form of Exhibit B and shall have a "
        "term of seven (7) years.",
    ],
)
def test_durations_that_are_not_the_agreements_term_give_no_end(body: str) -> None:
    assert expiration(body) == []


def test_term_through_the_day_before_an_anniversary() -> None:
    body = (
        '1.4 "Initial Term" shall mean the Effective Date through the day prior to the third '
        "anniversary of the Effective Date, unless earlier terminated under Section 12."
    )
    assert expiration(body)[:1] == ["2018-03-03"]
