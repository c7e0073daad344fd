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
_MONTH_NAMES = "|".join(MONTHS)
# A month counts beside a number ("March 1", "1 March 2024") or capitalized ("in June"), except a
# bare "May", which is usually the verb.
_MONTH = re.compile(
    rf"\b({_MONTH_NAMES})\b\.?(?=\s+\d)|(?<=\d\s)({_MONTH_NAMES})\b|\b([A-Z][a-zA-Z]+)\b",
    re.IGNORECASE,
)
# Runs of two or more capitalized words: names as the truecased text shows them.
_CAPITALIZED = re.compile(r"\b[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)+")
_STOP_CAPS = {"The", "This", "That", "These", "Those", "In", "On", "At", "Any", "Each", "All"}
# "<word>[,] <corporate suffix>": found in lower-case text too, where truecasing cannot help
# (a name the decoder invented is in no source, so it stays lower case).
_SUFFIXES = "inc|ltd|llc|llp|lp|corp|corporation|plc|gmbh|limited|co|company|ag|sa|bv|nv"
_CORPORATE = re.compile(rf"\b([a-z0-9][\w&'-]*),?\s+({_SUFFIXES})\b", re.IGNORECASE)


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
    """Month names used in dates, as three-letter keys."""
    out = []
    for m in _MONTH.finditer(text):
        word = m.group(1) or m.group(2)
        if word is None:
            word = m.group(3)
            capitalized = word[0].isupper() and word.lower() != "may"
            if not (capitalized and word.lower() in MONTHS):
                continue
        out.append(word.lower()[:3])
    return out


def names(text: str) -> list[str]:
    """Party names, lower case: capitalized runs ("Brightwater Analytics") and the word before
    a corporate suffix with the suffix ("analytics inc"), which works on uncased text too."""
    out, covered = [], []
    for m in _CAPITALIZED.finditer(text):
        words = [w for w in m.group().split() if w not in _STOP_CAPS]
        if len(words) >= 2:
            out.append(" ".join(words).lower())
            covered.append(range(m.start(), m.end()))
    # The suffix pair is only for names no capitalized run already reported.
    out += [
        f"{m.group(1)} {m.group(2)}".lower()
        for m in _CORPORATE.finditer(text)
        if not any(m.start() in span for span in covered)
    ]
    return out


@dataclass(frozen=True)
class SourceFacts:
    """The facts of a source text, indexed for membership tests."""

    numbers: frozenset[str]
    months: frozenset[str]
    # Lower case, commas dropped, whitespace folded: "Analytics, Inc." -> "analytics inc."
    text_lower: str

    @classmethod
    def of(cls, text: str) -> SourceFacts:
        folded = " ".join(text.lower().replace(",", " ").split())
        return cls(frozenset(numbers(text)), frozenset(months(text)), folded)

    def has_name(self, name: str) -> bool:
        """Whether the name occurs as whole words (a fragment of a longer name does not count)."""
        pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, name.split())) + r"(?![\w-])"
        return re.search(pattern, self.text_lower) is not None


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
    missing += [n for n in nms if not source.has_name(n)]
    return Check(len(nums) + len(mons) + len(nms), tuple(missing))


def number_faithfulness(summary: str, source: str) -> tuple[int, int]:
    """(numbers in `summary` found in `source`, numbers in `summary`): the eval metric's counts."""
    found = SourceFacts.of(source).numbers
    nums = numbers(summary)
    return sum(n in found for n in nums), len(nums)
