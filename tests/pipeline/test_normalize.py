"""Normalizers: numbers, durations, money, dates, percentages and jurisdictions."""

from __future__ import annotations

import pytest

from pipeline.normalize import (
    add_months,
    find_dates,
    find_durations,
    find_money,
    find_yearless_dates,
    jurisdiction_code,
    normalize_jurisdiction,
    parse_date,
    parse_duration,
    parse_money,
    parse_number,
    parse_percent,
)
from pipeline.terms import Duration, Money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thirty (30)", 30),
        ("one and one-half percent (1.5%)", 1.5),
        ("one and one-half", 1.5),
        ("twelve", 12),
        ("forty-five", 45),
        ("Forty Five", 45),
        ("one hundred", 100),
        ("two hundred forty thousand", 240_000),
        ("one million", 1_000_000),
        ("1,000,000.00", 1_000_000),
        ("ninety", 90),
        ("30", 30),
        # The bracketed digits are what lawyers check: they win over the words.
        ("thirty (45)", 45),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "Delaware", "the", "and"])
def test_parse_number_rejects_words(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thirty (30) days", Duration(days=30)),
        ("one (1) year", Duration(months=12)),
        ("thirty-six (36) months", Duration(months=36)),
        ("2 years", Duration(months=24)),
        ("ninety days", Duration(days=90)),
        ("sixty\n(60) days", Duration(days=60)),
        ("thirty (30) days' prior written notice", Duration(days=30)),
        ("two (2) weeks", Duration(days=14)),
        ("a quarter", Duration(months=3)),
        ("one and one-half years", Duration(months=18)),
        ("sixty (60) Business Days", Duration(days=60)),
        ("month-to-month", Duration(months=1)),
        ("from year to year", Duration(months=12)),
        ("twelve (12) consecutive months", Duration(months=12)),
        ("5-year", Duration(months=60)),
        ("ten (10) Contract Years", Duration(months=120)),
        ("five (5) Agreement Years", Duration(months=60)),
        ("one (I) year", Duration(months=12)),
    ],
)
def test_parse_duration(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Rs. 5,00,000", Money("INR", 500_000)), ("INR 1,25,00,000", Money("INR", 12_500_000))],
)
def test_indian_digit_grouping(text: str, expected: Money) -> None:
    assert [f.value for f in find_money(text)] == [expected]


def test_a_roman_numeral_in_a_section_reference_is_no_duration() -> None:
    assert find_durations("the Section 2(I) year one prices apply") == ()


@pytest.mark.parametrize(
    "text", ["through the end of the 2021 calendar year", "the 1999 contract year", "in 2005 years"]
)
def test_a_year_number_before_year_is_no_count_of_years(text: str) -> None:
    assert find_durations(text) == ()


def test_same_duration_in_different_words_is_equal() -> None:
    assert parse_duration("three (3) years") == parse_duration("thirty-six (36) months")
    assert parse_duration("30 days") == parse_duration("thirty (30) days")


def test_find_durations_spans_point_at_the_words() -> None:
    text = "for an initial term of three (3) years, renewing for one (1) year"
    found = find_durations(text)
    assert [text[f.start : f.end] for f in found] == ["three (3) years", "one (1) year"]
    assert [f.value for f in found] == [Duration(months=36), Duration(months=12)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,000,000.00", Money("USD", 1_000_000)),
        ("US$500,000", Money("USD", 500_000)),
        ("USD 240,000", Money("USD", 240_000)),
        ("EUR 1.2 million", Money("EUR", 1_200_000)),
        ("£50,000", Money("GBP", 50_000)),
        ("€500", Money("EUR", 500)),
        ("$2.5 million", Money("USD", 2_500_000)),
        ("five million dollars", Money("USD", 5_000_000)),
        ("10,000 euros", Money("EUR", 10_000)),
        ("CAD 75,000", Money("CAD", 75_000)),
        ("One Million U.S. Dollars (US$1,000,000.00)", Money("USD", 1_000_000)),
        ("Two Hundred Forty Thousand U.S. Dollars (US$240,000.00)", Money("USD", 240_000)),
    ],
)
def test_parse_money(text: str, expected: Money) -> None:
    assert parse_money(text) == expected


def test_worded_amount_and_its_figure_are_one_amount() -> None:
    text = "shall not exceed One Million U.S. Dollars (US$1,000,000.00)."
    found = find_money(text)
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == "One Million U.S. Dollars (US$1,000,000.00)"


def test_no_money_in_plain_numbers() -> None:
    assert find_money("Section 10.5 applies to 30 days and 3 Parties.") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 1, 2024", "2024-03-01"),
        ("1 March 2024", "2024-03-01"),
        ("3/1/2024", "2024-03-01"),
        ("the 1st day of March, 2024", "2024-03-01"),
        ("this 15th day of January 2001", "2001-01-15"),
        ("first day of July, 2017", "2017-07-01"),
        ("twenty-first day of June, 2001", "2001-06-21"),
        ("Sept. 30, 2024", "2024-09-30"),
        ("FEBRUARY 4, 2020", "2020-02-04"),
        ("2024-03-01", "2024-03-01"),
        ("11/4/10", "2010-11-04"),
        ("24 OCT 2011", "2011-10-24"),
        # PDF conversion splits ordinals: "18t h", "1s t".
        ("18t h day of August 2014", "2014-08-18"),
        ("1s t day of June, 2004", "2004-06-01"),
        # Only day/month/year can read "29/3/18".
        ("29/3/18", "2018-03-29"),
        # Blanks in an execution copy: reduced precision.
        ("November ___, 2006", "2006-11"),
        ("____________, 1996", "1996"),
        ("[ ] day of [ ], 2020", "2020"),
        ("this day of , 2012", "2012"),
        ("March 2024", "2024-03"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["February 30, 2024", "13/45/2020", "Section 3.1.2", "no date"])
def test_parse_date_rejects_impossible_dates(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_in_a_sentence() -> None:
    text = "entered into as of March 1, 2024 and amended on 9/30/2024."
    assert [f.value for f in find_dates(text)] == ["2024-03-01", "2024-09-30"]


def test_add_months() -> None:
    assert add_months("2014-12-05", 60) == "2019-12-05"
    assert add_months("2024-01-31", 1) == "2024-02-29"
    assert add_months("2024-03-01", 12, -1) == "2025-02-28"
    # Reduced dates stay reduced; a year plus a fraction of a year has no exact form.
    assert add_months("2017-02", 48) == "2021-02"
    assert add_months("2000", 120) == "2010"
    assert add_months("2000", 18) is None
    assert add_months("2024-03", 0, 5) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5%", 1.5),
        ("ten percent (10%)", 10),
        ("one and one-half percent (1.5%)", 1.5),
        ("5 per cent", 5),
        ("eighteen percent", 18),
    ],
)
def test_parse_percent(text: str, expected: float) -> None:
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the State of New York", "New York"),
        ("STATE OF NEW YORK", "New York"),
        ("England and Wales", "England and Wales"),
        ("England and\nWales", "England and Wales"),
        ("the laws of England", "England and Wales"),
        ("English law", "England and Wales"),
        ("Delaware law", "Delaware"),
        ("the Commonwealth of Massachusetts", "Massachusetts"),
        ("the Province of Ontario", "Ontario, Canada"),
        ("the PRC", "People's Republic of China"),
        ("the People's Republic of China", "People's Republic of China"),
        ("Washington, D.C.", "District of Columbia"),
        ("West Virginia", "West Virginia"),
        ("the Federal Republic of Germany", "Germany"),
        ("Hong Kong", "Hong Kong"),
        ("the laws of New South Wales, Australia", "New South Wales, Australia"),
        ("the laws of the State of Victoria", "Victoria, Australia"),
        ("the courts of Victoria, British Columbia", "British Columbia, Canada"),
        ("the laws of Queensland", "Queensland, Australia"),
    ],
)
def test_normalize_jurisdiction(text: str, expected: str) -> None:
    assert normalize_jurisdiction(text) == expected


def test_jurisdiction_codes() -> None:
    assert jurisdiction_code("Delaware") == "US-DE"
    assert jurisdiction_code("New York") == "US-NY"
    assert jurisdiction_code("Ontario, Canada") == "CA-ON"
    assert jurisdiction_code("England and Wales") == "GB-EAW"
    assert jurisdiction_code("New South Wales, Australia") == "AU-NSW"
    assert jurisdiction_code("Atlantis") is None


def test_lower_case_place_words_are_not_places() -> None:
    assert normalize_jurisdiction("the main georgia peach") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Dots are the day-first form: "1.4.2011" is the 1st of April.
        ("effective as of 1.4.2011", "2011-04-01"),
        ("signed 20.3.98", "1998-03-20"),
        # A day and month left out with no blank drawn.
        ("effective as of , 2020 (the Effective Date)", "2020"),
        ("Dated , 2006", "2006"),
    ],
)
def test_dotted_and_undrawn_blank_dates(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["version 2.1.12 of the software", "see Section 1.2.3", "v1.10.20"]
)
def test_version_and_section_numbers_are_no_dates(text: str) -> None:
    assert find_dates(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("made this 12th day of October, (the Effective Date)", "XXXX-10-12"),
        ("entered into on the twenty-second day of June by", "XXXX-06-22"),
        ("dated as of September 9th by and between", "XXXX-09-09"),
    ],
)
def test_a_day_and_month_without_a_year(text: str, expected: str) -> None:
    assert [f.value for f in find_yearless_dates(text)] == [expected]
    # Not a date that find_dates reports: elsewhere such a phrase is mostly a recurring day.
    assert find_dates(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "made this 12th day of October, 2016 by",
        "the 12th day of October 2016",
        "September 9th, 2016",
        "September 9, 20__",
        "the ___ day of October,",
        "the 30th day of February,",
    ],
)
def test_a_year_given_or_left_blank_is_no_yearless_date(text: str) -> None:
    assert find_yearless_dates(text) == ()


def test_date_arithmetic_refuses_an_unspecified_year() -> None:
    assert add_months("XXXX-10-12", 0, 30) is None
