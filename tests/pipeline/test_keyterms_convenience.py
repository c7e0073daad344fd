"""Termination for convenience: invented termination clauses, read as a lawyer reads them.

A party's right to end the agreement by notice alone (or "for convenience", "without cause") is
the field, valued by its notice period (True when none is stated); a right that rests on a
breach, a default, insolvency or another cause is not, nor is the notice that stops a renewal.
Every text here is invented.
"""

from __future__ import annotations

import pytest
from keyterms_support import field_values, text_terms

from pipeline.terms import Duration

PREAMBLE = (
    "MARKETING SERVICES AGREEMENT\n\nThis Marketing Services Agreement is made and entered into "
    'as of May 4, 2019 by and between Calder Ridge Foods, Inc. ("Calder") and Wrenfield Media '
    'LLC ("Wrenfield").\n\n1. Services. Wrenfield shall provide the marketing services set out '
    "in Schedule A.\n\n2. Fees. Calder shall pay the fees in Schedule B within thirty days.\n\n"
)
SIGNED = (
    "IN WITNESS WHEREOF, the parties have signed this Agreement.\n\nCALDER RIDGE FOODS, INC.\n"
    "By: /s/ Ada Moss\nName: Ada Moss\nTitle: President\n\nWRENFIELD MEDIA LLC\n"
    "By: /s/ Theo Lark\nName: Theo Lark\nTitle: Manager"
)


def contract(termination: str) -> str:
    """A short services contract whose section 7 is `termination`."""
    return f"{PREAMBLE}7. Termination. {termination}\n\n{SIGNED}\n"


def convenience(text: str) -> list[object]:
    """The termination-for-convenience values of `text`, best first."""
    return field_values(text, "termination_for_convenience")


# (id, termination section, the first value a lawyer reads, or None for no right at will)
CASES: list[tuple[str, str, object]] = [
    (
        "either-party-notice-alone",
        "Either party may terminate this Agreement upon ninety (90) days' written notice to the "
        "other party.",
        Duration(days=90),
    ),
    (
        "for-convenience",
        "Calder may terminate this Agreement for convenience upon thirty (30) days prior written "
        "notice to Wrenfield.",
        Duration(days=30),
    ),
    (
        "without-cause-no-period",
        "Calder may terminate this Agreement at any time, with or without cause, by written "
        "notice to Wrenfield.",
        True,
    ),
    (
        "passive-by-either-party",
        "This Agreement may be terminated by either party on six (6) months' prior written "
        "notice to the other party.",
        Duration(months=6),
    ),
    (
        "right-to-terminate-weeks",
        "Wrenfield shall have the right to terminate this Agreement by giving two (2) weeks' "
        "notice in writing to Calder.",
        Duration(days=14),
    ),
    (
        "for-any-reason-or-no-reason",
        "Either party may terminate this Agreement for any reason or no reason upon sixty (60) "
        "days' written notice.",
        Duration(days=60),
    ),
    (
        "wishing-to-terminate",
        "A party wishing to terminate this Agreement shall give the other party written notice at "
        "least forty-five (45) days prior to the date of termination.",
        Duration(days=45),
    ),
    (
        "terminable-alternatives",
        "This Agreement shall be terminable by Calder immediately in the event that Wrenfield "
        "becomes insolvent; by either party upon sixty (60) days' written notice to the other "
        "party; or by Wrenfield in the event that Calder fails to pay any fee when due.",
        Duration(days=60),
    ),
    (
        "list-item-inherits-grant",
        "This Agreement may be terminated upon any of the following:\n\n(a) by either party if "
        "the other party materially breaches this Agreement and fails to cure the breach;\n\n"
        "(b) by either party upon thirty (30) days' written notice to the other party.",
        Duration(days=30),
    ),
    (
        "breach-is-cause",
        "Either party may terminate this Agreement upon thirty (30) days' written notice if the "
        "other party materially breaches this Agreement and fails to cure the breach within such "
        "period.",
        None,
    ),
    (
        "insolvency-is-cause",
        "Calder may terminate this Agreement immediately upon written notice in the event that "
        "Wrenfield becomes insolvent or makes an assignment for the benefit of creditors.",
        None,
    ),
    (
        "change-of-control-is-cause",
        "Wrenfield may terminate this Agreement upon written notice to Calder following a change "
        "of control of Calder.",
        None,
    ),
    (
        "non-renewal-notice",
        "Either party may terminate this Agreement at the end of the then-current term by giving "
        "the other party sixty (60) days' written notice.",
        None,
    ),
    (
        "survival-for-any-reason",
        "Upon termination of this Agreement for any reason, Wrenfield shall return all materials "
        "of Calder within ten (10) days.",
        None,
    ),
    (
        "purchase-order-not-the-agreement",
        "Calder may terminate any purchase order issued under this Agreement upon ten (10) days' "
        "written notice to Wrenfield.",
        None,
    ),
    (
        "neither-party-may",
        "Neither party may terminate this Agreement upon notice alone during the first year of "
        "the term.",
        None,
    ),
    (
        "mutual-agreement",
        "This Agreement may be terminated at any time by the mutual written agreement of the "
        "parties.",
        None,
    ),
    (
        "for-cause-with-any-reason-inside",
        "Calder may terminate this Agreement immediately for cause if Wrenfield, for any reason, "
        "stops providing the services.",
        None,
    ),
    (
        "automatic-termination",
        "This Agreement shall be terminated automatically, without notice, upon the bankruptcy of "
        "either party.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_termination_for_convenience(text: str, expected: object) -> None:
    values = convenience(contract(text))
    if expected is None:
        assert values == []
    else:
        assert values[:1] == [expected]


def test_employment_terminable_on_notice_is_the_agreements_own() -> None:
    text = contract(
        "The Company may terminate Consultant's engagement at any time by giving Consultant "
        "sixty (60) days prior written notice."
    )
    assert convenience(text) == [Duration(days=60)]


def test_employment_for_cause_is_not_convenience() -> None:
    text = contract(
        "The Company may terminate the Executive's employment for cause upon written notice to "
        "the Executive."
    )
    assert convenience(text) == []


def test_the_quote_is_the_granting_sentence() -> None:
    terms = text_terms(
        contract(
            "Either party may terminate this Agreement upon ninety (90) days' written notice to "
            "the other party. Upon termination for any reason, fees accrued remain payable."
        )
    ).get("termination_for_convenience")
    assert len(terms) == 1
    assert terms[0].text == "ninety (90) days'"
    assert terms[0].quote.endswith(
        "Either party may terminate this Agreement upon ninety (90) days' written notice to the "
        "other party."
    )


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (
            "This Agreement shall continue for three (3) years unless terminated by either party "
            "on ninety (90) days' written notice.",
            [Duration(days=90)],
        ),
        (
            "This Agreement shall remain in force until terminated by either party upon thirty "
            "(30) days' written notice to the other.",
            [Duration(days=30)],
        ),
        (
            "This Agreement shall continue for three (3) years unless sooner terminated by either "
            "party in the event of a material breach upon thirty (30) days' notice.",
            [],
        ),
        (
            "This Agreement shall renew for successive one-year terms unless terminated by either "
            "party upon sixty (60) days' notice.",
            [],
        ),
        (
            "This Agreement shall continue until earlier terminated by either party on ninety "
            "(90) days' written notice.",
            [Duration(days=90)],
        ),
        (
            "The term of this Agreement, including any extension, shall continue unless "
            "terminated earlier by either party on sixty (60) days' written notice.",
            [Duration(days=60)],
        ),
        (
            "This Agreement shall continue for three (3) years unless earlier terminated by either "
            "party as provided herein.",
            [],
        ),
    ],
)
def test_a_term_that_runs_unless_terminated_on_notice(term: str, expected: list[object]) -> None:
    text = f"{PREAMBLE}6. Term. {term}\n\n{SIGNED}\n"
    assert convenience(text)[:1] == expected
