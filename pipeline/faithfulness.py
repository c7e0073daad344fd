"""Faithfulness checks: numbers, dates, amounts and names of a sentence must occur in its sources.

Shared by the summarizer's guard (which drops or replaces unsupported generated sentences) and by
the evaluation's number-faithfulness metric, so both count the same facts the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\d])")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b\.?", re.IGNORECASE)
# Two or more capitalized words, or one capitalized word with a corporate suffix: party names.
_NAME = re.compile(
    r"\b(?:[A-Z][a-zA-Z&'-]+\s+){1,4}(?:[A-Z][a-zA-Z&'-]+|Inc\.|Ltd\.|LLC|Corp\.|plc|GmbH)"
)
_STOP_CAPS = {"The", "This", "That", "These", "Those", "In", "On", "At", "Any", "Each", "All"}


def normalize_number(token: str) -> str:
    """'1,000,000.00' -> '1000000', '30' -> '30', '2.50' -> '2.5'."""
    plain = token.replace(",", "")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return plain.lstrip("0") or "0"


def numbers(text: str) -> list[str]:
    """Normalized numbers (amounts, counts, years, day numbers) in `text`, in order."""
    return [normalize_number(m.group().rstrip(",")) for m in _NUMBER.finditer(text)]


def months(text: str) -> list[str]:
    return [m.group(1).lower()[:3] for m in _MONTH.finditer(text)]


def names(text: str) -> list[str]:
    """Capitalized multi-word names ("Brightwater Analytics, Inc." -> "brightwater analytics")."""
    out = []
    for m in _NAME.finditer(text):
        words = [w for w in m.group().split() if w not in _STOP_CAPS]
        if len(words) >= 2 or (words and words[-1].endswith(".")):
            out.append(" ".join(words).lower())
    return out


@dataclass(frozen=True)
class SourceFacts:
    """The facts of a source text, indexed for membership tests."""

    numbers: frozenset[str]
    months: frozenset[str]
    text_lower: str

    @classmethod
    def of(cls, text: str) -> SourceFacts:
        return cls(
            frozenset(numbers(text)), frozenset(months(text)), " ".join(text.lower().split())
        )


@dataclass(frozen=True)
class Check:
    """Result of checking one sentence against its sources."""

    facts: int
    unsupported: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.unsupported


def check(sentence: str, source: SourceFacts) -> Check:
    """Which numbers, dates, amounts and names of `sentence` do not occur in the source."""
    missing: list[str] = []
    nums, mons, nms = numbers(sentence), months(sentence), names(sentence)
    missing += [n for n in nums if n not in source.numbers]
    missing += [m for m in mons if m not in source.months]
    missing += [n for n in nms if n not in source.text_lower]
    return Check(len(nums) + len(mons) + len(nms), tuple(missing))


def number_faithfulness(summary: str, source: str) -> tuple[int, int]:
    """(numbers in `summary` found in `source`, numbers in `summary`): the eval metric's counts."""
    found = SourceFacts.of(source).numbers
    nums = numbers(summary)
    return sum(n in found for n in nums), len(nums)
