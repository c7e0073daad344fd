"""Dates and terms across the many ways contracts state them: a battery of short invented
contracts, each with the values a lawyer would read from it.

Every text here is invented; none is copied from a contract of the CUAD corpus. A field left out
of a case's expectations is not checked; `None` means the contract states no such value.
"""

from __future__ import annotations

import pytest
from keyterms_support import HARROW_BELLWETHER, HARROW_BELLWETHER_SIGNED, text_terms

from pipeline.terms import Duration

PARTIES = HARROW_BELLWETHER
SERVICES = "2. Services. Bellwether shall provide the warehousing services set out in Schedule 1."
SIGNED = HARROW_BELLWETHER_SIGNED


def contract(preamble: str, term: str, tail: str = "") -> str:
    """A short services contract: title, preamble naming the parties, a Term section."""
    return (
        f"WAREHOUSING SERVICES AGREEMENT\n\n{preamble} {PARTIES}\n\n{SERVICES}\n\n"
        f"3. Term. {term}\n\n4. Fees. Harrow shall pay the fees in Schedule 2 within thirty days."
        f"\n\n{tail or SIGNED}\n"
    )


MADE = "This Warehousing Services Agreement is made and entered into this 3rd day of March, 2015"
AS_OF = 'This Warehousing Services Agreement (the "Agreement") is dated as of June 14, 2017'
UNDATED = "This Warehousing Services Agreement is entered into"
EFFECTIVE = (
    "This Warehousing Services Agreement is entered into as of January 15, 2018 (the "
    '"Effective Date")'
)

# (id, text, {field: expected first value, or None for no value})
CASES: list[tuple[str, str, dict[str, object]]] = [
    (
        "made-this-day-for-five-years",
        contract(
            MADE,
            "This Agreement shall commence on the date first written above and shall continue "
            "for a period of five (5) years.",
        ),
        {
            "agreement_date": "2015-03-03",
            "effective_date": "2015-03-03",
            "expiration_date": "2020-03-03",
            "initial_term": Duration(months=60),
        },
    ),
    (
        "dated-as-of-expire-on-date",
        contract(AS_OF, "This Agreement shall expire on December 31, 2020."),
        {
            "agreement_date": "2017-06-14",
            "expiration_date": "2020-12-31",
        },
    ),
    (
        "last-signature-no-effective-date",
        contract(
            UNDATED + " and shall be effective as of the date of the last signature below (the "
            '"Effective Date")',
            "This Agreement shall commence on the Effective Date and continue for a period of "
            "three (3) years.",
        ),
        {
            "agreement_date": None,
            "effective_date": None,
            "initial_term": Duration(months=36),
        },
    ),
    (
        "effective-date-header",
        "WAREHOUSING SERVICES AGREEMENT\n\nEffective Date: 1 July 2019\n\n"
        f"This Agreement is entered into {PARTIES}\n\n{SERVICES}\n\n3. Term. This Agreement "
        "shall commence on the Effective Date and continue for a period of five (5) years.\n\n"
        f"{SIGNED}\n",
        {
            "effective_date": "2019-07-01",
            "expiration_date": "2024-07-01",
            "initial_term": Duration(months=60),
        },
    ),
    (
        "uk-iso-date",
        contract(
            "This Warehousing Services Agreement is dated 2019-07-01 and is made",
            "This Agreement shall remain in force until 31 March 2022 unless terminated earlier "
            "in accordance with clause 9.",
        ),
        {
            "agreement_date": "2019-07-01",
            "expiration_date": "2022-03-31",
        },
    ),
    (
        "uk-ordinal-date",
        contract(
            "THIS AGREEMENT is dated 1st July 2019 and is made",
            "This Agreement shall come into force on the date hereof and shall continue for an "
            "initial period of two (2) years.",
        ),
        {
            "agreement_date": "2019-07-01",
            "effective_date": "2019-07-01",
            "expiration_date": "2021-07-01",
            "initial_term": Duration(months=24),
        },
    ),
    (
        "effective-then-five-years",
        contract(
            EFFECTIVE,
            "This Agreement shall commence on the Effective Date and continue for a period of "
            "five (5) years, unless terminated earlier.",
        ),
        {
            "agreement_date": "2018-01-15",
            "effective_date": "2018-01-15",
            "expiration_date": "2023-01-15",
            "initial_term": Duration(months=60),
        },
    ),
    (
        "initial-term-36-months-commencing-on",
        contract(
            UNDATED,
            "The initial term of this Agreement shall be thirty-six (36) months commencing on "
            "April 1, 2016.",
        ),
        {
            "effective_date": "2016-04-01",
            "expiration_date": "2019-04-01",
            "initial_term": Duration(months=36),
        },
    ),
    (
        "term-ending-third-anniversary",
        contract(
            EFFECTIVE,
            "This Agreement is for a term ending on the third anniversary of the Effective Date.",
        ),
        {
            "effective_date": "2018-01-15",
            "expiration_date": "2021-01-15",
            "initial_term": Duration(months=36),
        },
    ),
    (
        "terminate-two-years-after",
        contract(
            EFFECTIVE,
            "This Agreement shall terminate on the date that is two years after the Effective "
            "Date.",
        ),
        {
            "effective_date": "2018-01-15",
            "expiration_date": "2020-01-15",
        },
    ),
    (
        "until-terminated-on-notice",
        contract(
            EFFECTIVE,
            "This Agreement shall continue until terminated by either party on ninety (90) "
            "days' written notice to the other.",
        ),
        {
            "effective_date": "2018-01-15",
            "expiration_date": "perpetual",
        },
    ),
    (
        "indefinite-period",
        contract(
            EFFECTIVE,
            "This Agreement is concluded for an indefinite period and may be terminated by "
            "either party with three months' written notice.",
        ),
        {"expiration_date": "perpetual"},
    ),
    (
        "auto-renew-one-year-sixty-days",
        contract(
            EFFECTIVE,
            "The initial term of this Agreement is one (1) year from the Effective Date. "
            "Thereafter this Agreement shall renew automatically for successive one-year periods "
            "unless either party gives written notice of non-renewal at least sixty (60) days "
            "before the end of the then-current term.",
        ),
        {
            "expiration_date": "2019-01-15",
            "initial_term": Duration(months=12),
            "renewal_term": Duration(months=12),
            "non_renewal_notice": Duration(days=60),
        },
    ),
    (
        "additional-terms-two-years-each",
        contract(
            EFFECTIVE,
            "This Agreement shall have an initial term of three (3) years from the Effective "
            "Date and shall automatically renew for additional terms of two (2) years each, "
            "unless either party notifies the other in writing of its intent not to renew no "
            "later than ninety (90) days prior to expiration.",
        ),
        {
            "expiration_date": "2021-01-15",
            "initial_term": Duration(months=36),
            "renewal_term": Duration(months=24),
            "non_renewal_notice": Duration(days=90),
        },
    ),
    (
        "month-to-month-thereafter",
        contract(
            EFFECTIVE,
            "The term of this Agreement is twelve (12) months from the Effective Date, and "
            "month-to-month thereafter until either party gives thirty (30) days' notice of "
            "termination.",
        ),
        {
            "expiration_date": "2019-01-15",
            "initial_term": Duration(months=12),
            "renewal_term": Duration(months=1),
        },
    ),
    (
        "from-the-date-hereof",
        contract(
            MADE,
            "This Agreement shall be in effect for a period of two (2) years from the date hereof.",
        ),
        {
            "agreement_date": "2015-03-03",
            "expiration_date": "2017-03-03",
            "initial_term": Duration(months=24),
        },
    ),
    (
        "shall-end-two-years-later",
        contract(
            UNDATED,
            "This Agreement shall take effect on May 1, 2014 and shall end two (2) years later.",
        ),
        {
            "effective_date": "2014-05-01",
            "expiration_date": "2016-05-01",
        },
    ),
    (
        "for-two-years-after-date",
        contract(
            UNDATED,
            "This Agreement shall remain in effect for two years after April 1, 2011.",
        ),
        {
            "expiration_date": "2013-04-01",
        },
    ),
    (
        "term-two-years-starting-from",
        contract(
            UNDATED,
            "The term of this Agreement shall be two (2) years starting from September 1, 2016.",
        ),
        {
            "effective_date": "2016-09-01",
            "expiration_date": "2018-09-01",
            "initial_term": Duration(months=24),
        },
    ),
    (
        "run-twenty-four-months-from",
        contract(
            UNDATED,
            "This Agreement shall run for twenty-four months from February 1, 2013.",
        ),
        {
            "effective_date": "2013-02-01",
            "expiration_date": "2015-02-01",
            "initial_term": Duration(months=24),
        },
    ),
    (
        "signature-block-date-only",
        contract(
            UNDATED,
            "This Agreement shall continue for one (1) year from the date of the last signature "
            "below.",
            SIGNED.replace("Title: President", "Title: President\nDate: 5/6/2018").replace(
                "Title: Director", "Title: Director\nDate: 5/6/2018"
            ),
        ),
        {
            "agreement_date": "2018-05-06",
            "initial_term": Duration(months=12),
        },
    ),
    (
        "amendment-extends-term",
        "FIRST AMENDMENT TO WAREHOUSING SERVICES AGREEMENT\n\nThis First Amendment is made as "
        f"of October 2, 2019 {PARTIES}\n\n1. Extension. Section 3 of the Agreement is amended "
        "so that the Term shall expire on December 31, 2022.\n\n2. Other Terms. All other terms "
        f"of the Agreement remain in full force and effect.\n\n{SIGNED}\n",
        {
            "agreement_date": "2019-10-02",
            "expiration_date": "2022-12-31",
        },
    ),
    (
        "dated-letter",
        "Harrow Pine Systems, Inc.\n12 Foundry Lane\nAustin, Texas\n\nNovember 8, 2016\n\n"
        "Bellwether Logistics Ltd.\n4 Quay Street\nBristol\n\nRe: Letter Agreement for "
        "Warehousing Services\n\nDear Mr. Tate:\n\nThis letter agreement sets out the terms on "
        "which Bellwether will store Harrow's goods. The term of this letter agreement shall be "
        "one (1) year from the date of this letter.\n\nSincerely,\n\nHarrow Pine Systems, Inc."
        "\nBy: /s/ Nora Kell\n",
        {
            "agreement_date": "2016-11-08",
            "expiration_date": "2017-11-08",
            "initial_term": Duration(months=12),
        },
    ),
    (
        "effective-as-of-different-date",
        contract(
            "This Warehousing Services Agreement is made on March 10, 2021, effective as of "
            "February 1, 2021,",
            "The Term of this Agreement begins on the Effective Date and ends on January 31, 2024.",
        ),
        {
            "agreement_date": "2021-03-10",
            "effective_date": "2021-02-01",
            "expiration_date": "2024-01-31",
        },
    ),
    (
        "numeric-us-date",
        contract(
            "This Warehousing Services Agreement, dated 08/15/2014, is made",
            "This Agreement is effective on the date above and expires on 08/14/2017.",
        ),
        {
            "agreement_date": "2014-08-15",
            "expiration_date": "2017-08-14",
        },
    ),
    (
        "ten-year-term-years-word",
        contract(
            EFFECTIVE,
            "The term of this Agreement shall be ten years commencing on the Effective Date.",
        ),
        {
            "expiration_date": "2028-01-15",
            "initial_term": Duration(months=120),
        },
    ),
    (
        "renew-year-to-year",
        contract(
            EFFECTIVE,
            "This Agreement shall have an initial term of two (2) years and shall thereafter be "
            "renewed from year to year unless terminated by either party upon not less than "
            "thirty (30) days' written notice prior to the end of the then-current term.",
        ),
        {
            "expiration_date": "2020-01-15",
            "initial_term": Duration(months=24),
            "renewal_term": Duration(months=12),
            "non_renewal_notice": Duration(days=30),
        },
    ),
    (
        "renew-successive-one-year-months-notice",
        contract(
            EFFECTIVE,
            "This Agreement will remain in effect for an initial term of five (5) years and will "
            "then renew automatically for successive periods of one (1) year unless either party "
            "gives the other six (6) months' prior written notice of termination.",
        ),
        {
            "expiration_date": "2023-01-15",
            "renewal_term": Duration(months=12),
            "non_renewal_notice": Duration(months=6),
        },
    ),
    (
        "effective-upon-execution-no-date",
        contract(
            UNDATED,
            "This Agreement becomes effective upon execution by both parties and continues for "
            "two (2) years.",
        ),
        {
            "agreement_date": None,
            "effective_date": None,
            "expiration_date": None,
            "initial_term": Duration(months=24),
        },
    ),
    (
        "through-date",
        contract(
            EFFECTIVE,
            "This Agreement shall be in effect from the Effective Date through June 30, 2020.",
        ),
        {
            "effective_date": "2018-01-15",
            "expiration_date": "2020-06-30",
        },
    ),
    (
        "period-commencing-and-ending",
        contract(
            UNDATED,
            "The term of this Agreement shall be the period commencing on 1 October 2015 and "
            "ending on 30 September 2018.",
        ),
        {
            "effective_date": "2015-10-01",
            "expiration_date": "2018-09-30",
        },
    ),
    (
        "continue-in-full-force-until",
        contract(
            AS_OF,
            "This Agreement shall continue in full force and effect until the fifth anniversary "
            "of the date hereof.",
        ),
        {
            "agreement_date": "2017-06-14",
            "expiration_date": "2022-06-14",
        },
    ),
    (
        "entered-into-on",
        contract(
            "This Warehousing Services Agreement is entered into on the 21st of October, 2013",
            "This Agreement shall be valid for three (3) years from the date of its signature.",
        ),
        {
            "agreement_date": "2013-10-21",
            "initial_term": Duration(months=36),
        },
    ),
    (
        "commencement-date-defined",
        contract(
            UNDATED,
            'The term of this Agreement shall begin on July 1, 2012 (the "Commencement Date") '
            "and shall continue for four (4) years thereafter.",
        ),
        {
            "effective_date": "2012-07-01",
            "expiration_date": "2016-07-01",
            "initial_term": Duration(months=48),
        },
    ),
    (
        "perpetual-no-end",
        contract(
            EFFECTIVE,
            "This Agreement has no fixed term and shall remain in effect until terminated in "
            "accordance with Section 9.",
        ),
        {"expiration_date": "perpetual"},
    ),
    (
        "auto-renew-unless-notice-days-before",
        contract(
            EFFECTIVE,
            "The Term shall automatically renew for successive twelve (12) month terms unless "
            "either party provides notice of non-renewal at least forty-five (45) days before "
            "the expiration of the then-current term. The initial term is two (2) years.",
        ),
        {
            "renewal_term": Duration(months=12),
            "non_renewal_notice": Duration(days=45),
        },
    ),
    (
        "expire-on-last-day-of-month",
        contract(
            EFFECTIVE,
            "This Agreement shall expire on the last day of June, 2021 unless renewed.",
        ),
        {"expiration_date": "2021-06-30"},
    ),
    (
        "effective-date-in-caps-label",
        "WAREHOUSING SERVICES AGREEMENT\n\nEFFECTIVE DATE: March 1, 2020\n\n"
        f"This Agreement is entered into {PARTIES}\n\n{SERVICES}\n\n3. Term. The initial term "
        "is three (3) years from the Effective Date.\n\n"
        f"{SIGNED}\n",
        {
            "effective_date": "2020-03-01",
            "expiration_date": "2023-03-01",
            "initial_term": Duration(months=36),
        },
    ),
    (
        "dated-day-month-year-comma",
        contract(
            "This Warehousing Services Agreement is made on this 9th day of December, 2010",
            "This Agreement will expire at the end of the calendar year 2012.",
        ),
        {
            "agreement_date": "2010-12-09",
            "expiration_date": "2012-12-31",
        },
    ),
    (
        "remain-in-effect-for-period-then-renew-month",
        contract(
            EFFECTIVE,
            "This Agreement shall remain in effect for a period of one (1) year and shall "
            "thereafter continue on a month-to-month basis.",
        ),
        {
            "expiration_date": "2019-01-15",
            "initial_term": Duration(months=12),
            "renewal_term": Duration(months=1),
        },
    ),
    (
        "until-date-and-renew-one-year",
        contract(
            EFFECTIVE,
            "This Agreement shall remain in effect until December 31, 2019 and shall "
            "automatically renew for one-year periods thereafter, unless either party gives "
            "notice of non-renewal not less than ninety (90) days before the end of the term.",
        ),
        {
            "expiration_date": "2019-12-31",
            "renewal_term": Duration(months=12),
            "non_renewal_notice": Duration(days=90),
        },
    ),
    (
        "effective-on-date-for-months",
        contract(
            UNDATED,
            "This Agreement shall be effective on November 1, 2017 and shall remain in effect "
            "for eighteen (18) months.",
        ),
        {
            "effective_date": "2017-11-01",
            "expiration_date": "2019-05-01",
            "initial_term": Duration(months=18),
        },
    ),
    (
        "term-of-years-from-date-of-execution",
        contract(
            "This Warehousing Services Agreement is executed on April 4, 2016",
            "The term of this Agreement shall be two (2) years from the date of execution.",
        ),
        {
            "agreement_date": "2016-04-04",
            "expiration_date": "2018-04-04",
            "initial_term": Duration(months=24),
        },
    ),
    (
        "expire-years-after-effective",
        contract(EFFECTIVE, "This Agreement shall expire five (5) years after the Effective Date."),
        {"effective_date": "2018-01-15", "expiration_date": "2023-01-15"},
    ),
    (
        "terminate-on-tenth-anniversary",
        contract(
            EFFECTIVE,
            "The Term shall commence on the Effective Date and shall terminate on the tenth "
            "(10th) anniversary thereof.",
        ),
        {"expiration_date": "2028-01-15", "initial_term": Duration(months=120)},
    ),
    (
        "european-dotted-date",
        contract(
            "This Warehousing Services Agreement is concluded on 12.03.2019",
            "This Agreement is valid until 31.12.2021.",
        ),
        {"agreement_date": "2019-03-12", "expiration_date": "2021-12-31"},
    ),
    (
        "uk-date-falling-months-after",
        contract(
            UNDATED,
            'This Agreement shall commence on 1 April 2019 (the "Commencement Date") and shall '
            "expire on the date falling twenty-four (24) months after the Commencement Date.",
        ),
        {"effective_date": "2019-04-01", "expiration_date": "2021-04-01"},
    ),
    (
        "from-date-to-date",
        contract(
            UNDATED,
            "The term of this Agreement shall be from January 1, 2015 to December 31, 2017.",
        ),
        {"effective_date": "2015-01-01", "expiration_date": "2017-12-31"},
    ),
    (
        "for-the-period-through",
        contract(
            UNDATED,
            "This Agreement covers the period January 1, 2015 through December 31, 2017.",
        ),
        {"effective_date": "2015-01-01", "expiration_date": "2017-12-31"},
    ),
    (
        "terminate-at-midnight",
        contract(
            EFFECTIVE,
            "This Agreement shall terminate at midnight on March 31, 2019, unless extended by "
            "written agreement of the parties.",
        ),
        {"expiration_date": "2019-03-31"},
    ),
    (
        "in-perpetuity",
        contract(EFFECTIVE, "This Agreement shall continue in perpetuity."),
        {"expiration_date": "perpetual"},
    ),
    (
        "until-mutual-agreement",
        contract(
            EFFECTIVE,
            "This Agreement shall remain in effect unless and until terminated by mutual written "
            "agreement of the parties.",
        ),
        {"expiration_date": "perpetual"},
    ),
    (
        "effective-comma-in-preamble",
        contract(
            "This Warehousing Services Agreement, effective January 1, 2008, is made",
            "This Agreement shall continue for a term of three (3) years.",
        ),
        {
            "effective_date": "2008-01-01",
            "expiration_date": "2011-01-01",
            "initial_term": Duration(months=36),
        },
    ),
    (
        "effective-as-of-the-day",
        contract(
            "Effective as of the 1st day of January, 2008, this Warehousing Services Agreement is "
            "made",
            "This Agreement shall remain in force for a period of four (4) years.",
        ),
        {
            "effective_date": "2008-01-01",
            "expiration_date": "2012-01-01",
            "initial_term": Duration(months=48),
        },
    ),
    (
        "month-day-ordinal",
        contract(
            "This Warehousing Services Agreement is made on June 1st, 2009",
            "This Agreement shall be in effect until May 31st, 2012.",
        ),
        {"agreement_date": "2009-06-01", "expiration_date": "2012-05-31"},
    ),
    (
        "renew-same-length",
        contract(
            EFFECTIVE,
            "This Agreement has an initial term of two (2) years and shall be renewed "
            "automatically for further periods of two (2) years unless either party gives notice "
            "of non-renewal no later than three (3) months before the end of the current period.",
        ),
        {
            "expiration_date": "2020-01-15",
            "renewal_term": Duration(months=24),
            "non_renewal_notice": Duration(months=3),
        },
    ),
    (
        "extended-by-one-year-each-time",
        contract(
            EFFECTIVE,
            "This Agreement shall be valid for one (1) year and shall be extended by one (1) year "
            "each time unless either party terminates it by written notice given thirty (30) days "
            "before its expiry.",
        ),
        {
            "expiration_date": "2019-01-15",
            "renewal_term": Duration(months=12),
            "non_renewal_notice": Duration(days=30),
        },
    ),
    (
        "renew-hundred-twenty-days-words",
        contract(
            EFFECTIVE,
            "The initial term is three (3) years. Thereafter this Agreement shall renew for "
            "successive terms of one (1) year each unless terminated by either party with written "
            "notice delivered no less than one hundred and twenty (120) days prior to the end of "
            "the then-current term.",
        ),
        {
            "renewal_term": Duration(months=12),
            "non_renewal_notice": Duration(days=120),
        },
    ),
    (
        "effective-as-of-undated-closing",
        contract(
            UNDATED + " and shall be effective as of the Closing Date (as defined in the Purchase "
            "Agreement)",
            "This Agreement shall continue for five (5) years from the Closing Date.",
        ),
        {"effective_date": None, "expiration_date": None, "initial_term": Duration(months=60)},
    ),
    (
        "dated-at-the-bottom",
        contract(
            UNDATED,
            "This Agreement shall continue for two (2) years.",
            "Dated this 5th day of May, 2018.\n\n" + SIGNED,
        ),
        {"agreement_date": "2018-05-05"},
    ),
    (
        "made-the-day-ad",
        contract(
            "This Warehousing Services Agreement is made the 2nd day of February, A.D. 2004",
            "This Agreement shall terminate on February 1, 2007.",
        ),
        {"agreement_date": "2004-02-02", "expiration_date": "2007-02-01"},
    ),
    (
        "period-ending-years-from-date-hereof",
        contract(
            AS_OF,
            "This Agreement shall be effective on the date hereof and shall continue for a period "
            "ending three (3) years from the date hereof.",
        ),
        {"effective_date": "2017-06-14", "expiration_date": "2020-06-14"},
    ),
    (
        "expire-months-after-effective",
        contract(
            EFFECTIVE,
            "Unless sooner terminated, this Agreement shall expire sixty (60) months after the "
            "Effective Date.",
        ),
        {"expiration_date": "2023-01-15"},
    ),
    (
        "schedule-start-end",
        "WAREHOUSING SERVICES AGREEMENT\n\nKEY DETAILS\n\nStart Date: 1 January 2020\n"
        "End Date: 31 December 2021\n\n"
        f"This Agreement is entered into {PARTIES}\n\n{SERVICES}\n\n{SIGNED}\n",
        {"effective_date": "2020-01-01", "expiration_date": "2021-12-31"},
    ),
    (
        "expiry-date-label",
        "WAREHOUSING SERVICES AGREEMENT\n\nCommencement Date: 1 February 2020\n"
        "Expiry Date: 31 January 2023\n\n"
        f"This Agreement is entered into {PARTIES}\n\n{SERVICES}\n\n{SIGNED}\n",
        {"effective_date": "2020-02-01", "expiration_date": "2023-01-31"},
    ),
    (
        "binding-for-years-as-of-signing",
        contract(
            "This Warehousing Services Agreement is signed on 17 August 2015",
            "This Agreement shall be binding for three (3) years as of its signing.",
        ),
        {"agreement_date": "2015-08-17", "initial_term": Duration(months=36)},
    ),
    (
        "effective-opening-other-subject",
        contract(
            "Effective on March 1, 2016, the Notes will convert into units of two tranches. This "
            "Warehousing Services Agreement is entered into",
            "This Agreement shall continue for two (2) years.",
        ),
        {"effective_date": None},
    ),
]


def _terms(text: str) -> dict[str, list[object]]:
    """The values of every date and term field that the extractors give for `text`."""
    dt = text_terms(text)
    fields = (
        "agreement_date",
        "effective_date",
        "expiration_date",
        "initial_term",
        "renewal_term",
        "non_renewal_notice",
    )
    return {f: [t.value for t in dt.get(f)] for f in fields}


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invented_contract_gives_the_values_a_lawyer_reads(
    text: str, expected: dict[str, object]
) -> None:
    got = _terms(text)
    firsts = {f: (got[f][0] if got[f] else None) for f in expected}
    assert firsts == expected
