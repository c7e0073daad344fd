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


def values(dt: DocumentTerms, field: str) -> list[object]:
    return [t.value for t in dt.get(field)]


SIGNED_BELOW = """SERVICES AGREEMENT

This Services Agreement (the "Agreement") is entered into by and between Harbor Freight \
Logistics, Inc., a Texas corporation ("Harbor"), and Bluepeak Software LLC ("Bluepeak").

1. Term. This Agreement shall be effective on the date of the last signature below and shall \
continue for a period of two (2) years.

2. Fees. Harbor shall pay the fees stated in Exhibit A.

IN WITNESS WHEREOF, the parties have executed this Agreement by their authorized officers.

HARBOR FREIGHT LOGISTICS, INC. BLUEPEAK SOFTWARE LLC
By: /s/ Dana Ortiz By: /s/ Lee Park
Name: Dana Ortiz Name: Lee Park
Date: March 3, 2019 Date: March 9, 2019
Source: HARBOR FREIGHT LOGISTICS INC, 10-Q, 5/14/2019
"""


def test_undated_preamble_takes_the_last_signature_date() -> None:
    dt = text_terms(SIGNED_BELOW)
    # The later of the two signature dates; the EDGAR filing stamp is no signature.
    assert values(dt, "agreement_date")[:1] == ["2019-03-09"]
    assert values(dt, "effective_date")[:1] == ["2019-03-09"]
    assert values(dt, "expiration_date")[:1] == ["2021-03-09"]


def test_effective_the_day_after_the_last_signature() -> None:
    text = SIGNED_BELOW.replace(
        "effective on the date of the last signature below",
        "effective at 12:01 a.m. on the day after the date of last signature below",
    )
    assert values(text_terms(text), "effective_date")[:1] == ["2019-03-10"]


@pytest.mark.parametrize(
    "sentence",
    [
        "This Agreement shall become effective as of the day and year first above written.",
        "The term of this Agreement shall begin on the date hereof and continue for one year.",
        'The "Commencement Date" means the date of this Agreement.',
    ],
)
def test_effective_date_by_reference_is_the_agreement_date(sentence: str) -> None:
    dt = text_terms(
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is made and entered into as of the 4th day "
        'of May, 2012 by and between Corliss Mills, Inc. ("Corliss") and Tanaka Trading Co., '
        f'Ltd. ("Tanaka").\n\n1. Term. {sentence}\n'
    )
    assert values(dt, "agreement_date") == ["2012-05-04"]
    assert values(dt, "effective_date")[:1] == ["2012-05-04"]


def test_effective_date_tied_to_an_event_is_not_the_agreement_date() -> None:
    dt = text_terms(
        "LICENSE AGREEMENT\n\nThis License Agreement is dated as of June 2, 2016 by and between "
        'Orbis Labs Inc. ("Orbis") and Kestrel Bio LLC ("Kestrel").\n\n'
        '1. Definitions. "Effective Date" means the date on which the Closing occurs under the '
        "Purchase Agreement.\n\n2. Term. This Agreement shall commence on the Effective Date.\n"
    )
    assert values(dt, "agreement_date") == ["2016-06-02"]
    assert values(dt, "effective_date") == []


def test_dates_of_the_amended_agreement_and_of_recitals_are_not_this_documents() -> None:
    dt = text_terms(
        'AMENDMENT NO. 2\n\nThis Amendment No. 2 (this "Amendment") to the Distribution '
        'Agreement dated as of March 1, 2010 (the "Original Agreement") by and between Velo '
        'Cycles, Inc. ("Velo") and Northgate Sports Ltd. ("Northgate") is made as of June 5, '
        "2015.\n\n(A) Velo and Northgate entered into the Original Agreement as of March 1, "
        "2010.\n\n1. Section 4.1 of the Original Agreement is amended as set out below.\n"
    )
    assert values(dt, "agreement_date") == ["2015-06-05"]


def test_blank_day_and_month_leave_the_year() -> None:
    dt = text_terms(
        "CONSULTING AGREEMENT\n\nThis Consulting Agreement is effective as of , 2020 (the "
        '"Effective Date"), by and between Pell Advisory LLC ("Consultant") and Garnet '
        'Minerals Corp. ("Company").\n'
    )
    assert values(dt, "agreement_date") == ["2020"]
    assert values(dt, "effective_date") == ["2020"]


PREAMBLE = (
    "MASTER AGREEMENT\n\nThis Master Agreement is made and entered into as of January 15, 2014 "
    'by and between Redline Data Corp., a Delaware corporation ("Redline"), and Sable Systems '
    'GmbH ("Sable").\n\n'
)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # A stated end date beats the computed one.
        (
            "1. Term. The term of this Agreement shall commence on the date hereof and shall "
            "expire on December 31, 2016.",
            "2016-12-31",
        ),
        (
            "1. Term. This Agreement will continue until the earlier of (i) June 30, 2019, or "
            "(ii) the termination of the Supply Agreement.",
            "2019-06-30",
        ),
        # Start date plus the initial term.
        (
            "1. Term. This Agreement shall commence on the date first written above and shall "
            "continue for a period of three (3) years.",
            "2017-01-15",
        ),
        (
            "1. Term. This Agreement shall commence on the Effective Date and shall extend for a "
            "period of five (5) years thereafter.",
            "2019-01-15",
        ),
        (
            "1. Term. The initial term shall continue until the twentieth (20th) anniversary of "
            "the date of this Agreement.",
            "2034-01-15",
        ),
        (
            "1. Term. This Agreement shall continue in effect unless and until terminated by "
            "either party on ninety (90) days' notice.",
            "perpetual",
        ),
    ],
)
def test_expiration_date(clause: str, expected: str) -> None:
    dt = text_terms(PREAMBLE + clause + "\n")
    assert values(dt, "expiration_date")[:1] == [expected]


def test_years_of_the_contract_and_terms_counted_from_events_give_no_end_date() -> None:
    dt = text_terms(
        PREAMBLE + "1. Term. This Agreement shall remain in force for ten (10) years after the "
        "First Commercial Sale.\n\n2. Fiscal Year. The first Fiscal Year of this Agreement shall "
        "begin on the date hereof and end on March 31, 2014.\n"
    )
    assert values(dt, "initial_term")[:1] == [Duration(months=120)]
    assert values(dt, "expiration_date") == []


@pytest.mark.parametrize(
    ("preamble", "expected"),
    [
        (
            "This Reseller Agreement is made and entered into by Quillon Systems, Inc., a "
            'Delaware corporation (the "Company"), and Marrow Partners LLC ("Reseller").',
            [Party("Quillon Systems, Inc.", "Company"), Party("Marrow Partners LLC", "Reseller")],
        ),
        (
            "This Endorsement Agreement is entered into by and among, on the one hand, Brightline "
            'Talent, LLC ("Brightline"), and, on the other hand, Oakmont Foods, Inc. ("Oakmont").',
            [
                Party("Brightline Talent, LLC", "Brightline"),
                Party("Oakmont Foods, Inc.", "Oakmont"),
            ],
        ),
        (
            "This Distribution Agreement is made as of May 2, 2018 by and between eVolve Media "
            'Corp. ("eVolve") and Tasman Retail Pty Ltd. ("Tasman").',
            [Party("eVolve Media Corp.", "eVolve"), Party("Tasman Retail Pty Ltd.", "Tasman")],
        ),
    ],
)
def test_parties_from_the_preamble(preamble: str, expected: list[Party]) -> None:
    assert values(text_terms(f"AGREEMENT\n\n{preamble}\n"), "parties") == expected


def test_party_name_stops_before_its_address() -> None:
    dt = text_terms(
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is made on 1 June 2017 between:\n\nKORVA "
        'Pharma AG Lindenstrasse 4 8001 Zurich ("Korva") and Pinecrest Labs, Inc. '
        '("Pinecrest").\n'
    )
    assert [p.name for p in values(dt, "parties")] == ["KORVA Pharma AG", "Pinecrest Labs, Inc."]


def test_parties_named_only_in_the_signature_block() -> None:
    dt = text_terms(
        "JOINT FILING AGREEMENT\n\nIn accordance with Rule 13d-1(k) under the Securities "
        "Exchange Act of 1934, the undersigned agree to the joint filing of a statement on "
        "Schedule 13D.\n\n" + "The undersigned acknowledge their duties. " * 40 + "\n\n"
        "IN WITNESS WHEREOF, the undersigned hereby execute this Agreement as of May 4, 2020.\n"
        "ALDER CREEK CAPITAL LP By: Alder Creek GP LLC, its general partner By: /s/ Ann Roe\n"
        "Name: Ann Roe Title: Managing Member\n"
    )
    assert [p.name for p in values(dt, "parties")] == [
        "ALDER CREEK CAPITAL LP",
        "Alder Creek GP LLC",
    ]


def test_labelled_parties_with_a_role() -> None:
    dt = text_terms(
        "TRANSPORTATION AGREEMENT\n\nParty A (Shipper): Hangzhou Minfeng Trading Co., Ltd.\n"
        "Party B (Carrier): Ningbo Swift Freight Ltd.\n\n1. Services. Party B shall carry goods.\n"
    )
    assert values(dt, "parties") == [
        Party("Hangzhou Minfeng Trading Co., Ltd.", "Party A"),
        Party("Ningbo Swift Freight Ltd.", "Party B"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("All invoiced amounts are due thirty (30) days after the date of invoice.", 30),
        ("Fees are payable no later than forty-five (45) days from receipt of invoice.", 45),
        ("Customer shall pay each invoice net 60.", 60),
        ("Customer shall pay each invoice within thirty (30) days.", 30),
        ("Invoices are due and payable within forty-five (45) days.", 45),
        ("All amounts invoiced under this Agreement shall be paid within 60 days.", 60),
        ("Payment is due upon receipt of invoice.", 0),
        ("All fees are due and payable upon receipt of Supplier's invoice.", 0),
        ("Fees are due upon receipt of invoice and shall be paid within thirty (30) days.", 30),
    ],
)
def test_payment_terms(sentence: str, expected: int) -> None:
    assert values(text_terms(f"7. Payment. {sentence}\n"), "payment_terms") == [
        Duration(days=expected)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Supplier shall invoice Customer within thirty (30) days after delivery.",
        "Customer shall pay the fees and shall dispute any invoice within ten (10) days.",
        "Payment is made by wire. Supplier shall deliver within thirty (30) days.",
    ],
)
def test_other_deadlines_near_invoices_are_no_payment_terms(sentence: str) -> None:
    assert values(text_terms(f"7. Payment. {sentence}\n"), "payment_terms") == []


def test_zero_days_prints_so_and_stated_days_outrank_receipt() -> None:
    assert str(Duration(days=0)) == "0 days"
    net = "7. Payment. Invoices are due upon receipt of invoice and payable net 30.\n"
    assert values(text_terms(net), "payment_terms") == [Duration(days=30)]
    assert (
        values(
            text_terms("7. Payment. Customer shall pay upon receipt of the goods.\n"),
            "payment_terms",
        )
        == []
    )


def test_net_in_a_web_address_is_no_payment_term() -> None:
    dt = text_terms("7. Orders. Orders are placed at www.fairway.net 30 days before delivery.\n")
    assert values(dt, "payment_terms") == []


def test_a_cure_period_is_no_initial_term() -> None:
    dt = text_terms(
        PREAMBLE + "9. Breach. If, prior to the end of such sixty (60) day period, the breaching "
        "party cures the breach, this Agreement shall remain in full force and effect.\n"
    )
    assert values(dt, "initial_term") == []


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # A term that ends a stated time after its start ("ending ... thereafter", "expire ...
        # from"), stated where the sentence names neither "term" nor a "Term" heading.
        (
            "12.01 Duration. This Agreement will continue in full force beginning on the "
            "Effective Date and ending two (2) years thereafter.",
            "2016-01-15",
        ),
        (
            "3.1 Initial Period. The initial term of this Agreement shall commence upon the "
            "Effective Date and shall expire seven (7) years from the Effective Date.",
            "2021-01-15",
        ),
        (
            "7. TERM\n\n7.1 This Agreement shall take effect on the date hereof and continue in "
            "full force and effect for fifteen (15) years thereafter, unless terminated earlier.",
            "2029-01-15",
        ),
        # The sentence that defines "Term" sets it, whatever its subject.
        (
            "The pilot programme shall begin on March 1, 2014 and shall terminate February 28, "
            '2015 (herein "Term").',
            "2015-02-28",
        ),
        (
            "(a) This Letter Agreement shall expire upon the earlier of (i) the second "
            "anniversary of the date hereof and (ii) the closing of the Merger.",
            "2016-01-15",
        ),
        # A term label before a range of dates.
        ("6. TERM: February 01, 2014 to January 31, 2017", "2017-01-31"),
        ("TERM OF SERVICE From February 3, 2014 until August 2, 2014", "2014-08-02"),
        ("2.1 Contract start: 02-01-14\n\n2.2 Contract end: 01-31-16", "2016-01-31"),
    ],
)
def test_expiration_date_from_more_term_wordings(clause: str, expected: str) -> None:
    dt = text_terms(PREAMBLE + clause + "\n")
    assert values(dt, "expiration_date")[:1] == [expected]


def test_a_part_of_the_term_is_not_its_length() -> None:
    dt = text_terms(
        PREAMBLE + "5. Term. The term of this Agreement shall be three (3) years. Fees for the "
        "last two (2) months of the Term of the Agreement are payable in advance.\n"
    )
    assert values(dt, "initial_term")[:1] == [Duration(months=36)]


def test_a_cure_period_under_a_term_heading_is_no_initial_term() -> None:
    dt = text_terms(
        PREAMBLE + "ARTICLE 3 TERM; DEFAULT\n\n3.1 Operator Default. Operator fails to pay any "
        "amount when due, and such failure shall continue for a period of fifteen (15) days.\n"
    )
    assert values(dt, "initial_term") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The date is labelled the effective date after a misplaced article.
        (
            "This Sponsorship Agreement is made and entered into as of June 13, 2012 the "
            '("Effective Date"), by and between Harlow Sports LLC ("Harlow") and Quint Data, '
            'Inc. ("Sponsor").',
            "2012-06-13",
        ),
        # A long label before the date.
        (
            "COMMENCEMENT DATE FOR SUPPORT UNDER THIS SCHEDULE: MARCH 1, 2012",
            "2012-03-01",
        ),
        ("2.1 Contract start: 04-01-12", "2012-04-01"),
        # What the agreement sets up begins on a date.
        (
            "This promotion shall begin on June 1, 2012 and shall end on December 31, 2012.",
            "2012-06-01",
        ),
    ],
)
def test_more_effective_date_labels(sentence: str, expected: str) -> None:
    dt = text_terms(f"AGREEMENT\n\n{sentence}\n")
    assert values(dt, "effective_date")[:1] == [expected]


def test_another_period_commencing_on_the_date_hereof_is_no_effective_date() -> None:
    dt = text_terms(
        "COOPERATION AGREEMENT\n\nThis Cooperation Agreement is dated as of June 27, 2017 by and "
        'between Larkspur Holdings, Inc. (the "Company") and Grove Street Partners LP '
        '("Investor").\n\n1. Standstill. For purposes of this Agreement, "Standstill Period" '
        "shall mean the period commencing on the date of this Agreement and ending on the date "
        "of the next annual meeting.\n"
    )
    assert values(dt, "agreement_date") == ["2017-06-27"]
    assert values(dt, "effective_date") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "This Agreement shall be effective on the later of the dates that it is executed by "
        'Harbor and Bluepeak (the "Effective Date").',
        'This Services Agreement is entered into as of the date noted below (the "Effective '
        'Date").',
    ],
)
def test_effective_on_signature_wordings(sentence: str) -> None:
    text = SIGNED_BELOW.replace(
        "This Agreement shall be effective on the date of the last signature below and shall "
        "continue for a period of two (2) years.",
        sentence,
    )
    assert values(text_terms(text), "effective_date")[:1] == ["2019-03-09"]


def test_a_preamble_that_only_states_the_effective_date_is_dated_by_its_signatures() -> None:
    text = SIGNED_BELOW.replace(
        'This Services Agreement (the "Agreement") is entered into',
        'This Services Agreement (the "Agreement") is effective 3/1/19 ("Effective Date") and is'
        " entered into",
    )
    dt = text_terms(text)
    assert values(dt, "agreement_date")[:1] == ["2019-03-09"]
    assert values(dt, "effective_date")[:1] == ["2019-03-01"]


def test_pronoun_aliases_of_the_parties() -> None:
    dt = text_terms(
        "FRANCHISE AGREEMENT\n\nThis Franchise Agreement is entered into by and between Maple "
        'Bakeries, LLC, a Texas limited liability company ("Franchisor" or by reference "we", '
        '"us", "our"), and Jordan Lee Foods, Inc. ("you" or the "Franchisee").\n'
    )
    assert values(dt, "parties") == [
        Party("Maple Bakeries, LLC", "Franchisor"),
        Party("Maple Bakeries, LLC", "we"),
        Party("Maple Bakeries, LLC", "us"),
        Party("Maple Bakeries, LLC", "our"),
        Party("Jordan Lee Foods, Inc.", "you"),
        Party("Jordan Lee Foods, Inc.", "Franchisee"),
    ]


def test_parties_after_a_between_line_of_its_own() -> None:
    dt = text_terms(
        "NON-COMPETITION AGREEMENT\n\nTHIS AGREEMENT is dated May 3, 2006.\n\nBETWEEN:\n\n"
        "HALDANE GOLD LTD., a company incorporated under the laws of British Columbia\n\n"
        '("Haldane")\n\nAND:\n\nNORTHGATE COPPER CORPORATION, a company incorporated under '
        'the laws of Ontario ("Northgate")\n\nWHEREAS:\n\n(A) The parties wish to cooperate.\n'
    )
    assert [p.name for p in values(dt, "parties")] == [
        "HALDANE GOLD LTD.",
        "NORTHGATE COPPER CORPORATION",
    ]


@pytest.mark.parametrize(
    "clause",
    [
        # An open-ended term outranks a date that a "Term" sentence puts after "until".
        "2. Term. 2.1 This Agreement shall be effective from the date first above written and "
        "shall continue indefinitely until terminated by either party. 2.2 Prices are fixed "
        "until June 30, 2015.",
        "3. Licence. With effect from the date of last signature, and enduring in perpetuity "
        "unless terminated as provided in clause 6, Licensor grants Licensee a licence.",
        "6. Duration. This Agreement shall become effective as of the day and year first above "
        "written and shall govern the relations between the parties hereto thereafter, unless "
        "terminated as set forth in this Section 6.",
        "1.2 Your employment shall commence on 26 May 2014 and shall continue unless and until "
        "either party gives notice to the other in accordance with paragraph 11 below.",
    ],
)
def test_open_ended_terms_are_perpetual(clause: str) -> None:
    dt = text_terms(PREAMBLE + clause + "\n")
    assert values(dt, "expiration_date")[:1] == ["perpetual"]


def test_a_duration_that_names_neither_agreement_nor_term_dates_no_end() -> None:
    dt = text_terms(
        PREAMBLE + "7. TERM AND TERMINATION\n\nOnboarding workshops, which expire with the pilot, "
        "run for the duration of 2 weeks and seat up to twelve staff.\n"
    )
    assert values(dt, "expiration_date") == []


def test_a_board_seat_taking_effect_is_no_effective_date_of_the_agreement() -> None:
    dt = text_terms(
        PREAMBLE + "1. Board. The Company shall appoint Ms. Vale to its Board, effective at "
        "the next annual meeting.\n"
    )
    assert values(dt, "effective_date") == []


def test_a_perpetual_licence_that_survives_is_no_open_ended_term() -> None:
    dt = text_terms(
        PREAMBLE + "12. Term and Termination. 12.1 Upon expiration of this Agreement, the "
        "licenses granted to Sable shall become fully paid up, irrevocable, perpetual, royalty "
        "free licenses.\n"
    )
    assert values(dt, "expiration_date") == []


def test_parties_signatory_hereto_are_read_from_the_signature_pages() -> None:
    dt = text_terms(
        "CONSTRUCTION AND MAINTENANCE AGREEMENT\n\nTHIS AGREEMENT, made and entered into this "
        "18th day of April 2000, between and among the Parties signatory hereto (hereinafter "
        'collectively called "Parties"), which Parties are identified in Schedule A,\n\n'
        "WITNESSETH: WHEREAS, services are being provided between Europe and North America.\n\n"
        + "The Parties shall build the cable system. "
        * 40
        + "\n\nIN WITNESS WHEREOF, the Parties hereto have caused this Agreement to be signed.\n\n"
        "For and on behalf of Harbour Telecom Ltd. By:\n\n"
        "For and on behalf of Meridian Cable Networks Limited By:\n\n"
        "For and on behalf of Southgate Communications, Inc. By:\n"
    )
    assert [p.name for p in values(dt, "parties")] == [
        "Harbour Telecom Ltd.",
        "Meridian Cable Networks Limited",
        "Southgate Communications, Inc.",
    ]


def test_joint_filing_signatories_without_a_witness_clause() -> None:
    dt = text_terms(
        "JOINT FILING STATEMENT\n\nThe undersigned agree that the statement on Schedule 13G "
        "is filed on behalf of each of them.\n\nDATED: June 2, 2021 KESTREL HOLDINGS LP\n\n"
        "By: /s/ Mara Quint Mara Quint Chief Operating Officer KESTREL FUND CORPORATION\n\n"
        "By: /s/ Mara Quint Name: Mara Quint Title: Authorized Signatory LARCH INVEST S.À R.L. "
        "/s/ Mara Quint\n"
    )
    assert [p.name for p in values(dt, "parties")] == [
        "KESTREL HOLDINGS LP",
        "KESTREL FUND CORPORATION",
        "LARCH INVEST S.À R.L.",
    ]


@pytest.mark.parametrize(
    ("preamble", "expected"),
    [
        # A lower-case web name, and its lower-case alias.
        (
            "This Marketing Agreement is entered into as of July 1, 2001 by and between "
            'zoomly.com, Inc., with offices at 5 Pine Street, Austin, Texas ("zoomly"), and '
            'Harrow Media LLC ("Harrow").',
            [Party("zoomly.com, Inc.", "zoomly"), Party("Harrow Media LLC", "Harrow")],
        ),
        # Unquoted aliases in brackets right after the names.
        (
            "This Storage Service Agreement is entered into by Northwind Gas Storage LP "
            "(Operator) and BRAMBLE ENERGY COMPANY (Customer).",
            [
                Party("Northwind Gas Storage LP", "Operator"),
                Party("BRAMBLE ENERGY COMPANY", "Customer"),
            ],
        ),
        # Bullets, and an alias after a full stop: 'Hereinafter referred to as'.
        (
            "This Supply Agreement is effective as of 1 May 2012 by and between: \u25cf "
            "TALBOT LTD., with a principal place of business at 4 Mill Road, Haifa, Israel. "
            'Hereinafter referred to as "Buyer" And \u25cf OSPREY WORKS LTD. with a principal '
            "place of business at 9 Harbour Street, Eilat, Israel. Hereinafter referred to as "
            '"Maker".',
            [Party("TALBOT LTD.", "Buyer"), Party("OSPREY WORKS LTD.", "Maker")],
        ),
    ],
)
def test_parties_with_lower_case_names_unquoted_aliases_and_bullets(
    preamble: str, expected: list[Party]
) -> None:
    assert values(text_terms(f"AGREEMENT\n\n{preamble}\n"), "parties") == expected


def test_the_opening_sentence_outranks_a_later_between() -> None:
    dt = text_terms(
        "COLLABORATION AGREEMENT\n\nThis Collaboration Agreement is made as of March 2, 2021 "
        "by and between Fenwick Bio, Inc., a Delaware corporation, located at 10 Elm Street, "
        'Boston, MA 02110, U.S.A. ("Fenwick"), and Larkspur GmbH, a German company ("Larkspur")'
        '.\n\n1.1 "Result" means any data made solely by the Staff of Fenwick or jointly by the '
        'Staff of Fenwick and Larkspur ("Staff Result") under the Plan (the "Joint Plan").\n'
    )
    assert values(dt, "parties") == [
        Party("Fenwick Bio, Inc.", "Fenwick"),
        Party("Larkspur GmbH", "Larkspur"),
    ]


def test_parties_after_a_parties_heading() -> None:
    dt = text_terms(
        "SERVICES AGREEMENT\n\nTHIS AGREEMENT IS MADE ON 3 JUNE 2015 PARTIES (1) CORBEL "
        'TRADING LTD, a company incorporated in Hong Kong ("Corbel"); and (2) MISTRAL '
        'HOLDINGS PLC, a company incorporated in England ("Mistral").\n\nBACKGROUND\n\n(A) '
        "Corbel trades steel.\n"
    )
    assert values(dt, "parties") == [
        Party("CORBEL TRADING LTD", "Corbel"),
        Party("MISTRAL HOLDINGS PLC", "Mistral"),
    ]


def test_know_all_men_is_no_party() -> None:
    dt = text_terms(
        "POWER OF ATTORNEY\n\nKNOW ALL MEN BY THESE PRESENTS, that Harbor Point Capital LLC "
        '("Grantor") hereby appoints Jane Roe as its attorney-in-fact.\n\n1. Powers. The '
        "attorney may sign filings.\n\nIN WITNESS WHEREOF, the Grantor has signed this "
        "instrument.\n\nHARBOR POINT CAPITAL LLC\nBy: /s/ John Doe\nName: John Doe\n"
        "Title: Manager\n"
    )
    assert [p.name for p in values(dt, "parties")] == ["HARBOR POINT CAPITAL LLC"]
