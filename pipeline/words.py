"""Words as summary budgets and sentence similarities count them: lower-cased alphanumeric runs."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[A-Za-z0-9]+")


def words(text: str) -> list[str]:
    """The lower-cased alphanumeric runs of `text` ("Net-30 days" -> ["net", "30", "days"])."""
    return _WORDS.findall(text.lower())
