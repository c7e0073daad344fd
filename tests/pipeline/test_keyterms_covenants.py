"""Covenant periods: a confidentiality duty without end (invented contract language)."""

from __future__ import annotations

import pytest
from keyterms_support import HARROW_BELLWETHER_OPENING as OPENING
from keyterms_support import field_values

from pipeline.terms import Duration


@pytest.mark.parametrize(
    "clause",
    [
        "7. Confidentiality. Each party's obligations under this Section shall continue in "
        "perpetuity.",
        "7. Confidentiality. The duty of non-disclosure shall survive termination of this "
        "Agreement indefinitely.",
    ],
)
def test_a_duty_that_never_lapses_is_perpetual(clause: str) -> None:
    assert field_values(OPENING + clause, "confidentiality_period") == ["perpetual"]


def test_a_stated_period_outranks_a_perpetual_duty() -> None:
    clause = (
        "7. Confidentiality. These obligations shall survive for three (3) years after "
        "termination. The obligations regarding trade secrets shall continue indefinitely."
    )
    assert field_values(OPENING + clause, "confidentiality_period")[:1] == [Duration(months=36)]


def test_a_duty_that_does_not_last_is_no_perpetual_duty() -> None:
    clause = (
        "7. Confidentiality. Recipient's obligations shall not survive indefinitely; they end "
        "when the information becomes public."
    )
    assert field_values(OPENING + clause, "confidentiality_period") == []


def test_an_agreement_without_end_is_no_perpetual_duty() -> None:
    clause = (
        "7. Confidentiality and Term. This Agreement begins on the Effective Date and shall "
        "continue indefinitely unless sooner terminated."
    )
    assert field_values(OPENING + clause, "confidentiality_period") == []


@pytest.mark.parametrize(
    ("clause", "field", "expected"),
    [
        (
            "10. Restrictive Covenant. During the Term and for one year thereafter, Bellwether "
            "shall not engage in any business competitive with Harrow.",
            "non_compete_duration",
            Duration(months=12),
        ),
        (
            "11. Warranty. The warranty period is twelve (12) months from delivery.",
            "warranty_duration",
            Duration(months=12),
        ),
    ],
)
def test_other_ways_to_state_a_covenant_period(clause: str, field: str, expected: object) -> None:
    assert field_values(OPENING + clause, field)[:1] == [expected]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "10. Exclusivity. During the Term, Bellwether shall not market or sell any products "
            "that are competitive with the Harrow Products.",
            ["during the term"],
        ),
        (
            "10. Exclusivity. Bellwether agrees not to carry any Competing Product without "
            "Harrow's written consent.",
            [True],
        ),
        (
            "10. Freedom. Nothing in this Agreement shall prevent either party from developing "
            "products that compete with the other's products.",
            [],
        ),
        (
            "10. Conduct. Bellwether shall refrain from practices considered unfair competition "
            "under applicable law.",
            [],
        ),
        (
            "10. Non-Competition. For two (2) years after termination, Bellwether shall not "
            "engage in any business competitive with Harrow. During the Term, Bellwether shall "
            "not sell competing products.",
            [Duration(months=24)],
        ),
    ],
)
def test_a_promise_not_to_compete(clause: str, expected: list[object]) -> None:
    assert field_values(OPENING + clause, "non_compete_duration")[:1] == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "11. Warranty. Bellwether shall give end users a six-month warranty on the Products.",
            [Duration(months=6)],
        ),
        (
            "11. Warranty. Should the Services become defective within six (6) months from their "
            "delivery, Bellwether shall perform them again at its cost.",
            [Duration(months=6)],
        ),
        (
            "11. Equity. Bellwether is granted a warrant to purchase 10,000 shares, exercisable "
            "for a period of seven (7) years.",
            [],
        ),
        (
            "11. Representations and Warranties. Bellwether represents and warrants that it will "
            "maintain insurance for a period of two (2) years after the Term.",
            [],
        ),
    ],
)
def test_a_warranty_of_the_work_and_what_is_none(clause: str, expected: list[object]) -> None:
    assert field_values(OPENING + clause, "warranty_duration")[:1] == expected
