"""Readable text from the uncased decoder: WordPiece spacing fixed, case restored from sources."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

_WORD = re.compile(r"[A-Za-z][A-Za-z'&.-]*[A-Za-z]|[A-Za-z]")
_FIXES = (
    (re.compile(r"\$ (?=\d)"), "$"),
    (re.compile(r"(?<=\d), (?=\d{3}\b)"), ","),
    (re.compile(r"(?<=\d)\. (?=\d)"), "."),
    (re.compile(r"(?<=\w) - (?=\w)"), "-"),
    (re.compile(r"(?<=\w) ' (?=s\b)"), "'"),
    (re.compile(r"\( "), "("),
    (re.compile(r" \)"), ")"),
    (re.compile(r" ([,.;:?!%])"), r"\1"),
    (re.compile(r"\s+"), " "),
    # Dotted abbreviations: "u. s." -> "u.s.", "e. g." -> "e.g.".
    (re.compile(r"\b([A-Za-z])\. (?=[A-Za-z]\.)"), r"\1."),
    # Paired double quotes hug the words inside them: '" agreement "' -> '"agreement"'.
    (re.compile(r'"\s*([^"]*?)\s*"'), r'"\1"'),
)


def detokenize(text: str) -> str:
    """Undo the spaces WordPiece decoding puts around punctuation: "$ 1, 000. 00" -> "$1,000.00"."""
    for pattern, repl in _FIXES:
        text = pattern.sub(repl, text)
    return text.strip()


class TrueCaser:
    """Restores each word's most frequent casing in the source documents.

    Words never seen in the sources stay lower case; the first letter of a sentence is upper case.
    """

    def __init__(self, sources: list[str]):
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for text in sources:
            for m in _WORD.finditer(text):
                word = m.group()
                # A capital after a sentence end says nothing about the word's own case.
                if m.start() >= 2 and text[m.start() - 2] in ".!?" and word[:1].isupper():
                    continue
                forms[word.lower()][word] += 1
        self._best = {low: c.most_common(1)[0][0] for low, c in forms.items()}

    def apply(self, text: str) -> str:
        """`text` (lower case) with source casing restored and its first letter capitalized."""
        out = _WORD.sub(lambda m: self._best.get(m.group().lower(), m.group()), text)
        return out[:1].upper() + out[1:]
