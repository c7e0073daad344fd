"""Expiration date: wordings of the agreement's end, each with invented contract language."""

from __future__ import annotations

import pytest
from keyterms_support import field_values

PREAMBLE = (
    "SUPPLY AGREEMENT\n\nThis Supply Agreement is made and entered into as of March 3, 2015 "
    'by and between Orchard Valley Foods, Inc., an Oregon corporation ("Orchard"), and Tidewater '
    'Packaging LLC ("Tidewater").\n\n'
)


def expiration(body: str) -> list[object]:
    return field_values(PREAMBLE + body + "\n", "expiration_date")


@pytest.mark.parametrize(
    "body",
    [
        # Cure periods and deadlines are no term of the agreement.
        "9. Term and Termination. 9.1 Orchard may end this Agreement by notice if Tidewater "
        "commits a breach of a material term of this Agreement that remains uncured 45 days.",
        "9. Events of Default. It is an event of default under this Agreement if Tidewater "
        "fails to deliver any shipment and such failure shall continue for ten (10) days.",
        "9. Term and Termination. 9.1 All fees accrued before the expiration of this Agreement "
        "shall be paid in full within sixty (60) days thereafter.",
        # The term of another instrument named in the agreement.
        "4. Premises. Orchard shall grant Tidewater a lease of the warehouse, which lease will "
        "have a term of at least twenty (20) years at a nominal rent.",
        "7. Share Warrant. The Warrant shall be issued in the form of Exhibit B and shall have a "
        "term of seven (7) years.",
    ],
)
def test_durations_that_are_not_the_agreements_term_give_no_end(body: str) -> None:
    assert expiration(body) == []


def test_term_through_the_day_before_an_anniversary() -> None:
    body = (
        '1.4 "Initial Term" shall mean the Effective Date through the day prior to the third '
        "anniversary of the Effective Date, unless earlier terminated under Section 12."
    )
    assert expiration(body)[:1] == ["2018-03-03"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Another thing that lasts indefinitely is no open-ended agreement.
        (
            "5. Term. This Agreement shall commence on the date hereof and shall continue until "
            "June 30, 2019. The royalty payments under Section 4 shall continue in perpetuity "
            "while the Products are sold.",
            ["2019-06-30"],
        ),
        # "indefinite" in a severability clause says nothing of the term.
        (
            "14. Severability. If any provision of this Agreement is held to be indefinite, "
            "void or unenforceable, this Agreement shall continue in full force and effect.",
            [],
        ),
        # A date that ends a payment or a deadline, not the agreement.
        (
            "6. Term. The term of this Agreement shall be for a period of two (2) years. The "
            "introductory compensation shall expire on September 30, 2015.",
            ["2017-03-03"],
        ),
        (
            "6. Term and Closing. If the approvals are not obtained when the waiting period "
            "expires, the Outside Date shall be extended until November 30, 2015.",
            [],
        ),
        # A quantity bought "during the Term" in a period that ends is no end of the term.
        (
            "8. Minimum Purchases. During the Term of this Agreement, Tidewater shall buy at least "
            "500 units in the twelve-month period commencing April 1, 2015 and ending March 31, "
            "2016.",
            [],
        ),
        # The renewals run until someone ends them; the initial term still has its end.
        (
            "2. Period. The initial term of this Agreement shall continue until the second "
            "anniversary of the date hereof. Thereafter the term shall renew for successive "
            "one (1) year periods until either party terminates it by ninety (90) days' notice.",
            ["2017-03-03"],
        ),
    ],
)
def test_ends_of_other_things_are_not_the_agreements_end(body: str, expected: list) -> None:
    assert expiration(body)[:1] == expected


def test_a_whole_date_outranks_a_month_for_the_same_end() -> None:
    body = (
        "3. Payments. Tidewater shall pay one installment each month of the Initial Term "
        "(April 2015 through March 2016).\n\n9. Term. The initial period of this Agreement (the "
        '"Initial Term") shall commence on the date hereof and continue until March 31, 2016.'
    )
    assert expiration(body)[:1] == ["2016-03-31"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A cap on a term counted from an event.
        (
            "10. Term. This Agreement shall commence on the date hereof and shall end three (3) "
            "years after the opening of the first store, but in no event later than December 31, "
            "2019.",
            "2019-12-31",
        ),
        # Term labels before a range of dates.
        ("2. Term of the engagement: 10 weeks from April 6, 2015 to June 15, 2015.", "2015-06-15"),
        (
            "DEFINITIONS:\n\nINITIAL SUPPLY PERIOD: May 1, 2015 through April 30, 2016 (12 months "
            "from the first order)",
            "2016-04-30",
        ),
        # The end of the calendar year in which the agreement starts.
        (
            "4. This Agreement shall begin on the date hereof and shall remain in effect until "
            "the end of the current calendar year, and shall renew for successive one (1) year "
            "periods unless either party gives notice of non-renewal.",
            "2015-12-31",
        ),
        # An agreement that cannot be terminated runs without end.
        (
            "3.4 No Rescission. The rights granted under this Agreement shall not be terminable "
            "or revocable for any reason.",
            "perpetual",
        ),
    ],
)
def test_more_wordings_of_the_end(body: str, expected: str) -> None:
    assert expiration(body)[:1] == [expected]


@pytest.mark.parametrize(
    "body",
    [
        "1.3 Term. The term of this Agreement shall be five (5) years, which shall commence on "
        "the date upon which Orchard ships the first order.",
        '1.3 Term. This Agreement shall be effective as of that date (the "Effective Date") the '
        "plant becomes fully operational and shall continue for two (2) years from the Effective "
        "Date.",
    ],
)
def test_a_term_that_starts_on_an_event_has_no_date(body: str) -> None:
    assert expiration(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The last day of a month named without its day.
        (
            "2. Term. The term of this Agreement shall commence on the date hereof and shall "
            "expire upon the later of: (a) the end of the 2018 harvest and (b) the last day in "
            "February, 2019.",
            "2019-02-28",
        ),
        # An anniversary in a list item of its own after "the earlier of:".
        (
            "6.2 This Agreement shall remain in effect until the earlier of the following:\n\n"
            "(a) the third (3rd) anniversary of this Agreement; and\n\n"
            "(b) Orchard ceasing to hold any shares of Tidewater.",
            "2018-03-03",
        ),
        # A schedule's expiration date given as a length from the start.
        (
            "SCHEDULE A\n\nOpening Date: as agreed. Expiration Date: at midnight on the last "
            "day of the month ten (10) years from the Effective Date. Royalty Rate: five "
            "percent (5%).",
            "2025-03-31",
        ),
    ],
)
def test_ends_counted_to_a_months_last_day_or_listed(body: str, expected: str) -> None:
    assert expiration(body)[:1] == [expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "2. Term. The term of this Agreement shall be three (3) years, commencing on July 1, "
            "2015.",
            "2018-07-01",
        ),
        (
            "2. Term. This Agreement shall remain in force for a period of two (2) years from "
            "September 15, 2015, unless terminated earlier.",
            "2017-09-15",
        ),
    ],
)
def test_a_term_counted_from_the_start_date_it_states(body: str, expected: str) -> None:
    assert expiration(body)[:1] == [expected]


def test_month_end() -> None:
    from pipeline.normalize import month_end

    assert month_end("2024-02") == "2024-02-29"
    assert month_end("2023-11-05") == "2023-11-30"
    assert month_end("2023") is None
