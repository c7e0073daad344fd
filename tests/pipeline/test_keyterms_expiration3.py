"""Expiration date: a term counted from a start that the contract dates in other ways
(invented contract language)."""

from __future__ import annotations

import pytest
from keyterms_support import field_values

PARTIES = (
    'by and between Marigold Orchards, Inc., an Oregon corporation ("Marigold"), and Lantern '
    'Freight LLC ("Lantern").\n\n'
)


def values(field: str, preamble: str, body: str) -> list[object]:
    """The values of `field` in a contract that opens with `preamble` and goes on with `body`."""
    text = f"SERVICES AGREEMENT\n\n{preamble} {PARTIES}{body}\n"
    return field_values(text, field)


YEARLESS = 'This Services Agreement is made this 12th day of September (the "Effective Date")'


def test_whole_years_from_a_start_without_a_year_keep_its_day_and_month() -> None:
    body = (
        "4. Term. This Agreement will begin on the Effective Date and will continue for a "
        "period of four (4) years therefrom."
    )
    assert values("expiration_date", YEARLESS, body)[:1] == ["XXXX-09-12"]


def test_months_from_a_start_without_a_year_give_no_date() -> None:
    body = (
        "4. Term. This Agreement will begin on the Effective Date and will continue for a "
        "period of nine (9) months therefrom."
    )
    assert values("expiration_date", YEARLESS, body) == []


DATED = "This Services Agreement is made and entered into as of March 3, 2015"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '1. Definitions. "Go-Live Date" means June 1, 2016. 4. Term. This Agreement shall '
            "expire on the fifth anniversary of the Go-Live Date.",
            "2021-06-01",
        ),
        (
            "4. Term. This Agreement shall continue for three (3) years following the Go-Live "
            'Date. 5. Services. Lantern shall begin hauling on June 1, 2016 (the "Go-Live Date").',
            "2019-06-01",
        ),
        (
            '1. Definitions. "Service Start Date" shall mean the day on which the first load is '
            "delivered. The parties expect the Service Start Date to be October 15, 2015. 4. "
            "Term. The Term shall run from the Effective Date until the second anniversary of "
            "the Service Start Date.",
            "2017-10-15",
        ),
    ],
)
def test_term_counted_from_a_defined_date_that_the_contract_dates(body: str, expected: str) -> None:
    assert values("expiration_date", DATED, body)[:1] == [expected]


@pytest.mark.parametrize(
    "body",
    [
        # The defined date is set by an event and dated nowhere.
        '1. Definitions. "Go-Live Date" means the day the hauling system first runs. 4. Term. '
        "This Agreement shall expire on the fifth anniversary of the Go-Live Date.",
        # Another date near the definition is not the defined date's own.
        '1. Definitions. "Go-Live Date" means the day the hauling system first runs. The '
        "parties signed a letter of intent on May 2, 2014. 4. Term. This Agreement shall "
        "continue for three (3) years following the Go-Live Date.",
    ],
)
def test_term_counted_from_an_undated_defined_date_has_no_date(body: str) -> None:
    assert values("expiration_date", DATED, body) == []


def test_term_counted_from_another_agreements_effective_date_has_no_date() -> None:
    # The Offtake Agreement's start is not this agreement's: no date is counted from ours.
    body = (
        '4. Term. "Initial Term" means the period commencing on the Effective Date and ending '
        "on the fifth anniversary of the Offtake Agreement Effective Date. This Agreement "
        "shall continue for five (5) years from the Offtake Agreement Effective Date."
    )
    assert values("expiration_date", DATED, body) == []


def test_term_counted_from_a_named_commencement_date_counts_from_the_start() -> None:
    body = (
        "4. Term. This Agreement shall continue for two (2) years from the Promotion "
        "Commencement Date."
    )
    assert values("expiration_date", DATED, body)[:1] == ["2017-03-03"]


def test_the_end_of_a_calendar_year_named_before_the_words() -> None:
    body = (
        "4. Term. This Agreement shall continue in effect through the end of the "
        "2021 calendar year."
    )
    assert values("expiration_date", DATED, body)[:1] == ["2021-12-31"]


def test_the_last_day_of_the_month_of_an_anniversary() -> None:
    body = (
        "4. Term. This Agreement shall commence on the Effective Date and expire on the last day "
        "of the month in which the second anniversary of the Effective Date occurs."
    )
    assert values("expiration_date", DATED, body)[:1] == ["2017-03-31"]
