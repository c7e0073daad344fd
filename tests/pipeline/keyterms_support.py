"""What the key-term tests share: a text run through ingest, segmentation and the extractors."""

from __future__ import annotations

from pipeline.ingest import ingest_bytes
from pipeline.keyterms import extract_terms
from pipeline.segment import segment
from pipeline.terms import DocumentTerms, Party


def text_terms(text: str) -> DocumentTerms:
    """Every key term of `text`, read as an uploaded plain-text file would be."""
    result = ingest_bytes("doc.txt", text.encode("utf-8"))
    assert result.documents, result.errors
    return extract_terms(segment(result.documents[0]))


def parties_of(text: str) -> list[Party]:
    """The parties of `text`, in the order the extractor lists them."""
    return [t.value for t in text_terms(text).get("parties")]
