"""Floating late-payment rates, fees in Indian notation and a ranking of documents given as a
list (invented contract language)."""

from __future__ import annotations

import pytest
from keyterms_support import HARROW_BELLWETHER_OPENING as OPENING
from keyterms_support import field_values

from pipeline.terms import Money


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Late payments bear interest at LIBOR plus 3%.", "LIBOR + 3%"),
        (
            "Overdue sums carry interest at 4% above the base rate of Barclays Bank plc.",
            "base rate + 4%",
        ),
        ("Late payments accrue interest at the prime rate plus two percent (2%).", "prime + 2%"),
        ("Any amount not paid when due shall bear interest at 10% per annum.", "10% per annum"),
    ],
)
def test_late_interest_names_its_benchmark(clause: str, expected: str) -> None:
    assert field_values(f"{OPENING}6. Late Payment. {clause}\n", "late_interest") == [expected]


def test_fees_in_rupees_with_lakh_grouping() -> None:
    text = f"{OPENING}5. Fees. Harrow shall pay Rs. 5,00,000 per month.\n"
    assert field_values(text, "fees") == [Money("INR", 500_000)]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "In case of conflict, the following order of precedence applies: (i) any Amendment; "
            "(ii) this Agreement; (iii) the Statement of Work.",
            "Amendment > Agreement > SOW",
        ),
        (
            "In the event of any conflict, the documents shall be given precedence in the "
            "following order:\n(a) this Agreement;\n(b) the Statement of Work;\n(c) the Exhibits."
            "\n\n10. Orders. Purchase Orders shall be issued monthly.",
            "Agreement > SOW > Exhibit",
        ),
        (
            "Any inconsistency shall be resolved in the following order: first, any Amendment; "
            "second, this Agreement; and third, any Purchase Order.",
            "Amendment > Agreement > Purchase Order",
        ),
    ],
)
def test_order_of_precedence_as_a_list(clause: str, expected: str) -> None:
    text = f"{OPENING}9. Order of Precedence. {clause}\n"
    assert field_values(text, "order_of_precedence") == [expected]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "9. Precedence. In case of conflict, the following order of precedence shall apply: "
            "(i) this Agreement; (ii) the Exhibits; (iii) any Purchase Order(s) issued under the "
            "SOW.",
            ["Agreement > Exhibit > Purchase Order"],
        ),
        (
            "9. Precedence.\n\n(a) In the event of any conflict, the following order of "
            "precedence shall apply: (i) this Agreement; (ii) the SOW.\n\n(b) Each Purchase Order "
            "shall reference the SOW and any Amendment.",
            ["Agreement > SOW"],
        ),
        (
            "9. Payments. To resolve any conflict over amounts due, payments shall be applied in "
            "the following order: (a) first to fees under any SOW; (b) then to amounts under this "
            "Agreement.",
            [],
        ),
    ],
)
def test_what_a_precedence_list_does_not_hold(clause: str, expected: list[str]) -> None:
    assert field_values(f"{OPENING}{clause}\n", "order_of_precedence") == expected
