"""Venue and arbitration seats named by a city alone (invented contract language)."""

from __future__ import annotations

import pytest
from keyterms_support import HARROW_BELLWETHER_OPENING as OPENING
from keyterms_support import field_values


@pytest.mark.parametrize(
    ("clause", "field", "expected"),
    [
        (
            "12. Arbitration. Any dispute shall be finally settled by arbitration administered by "
            "CIETAC in Beijing.",
            "arbitration",
            "CIETAC, People's Republic of China",
        ),
        (
            "12. Arbitration. Any dispute shall be referred to and finally resolved by arbitration "
            "under the LCIA Rules, seated in London.",
            "arbitration",
            "LCIA, England and Wales",
        ),
        (
            "12. Arbitration. Any dispute shall be finally resolved by arbitration administered by "
            "the London Court of International Arbitration.",
            "arbitration",
            "LCIA",
        ),
        (
            "12. Jurisdiction. The parties submit to the exclusive jurisdiction of the courts of "
            "Geneva.",
            "venue",
            "Switzerland",
        ),
        (
            "12. Jurisdiction. The parties submit to the exclusive jurisdiction of the courts of "
            "Toronto, Ontario.",
            "venue",
            "Ontario, Canada",
        ),
    ],
)
def test_a_seat_named_by_its_city(clause: str, field: str, expected: str) -> None:
    assert field_values(OPENING + clause, field)[:1] == [expected]


@pytest.mark.parametrize(
    ("clause", "field", "expected"),
    [
        (
            "12. Disputes. Any dispute shall be settled by binding arbitration, the award to be "
            "paid by 5:00 p.m. London time.",
            "arbitration",
            "arbitration",
        ),
        (
            "12. Disputes. Any dispute shall be settled by arbitration administered by the "
            "Stockholm Chamber of Commerce, seated in Helsinki.",
            "arbitration",
            "arbitration",
        ),
        (
            "12. Disputes. The parties submit to the exclusive jurisdiction of the courts having "
            "jurisdiction over Bellwether's principal office at 4 Quay Street, Sydney.",
            "venue",
            None,
        ),
        (
            "12. Disputes. The parties submit to the exclusive jurisdiction of the courts of "
            "competent jurisdiction; notices go to Harrow's office in Paris.",
            "venue",
            None,
        ),
    ],
)
def test_a_city_that_seats_no_dispute(clause: str, field: str, expected: str | None) -> None:
    assert field_values(OPENING + clause, field)[:1] == ([expected] if expected else [])
