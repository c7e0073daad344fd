"""Expiration date: more wording families of the agreement's end (invented contract language)."""

from __future__ import annotations

import pytest
from keyterms_support import field_values

from pipeline.terms import Duration

PREAMBLE = (
    "SUPPLY AGREEMENT\n\nThis Supply Agreement is made and entered into as of March 3, 2015 "
    'by and between Orchard Valley Foods, Inc., an Oregon corporation ("Orchard"), and Tidewater '
    'Packaging LLC ("Tidewater").\n\n'
)


def values(field: str, body: str) -> list[object]:
    """The values of `field` found in the preamble (dated March 3, 2015) followed by `body`."""
    return field_values(PREAMBLE + body + "\n", field)


def expiration(body: str) -> list[object]:
    return values("expiration_date", body)


def renewal(body: str) -> list[object]:
    return values("renewal_term", body)


def notice(body: str) -> list[object]:
    return values("non_renewal_notice", body)


@pytest.mark.parametrize(
    "body",
    [
        "9. Duration. This Agreement is concluded for an indefinite period.",
        "9. Duration. This Agreement is entered into for an unlimited period of time.",
        "9. Duration. This Agreement is of unlimited duration.",
        "9. Duration. This Agreement shall remain in force until cancelled by either party on "
        "30 days notice.",
        "9. Term. This Agreement shall continue until it is terminated by either party.",
        "9. Term. This Agreement shall continue in force until such time as either party "
        "terminates it.",
    ],
)
def test_open_ended_wordings_are_perpetual(body: str) -> None:
    assert expiration(body)[:1] == ["perpetual"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("9. This Agreement expires on December 31, 2017.", "2017-12-31"),
        (
            "9. This Agreement shall be effective from January 1, 2015 to December 31, 2017.",
            "2017-12-31",
        ),
        ("9. Term. This Agreement shall remain in effect till December 31, 2018.", "2018-12-31"),
        ("9. Term. This Agreement shall remain valid up to 31 December 2018.", "2018-12-31"),
        (
            "9. Term. This Agreement shall be valid for a period of two years from the date of "
            "signing.",
            "2017-03-03",
        ),
    ],
)
def test_more_wordings_of_a_stated_or_counted_end(body: str, expected: str) -> None:
    assert expiration(body)[:1] == [expected]


def test_a_range_of_section_numbers_is_no_end_date() -> None:
    body = (
        "9. Term and Renewal. Tidewater may renew this Agreement once, provided it has met the "
        "conditions of Sections 4.1 through 4.3.12 before the term expires."
    )
    assert expiration(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A time of day before the date.
        ("9. Term. This Agreement shall expire at 11:59 p.m. on December 31, 2019.", "2019-12-31"),
        (
            "9. Term. This Agreement shall expire at 5:00 p.m. (Eastern Time) on December 31, "
            "2019.",
            "2019-12-31",
        ),
        # The expiration date named with what it is the end of.
        ("9. The expiration date of this Agreement shall be December 31, 2019.", "2019-12-31"),
        # Counted from the signatures.
        (
            "9. Term. This Agreement shall be valid for five (5) years as from the date of its "
            "signature.",
            "2020-03-03",
        ),
        (
            "9. Term. The term of this Agreement shall be three years from the date on which both "
            "parties have signed it.",
            "2018-03-03",
        ),
        # "last" as the verb of the term.
        ("9. This agreement will last for 18 months.", "2016-09-03"),
    ],
)
def test_times_of_day_labels_signatures_and_lasting(body: str, expected: str) -> None:
    assert expiration(body)[:1] == [expected]


@pytest.mark.parametrize(
    "body",
    [
        '1.4 "Contract Quarter" means each successive period of three (3) months starting on '
        "the date hereof.",
        '1.5 "Fiscal Year" shall mean each successive period of twelve (12) months ending on '
        "June 30.",
    ],
)
def test_a_defined_calendar_unit_is_no_renewal(body: str) -> None:
    assert renewal(body) == []


@pytest.mark.parametrize(
    ("body", "months"),
    [
        (
            "9. Renewal. This Agreement shall renew automatically for successive nine (9) month "
            "periods unless written notice of non-renewal is given sixty (60) days before the "
            "end of the then current term.",
            9,
        ),
        (
            "9. Renewal. Thereafter the term shall be renewed for a further term of two years "
            "unless notice is given by Orchard at least ninety (90) days before it ends.",
            24,
        ),
    ],
)
def test_a_renewal_length_before_unless_notice_is_the_length(body: str, months: int) -> None:
    assert [getattr(v, "months", None) for v in renewal(body)[:1]] == [months]


@pytest.mark.parametrize(
    "body",
    [
        "12. Insurance. Tidewater shall give Orchard forty-five (45) days' written notice of any "
        "cancellation or non-renewal of such insurance.",
        "12. Coverage. In the event of cancellation or non-renewal of any policy, twenty (20) "
        "days' prior written notice shall be given to Orchard.",
    ],
)
def test_the_renewal_of_an_insurance_policy_has_no_non_renewal_notice(body: str) -> None:
    assert notice(body) == []


def test_the_notice_after_unless_is_the_non_renewal_notice() -> None:
    body = (
        "9. Renewal. This Agreement shall renew for a further term of two years unless "
        "written notice of non-renewal is given at least seventy-five (75) days before it ends."
    )
    assert [getattr(v, "days", None) for v in notice(body)[:1]] == [75]


def test_renewal_for_like_periods_repeats_the_initial_term() -> None:
    body = (
        "9. Term. The term of this Agreement shall be one (1) year and shall be automatically "
        "renewed for like periods unless either party notifies the other of its intention not to "
        "renew sixty (60) days prior to the expiration date."
    )
    assert renewal(body)[:1] == [Duration(months=12)]
    assert notice(body)[:1] == [Duration(days=60)]


def test_renewal_on_similar_terms_and_conditions_states_no_length() -> None:
    body = (
        "9. Term. This Agreement has an initial term of three (3) years. The parties may renew "
        "this Agreement on similar terms and conditions by mutual written agreement."
    )
    assert renewal(body) == []


def test_a_renewal_option_exercised_by_notice_has_its_length() -> None:
    body = (
        "9. Renewal. Orchard may, at its option, renew this Agreement for two (2) additional terms "
        "of five (5) years each by giving written notice at least ninety (90) days before the end "
        "of the Initial Term."
    )
    assert renewal(body)[:1] == [Duration(months=60)]
    assert notice(body) == []
