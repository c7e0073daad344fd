"""Pure normalizers for the values that key terms carry: numbers, durations, money, dates, law.

Contracts write the same value many ways ("thirty (30) days", "30 days", "net 30"; "One Million
U.S. Dollars (US$1,000,000.00)", "USD 1,000,000"; "the 1st day of March, 2024", "3/1/2024").
Each `parse_*` function turns one phrase into a comparable value (None when it is not one);
each `find_*` function scans free text and returns every value with its [start, end) span, so
the extractor can cite exactly the words it read.

Conventions: years become 12 months and weeks 7 days (`Duration` holds days and months only);
slash dates are US month/day/year, as in the EDGAR contracts, and dotted ones ("1.4.2011")
day/month/year, as Europe writes them; a date with blanks for the day or month ("November __,
2006") becomes a reduced-precision ISO date ("2006-11"). A day and month whose year is left out
("made this 1st day of December,") are found only by `find_yearless_dates`, as "XXXX-12-01":
ISO 8601-2's unspecified year, which date arithmetic (`add_months`) refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.terms import Duration, Money

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
FRACTIONS = {"half": 0.5, "one-half": 0.5, "quarter": 0.25, "one-quarter": 0.25}

_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES, *FRACTIONS], key=len, reverse=True))
# A run of number words: "forty-five", "one hundred", "one and one-half", "two hundred forty
# thousand". "and" and "a" only join words inside the run, never start or end it.
NUMBER_WORDS = rf"(?:{_WORD})(?:(?:\s*-\s*|\s+(?:and\s+)?)(?:{_WORD}))*"
# Thousands grouped by threes, or Indian lakhs and crores by twos ("5,00,000" is 500,000).
DIGITS = r"\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A number as contracts write it: digits, words, or words with the digits in brackets.
NUMBER = rf"(?:(?:{NUMBER_WORDS})(?:\s*\(\s*(?:{DIGITS})\s*%?\s*\))?|{DIGITS})"
_PAREN_DIGITS = re.compile(rf"\(\s*({DIGITS})\s*%?\s*\)")


def parse_number(text: str) -> float | None:
    """The number that `text` spells: "thirty (30)" -> 30, "forty-five" -> 45, "1,000" -> 1000.

    When words and bracketed digits disagree the digits win: they are what lawyers check.
    Returns None when `text` is not a number.
    """
    text = text.strip().lower()
    paren = _PAREN_DIGITS.search(text)
    if paren:
        return float(paren.group(1).replace(",", ""))
    text = text.rstrip("%").strip()
    if re.fullmatch(DIGITS, text):
        return float(text.replace(",", ""))
    return _parse_words(text)


def _parse_words(text: str) -> float | None:
    tokens = [t for t in re.split(r"[\s-]+", text.replace("one-half", "half")) if t != "and"]
    known = (UNITS, TENS, SCALES, FRACTIONS)
    if not tokens or any(not any(t in table for table in known) for t in tokens):
        return None
    total, current, fraction = 0.0, 0.0, 0.0
    for tok in tokens:
        if tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok in FRACTIONS:
            fraction = FRACTIONS[tok]
        elif tok == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * SCALES[tok]
            current = 0.0
    return total + current + fraction


@dataclass(frozen=True)
class Found:
    """A value found in free text, with the [start, end) span of the words that say it."""

    value: object
    start: int
    end: int
    text: str


# "ten (10) Contract Years": a year of the contract is a year.
UNIT_RE = (
    r"(?:calendar\s+|business\s+|working\s+|banking\s+|consecutive\s+|full\s+|contract\s+|"
    r"agreement\s+|lease\s+)?"
)
# The bracketed figure restates the words; a roman "(I)" (a typist's "1") restates nothing new.
DURATION_RE = re.compile(
    rf"\b(?P<num>{NUMBER}|an?|one)(?:\s*\(\s*(?P<paren>{DIGITS})\s*\)|\s+\(I\))?\s*[-\s]*{UNIT_RE}"
    r"(?P<unit>day|week|month|year|quarter)s?(?:['\u2019]s?)?(?![a-z])"
    r"|\b(?P<each>year|month|week|quarter)[-\s]+(?:to|by)[-\s]+(?P=each)\b",
    re.IGNORECASE,
)


CALENDAR_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")


def _duration(count: float, unit: str) -> Duration | None:
    unit = unit.lower()
    if count <= 0:
        return None
    if unit == "day":
        return Duration(days=round(count))
    if unit == "week":
        return Duration(days=round(count * 7))
    months = {"month": 1, "quarter": 3, "year": 12}[unit] * count
    if months != int(months):
        # "one and one-half years" is 18 months; a fraction of a month has no exact form here.
        return Duration(days=round(months * 30)) if months < 1 else Duration(months=round(months))
    return Duration(months=int(months))


@lru_cache(maxsize=8192)
def find_durations(text: str) -> tuple[Found, ...]:
    """Every duration in `text`: "thirty (30) days", "one (1) year", "2 years", "month-to-month"."""
    out = []
    for m in DURATION_RE.finditer(text):
        if m.group("each"):
            value = _duration(1, m.group("each"))
        else:
            num = m.group("num")
            if CALENDAR_YEAR.fullmatch(num) and m.group("unit").lower() == "year":
                # "through the end of the 2021 calendar year" names a year; it counts none.
                continue
            count = 1.0 if num.lower() in ("a", "an") else parse_number(num)
            if m.group("paren"):
                count = float(m.group("paren").replace(",", ""))
            value = None if count is None else _duration(count, m.group("unit"))
        if value is not None:
            out.append(Found(value, m.start(), m.end(), m.group(0)))
    return tuple(out)


def parse_duration(text: str) -> Duration | None:
    """ "thirty (30) days" -> Duration(days=30), "one (1) year" -> Duration(months=12)."""
    found = find_durations(text)
    return found[0].value if found else None  # type: ignore[return-value]


CURRENCY_SYMBOLS = [
    (r"US\s?\$|U\.S\.\s?\$|USD\s?\$?|\$", "USD"),
    (r"C\$|CDN\s?\$|CAD\s?\$?|Cdn\.?\s?\$", "CAD"),
    (r"A\$|AU\$|AUD\s?\$?", "AUD"),
    (r"HK\$|HKD", "HKD"),
    (r"S\$|SGD", "SGD"),
    (r"NZ\$|NZD", "NZD"),
    (r"\u20ac|EUR|Euro", "EUR"),
    (r"\u00a3|GBP|Stg\.?", "GBP"),
    (r"\u00a5|JPY", "JPY"),
    (r"RMB|CNY", "CNY"),
    (r"CHF|SFr\.?", "CHF"),
    (r"INR|Rs\.?|\u20b9", "INR"),
]
CURRENCY_NAMES = [
    (r"U\.?S\.?\s+dollars?|United\s+States\s+dollars?|US\s+dollars?", "USD"),
    (r"Canadian\s+dollars?", "CAD"),
    (r"Australian\s+dollars?", "AUD"),
    (r"Hong\s+Kong\s+dollars?", "HKD"),
    (r"Singapore\s+dollars?", "SGD"),
    (r"euros?", "EUR"),
    (r"pounds?\s+sterling|British\s+pounds?|pounds?", "GBP"),
    (r"(?:Japanese\s+)?yen", "JPY"),
    (r"(?:Chinese\s+)?(?:yuan|renminbi)", "CNY"),
    (r"Swiss\s+francs?", "CHF"),
    (r"(?:Indian\s+)?rupees?", "INR"),
    (r"dollars?", "USD"),
    (r"USD", "USD"),
    (r"EUR", "EUR"),
    (r"GBP", "GBP"),
    (r"CAD", "CAD"),
]
SCALE_SUFFIX = r"(?:\s*(?P<scale>million|billion|thousand|mm|bn|m|k)\b)?"
_SYMBOL_ALT = "|".join(f"(?:{p})" for p, _ in CURRENCY_SYMBOLS)
_NAME_ALT = "|".join(f"(?:{p})" for p, _ in CURRENCY_NAMES)
MONEY_SYMBOL_RE = re.compile(
    rf"(?P<cur>{_SYMBOL_ALT})\s*(?P<amount>{DIGITS}){SCALE_SUFFIX}", re.IGNORECASE
)
MONEY_NAME_RE = re.compile(
    rf"\b(?P<amount>{DIGITS}|{NUMBER_WORDS}){SCALE_SUFFIX}\s+(?P<cur>{_NAME_ALT})\b",
    re.IGNORECASE,
)
SCALE_VALUES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mm": 1e6,
    "billion": 1e9,
    "bn": 1e9,
}


def _currency(token: str, table: list[tuple[str, str]]) -> str:
    for pattern, code in table:
        if re.fullmatch(pattern, token.strip(), re.IGNORECASE):
            return code
    return "USD"


def _money(m: re.Match[str], table: list[tuple[str, str]]) -> Money | None:
    amount = parse_number(m.group("amount"))
    if amount is None:
        return None
    scale = (m.group("scale") or "").lower()
    if scale == "m" and not re.search(r"\d", m.group("amount")):
        return None
    amount *= SCALE_VALUES.get(scale, 1.0)
    return Money(_currency(m.group("cur"), table), round(amount, 2))


@lru_cache(maxsize=8192)
def find_money(text: str) -> tuple[Found, ...]:
    """Every amount of money in `text`, once each.

    "One Million U.S. Dollars (US$1,000,000.00)" says one amount twice: the bracketed figure
    right after a worded amount is folded into it, so the span covers both.
    """
    found = []
    for regex, table in ((MONEY_SYMBOL_RE, CURRENCY_SYMBOLS), (MONEY_NAME_RE, CURRENCY_NAMES)):
        for m in regex.finditer(text):
            value = _money(m, table)
            if value is not None and value.amount > 0:
                found.append(Found(value, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda f: (f.start, -f.end))
    merged: list[Found] = []
    for f in found:
        if merged and f.start < merged[-1].end:
            continue
        if merged and _restates(text, merged[-1], f):
            prev = merged.pop()
            close = re.match(r"\s*\)", text[f.end :])
            end = f.end + close.end() if close else f.end
            f = Found(f.value, prev.start, end, text[prev.start : end])
        merged.append(f)
    return tuple(merged)


def _restates(text: str, prev: Found, cur: Found) -> bool:
    gap = text[prev.end : cur.start]
    return prev.value == cur.value and bool(re.fullmatch(r"\s*\(\s*", gap))


def parse_money(text: str) -> Money | None:
    """ "$1,000,000.00" -> Money("USD", 1000000.0); "EUR 1.2 million" -> Money("EUR", 1200000)."""
    found = find_money(text)
    return found[0].value if found else None  # type: ignore[return-value]


PERCENT_RE = re.compile(
    rf"\b(?P<num>{NUMBER})\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)"
    rf"(?:\s*\(\s*(?P<paren>{DIGITS})\s*%\s*\))?",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def find_percents(text: str) -> tuple[Found, ...]:
    """Every percentage: "1.5%", "ten percent", "one and one-half percent (1.5%)" -> 1.5."""
    out = []
    for m in PERCENT_RE.finditer(text):
        value = float(m.group("paren")) if m.group("paren") else parse_number(m.group("num"))
        if value is not None:
            out.append(Found(value, m.start(), m.end(), m.group(0)))
    return tuple(out)


def parse_percent(text: str) -> float | None:
    """The percentage `text` states, as a number of percent (1.5 for "1.5%")."""
    found = find_percents(text)
    return found[0].value if found else None  # type: ignore[return-value]


MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
BLANK = r"(?:_+|\[[\s*_\u00b7\u2022\u25cf-]*\]|\*+)"
ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "twenty-first twenty-second twenty-third twenty-fourth twenty-fifth twenty-sixth "
    "twenty-seventh twenty-eighth twenty-ninth thirtieth thirty-first"
)
ORDINAL_DAYS = {w: i + 1 for i, w in enumerate(ORDINAL_WORDS.split())}
_ORDINAL_RE = "|".join(sorted(ORDINAL_DAYS, key=len, reverse=True)).replace("-", r"[-\s]")
# "1st", and the "1s t" / "18t h" that PDF conversion leaves behind; "315t" is a "31st" whose
# "s" was read as a 5, so it is one only right after a day that "st" ends (1, 21, 31). The day's
# digits start a number: "2015 March" holds no 15th.
_SUFFIX = r"st|nd|rd|th|s\s?t|n\s?d|r\s?d|t\s?h"
_GARBLED_ST = r"(?<=1)(?<!11)5\s?t(?![a-z])"
DAY = (
    rf"(?P<day>(?<!\d)\d{{1,2}}|{BLANK}|{_ORDINAL_RE})(?:{_GARBLED_ST}|\s*(?:{_SUFFIX}))?"
    r"(?:\s*\(\s*\d{1,2}(?:st|nd|rd|th)?\s*\))?"
)
WEEKDAY = r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
_BELOW_100 = (
    rf"(?:(?:{'|'.join(TENS)})(?:[-\s]+(?:{'|'.join(w for w, n in UNITS.items() if 0 < n < 10)}))?"
    rf"|{'|'.join(w for w, n in UNITS.items() if n > 0)})"
)
# "two thousand and nineteen", "nineteen hundred ninety-eight": a formal deed's year in words;
# not a count that goes on in words or digits: "two thousand five hundred (2,500) units".
YEAR_WORDS = (
    rf"(?:two\s+thousand(?:(?:\s+and)?[-\s]+{_BELOW_100})?"
    rf"|nineteen\s+hundred(?:\s+and)?[-\s]+{_BELOW_100})(?![a-z])"
    rf"(?![-\s]+(?:{_WORD})\b|\s*\(\s*\d)"
)
YEAR = rf"(?P<year>(?:1[89]|20)\d{{2}}|{YEAR_WORDS})"
DATE_PATTERNS = [
    # "March 1, 2024", "March 1st 2024", "November __, 2006"
    rf"(?P<month>{MONTH_RE})\s*{DAY}\s*,?\s*{YEAR}",
    # "the 1st day of March, 2024", "this [ ] day of [ ], 2020", "the 30th day of the month of
    # January, 2012", "the 2nd day of February, A.D. 2004"
    rf"{DAY}\s+(?:day\s+)?of\s+(?:-+\s*)?(?:the\s+month\s+of\s+)?{WEEKDAY}(?P<month>{MONTH_RE}|{BLANK})\s*,?\s*(?:in\s+the\s+year\s+|A\.\s?D\.\s*)?{YEAR}",
    # "1 March 2024", "1st March, 2024", "15-Mar-2019"
    rf"{DAY}\s+(?P<month>{MONTH_RE})\s*,?\s*{YEAR}",
    rf"(?<![\w-])(?P<day>\d{{1,2}})-(?P<month>{MONTH_RE})-{YEAR}(?![\w-])",
    # "____________, 1996", "this ___ day of ____, 2012", "day of , 2009": blanks left for the
    # day and month in an execution copy
    rf"(?P<month>{BLANK})\s*(?P<day>{BLANK})?\s*,\s*{YEAR}",
    rf"\bday\s+of\s*(?P<month>{BLANK})?\s*,\s*{YEAR}",
    # "effective as of , 2020", "dated , 2006": day and month left out with no blank drawn
    rf"(?:(?<=\bas\sof)|(?<=\bas\sof\s)|(?<=\bdated)|(?<=\bdated\s)),\s*{YEAR}",
    # "1.4.2011", "20.3.98": dots are the day-first (European) form. Section numbers are dotted
    # too ("2.2.10", "Section 3.1.2019"): `_dotted_is_date` tells them apart by what precedes.
    r"(?<![\w./])(?P<dday>\d{1,2})\.(?P<dmonth>\d{1,2})"
    r"\.(?P<dyear>(?:1[89]|20)?\d{2})(?![\d/]|\.\d)",
    # "3/1/2024", "03-01-24": US month/day/year
    r"(?<![\d/])(?P<nmonth>\d{1,2})[/-](?P<nday>\d{1,2})[/-](?P<nyear>(?:1[89]|20)?\d{2})(?![\d/])",
    # "2024-03-01", "2024/03/01"
    r"(?<![\d/])(?P<iyear>(?:19|20)\d{2})([-/])(?P<imonth>\d{2})\2(?P<iday>\d{2})(?![\d/])",
    # "March 2024": a month and year only
    rf"(?P<month>{MONTH_RE})\s*,?\s*{YEAR}",
]
# Python's re forbids repeated group names across alternatives: one compiled pattern each,
# tried in order, so the fuller forms win over "March 2024" at the same place.
DATE_RES = [re.compile(p, re.IGNORECASE) for p in DATE_PATTERNS]


def _month_number(token: str | None) -> int | None:
    if not token:
        return None
    key = token.lower().rstrip(".")
    return MONTHS.get(key) or _MONTH_ABBR.get(key)


def _day_number(token: str | None) -> int | None:
    """The day a DAY group wrote: "1", "first", "twenty-first", "twenty first"; None for a blank."""
    text = " ".join((token or "").lower().replace("-", " ").split())
    return int(text) if text.isdigit() else ORDINAL_DAYS.get(text.replace(" ", "-"))


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    days_in = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    if not 1 <= day <= days_in[month - 1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# What numbers a part of a document: the number right after it is a reference ("Section
# 3.1.2019", "\u00a7 1.12.2005", "Exhibit 10.1.12", "version 2.1.12"), never a date.
SECTION_BEFORE = re.compile(
    r"(?:\b(?:(?:sub-?)?(?:sections?|clauses?|paragraphs?)|secs?\.|articles?|arts?\.|paras?\."
    r"|exhibits?|schedules?|annex(?:es)?|appendix|appendices|versions?|releases?)|\u00a7+|\u00b6+)"
    r"\s*(?:no\.?\s*)?$",
    re.IGNORECASE,
)
# The number before a number that ends a list or range: "Sections 2.2.1 through 2.2.10", "2.1,
# 2.4(a) and 2.2.10", "1/4/03 - 31.3.07".
LIST_BEFORE = re.compile(
    r"(?<![\w./])(?P<prev>\d+(?:[./-]\d+)*)(?:\s*\(\w{1,4}\))*\s*"
    r"(?:,\s*(?:and|or)?|and|or|through|thru|to|until|till|-|\u2013|\u2014)\s*$",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2((?:1[89]|20)?\d{2})")
# What dates a number: "dated 13.8.01", "signed on 20.3.98", "Date: 01.04.11", "from 1.1.10".
DATE_CUE = re.compile(
    r"\b(?:dated|dates?|signed|executed|effective|made|as\s+of|from|until|till|since|commenc\w*"
    r"|begin\w*|start\w*|end(?:s|ed|ing)?|expir\w*|terminat\w*)(?:\s+(?:on|as\s+of|from|the))*"
    r"\s*[:,]?\s*$",
    re.IGNORECASE,
)


def _numeric_iso(day: str, month: str, year: str) -> str | None:
    """The date that "day.month.year" (or "month/day/year") writes, as `_date_value` reads it."""
    y, mo, d = int(year), int(month), int(day)
    if y < 100:
        # Two-digit years: EDGAR contracts run from the 1990s on.
        y += 1900 if y >= 50 else 2000
    if mo > 12 >= d:
        # "29/3/18" can only be day/month/year: non-US contracts write it so.
        mo, d = d, mo
    return _iso(y, mo, d)


def _dotted_is_date(text: str, start: int, short_year: bool, padded: bool = False) -> bool:
    """Whether the dotted number at `start` of `text` ("31.12.2013", "2.2.10") is a date.

    Dotted numbers are mostly section numbers. A number right after a section word is one; so is
    a number that ends a list or range of references ("Sections 2.2.1 through 2.2.10"). A
    two-digit year ("2.2.10") is a date only where the text says so: after a date ("1/4/03 -
    31.3.07"), a dating word ("dated 13.8.01"), or written with a padded day or month
    ("01.04.11").
    """
    before = text[max(0, start - 80) : start]
    if SECTION_BEFORE.search(before):
        return False
    link = LIST_BEFORE.search(before)
    if link:
        prev_start = start - len(before) + link.start("prev")
        prev = NUMERIC_DATE.fullmatch(link.group("prev"))
        if prev and _numeric_iso(prev.group(1), prev.group(3), prev.group(4)):
            if prev.group(2) != ".":
                return True
            if _dotted_is_date(text, prev_start, len(prev.group(4)) == 2):
                return True
        # A four-digit year after a list: a date unless the list is one of references.
        return not short_year and not _list_of_references(text, prev_start)
    return not short_year or padded or bool(DATE_CUE.search(before))


def _list_of_references(text: str, start: int) -> bool:
    """Whether the list that the number at `start` is part of starts after a section word."""
    while True:
        before = text[max(0, start - 80) : start]
        if SECTION_BEFORE.search(before):
            return True
        link = LIST_BEFORE.search(before)
        if link is None:
            return False
        start = start - len(before) + link.start("prev")


def _year_number(token: str) -> int:
    """The year a YEAR group wrote, in digits or in words ("two thousand and nineteen")."""
    return int(token) if token.isdigit() else int(parse_number(token) or 0)


def _date_value(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if groups.get("iyear"):
        return _iso(int(groups["iyear"]), int(groups["imonth"]), int(groups["iday"]))
    if groups.get("dyear"):
        day, month, year = groups["dday"], groups["dmonth"], groups["dyear"]
        padded = len(day) == len(month) == 2 and "0" in (day[0], month[0])
        if not _dotted_is_date(m.string, m.start(), len(year) == 2, padded):
            return None
        return _numeric_iso(day, month, year)
    if groups.get("nyear"):
        before = m.string[max(0, m.start() - 80) : m.start()]
        if "-" in m.group(0) and SECTION_BEFORE.search(before):
            # "Section 2-1-10": a reference written with dashes.
            return None
        return _numeric_iso(groups["nday"], groups["nmonth"], groups["nyear"])
    month = _month_number(groups.get("month"))
    day = _day_number(groups.get("day"))
    if month is None and groups.get("month") and not re.fullmatch(BLANK, groups["month"]):
        return None
    if month is None:
        day = None
    return _iso(_year_number(groups["year"]), month, day)


@lru_cache(maxsize=8192)
def find_dates(text: str) -> tuple[Found, ...]:
    """Every date in `text` as ISO 8601 ("2024-03-01"; "2006-11" or "1996" when left blank)."""
    if not re.search(r"\d\d|two\s+thousand|nineteen\s+hundred", text, re.IGNORECASE):
        # Every date form here has a year in digits or words: skip the slow patterns on most
        # sentences.
        return ()
    return _find_all(DATE_RES, text, _date_value)


def _find_all(
    regexes: Sequence[re.Pattern[str]], text: str, value: Callable[[re.Match[str]], str | None]
) -> tuple[Found, ...]:
    """The matches of `regexes`, tried in order (an earlier pattern wins where two overlap), that
    `value` gives a value, in text order."""
    found: list[Found] = []
    for regex in regexes:
        for m in regex.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            v = value(m)
            if v is not None:
                found.append(Found(v, m.start(), m.end(), m.group(0)))
    return tuple(sorted(found, key=lambda f: f.start))


# "the 1st day of December", "December 1st": a day and a month with no year after them (nor a
# blank left for one: "December 1, 20__" is a blank year, not a missing one).
_NO_YEAR = rf"(?!\s*,?\s*(?:in\s+the\s+year\s+)?(?:\d|_|\[|\*|{YEAR_WORDS}))"
# The day's whole ordinal is read before the year is looked for: "December 1 st, 2012" is no
# "December 1" without a year.
_DAY_WRITTEN = DAY.replace(f"|{BLANK}", "") + rf"(?!\s*(?:{_SUFFIX}|5\s?t)(?![a-z]))"
YEARLESS_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_DAY_WRITTEN}\s+day\s+of\s+(?:the\s+month\s+of\s+)?(?P<month>{MONTH_RE})(?![a-z])"
        rf"{_NO_YEAR}",
        rf"\b(?P<month>{MONTH_RE})\s+{_DAY_WRITTEN}(?<!\s)\b{_NO_YEAR}",
    )
]
UNSPECIFIED_YEAR = "XXXX"


@lru_cache(maxsize=8192)
def find_yearless_dates(text: str) -> tuple[Found, ...]:
    """Every day and month that `text` dates without a year, as "XXXX-12-01".

    Kept apart from `find_dates`: most such phrases are recurring days ("on December 31 of each
    year"), which only a caller that knows the context (an agreement's own dating line) may
    take for a date.
    """
    return _find_all(YEARLESS_RES, text, _yearless_value)


def _yearless_value(m: re.Match[str]) -> str | None:
    month, day = _month_number(m.group("month")), _day_number(m.group("day"))
    # A leap year, so that "February 29" is a possible day.
    full = _iso(2000, month, day) if month and day else None
    return f"{UNSPECIFIED_YEAR}{full[4:]}" if full else None


def parse_date(text: str) -> str | None:
    """The ISO date `text` states: "March 1, 2024", "1 March 2024", "3/1/2024", "the 1st day of
    March, 2024" -> "2024-03-01"."""
    found = find_dates(text)
    return found[0].value if found else None  # type: ignore[return-value]


def add_months(iso: str, months: int, days: int = 0) -> str | None:
    """`iso` moved on by `months` and `days`.

    The day is clamped to the target month's length (Jan 31 + 1 month = Feb 28/29). A reduced
    date stays reduced ("2017-02" + 48 months = "2021-02", "2000" + 120 months = "2010"), and so
    does a day whose year is unknown ("XXXX-04-30" + 36 months = "XXXX-04-30"); None when the
    result cannot be that precise (a year plus 18 months, or days on a partial date).
    """
    import datetime as dt

    partial = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", iso)
    if iso.startswith(UNSPECIFIED_YEAR):
        # "made this 30th day of April" + three years ends on April 30 of a year left unknown;
        # a count of months or days lands on a day that depends on the year.
        return iso if months % 12 == 0 and not days else None
    if partial and not days:
        return _add_partial(int(partial.group(1)), partial.group(2), months)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    total = year * 12 + (month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    value = next(v for d in range(day, 0, -1) if (v := _iso(year, month, d)) is not None)
    moved = dt.date.fromisoformat(value) + dt.timedelta(days=days)
    return moved.isoformat()


def month_end(iso: str) -> str | None:
    """The last day of the month of `iso` ("2023-02" or "2023-02-10" -> "2023-02-28")."""
    import calendar

    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", iso)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


US_STATES = {
    "Alabama": "AL",
    "Alaska": "AK",
    "Arizona": "AZ",
    "Arkansas": "AR",
    "California": "CA",
    "Colorado": "CO",
    "Connecticut": "CT",
    "Delaware": "DE",
    "Florida": "FL",
    "Georgia": "GA",
    "Hawaii": "HI",
    "Idaho": "ID",
    "Illinois": "IL",
    "Indiana": "IN",
    "Iowa": "IA",
    "Kansas": "KS",
    "Kentucky": "KY",
    "Louisiana": "LA",
    "Maine": "ME",
    "Maryland": "MD",
    "Massachusetts": "MA",
    "Michigan": "MI",
    "Minnesota": "MN",
    "Mississippi": "MS",
    "Missouri": "MO",
    "Montana": "MT",
    "Nebraska": "NE",
    "Nevada": "NV",
    "New Hampshire": "NH",
    "New Jersey": "NJ",
    "New Mexico": "NM",
    "New York": "NY",
    "North Carolina": "NC",
    "North Dakota": "ND",
    "Ohio": "OH",
    "Oklahoma": "OK",
    "Oregon": "OR",
    "Pennsylvania": "PA",
    "Rhode Island": "RI",
    "South Carolina": "SC",
    "South Dakota": "SD",
    "Tennessee": "TN",
    "Texas": "TX",
    "Utah": "UT",
    "Vermont": "VT",
    "Virginia": "VA",
    "Washington": "WA",
    "West Virginia": "WV",
    "Wisconsin": "WI",
    "Wyoming": "WY",
    "District of Columbia": "DC",
    "Puerto Rico": "PR",
}
CA_PROVINCES = {
    "Ontario": "ON",
    "Quebec": "QC",
    "British Columbia": "BC",
    "Alberta": "AB",
    "Manitoba": "MB",
    "Saskatchewan": "SK",
    "Nova Scotia": "NS",
    "New Brunswick": "NB",
    "Newfoundland and Labrador": "NL",
    "Prince Edward Island": "PE",
}
# Australia's states and territories ("the laws of New South Wales"); Victoria only with its
# country or "State of": alone it is as often a city of British Columbia or a person.
AU_STATES = {
    "New South Wales": "NSW",
    "Queensland": "QLD",
    "Western Australia": "WA",
    "South Australia": "SA",
    "Tasmania": "TAS",
    "Australian Capital Territory": "ACT",
    "Northern Territory": "NT",
    "Victoria": "VIC",
}
COUNTRIES = {
    "United States": "US",
    "England and Wales": "GB-EAW",
    "Scotland": "GB-SCT",
    "Northern Ireland": "GB-NIR",
    "United Kingdom": "GB",
    "Ireland": "IE",
    "Canada": "CA",
    "People's Republic of China": "CN",
    "Hong Kong": "HK",
    "Taiwan": "TW",
    "Japan": "JP",
    "Republic of Korea": "KR",
    "Singapore": "SG",
    "India": "IN",
    "Israel": "IL",
    "Germany": "DE",
    "France": "FR",
    "Switzerland": "CH",
    "Netherlands": "NL",
    "Belgium": "BE",
    "Luxembourg": "LU",
    "Spain": "ES",
    "Italy": "IT",
    "Sweden": "SE",
    "Norway": "NO",
    "Denmark": "DK",
    "Finland": "FI",
    "Austria": "AT",
    "Cyprus": "CY",
    "Bermuda": "BM",
    "Cayman Islands": "KY",
    "British Virgin Islands": "VG",
    "Australia": "AU",
    "New Zealand": "NZ",
    "Brazil": "BR",
    "Mexico": "MX",
    "Colombia": "CO",
    "Republic of Kazakhstan": "KZ",
    "Papua New Guinea": "PG",
    "Malaysia": "MY",
    "Thailand": "TH",
    "Philippines": "PH",
    "Indonesia": "ID",
    "Vietnam": "VN",
    "South Africa": "ZA",
    "United Arab Emirates": "AE",
    "Russian Federation": "RU",
}
# Other ways to name a canonical jurisdiction; state names also match as themselves.
JURISDICTION_ALIASES = {
    "England": "England and Wales",
    "Wales": "England and Wales",
    "English": "England and Wales",
    "England & Wales": "England and Wales",
    "U.K.": "United Kingdom",
    "UK": "United Kingdom",
    "Great Britain": "United Kingdom",
    "United States of America": "United States",
    "U.S.A.": "United States",
    "U.S.": "United States",
    "USA": "United States",
    "federal": "United States",
    "PRC": "People's Republic of China",
    "P.R.C.": "People's Republic of China",
    "China": "People's Republic of China",
    "Chinese": "People's Republic of China",
    "Hong Kong Special Administrative Region": "Hong Kong",
    "HKSAR": "Hong Kong",
    "Federal Republic of Germany": "Germany",
    "German": "Germany",
    "French": "France",
    "Swiss": "Switzerland",
    "Swiss Confederation": "Switzerland",
    "Dutch": "Netherlands",
    "Kingdom of the Netherlands": "Netherlands",
    "The Netherlands": "Netherlands",
    "Israeli": "Israel",
    "State of Israel": "Israel",
    "Japanese": "Japan",
    "Indian": "India",
    "Republic of India": "India",
    "Singaporean": "Singapore",
    "Republic of Singapore": "Singapore",
    "Kazakhstan": "Republic of Kazakhstan",
    "Korea": "Republic of Korea",
    "South Korea": "Republic of Korea",
    "Korean": "Republic of Korea",
    "Republic of China": "Taiwan",
    "Spanish": "Spain",
    "Italian": "Italy",
    "Irish": "Ireland",
    "Republic of Ireland": "Ireland",
    "Canadian": "Canada",
    "Australian": "Australia",
    "Washington, D.C.": "District of Columbia",
    "Washington D.C.": "District of Columbia",
    "D.C.": "District of Columbia",
    "Commonwealth of Puerto Rico": "Puerto Rico",
    "Province of Quebec": "Quebec",
    "Québec": "Quebec",
    "R.O.C.": "Taiwan",
    "ROC": "Taiwan",
}


def _canonical_names() -> dict[str, str]:
    names = {n: n for n in [*US_STATES, *COUNTRIES]}
    names.update({p: f"{p}, Canada" for p in CA_PROVINCES})
    names.update({f"{a}, Australia": f"{a}, Australia" for a in AU_STATES})
    names.update({a: f"{a}, Australia" for a in AU_STATES if a != "Victoria"})
    names["State of Victoria"] = "Victoria, Australia"
    for alias, target in JURISDICTION_ALIASES.items():
        names[alias] = f"{target}, Canada" if target in CA_PROVINCES else target
    return names


JURISDICTION_NAMES = _canonical_names()
# "federal" and demonyms only count right before "law(s)": "English law", "federal law".
_ADJECTIVAL = {
    "federal",
    "English",
    "Chinese",
    "German",
    "French",
    "Swiss",
    "Dutch",
    "Israeli",
    "Japanese",
    "Indian",
    "Singaporean",
    "Korean",
    "Spanish",
    "Italian",
    "Irish",
    "Canadian",
    "Australian",
}


def _spaced(name: str) -> str:
    # PDF text wraps lines anywhere: "England and\nWales" is still one name.
    return r"\s+".join(re.escape(word) for word in name.split())


_PLAIN = sorted((n for n in JURISDICTION_NAMES if n not in _ADJECTIVAL), key=len, reverse=True)
JURISDICTION_RE = re.compile(
    r"(?<![\w.])(?:(?:the\s+)?(?:State|Commonwealth|Province|Republic|Territory)\s+of\s+"
    r"(?:the\s+)?)?(?P<name>" + "|".join(_spaced(n) for n in _PLAIN) + r")(?![\w])"
    r"|(?<![\w.])(?P<adj>" + "|".join(sorted(_ADJECTIVAL, key=len, reverse=True)) + r")"
    r"(?=\s+(?:substantive\s+|federal\s+|state\s+)?laws?\b)",
    re.IGNORECASE,
)
_LOWER_NAMES = {n.lower(): c for n, c in JURISDICTION_NAMES.items()}


def normalize_jurisdiction(text: str) -> str | None:
    """The canonical name of the jurisdiction `text` names, or None.

    "State of New York" -> "New York", "Delaware law" -> "Delaware", "England" -> "England and
    Wales", "Province of Ontario" -> "Ontario, Canada", "PRC" -> "People's Republic of China".
    """
    found = find_jurisdictions(text)
    return found[0].value if found else None  # type: ignore[return-value]


@lru_cache(maxsize=8192)
def find_jurisdictions(text: str) -> tuple[Found, ...]:
    """Every jurisdiction named in `text`, canonical, with its span."""
    out = []
    for m in JURISDICTION_RE.finditer(text):
        word = m.group("name") or m.group("adj")
        canonical = _LOWER_NAMES.get(" ".join(word.split()).lower())
        if canonical is None:
            continue
        if word.islower() and word.lower() not in ("federal",):
            # Place names are capitalized; "georgia" or "maine" in lower case is rare noise.
            continue
        out.append(Found(canonical, m.start(), m.end(), m.group(0)))
    return tuple(out)


def jurisdiction_code(name: str) -> str | None:
    """ISO 3166 code of a canonical jurisdiction.

    "Delaware" -> "US-DE", "Ontario, Canada" -> "CA-ON", "England and Wales" -> "GB-EAW".
    """
    if name in US_STATES:
        return f"US-{US_STATES[name]}"
    province = name.removesuffix(", Canada")
    if province in CA_PROVINCES:
        return f"CA-{CA_PROVINCES[province]}"
    state = name.removesuffix(", Australia")
    if state in AU_STATES:
        return f"AU-{AU_STATES[state]}"
    return COUNTRIES.get(name)


def _add_partial(year: int, month: str | None, months: int) -> str | None:
    if month is None:
        return f"{year + months // 12:04d}" if months % 12 == 0 else None
    total = year * 12 + int(month) - 1 + months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"
