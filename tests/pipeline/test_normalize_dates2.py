"""Dates: dotted section numbers are no dates; PDF-garbled ordinals ("315t") are."""

from __future__ import annotations

import pytest

from pipeline.normalize import add_months, find_dates, find_yearless_dates


def _values(text: str) -> list[object]:
    return [f.value for f in find_dates(text)]


@pytest.mark.parametrize(
    "text",
    [
        "the obligations in Sections 4.1.1 through 4.1.12 survive termination",
        "Sections 5.2.1, 5.2.4 and 5.2.11 apply to each Purchase Order",
        "subject to Sections 8.1 through 8.3.2012 of the Plan",
        "as provided in Section 7.2.2019 of the Plan",
        "as provided in Section  7.2.2019 of the Plan",
        "under \u00a7 3.4.2015 of the Code",
        "pursuant to Article 9.1.11 hereof",
        "see clause 6.3.2008 below",
        "as set out in paragraph 2.10.05",
        "attached as Exhibit 10.2.2011",
        "the prices listed in Schedule 1.3.2007",
        "the fees in Section No. 4.4.10",
        "11.4.12 Payment Terms. The Buyer shall pay each invoice",
        "as amended by clause 14.2.3.1 and 14.2.3.2",
        "described in 2.2.10.1 for details",
        "under Section 2-1-10 of the Lease",
    ],
)
def test_section_numbers_are_no_dates(text: str) -> None:
    assert find_dates(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this offer is valid until 31.12.2013", ["2013-12-31"]),
        ("signed on 12.31.2013 in Geneva", ["2013-12-31"]),
        ("the pricing period 1.1.2019 - 28.2.2019 applies", ["2019-01-01", "2019-02-28"]),
        ("Validity: 1/6/04 - 30.9.06", ["2004-01-06", "2006-09-30"]),
        ("from 1.7.10 to 30.6.11", ["2010-07-01", "2011-06-30"]),
        ("the letter dated 14.9.02 (the Offer)", ["2002-09-14"]),
        ("Date: 05.06.12", ["2012-06-05"]),
        ("Phase 2 to 31.12.2014", ["2014-12-31"]),
    ],
)
def test_dotted_dates_are_still_dates(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "315t" is "31st" with the "s" read as a 5.
        ("the Term ends on 315t December 2013.", "2013-12-31"),
        ("effective December 215t, 2010 for all", "2010-12-21"),
        ("made on the 15t day of June, 2009", "2009-06-01"),
        # Ordinals that PDF conversion spaced out.
        ("made the 1 st day of March, 2012", "2012-03-01"),
        ("made this 2 nd day of May 2011", "2011-05-02"),
        ("signed 22 nd April, 2008", "2008-04-22"),
        ("the 3 r d day of July, 2006", "2006-07-03"),
        ("Effective Date on June 1s t 2020", "2020-06-01"),
        ("on December 1 st, 2012", "2012-12-01"),
        ("the 1st day of March, 2012", "2012-03-01"),
    ],
)
def test_garbled_ordinal_days(text: str, expected: str) -> None:
    assert _values(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # No day ends in "st" here: only the month and year are dates.
        ("delivered 325t December 2013", "2013-12"),
        ("delivered 105t May 2013", "2013-05"),
        ("delivered 115t May 2013", "2013-05"),
        ("delivered 45t June 2014", "2014-06"),
        # The 31st of April is no day.
        ("delivered 315t April 2013", "2013-04"),
        # The end of a longer number is no day.
        ("Invoice 4415 March 2016 shipment", "2016-03"),
    ],
)
def test_no_day_made_up_from_a_number(text: str, expected: str) -> None:
    assert _values(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("made this 215t day of October (the Effective Date)", "XXXX-10-21"),
        ("dated as of December 315t by and between", "XXXX-12-31"),
        ("dated as of December 1 st by and between", "XXXX-12-01"),
    ],
)
def test_garbled_ordinal_without_a_year(text: str, expected: str) -> None:
    assert [f.value for f in find_yearless_dates(text)] == [expected]


@pytest.mark.parametrize("text", ["on December 1 st, 2012", "on December 22 nd , 2012"])
def test_a_spaced_ordinal_before_a_year_is_no_yearless_date(text: str) -> None:
    assert find_yearless_dates(text) == ()


@pytest.mark.parametrize(
    ("start", "months", "days", "expected"),
    [
        # Whole years keep the day and month; the year stays unknown.
        ("XXXX-04-30", 36, 0, "XXXX-04-30"),
        ("XXXX-02-29", 12, 0, "XXXX-02-29"),
        ("XXXX-11-05", 0, 0, "XXXX-11-05"),
        # Months or days land on a day that depends on the unknown year.
        ("XXXX-04-30", 18, 0, None),
        ("XXXX-04-30", 6, 0, None),
        ("XXXX-04-30", 12, 1, None),
    ],
)
def test_whole_years_from_a_day_without_a_year(
    start: str, months: int, days: int, expected: str | None
) -> None:
    assert add_months(start, months, days) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 15th day of March, two thousand nineteen", "2019-03-15"),
        ("the fifteenth day of March, Two Thousand and Nineteen", "2019-03-15"),
        ("this 1st day of July, nineteen hundred ninety-eight", "1998-07-01"),
        ("on 15-Mar-2019", "2019-03-15"),
        ("dated 2019/03/15", "2019-03-15"),
    ],
)
def test_years_in_words_and_other_written_forms(text: str, expected: str) -> None:
    assert _values(text) == [expected]
    assert find_yearless_dates(text) == ()


@pytest.mark.parametrize(
    ("text", "yearless"),
    [
        ("two thousand units", []),
        ("3-Feb-21", []),
        ("By June 30, two thousand five hundred (2,500) units shall ship.", ["XXXX-06-30"]),
        ("On January 1, two thousand (2,000) shares vest.", ["XXXX-01-01"]),
        ("Supplier shall deliver in March two thousand (2,000) units.", []),
    ],
)
def test_a_count_in_words_is_no_year(text: str, yearless: list[str]) -> None:
    assert _values(text) == []
    assert [f.value for f in find_yearless_dates(text)] == yearless
