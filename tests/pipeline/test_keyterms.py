"""Key-term extraction: the sample bundle's planted terms, evidence, pages, JSON, edge cases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.clauses import ClausePrediction
from pipeline.document import Document
from pipeline.ingest import ingest_bytes, ingest_path
from pipeline.keyterms import extract_terms, terms_to_json
from pipeline.segment import segment
from pipeline.terms import FIELDS, DocumentTerms, Duration, Money, Party

BUNDLE = Path(__file__).resolve().parents[2] / "examples" / "bundle"
MSA = "01_master_services_agreement.pdf"
SOW = "02_statement_of_work.pdf"
AMENDMENT = "03_amendment_no_1.pdf"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def planted() -> dict:
    return json.loads((BUNDLE / "planted.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bundle() -> dict[str, tuple[Document, DocumentTerms]]:
    out = {}
    for name in (MSA, SOW, AMENDMENT):
        result = ingest_path(BUNDLE / name)
        assert not result.errors, result.errors
        doc = result.documents[0]
        out[doc.doc_id] = (doc, extract_terms(segment(doc)))
    return out


def first(bundle: dict, doc_id: str, field: str):
    terms = bundle[doc_id][1].get(field)
    assert terms, f"{doc_id}: no {field}"
    return terms[0]


def page_of(doc: Document, quote: str) -> str:
    """The label of the page where `quote` (whitespace-normalized) starts in the document."""
    text = doc.text
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    m = re.search(pattern, text)
    assert m, f"{quote!r} not in {doc.doc_id}"
    return doc.page_at(m.start()).label


def test_governing_law_matches_planted(bundle: dict, planted: dict) -> None:
    conflict = next(c for c in planted["conflicts"] if c["field"] == "governing_law")
    for item in conflict["values"]:
        term = first(bundle, item["document"], "governing_law")
        assert term.value == item["value"]
        assert flat(item["quote"]) in flat(term.quote)
        assert term.page == page_of(bundle[item["document"]][0], item["quote"])


def test_payment_terms_match_planted(bundle: dict, planted: dict) -> None:
    conflict = next(c for c in planted["conflicts"] if c["field"] == "payment_terms")
    for item in conflict["values"]:
        term = first(bundle, item["document"], "payment_terms")
        assert term.value == Duration(days=item["normalized"]["net_days"])
        assert flat(item["quote"]) in flat(term.quote)
        assert term.page == page_of(bundle[item["document"]][0], item["quote"])


def test_liability_cap_matches_planted(bundle: dict, planted: dict) -> None:
    conflict = next(c for c in planted["conflicts"] if c["field"] == "liability_cap")
    for item in conflict["values"]:
        terms = bundle[item["document"]][1].get("liability_cap")
        norm = item["normalized"]
        assert [t.value for t in terms] == [Money(norm["currency"], norm["amount"])]
        assert flat(item["quote"]) in flat(terms[0].quote)


def test_insurance_limits_are_no_liability_cap(bundle: dict) -> None:
    caps = [t.value for _, dt in bundle.values() for t in dt.get("liability_cap")]
    assert Money("USD", 5_000_000) not in caps
    assert Money("USD", 3_000_000) not in caps


def test_non_renewal_notice_matches_planted(bundle: dict, planted: dict) -> None:
    conflict = next(c for c in planted["conflicts"] if c["field"] == "renewal_notice_period")
    for item in conflict["values"]:
        term = first(bundle, item["document"], "non_renewal_notice")
        assert term.value == Duration(days=item["normalized"]["days"])
        assert flat(item["quote"]) in flat(term.quote)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("termination_for_convenience", Duration(days=30)),
        ("late_interest", "1.5% per month"),
        ("confidentiality_period", Duration(months=36)),
        ("fees", Money("USD", 240_000)),
    ],
)
def test_restated_equal_terms_normalize_equal(
    bundle: dict, planted: dict, field: str, expected: object
) -> None:
    key = {
        "termination_for_convenience": "termination_for_convenience_notice",
        "late_interest": "late_payment_interest",
    }.get(field, field)
    restated = next(r for r in planted["restated_equal"] if r["field"] == key)
    for item in restated["values"]:
        term = first(bundle, item["document"], field)
        assert term.value == expected
        assert flat(item["quote"]) in flat(term.quote)


def test_parties_and_aliases(bundle: dict, planted: dict) -> None:
    expected = [Party(p["name"], p["alias"]) for p in planted["parties"]]
    for doc_id, (_, dt) in bundle.items():
        assert [t.value for t in dt.get("parties")] == expected, doc_id


def test_agreement_dates(bundle: dict, planted: dict) -> None:
    for meta in planted["documents"]:
        assert first(bundle, meta["id"], "agreement_date").value == meta["date"]
        assert first(bundle, meta["id"], "effective_date").value == meta["date"]


def test_term_and_renewal_of_the_msa(bundle: dict) -> None:
    assert first(bundle, MSA, "initial_term").value == Duration(months=36)
    assert first(bundle, MSA, "renewal_term").value == Duration(months=12)
    # Start date plus initial term: 2024-03-01 + 3 years.
    assert first(bundle, MSA, "expiration_date").value == "2027-03-01"
    assert first(bundle, MSA, "warranty_duration").value == Duration(months=6)


def test_venue_and_order_of_precedence(bundle: dict) -> None:
    venue = first(bundle, MSA, "venue")
    assert venue.value == "Delaware"
    assert "New Castle County" in venue.text
    assert first(bundle, MSA, "order_of_precedence").value == "Amendment > Agreement > SOW, Exhibit"
    assert first(bundle, AMENDMENT, "order_of_precedence").value == "Amendment > Agreement, SOW"


def test_every_term_quotes_the_document_exactly(bundle: dict) -> None:
    for doc, dt in bundle.values():
        assert dt.terms
        for t in dt.terms:
            assert t.field in FIELDS
            assert t.doc_id == doc.doc_id
            assert t.quote == doc.text[t.start : t.end]
            assert t.text and t.text in t.quote
            assert t.page == doc.page_at(t.start).label


def test_terms_to_json(bundle: dict) -> None:
    data = terms_to_json(bundle[MSA][1])
    assert data["id"] == MSA
    assert set(data["terms"]) == set(FIELDS)
    json.dumps(data)
    assert data["terms"]["payment_terms"][0]["value"] == {"days": 30, "months": 0}
    cap = data["terms"]["liability_cap"][0]
    assert cap["value"] == {"currency": "USD", "amount": 1_000_000.0}
    assert set(cap) == {"value", "text", "quote", "page", "start", "end"}
    assert data["terms"]["parties"][1]["value"] == {
        "name": "Brightwater Analytics, Inc.",
        "alias": "Supplier",
    }


def text_terms(text: str, name: str = "doc.txt") -> DocumentTerms:
    result = ingest_bytes(name, text.encode("utf-8"))
    assert result.documents, result.errors
    return extract_terms(segment(result.documents[0]))


def test_no_terms_gives_an_empty_valid_result() -> None:
    dt = text_terms("The quick brown fox jumps over the lazy dog.\n\nNothing else is said here.")
    assert dt.doc_id == "doc.txt"
    assert dt.terms == ()
    data = terms_to_json(dt)
    assert data["terms"] == {field: [] for field in FIELDS}


CUAD_LIKE = """DISTRIBUTION AGREEMENT

This Distribution Agreement is made and entered into as of the 7th day of April, 2017 by and \
between Xencor, Inc., a Delaware corporation ("Xencor"), and Aimmune Therapeutics, Inc. \
("Aimmune").

1. Term. This Agreement shall commence on the Effective Date and continue for a period of two (2) \
years. Thereafter this Agreement shall automatically renew for successive one (1) year periods \
unless either party gives written notice of non-renewal at least ninety (90) days prior to the \
expiration of the then-current term.

2. Payment. Distributor shall pay all invoices net 45 days from the invoice date. Late payments \
bear interest at eighteen percent (18%) per annum.

3. Liability. In no event shall either party's aggregate liability exceed the total fees paid \
under this Agreement in the twelve (12) months preceding the claim.

ARTICLE 8 INDEMNIFICATION 8.1 Each party shall indemnify the other. 9.8 This Agreement will be \
governed by the internal laws of the State of North Carolina. Disputes shall be settled by binding \
arbitration administered by the American Arbitration Association in Charlotte, North Carolina.
"""


def test_cuad_style_contract() -> None:
    dt = text_terms(CUAD_LIKE)

    def value(field: str) -> object:
        return dt.get(field)[0].value if dt.get(field) else None

    assert [t.value for t in dt.get("parties")] == [
        Party("Xencor, Inc.", "Xencor"),
        Party("Aimmune Therapeutics, Inc.", "Aimmune"),
    ]
    assert value("agreement_date") == "2017-04-07"
    assert value("initial_term") == Duration(months=24)
    assert value("renewal_term") == Duration(months=12)
    assert value("non_renewal_notice") == Duration(days=90)
    assert value("payment_terms") == Duration(days=45)
    assert value("late_interest") == "18% per annum"
    assert value("liability_cap") == "1x fees paid in 12 months"
    # Clause 9.8 sits on a line that segmentation reads as an article heading: still found.
    assert value("governing_law") == "North Carolina"
    assert value("arbitration") == "AAA, North Carolina"


def test_federal_law_yields_to_the_state() -> None:
    dt = text_terms(
        "Securities are offered under the laws of the United States.\n\n"
        "12. Governing Law. This Agreement shall be governed by the laws of the United States and "
        "the State of Florida, except for conflict of laws provisions.\n"
    )
    assert dt.get("governing_law")[0].value == "Florida"


def test_incorporation_is_not_governing_law() -> None:
    dt = text_terms(
        "Acme, Inc. is a corporation organized under the laws of the State of Delaware.\n\n"
        "Nothing in this Agreement is governed by anything.\n"
    )
    assert dt.get("governing_law") == ()


def test_date_split_after_a_month_abbreviation_is_rejoined() -> None:
    dt = text_terms(
        "CO-BRANDING AGREEMENT\n\nThis agreement is made effective Oct. 11, 1996 by and between "
        'PC QUOTE, INC. ("PCQ") and ABW CORP. ("ABW").\n'
    )
    assert dt.get("agreement_date")[0].value == "1996-10-11"
    assert [t.value.alias for t in dt.get("parties")] == ["PCQ", "ABW"]


class StubClassifier:
    """Labels every text that names Delaware a governing-law clause."""

    def predict(self, texts: list[str]) -> list[ClausePrediction]:
        return [
            ClausePrediction("Governing Law" if "Delaware" in t else "none", 0.9) for t in texts
        ]


def test_classifier_hints_add_clauses_without_cue_words() -> None:
    text = "1. Services. Supplier provides services.\n\n2. Law. Delaware law rules this deal.\n"
    doc = ingest_bytes("hint.txt", text.encode()).documents[0]
    assert extract_terms(segment(doc)).get("governing_law") == ()
    hinted = extract_terms(segment(doc), classifier=StubClassifier())
    assert [t.value for t in hinted.get("governing_law")] == ["Delaware"]
