"""The liability cap across the ways contracts state it, and the clauses that cap nothing.

Every text here is invented; none is copied from a contract of the CUAD corpus. Each case lists
every liability cap value the extractor gives, in order: caps on amounts first, then the
limitations without an amount (direct damages only, a time limit to bring claims).
"""

from __future__ import annotations

import pytest
from keyterms_support import HARROW_BELLWETHER, HARROW_BELLWETHER_SIGNED, field_values, text_terms

from pipeline.keyterms.money import parse_cap
from pipeline.terms import Money, terms_to_json

PARTIES = HARROW_BELLWETHER
SIGNED = HARROW_BELLWETHER_SIGNED


def contract(liability: str, other: str = "") -> str:
    """A short services contract whose section 9 says `liability` (and section 10 `other`)."""
    return (
        "WAREHOUSING SERVICES AGREEMENT\n\nThis Warehousing Services Agreement is made and "
        f"entered into as of March 3, 2015 {PARTIES}\n\n2. Services. Bellwether shall provide "
        "the warehousing services set out in Schedule 1.\n\n3. Fees. Harrow shall pay the fees in "
        f"Schedule 2 within thirty days of invoice.\n\n9. Limitation of Liability. {liability}\n\n"
        f"10. General. {other or 'This Agreement may be amended only in writing.'}\n\n{SIGNED}\n"
    )


def caps(text: str) -> list[object]:
    """Every liability cap value of `text`, in the order the extractor gives them."""
    return field_values(text, "liability_cap")


CONSEQUENTIAL = (
    "IN NO EVENT SHALL EITHER PARTY BE LIABLE TO THE OTHER FOR ANY INDIRECT, INCIDENTAL, SPECIAL "
    "OR CONSEQUENTIAL DAMAGES, INCLUDING LOST PROFITS, EVEN IF ADVISED OF THEIR POSSIBILITY."
)

# (id, section 9 text, section 10 text, every cap value in order)
CASES: list[tuple[str, str, str, list[object]]] = [
    (
        "amount-with-currency",
        "IN NO EVENT SHALL EITHER PARTY'S AGGREGATE LIABILITY UNDER THIS AGREEMENT EXCEED ONE "
        "MILLION U.S. DOLLARS (US$1,000,000).",
        "",
        [Money("USD", 1_000_000)],
    ),
    (
        "amount-after-consequential-exclusion",
        f"{CONSEQUENTIAL} Each party's total liability arising out of this Agreement shall not "
        "exceed EUR 250,000.",
        "",
        [Money("EUR", 250_000)],
    ),
    (
        "fees-paid-in-twelve-months",
        "Each party's total liability under this Agreement shall not exceed the fees paid by "
        "Harrow to Bellwether in the twelve (12) months preceding the event giving rise to the "
        "claim.",
        "",
        ["1x fees paid in 12 months"],
    ),
    (
        "twice-the-fees-paid-or-payable",
        "Bellwether's aggregate liability shall in no event exceed two (2) times the fees paid or "
        "payable by Harrow during the twelve (12) months before the claim.",
        "",
        ["2x fees paid in 12 months"],
    ),
    (
        "amounts-paid-under-this-agreement",
        "The liability of either party for damages hereunder, whether in contract, tort or any "
        "other legal theory, is limited to, and will not exceed, the amounts paid by Harrow under "
        "this Agreement.",
        "",
        ["1x fees paid"],
    ),
    (
        "share-of-the-fees",
        "Bellwether's liability under this Agreement shall not exceed fifty percent (50%) of the "
        "fees paid under the Statement of Work concerned.",
        "",
        ["0.5x fees paid"],
    ),
    (
        "payments-made-in-three-months",
        "Notwithstanding anything to the contrary, Bellwether's total liability under this "
        "Agreement shall not exceed payments made to Bellwether by Harrow during the three (3) "
        "months prior to the claim.",
        "",
        ["1x fees paid in 3 months"],
    ),
    (
        "times-the-monthly-fee",
        "Any liability of Bellwether will be limited in the aggregate to an amount equal to "
        "twelve (12) times the monthly service fee due from Harrow under Schedule 2.",
        "",
        ["12x fees paid in 1 month"],
    ),
    (
        "multiple-of-the-work-order-value",
        "Each party's entire liability under this Agreement will in no event exceed three times "
        "(3x) the total value of the Work Order under which the claim arose.",
        "",
        ["3x contract value"],
    ),
    (
        "price-of-the-goods",
        "Bellwether's liability for any claim relating to stored goods shall in no event be "
        "greater than the purchase price of the goods in respect of which the claim is made.",
        "",
        ["1x purchase price"],
    ),
    (
        "redacted-amount",
        "The maximum liability of either Party to the other under this Agreement will be [***] "
        '(the "Liability Cap").',
        "",
        ["redacted amount"],
    ),
    (
        "liability-limited-to-direct-damages",
        "The liability of Bellwether for damages hereunder is limited to, and will not exceed, "
        "Harrow's direct damages.",
        "",
        ["direct damages only"],
    ),
    (
        "only-liable-for-direct-damages",
        "A party that breaches this Agreement will only be liable to the other party for direct "
        "damages arising from the breach.",
        "",
        ["direct damages only"],
    ),
    (
        "time-limit-to-bring-claims",
        CONSEQUENTIAL,
        "No action arising out of this Agreement may be brought by either party more than one "
        "(1) year after the cause of action has accrued.",
        ["claims within 12 months"],
    ),
    (
        "amount-before-time-limit",
        "Any claim against Bellwether must be commenced within two (2) years from the date the "
        "claim arose. Bellwether's liability shall not exceed $500,000 in the aggregate.",
        "",
        [Money("USD", 500_000), "claims within 24 months"],
    ),
    ("consequential-damages-excluded", CONSEQUENTIAL, "", []),
    # No liability beyond direct damages is liability limited to them: the measure, not an
    # exclusion of one kind of damages.
    (
        "damages-other-than-direct-excluded",
        "Neither party shall have any liability for damages other than direct damages.",
        "",
        ["direct damages only"],
    ),
    (
        "actual-direct-documented-damages",
        "Supplier's total liability shall be limited to the amount of actual, direct, and "
        "documented damages.",
        "",
        ["direct damages only"],
    ),
    (
        "not-limited-to-direct-damages",
        "Each party shall be liable for all damages caused by its breach, including but not "
        "limited to direct damages and reasonable attorneys' fees.",
        "",
        [],
    ),
    (
        "insurance-limits",
        CONSEQUENTIAL,
        "Bellwether shall maintain commercial general liability insurance with limits of not less "
        "than $2,000,000 per occurrence.",
        [],
    ),
    (
        "indemnity-basket",
        CONSEQUENTIAL,
        "Bellwether shall not be liable under its indemnity unless and until the aggregate amount "
        'of all Losses exceeds $50,000 (the "Basket"), after which it shall be liable for all '
        "Losses.",
        [],
    ),
    (
        "counsel-fees-of-one-firm",
        CONSEQUENTIAL,
        "The indemnifying party shall not be liable for the fees and expenses of more than one "
        "separate firm of attorneys for all indemnified parties, and all such fees and expenses "
        "shall be paid promptly.",
        [],
    ),
    (
        "notice-of-defects-is-no-time-limit",
        CONSEQUENTIAL,
        "Harrow shall notify Bellwether of any claim for damaged goods within thirty (30) days "
        "after delivery.",
        [],
    ),
]


@pytest.mark.parametrize(
    ("liability", "other", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_liability_cap_values(liability: str, other: str, expected: list[object]) -> None:
    assert caps(contract(liability, other)) == expected


def test_cap_quotes_the_sentence_that_states_it() -> None:
    text = contract(
        f"{CONSEQUENTIAL} Each party's total liability under this Agreement shall not exceed the "
        "fees paid in the twelve (12) months before the claim."
    )
    (term,) = text_terms(text).get("liability_cap")
    assert term.text == "fees paid in the twelve (12) months"
    assert term.quote.startswith("Each party's total liability")


def test_caps_without_an_amount_are_text_in_json() -> None:
    text = contract(
        CONSEQUENTIAL,
        "No action arising out of this Agreement may be brought by either party more than one "
        "(1) year after the cause of action has accrued.",
    )
    items = terms_to_json(text_terms(text))["terms"]["liability_cap"]
    assert [item["value"] for item in items] == ["claims within 12 months"]
    assert items[0]["text"] == "one (1) year"
    assert "No action arising out of this Agreement may be brought" in items[0]["quote"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "three (3) times the fees paid by Company under the Agreement in the one year "
            "preceding the event giving rise to the claim",
            "3x fees paid in 12 months",
        ),
        ("the fees paid in the twelve (12) months before the claim", "1x fees paid in 12 months"),
        ("fifty percent (50%) of the fees paid hereunder", "0.5x fees paid"),
        ("twenty-four (24) times the monthly fee", "24x fees paid in 1 month"),
        ("the amounts of royalties actually received", "1x fees paid"),
        ("the total value of the Work Order", "1x contract value"),
        ("the price of the products to which the claim relates", "1x purchase price"),
        ("Two Million U.S. Dollars (US$2,000,000.00)", Money("USD", 2000000.0)),
        ("$500,000", Money("USD", 500000.0)),
        # No cap: a place, a period, a plain party name.
        ("the State of New York", None),
        ("thirty (30) days", None),
        ("Harrow Logistics Ltd.", None),
    ],
)
def test_parse_cap_reads_a_cap_from_bare_words(text: str, expected: object) -> None:
    assert parse_cap(text) == expected
