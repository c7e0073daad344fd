"""A contract read through a rendered PDF (`training.pdf_render`, `eval terms --via pdf`)."""

from __future__ import annotations

import random
import re

import pytest

from pipeline.ingest import ingest_bytes
from training.eval_terms import evaluate, to_document, to_pdf_document
from training.pdf_render import SOFT_HYPHEN, Layout, font_used, hyphenate, render_pdf

# Invented, written for these tests; long enough to run over several pages.
CLAUSES = [
    "MASTER CONSULTING AGREEMENT",
    'This Master Consulting Agreement (the "Agreement") is made as of March 3, 2021 by and '
    'between Northwind Analytics LLC, a Delaware limited liability company ("Consultant"), '
    'and Bluefield Manufacturing Corporation, an Ohio corporation ("Client").',
    "1. TERM. This Agreement commences on the Effective Date and continues for three (3) "
    "years, and thereafter renews automatically for successive one (1) year periods unless "
    "either party gives written notice of non-renewal at least sixty (60) days before the "
    "end of the then-current term.",
    "2. PAYMENT. Client shall pay each undisputed invoice within forty-five (45) days of "
    "receipt. Late amounts bear interest at one percent (1%) per month.",
    "3. GOVERNING LAW. This Agreement is governed by the laws of the State of New York, "
    "without regard to its conflict of laws principles.",
]
WORDS = [
    "services",
    "deliverables",
    "reasonable",
    "schedule",
    "milestones",
    "acceptance",
    "report",
    "review",
    "quality",
    "standards",
    "progress",
    "meeting",
    "personnel",
    "resources",
    "documentation",
    "support",
    "maintenance",
    "specification",
    "testing",
    "training",
    "materials",
    "records",
    "audit",
    "premises",
    "equipment",
    "software",
]
# Seeded word salad: no two lines repeat, so none is taken for a running header.
_rng = random.Random(7)
FILLERS = [" ".join(_rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(30)]
TEXT = "\n\n".join([*CLAUSES[:2], *FILLERS, *CLAUSES[2:]])
RECORD = {
    "id": "cuad/INVENTED-MASTER CONSULTING AGREEMENT",
    "title": "Consulting",
    "text": TEXT,
    "answers": {"Governing Law": "New York", "Agreement Date": "3/3/2021"},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Distributor", "the Distr|ibutor"),
        ("THIS AGREEMENT", "THIS AGRE|EMENT"),
        ("see example.com or info@example.com", "see example.com or info@example.com"),
        ("short words and 12345678 digits", "short words and 12345678 digits"),
    ],
)
def test_hyphenate_splits_long_runs_of_letters_only(text, expected):
    assert hyphenate(text).replace(SOFT_HYPHEN, "|") == expected


def test_hyphenate_rejects_a_nonsense_minimum():
    with pytest.raises(ValueError, match="min_letters"):
        hyphenate("anything", 1)


def test_rendering_is_reproducible():
    assert render_pdf(TEXT, "Consulting") == render_pdf(TEXT, "Consulting")


def test_the_pdf_reads_back_as_the_text_words_and_paragraphs():
    doc = ingest_bytes("c.pdf", render_pdf(TEXT, "Consulting")).documents[0]
    assert len(doc.pages) > 1
    # Headers, footers and the soft hyphens at line ends are gone; every word is whole.
    assert doc.text.split() == TEXT.split()
    assert "Confidential" not in doc.text and "Page 1 of" not in doc.text
    assert [p.split()[0] for p in doc.text.split("\n\n")][:3] == [
        "MASTER",
        "This",
        FILLERS[0].split()[0],
    ]


def test_a_one_page_text_gets_no_running_header():
    doc = ingest_bytes("short.pdf", render_pdf(CLAUSES[3], "Consulting")).documents[0]
    assert doc.text.split() == CLAUSES[3].split()


def test_plain_layout_reads_back_too():
    layout = Layout(justify=False, hyphenate=False, running_header=False, page_footer=False)
    doc = ingest_bytes("c.pdf", render_pdf(TEXT, "Consulting", layout)).documents[0]
    assert doc.text.split() == TEXT.split()


def test_terms_through_the_pdf_equal_the_texts():
    result = evaluate([RECORD], via="pdf")
    fidelity = result["pdf_fidelity"]
    assert fidelity == {
        "font": font_used(),
        "contracts": 1,
        "contracts_differing": 0,
        "fields_differing": {},
        "unread": [],
        "differences": [],
    }
    assert result["via"] == "pdf"


def test_a_difference_is_reported_with_both_readings(monkeypatch):
    import training.eval_terms as eval_terms

    # Stand in for a lossy reader: the PDF's reading loses the governing-law sentence.
    def lossy(record):
        doc = to_pdf_document(record)
        cut = doc.text.index("3. GOVERNING LAW")
        return to_document({**record, "text": re.sub(r"\s+$", "", doc.text[:cut])})

    monkeypatch.setattr(eval_terms, "to_pdf_document", lossy)
    fidelity = evaluate([RECORD], via="pdf")["pdf_fidelity"]
    assert fidelity["fields_differing"] == {"governing_law": 1}
    (difference,) = fidelity["differences"]
    assert difference["text"] == ["New York"] and difference["pdf"] == []


def test_via_must_be_text_or_pdf():
    with pytest.raises(ValueError, match="via"):
        evaluate([RECORD], via="docx")
