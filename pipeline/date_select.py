"""The last step of key-term extraction for the date fields: which candidate date comes first.

`pipeline.keyterms` finds every agreement, effective and expiration date a contract states,
best rule first; `select_dates` may reorder or drop those candidates. With no selection model
installed it returns the terms unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.segment import Segmented
from pipeline.terms import Term

DATE_FIELDS = ("agreement_date", "effective_date", "expiration_date")


def select_dates(seg: Segmented, terms: Sequence[Term]) -> list[Term]:
    """`terms` of one document with the date fields' candidates in their final order."""
    return list(terms)
