"""Termination for convenience: a party's right to end the agreement at will.

A sentence that lets a party terminate without cause ("for its convenience", "for any reason")
gives the field; its value is the notice period the sentence states, True when it states none.
"""

from __future__ import annotations

import re

from pipeline.keyterms.context import Context
from pipeline.keyterms.patterns import _is_notice
from pipeline.normalize import find_durations
from pipeline.terms import Term

CONVENIENCE = re.compile(
    r"for\s+(?:its\s+)?convenience|without\s+cause|for\s+any\s+reason\s+or\s+no\s+reason|"
    r"for\s+any\s+(?:or\s+no\s+)?reason|at\s+any\s+time\s+(?:and\s+)?(?:for\s+any\s+reason|"
    r"without\s+(?:cause|reason))",
    re.I,
)


def termination_for_convenience(ctx: Context) -> list[Term]:
    """A right to terminate at will, valued by its notice period (True when none is stated)."""
    out = []
    for clause in ctx.clauses:
        text = clause.text
        cue = CONVENIENCE.search(text)
        if cue is None or not re.search(r"terminat", text, re.I):
            continue
        notice = next((f for f in find_durations(text) if _is_notice(text, f)), None)
        if notice is not None:
            out.append(
                ctx.term(
                    "termination_for_convenience", notice.value, clause, notice.start, notice.end
                )
            )
        else:
            out.append(
                ctx.term("termination_for_convenience", True, clause, cue.start(), cue.end())
            )
    return out
