"""Conflict flags: an amendment that changes a term by replacing words inside it."""

from __future__ import annotations

import pytest

from pipeline.conflicts import detect_conflicts, document_kind
from pipeline.ingest import ingest_bytes
from pipeline.keyterms import extract_terms
from pipeline.segment import Segmented, segment
from pipeline.terms import Duration

AGREEMENT = """SUPPLY AGREEMENT

This Supply Agreement is made and entered into as of February 1, 2021 by and between Corliss \
Mills, Inc. ("Buyer") and Tanaka Trading Co., Ltd. ("Seller").

5. Payment. Buyer shall pay each invoice within thirty (30) days after receipt of the invoice.

6. Confidentiality. The obligations of this Section shall survive for a period of two (2) years \
following termination.
"""

AMENDMENT = """AMENDMENT NO. 1 TO SUPPLY AGREEMENT

This Amendment No. 1 (this "Amendment") is made as of August 1, 2022 by and between Corliss \
Mills, Inc. ("Buyer") and Tanaka Trading Co., Ltd. ("Seller").

1. {change}

2. Except as amended hereby, the Agreement remains in full force and effect.
"""


def _seg(name: str, text: str) -> Segmented:
    return segment(ingest_bytes(name, text.encode("utf-8")).documents[0])


@pytest.mark.parametrize(
    "change",
    [
        'Section 5 of the Agreement is amended by replacing "thirty" with "sixty".',
        'Section 5 of the Agreement is hereby amended by deleting the words "thirty (30) days" '
        'and inserting in their place the words "sixty (60) days".',
    ],
)
def test_word_replacement_amendment_is_reported_as_amended(change: str) -> None:
    segs = [
        _seg("01_agreement.txt", AGREEMENT),
        _seg("02_amendment.txt", AMENDMENT.format(change=change)),
    ]
    flags = detect_conflicts([extract_terms(s) for s in segs], segs)
    payment = [f for f in flags if f.field == "payment_terms"]
    assert len(payment) == 1
    flag = payment[0]
    assert flag.kind == "amended_by"
    assert flag.governs == "02_amendment.txt"
    assert (flag.a.value, flag.b.value) == (str(Duration(days=30)), str(Duration(days=60)))
    assert "sixty" in flag.b.quote
    # Nothing else was changed, so nothing else is flagged.
    assert [f.field for f in flags] == ["payment_terms"]


def test_replaced_words_found_in_no_term_change_nothing() -> None:
    change = 'Section 9 of the Agreement is amended by replacing "Tokyo" with "Osaka".'
    segs = [
        _seg("01_agreement.txt", AGREEMENT),
        _seg("02_amendment.txt", AMENDMENT.format(change=change)),
    ]
    assert detect_conflicts([extract_terms(s) for s in segs], segs) == ()


@pytest.mark.parametrize(
    "recital",
    [
        "2. The parties note that Section 5 of the Agreement currently provides for payment "
        "within thirty (30) days after receipt of the invoice.",
        "2. Confirmation. The parties confirm that under the Agreement as signed, Buyer paid "
        "each invoice within thirty (30) days after receipt of the invoice.",
    ],
)
def test_amendment_value_not_its_recital_of_the_old_one_is_operative(recital: str) -> None:
    change = (
        'Section 5 of the Agreement is amended and restated to read as follows: "5. Payment. '
        'Buyer shall pay each invoice within sixty (60) days after receipt of the invoice."\n\n'
        + recital
    )
    segs = [
        _seg("01_agreement.txt", AGREEMENT),
        _seg("02_amendment.txt", AMENDMENT.format(change=change)),
    ]
    flags = [f for f in detect_conflicts([extract_terms(s) for s in segs], segs)]
    assert [(f.field, f.kind, f.b.value) for f in flags] == [
        ("payment_terms", "amended_by", str(Duration(days=60)))
    ]


SOW = """STATEMENT OF WORK NO. 1

This Statement of Work No. 1 (this "SOW") is made as of March 1, 2021 under the Supply \
Agreement between Corliss Mills, Inc. ("Buyer") and Tanaka Trading Co., Ltd. ("Seller").

4. {limit}
"""
CAPPED = (
    "\n7. Limitation of Liability. In no event shall Seller's aggregate liability under this "
    "Agreement exceed $1,000,000.\n"
)


@pytest.mark.parametrize(
    ("limit", "flagged"),
    [
        # Another amount: a real contradiction.
        ("In no event shall Seller's aggregate liability under this SOW exceed $250,000.", True),
        # A time limit to bring claims and a redacted amount contradict no amount.
        (
            "No action arising out of this SOW may be brought by either party more than one (1) "
            "year after the cause of action has accrued.",
            False,
        ),
        ("The maximum liability of either party under this SOW will be [***].", False),
    ],
)
def test_liability_caps_conflict_only_with_caps_of_their_kind(limit: str, flagged: bool) -> None:
    segs = [
        _seg("01_agreement.txt", AGREEMENT + CAPPED),
        _seg("02_sow.txt", SOW.format(limit=limit)),
    ]
    terms = [extract_terms(s) for s in segs]
    assert terms[0].get("liability_cap") and terms[1].get("liability_cap")
    caps = [f for f in detect_conflicts(terms, segs) if f.field == "liability_cap"]
    assert [(f.a.value, f.kind) for f in caps] == (
        [("USD 1,000,000.00", "conflict")] if flagged else []
    )


ROYALTY_CAP = (
    "\n7. Limitation of Liability. In no event shall Seller be liable to Buyer for any amount in "
    "excess of the amounts of royalties actually received by Seller hereunder.\n"
)


@pytest.mark.parametrize(
    ("cap", "change", "old", "new"),
    [
        # A cap measured by what is paid, whose measure the amendment replaces.
        (
            ROYALTY_CAP,
            'Section 7 of the Agreement is hereby amended by deleting the words "amounts of '
            'royalties actually received" and inserting in their place the words "three (3) '
            "times the fees paid by Buyer under the Agreement in the one year preceding the event "
            'giving rise to the claim".',
            "1x fees paid",
            "3x fees paid in 12 months",
        ),
        # An amount turned into a multiple of fees.
        (
            CAPPED,
            'Section 7 of the Agreement is amended by replacing "$1,000,000" with "two (2) times '
            'the fees paid in the twelve (12) months before the claim".',
            "USD 1,000,000.00",
            "2x fees paid in 12 months",
        ),
        # Only the period of a multiple changes.
        (
            "\n7. Limitation of Liability. Seller's total liability under this Agreement shall "
            "not exceed the fees paid in the twelve (12) months before the claim.\n",
            'Section 7 of the Agreement is amended by replacing "twelve (12) months" with '
            '"twenty-four (24) months".',
            "1x fees paid in 12 months",
            "1x fees paid in 24 months",
        ),
    ],
)
def test_replaced_words_of_a_cap_are_read_as_the_new_cap(
    cap: str, change: str, old: str, new: str
) -> None:
    segs = [
        _seg("01_agreement.txt", AGREEMENT + cap),
        _seg("02_amendment.txt", AMENDMENT.format(change=change)),
    ]
    flags = detect_conflicts([extract_terms(s) for s in segs], segs)
    assert [(f.field, f.kind, f.governs, f.a.value, f.b.value) for f in flags] == [
        ("liability_cap", "amended_by", "02_amendment.txt", old, new)
    ]
    assert "Section 7 of the Agreement" in flags[0].b.quote


@pytest.mark.parametrize(
    ("opening", "kind"),
    [
        ("EXHIBIT 4.1 CONSULTING AGREEMENT THIS AGREEMENT is dated March 1, 2020.", "Agreement"),
        ("Exhibit 99(h)(3) WHOLESALE MARKETING AGREEMENT This Agreement is made.", "Agreement"),
        (
            "Exhibit 10.28\n\n[*] Certain information has been omitted from this exhibit because "
            "it is not material.\n\nJOINT VENTURE AGREEMENT\n\nBETWEEN Acme Inc. AND Beta Srl.",
            "Agreement",
        ),
        ("AMENDMENT NO. 1 TO SUPPLY AGREEMENT\n\nThis Amendment is made.", "Amendment"),
    ],
)
def test_a_filed_exhibit_number_or_legend_is_no_kind(opening: str, kind: str) -> None:
    assert document_kind(_seg("doc.txt", opening + "\n")) == kind
