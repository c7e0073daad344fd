"""Agreement and effective dates: wordings that date the agreement or say when it takes effect.

Every text here is invented; none is copied from a contract of the CUAD corpus.
"""

from __future__ import annotations

import pytest
from keyterms_support import text_terms

from pipeline.terms import DocumentTerms


def values(dt: DocumentTerms, field: str) -> list[object]:
    return [t.value for t in dt.get(field)]


PREAMBLE = (
    "SUPPLY AGREEMENT\n\nThis Supply Agreement is made and entered into as of the 4th day of "
    'May, 2012 by and between Corliss Mills, Inc. ("Corliss") and Tanaka Trading Co., Ltd. '
    '("Tanaka").\n\n'
)

# Numbered covenants enough to push what follows out of the preamble (its first 4,000 chars).
FILLER = "".join(
    f"{i}. Covenant. Tanaka shall keep the goods insured against fire, flood and theft.\n\n"
    for i in range(1, 60)
)

UNDATED = (
    "SERVICES AGREEMENT\n\nThis Services Agreement is entered into by and between Marlow "
    'Analytics, Inc. ("Marlow") and Quayside Freight LLC ("Quayside").\n\n'
    "1. Services. Quayside shall provide the services stated in Exhibit A.\n\n"
)

SIGNATURES = (
    "IN WITNESS WHEREOF, the parties have executed this Agreement by their authorized officers."
    "\n\nMARLOW ANALYTICS, INC. QUAYSIDE FREIGHT LLC\nBy: /s/ Ana Ruiz By: /s/ Tom Hale\n"
    "Name: Ana Ruiz Name: Tom Hale\nDate: August 2, 2021 Date: August 5, 2021\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        # The first date above written, and a date "first listed above".
        "This Agreement shall become effective as of the first date above written.",
        "The parties agree that this supply agreement is to be effective as of the date first "
        "listed above.",
        # A hyphenated name of the agreement.
        "This cost-sharing agreement shall become effective as of the date first stated above.",
    ],
)
def test_more_wordings_of_the_date_above(sentence: str) -> None:
    dt = text_terms(f"{PREAMBLE}{FILLER}60. Term. {sentence}\n")
    assert values(dt, "effective_date")[:1] == ["2012-05-04"]


def test_another_documents_date_defined_as_the_date_hereof_is_no_effective_date() -> None:
    dt = text_terms(
        f"{PREAMBLE}1. Escrow. The date of the Deposit Agreement shall be the date of this "
        "Agreement.\n"
    )
    assert values(dt, "effective_date") == []


def test_an_effective_date_defined_as_an_approval_is_no_date_hereof() -> None:
    dt = text_terms(
        f'{PREAMBLE}1. Definitions. "Effective Date" means the effective date of this Agreement, '
        "which shall be the date on which the ministry approves it.\n"
    )
    assert values(dt, "effective_date") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # What follows the label is another date, the end of the licence: the Effective Date
        # is the one of the preamble.
        (
            "The licence shall be effective as of the Effective Date and shall expire on "
            "June 30, 2014.",
            ["2012-05-04"],
        ),
        # The date the definition names after "i.e.".
        (
            "EFFECTIVE DATE shall mean the date of installation of the system at the plant, "
            "i.e. March 14, 2013.",
            ["2013-03-14"],
        ),
    ],
)
def test_what_follows_an_effective_date_label(sentence: str, expected: list[str]) -> None:
    dt = text_terms(f"{PREAMBLE}2. Term. {sentence}\n")
    assert values(dt, "effective_date")[:1] == expected


def test_signed_and_effective_at_the_end_of_the_document() -> None:
    dt = text_terms(
        f"{UNDATED}{FILLER}60. Fees. Marlow shall pay the fees of Exhibit B.\n\n"
        "Signed and effective this 12th day of October, 2010.\n"
    )
    assert values(dt, "agreement_date")[:1] == ["2010-10-12"]
    assert values(dt, "effective_date")[:1] == ["2010-10-12"]


@pytest.mark.parametrize(
    "sentence",
    [
        "This Agreement shall enter into force on the date of its signature by both Parties.",
        'This Agreement shall be effective on the date of signed acceptance ("Effective Date") '
        "by Quayside.",
    ],
)
def test_more_wordings_of_taking_effect_on_signature(sentence: str) -> None:
    # Made on one day, in effect from the last signature.
    dated = UNDATED.replace("is entered into by", "is made as of July 28, 2021 by")
    dt = text_terms(f"{dated}2. Term. {sentence}\n\n{SIGNATURES}")
    assert values(dt, "agreement_date")[:1] == ["2021-07-28"]
    assert values(dt, "effective_date")[:1] == ["2021-08-05"]


def test_a_recital_about_another_agreement_taking_effect_is_no_effective_date() -> None:
    dt = text_terms(
        "TERMINATION AGREEMENT\n\nThis Termination Agreement is entered into as of June 1, "
        "2012 by and between "
        'Marlow Analytics, Inc. ("Marlow") and Quayside Freight LLC ("Quayside").\n\n'
        "WHEREAS, Marlow and Quayside entered into a Freight Agreement dated March 3, 2009; and "
        "WHEREAS, the parties wish to end the Freight Agreement effective as of the date of this "
        "Termination Agreement.\n\n1. Release. Each party releases the other.\n"
    )
    assert values(dt, "agreement_date") == ["2012-06-01"]
    assert values(dt, "effective_date") == []


def test_post_effective_amendments_are_no_effective_date() -> None:
    dt = text_terms(
        'UNDERWRITING AGREEMENT\n\nThe term "Registration Statement" includes all exhibits '
        "and post-effective amendments filed as of March 2, 2011.\n\n"
        "1. Sale. The Company shall sell the Shares.\n"
    )
    assert values(dt, "effective_date") == []


def test_entered_into_effect_on_a_day() -> None:
    dt = text_terms(
        "RESELLER AGREEMENT\n\nThis Reseller Agreement is made and entered into effect the 9th "
        'day of March, 2016 ("Effective Date") by and between Marlow Analytics, Inc. and '
        "Quayside Freight LLC.\n\n1. Appointment. Marlow appoints Quayside.\n\n"
        f"{SIGNATURES}"
    )
    assert values(dt, "agreement_date")[:1] == ["2016-03-09"]


def test_a_signature_date_above_a_ruled_caption() -> None:
    dt = text_terms(
        f"{UNDATED}2. Term. This Agreement is effective on the day after the date of last "
        'signature below ("Effective Date").\n\n'
        "MARLOW ANALYTICS, INC. QUAYSIDE FREIGHT LLC\n"
        "By: /s/ Ana Ruiz By: /s/ Tom Hale\n"
        "Ana Ruiz 6/2/19 Tom Hale 6/7/19\n"
        "------------------------------- -------------------------------\n"
        "Name (type or print) Date Name (type or print) Date\n"
    )
    assert values(dt, "agreement_date")[:1] == ["2019-06-07"]
    assert values(dt, "effective_date")[:1] == ["2019-06-08"]


def test_an_execution_line_left_partly_blank() -> None:
    dt = text_terms(
        f"{UNDATED}{FILLER}60. Entire Agreement. This Agreement is the whole agreement.\n\n"
        "Dated the ____ day of June, 2004.\n\nMARLOW ANALYTICS, INC.\nPer: ____________\n"
    )
    assert values(dt, "agreement_date")[:1] == ["2004-06"]


def test_a_rule_drawn_through_the_date() -> None:
    dt = text_terms(
        "ALLIANCE AGREEMENT\n\nThis Alliance Agreement is made as of 30 June, --------- 2001, "
        'between Marlow Analytics, Inc. ("Marlow") and Quayside Freight LLC ("Quayside").\n\n'
        "1. Scope. The parties shall cooperate.\n"
    )
    assert values(dt, "agreement_date")[:1] == ["2001-06-30"]


def test_dates_of_other_documents_in_the_preamble() -> None:
    dt = text_terms(
        'LICENSE AGREEMENT\n\n"Framework Agreement" means the Framework Agreement between Marlow '
        "Analytics, Inc. and Quayside Freight LLC, dated as of February 3, 2015.\n\n"
        "Quayside has accepted by letter dated January 9, 2015 the terms proposed by Marlow.\n\n"
        "1. Licence. Marlow grants Quayside a licence.\n"
    )
    assert values(dt, "agreement_date") == []


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("March 8, 2016", "2016-03-08"),
        # The day and month left out of the date line.
        (", 2016", "2016"),
    ],
)
def test_a_letter_agreement_is_dated_above_its_salutation(heading: str, expected: str) -> None:
    dt = text_terms(
        f"PLACEMENT AGENCY AGREEMENT\n\n{heading}\n\nHarwell Securities LLC\n12 Pine Street\n"
        "New York, New York 10005\n\nLadies and Gentlemen:\n\nQuayside Freight Corp. (the "
        '"Company") proposes to issue shares. The term "Prospectus" means the prospectus as '
        "of January 4, 2016.\n\n1. Appointment. The Company appoints Harwell as agent.\n"
    )
    assert values(dt, "agreement_date")[:1] == [expected]


def test_a_form_with_its_date_left_blank_states_none() -> None:
    dt = text_terms(
        "SERVICING AGREEMENT\n\nAgreement, made as of this day of , 20 between Marlow Funds "
        '("Marlow") and Quayside Life Insurance Company ("Quayside").\n\n'
        "1. Services. Quayside shall service the accounts.\n\nForm edition September 2017\n"
    )
    assert values(dt, "agreement_date") == []


def test_an_amendments_new_wording_speaks_of_the_amended_agreements_effective_date() -> None:
    dt = text_terms(
        "AMENDMENT NO. 1\n\nThis Amendment No. 1 is made as of May 2, 2011 by and between Marlow "
        'Analytics, Inc. ("Marlow") and Quayside Freight LLC ("Quayside").\n\n'
        "1. Section 6 of the Agreement is deleted in its entirety and replaced with the "
        'following:\n\n"Term. The licence shall be effective as of the Effective Date and shall '
        'continue for three years."\n'
    )
    assert values(dt, "agreement_date")[:1] == ["2011-05-02"]
    assert values(dt, "effective_date") == []


def test_a_heading_that_names_the_effective_date_does_not_use_it() -> None:
    dt = text_terms(
        f"{PREAMBLE}4. Effective Date and Term.\n\nThis Agreement shall begin upon its "
        "acceptance in writing by Tanaka.\n"
    )
    assert values(dt, "effective_date") == []


# A table of contents long enough to push the opening sentence past the first 4,000 chars.
CONTENTS = "TABLE OF CONTENTS\n\n" + "".join(
    f"{i}. Obligations of the Parties regarding item {i} ........ {i + 2}\n" for i in range(1, 80)
)


def test_an_opening_sentence_split_at_between_after_a_table_of_contents() -> None:
    dt = text_terms(
        f"MANUFACTURING SERVICES AGREEMENT\n\n{CONTENTS}\n"
        'THIS AGREEMENT (this "Agreement"), dated March 9, 2015 (the "Effective Date"), is\n\n'
        "BETWEEN:\n\n"
        "Marlow Analytics, Inc., a company having a place of business at 12 Pine Street, Boston "
        '("Customer")\n\nAND:\n\n'
        "Quayside Freight AG, a company having a place of business at 4 Hafenweg, Basel "
        '("Supplier").\n\n'
        "1. Services. Supplier shall manufacture the Product.\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Agreement.\n\n"
        "MARLOW ANALYTICS, INC.\nBy: /s/ Ana Ruiz\nName: Ana Ruiz\nDate: April 2, 2015\n"
    )
    # The preamble's date, not the signature's; and the parties of the opening sentence.
    assert values(dt, "agreement_date")[:1] == ["2015-03-09"]
    assert [p.alias for p in values(dt, "parties")] == ["Customer", "Supplier"]


@pytest.mark.parametrize(
    "boilerplate",
    [
        "No amendment or waiver of this Agreement shall be effective unless in writing and "
        "signed by both parties.",
        "Each Statement of Work shall be effective upon its signature by both parties.",
    ],
)
def test_what_else_takes_effect_on_signature_is_not_this_agreement(boilerplate: str) -> None:
    dated = UNDATED.replace("is entered into by", "is made as of July 28, 2021 by")
    # Alone, it gives this agreement no effective date ...
    dt = text_terms(f"{dated}2. Changes. {boilerplate}\n\n{SIGNATURES}")
    assert values(dt, "effective_date") == []
    # ... nor does it hide a later clause that does.
    dt = text_terms(
        f"{dated}2. Changes. {boilerplate}\n\n3. Term. This Agreement shall take effect on the "
        f"date of its signature by both parties.\n\n{SIGNATURES}"
    )
    assert values(dt, "effective_date")[:1] == ["2021-08-05"]


@pytest.mark.parametrize(
    "sentence",
    [
        # What else starts on the date: a fee, the notes' maturity, another period.
        "Commencing on 1 September 2021, Quayside's monthly retainer shall be increased to $9,000.",
        "Upon a successful auction, the maturity of the Notes will, effective October 3, 2021, "
        "be reset to June 30, 2024.",
        'The pilot phase shall commence on October 1, 2021 (the "Pilot Phase"), and the term '
        "of this Agreement shall commence on the date the portal goes live.",
        # When it ends, not when it begins.
        "Either party may terminate this Agreement effective upon written notice if the other "
        "becomes insolvent.",
    ],
)
def test_what_else_starts_on_a_date_in_the_preamble_is_no_effective_date(sentence: str) -> None:
    dated = UNDATED.replace("is entered into by", "is made as of July 28, 2021 by")
    dt = text_terms(f"{dated}2. Fees. {sentence}\n")
    assert values(dt, "agreement_date")[:1] == ["2021-07-28"]
    assert values(dt, "effective_date") == []


def test_an_effective_date_line_of_its_own() -> None:
    dt = text_terms(
        f"DISTRIBUTION AGREEMENT\n\nEffective as of March 1, 2010\n\n{UNDATED.split(chr(10), 2)[2]}"
    )
    assert values(dt, "effective_date")[:1] == ["2010-03-01"]


MADE_EARLIER = (
    "SERVICES AGREEMENT\n\nThis Services Agreement is made on March 1, 2010 by and between "
    'Marlow Analytics, Inc. ("Marlow") and Quayside Freight LLC ("Quayside").\n\n'
)


@pytest.mark.parametrize(
    "sentence",
    [
        "This Agreement shall take effect on March 3, 2010.",
        "This Agreement applies with effect from March 3, 2010.",
        "This Agreement shall be in full force and effect as of March 3, 2010.",
        "This Agreement is valid from March 3, 2010 until March 2, 2012.",
        "The term of this Agreement shall be from March 3, 2010 to March 2, 2012.",
        "The term of this Agreement shall be two years beginning March 3, 2010.",
        "The effective date of this Agreement is March 3, 2010.",
    ],
)
def test_more_wordings_of_a_stated_effective_date(sentence: str) -> None:
    dt = text_terms(f"{MADE_EARLIER}1. Term. {sentence}\n\n2. Fees. Marlow shall pay the fees.\n")
    assert values(dt, "agreement_date")[:1] == ["2010-03-01"]
    assert values(dt, "effective_date")[:1] == ["2010-03-03"]


@pytest.mark.parametrize(
    "sentence",
    [
        "This Agreement will be effective upon the closing of the Asset Purchase.",
        "This Agreement shall become effective upon the Effective Date of the Merger.",
    ],
)
def test_an_agreement_effective_on_an_event_has_no_effective_date(sentence: str) -> None:
    dt = text_terms(f"{MADE_EARLIER}1. Term. {sentence}\n\n2. Fees. Marlow shall pay the fees.\n")
    assert values(dt, "effective_date") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The date of execution is the agreement's date ...
        ("The term of this Agreement shall begin on the date of execution.", ["2021-07-28"]),
        # ... but not one party's signature.
        (
            "The term of this Agreement shall commence on the date of execution of this Agreement "
            "by Quayside.",
            [],
        ),
        # Execution by both: the later signature.
        ("This Agreement shall become effective upon execution by both parties.", ["2021-08-05"]),
        # What takes effect on signature is not this agreement.
        (
            "The licence granted hereunder shall become effective once this Agreement is "
            "signed by both parties.",
            [],
        ),
    ],
)
def test_the_date_of_execution(sentence: str, expected: list[str]) -> None:
    dated = UNDATED.replace("is entered into by", "is made as of July 28, 2021 by")
    dt = text_terms(f"{dated}2. Term. {sentence}\n\n{SIGNATURES}")
    assert values(dt, "effective_date")[:1] == expected


@pytest.mark.parametrize(
    "line",
    ["Signed at London, England on 3 March 2010.", "Done at Geneva this 3rd day of March, 2010."],
)
def test_an_execution_line_that_names_the_place(line: str) -> None:
    dt = text_terms(
        f"{UNDATED}{FILLER}60. Entire Agreement. This Agreement is the whole agreement.\n\n"
        f"{line}\n\nMARLOW ANALYTICS, INC.\nBy: /s/ Ana Ruiz\n"
    )
    assert values(dt, "agreement_date")[:1] == ["2010-03-03"]


@pytest.mark.parametrize(
    "sentence",
    [
        "This Agreement shall take effect upon signature.",
        "This Agreement shall become effective upon its execution.",
        "This Agreement shall be effective upon the date of full execution.",
        "This Agreement shall become effective on the date it is fully executed.",
        "This Agreement shall become effective as of the date of mutual execution.",
        "This Agreement is effective on the date on which it is signed by the last of the parties.",
    ],
)
def test_still_more_wordings_of_taking_effect_on_signature(sentence: str) -> None:
    dated = UNDATED.replace("is entered into by", "is made as of July 28, 2021 by")
    dt = text_terms(f"{dated}2. Term. {sentence}\n\n{SIGNATURES}")
    assert values(dt, "effective_date")[:1] == ["2021-08-05"]


def test_taking_effect_on_undated_signatures_states_no_effective_date() -> None:
    dated = UNDATED.replace("is entered into by", "is made as of July 28, 2021 by")
    dt = text_terms(
        f"{dated}2. Term. This Agreement shall become effective on the date of the last "
        'signature below (the "Effective Date").\n\n'
        "IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date "
        "first written above.\n\nMARLOW ANALYTICS, INC. QUAYSIDE FREIGHT LLC\n"
        "By: /s/ Ana Ruiz By: /s/ Tom Hale\nName: Ana Ruiz Name: Tom Hale\nDate: Date:\n"
    )
    assert values(dt, "agreement_date")[:1] == ["2021-07-28"]
    assert values(dt, "effective_date") == []


def test_a_dating_line_without_its_year_dates_by_day_and_month() -> None:
    dt = text_terms(
        "CONSULTING AGREEMENT\n\nTHIS AGREEMENT made this 12th day of October (the "
        '"Effective Date") between Pellham Labs Inc. ("Pellham") and Ivo Brandt ("Consultant").'
        "\n\n1. Fees. Pellham shall pay the fees on December 31 of each year.\n\n"
    )
    assert values(dt, "agreement_date")[:1] == ["XXXX-10-12"]
    assert values(dt, "effective_date")[:1] == ["XXXX-10-12"]


def test_a_recurring_day_is_no_agreement_date() -> None:
    dt = text_terms(f"{UNDATED}2. Fees. Quayside shall invoice on June 30 of each year.\n\n")
    assert values(dt, "agreement_date") == []


def test_an_undated_agreement_takes_a_plain_date_near_the_top() -> None:
    dated = UNDATED.replace("SERVICES AGREEMENT", "SERVICES AGREEMENT\n\nJune 1, 2015", 1)
    dt = text_terms(dated)
    assert values(dt, "agreement_date")[:1] == ["2015-06-01"]


@pytest.mark.parametrize(
    "line",
    [
        "START OF SUPPORT UNDER THIS SCHEDULE: June 1, 2015",
        "Pilot Period: June 1, 2015 through November 30, 2015",
        "The pilot runs from June 1, 2015 to November 30, 2015.",
    ],
)
def test_what_a_label_or_a_period_dates_is_no_agreement_date(line: str) -> None:
    dt = text_terms(f"{UNDATED}{line}\n\n")
    assert values(dt, "agreement_date") == []


@pytest.mark.parametrize(
    "line",
    [
        "TERM OF SERVICE From June 1, 2015 until November 30, 2015",
        "2. Term: from June 1, 2015 to November 30, 2015.",
    ],
)
def test_a_line_headed_with_the_term_states_when_it_takes_effect(line: str) -> None:
    dt = text_terms(f"{UNDATED}{line}\n\n")
    assert values(dt, "effective_date")[:1] == ["2015-06-01"]


def test_a_term_mentioned_inside_a_sentence_is_no_heading() -> None:
    dt = text_terms(
        f"{UNDATED}3. Fees. The fees for the term from June 1, 2015 are in Exhibit B.\n\n"
    )
    assert values(dt, "effective_date") == []


def test_other_documents_effective_as_of_the_date_hereof_date_no_taking_effect() -> None:
    dated = UNDATED.replace("is entered into by", "is made as of July 28, 2021 by")
    dt = text_terms(
        f"{dated}2. Ancillary Documents. Each of the Escrow Agreement and the Warrant is "
        "effective as of the date hereof.\n\n"
    )
    assert values(dt, "agreement_date")[:1] == ["2021-07-28"]
    assert values(dt, "effective_date") == []


def test_this_agreement_with_another_effective_as_of_the_date_hereof() -> None:
    dated = UNDATED.replace("is entered into by", "is made as of July 28, 2021 by")
    dt = text_terms(
        f"{dated}2. Term. This Agreement and the Escrow Agreement are effective as of the date "
        "hereof.\n\n"
    )
    assert values(dt, "effective_date")[:1] == ["2021-07-28"]


@pytest.mark.parametrize("mark", ["/s/", "\\s\\"])
def test_a_date_on_a_conformed_signature_line(mark: str) -> None:
    # No witness clause and no "Date:" label: the date typed on each signature line dates it.
    dt = text_terms(
        f"{UNDATED}2. Notices. Notices go to the addresses above.\n\n"
        f"MARLOW ANALYTICS, INC.\n\n{mark} Ana Ruiz          Director  ------------   3 Oct. 2003"
        f"\n\nQUAYSIDE FREIGHT LLC\n\n{mark} Tom Hale          Manager  ------------   "
        "7 Oct. 2003\n"
    )
    assert values(dt, "agreement_date")[:1] == ["2003-10-07"]


def test_a_date_on_a_line_of_its_own_below_a_conformed_signature_is_not_one() -> None:
    # The date stands on another line than the signature, with nothing naming it a date of
    # signing: a schedule's date, not the signature's.
    dt = text_terms(
        f"{UNDATED}2. Notices. Notices go to the addresses above.\n\n"
        "MARLOW ANALYTICS, INC.\n\n\\s\\ Ana Ruiz          Director\n\n"
        "Schedule 1 Rate Card\n\nRates revised 3 Oct. 2003 apply to all loads.\n"
    )
    assert "2003-10-03" not in values(dt, "agreement_date")[:1]
