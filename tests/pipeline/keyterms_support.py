"""What the key-term tests share: a text run through ingest, segmentation and the extractors,
and the parties and signature block of an invented services contract."""

from __future__ import annotations

from typing import cast

from pipeline.ingest import ingest_bytes
from pipeline.keyterms import extract_terms
from pipeline.segment import segment
from pipeline.terms import DocumentTerms, Party


def text_terms(text: str) -> DocumentTerms:
    """Every key term of `text`, read as an uploaded plain-text file would be."""
    result = ingest_bytes("doc.txt", text.encode("utf-8"))
    assert result.documents, result.errors
    return extract_terms(segment(result.documents[0]))


def field_values(text: str, field: str) -> list[object]:
    """The values of `field` in `text`, best first."""
    return [t.value for t in text_terms(text).get(field)]


def parties_of(text: str) -> list[Party]:
    """The parties of `text`, in the order the extractor lists them."""
    return cast(list[Party], field_values(text, "parties"))


# The preamble's party list and the signature block of an invented warehousing contract.
HARROW_BELLWETHER = (
    'by and between Harrow Pine Systems, Inc., a Delaware corporation ("Harrow"), and Bellwether '
    'Logistics Ltd., a company registered in England ("Bellwether").'
)
HARROW_BELLWETHER_SIGNED = (
    "IN WITNESS WHEREOF, the parties have signed this Agreement.\n\nHARROW PINE SYSTEMS, INC.\n"
    "By: /s/ Nora Kell\nName: Nora Kell\nTitle: President\n\nBELLWETHER LOGISTICS LTD.\n"
    "By: /s/ Owen Tate\nName: Owen Tate\nTitle: Director"
)
# A dated services contract's opening between the two, to put one clause after.
HARROW_BELLWETHER_OPENING = (
    f"SERVICES AGREEMENT\n\nThis Services Agreement is made as of March 15, 2019 "
    f"{HARROW_BELLWETHER}\n\n"
)
