"""Parties in preamble wordings found on the second half of the training contracts.

Every company, person, place and alias is invented.
"""

from __future__ import annotations

import pytest
from keyterms_support import parties_of

from pipeline.terms import Party

W = "\n\nWHEREAS the parties wish to cooperate.\n\nNOW, THEREFORE, the parties agree as follows.\n"


CASES = [
    pytest.param(
        "This Station Carriage Agreement, dated as of August 9, 2017, is entered into between "
        'Quillon Television Group, LLC ("Quillon") and Marsh Harbor Media Corp., the licensee of '
        'a station in Biloxi ("Affiliate").' + W,
        [("Quillon Television Group, LLC", "Quillon"), ("Marsh Harbor Media Corp.", "Affiliate")],
        id="affiliate_is_an_alias",
    ),
    pytest.param(
        "SERVICE ORDER\n\nOrder Date: June 8, 2021\n\nBetween\n\nVendor Name: HALYARD CLOUD "
        "WORKS, INC. 77 Pelican Way Tampa, FL 33602\n\nAnd\n\nBuyer Name: OSTLER GRAIN, INC. "
        "5 Silo Road Ames, IA 50010 Contact: Ben Pryor\n\nHOSTING CHARGE. $[*] per quarter; If "
        "Overage $[*] accrues it is invoiced monthly.\n\nBY SIGNING BELOW THE BUYER CONFIRMS "
        "THAT THE ENCLOSED CONDITIONS ARE BINDING BETWEEN THE PARTIES WITH RESPECT TO HOSTING. "
        'THE "Buyer" HAS REVIEWED THE CONDITIONS.\n\nCONDITIONS\n\n1. Hosting. Halyard hosts '
        "the site.\n",
        [("HALYARD CLOUD WORKS, INC.", ""), ("OSTLER GRAIN, INC.", "")],
        id="form_labels_and_shouted_clause",
    ),
    pytest.param(
        "HOSTING ORDER\n\nOrder Date: June 8, 2021\n\nBetween\n\nVendor Name: HALYARD CLOUD "
        "WORKS, INC. 77 Pelican Way Tampa, FL 33602\n\nAnd\n\nBuyer Name: OSTLER GRAIN, INC. "
        "5 Silo Road Ames, IA 50010\n\nQUARTERLY CHARGE. Hosting costs $900 a quarter.\n\n"
        'Under this order HALYARD, CLOUD WORKS, INC., hereinafter called "Halyard", will host the '
        'site of OSTLER GRAIN, INC., hereinafter called "Buyer", on the conditions below.\n\n1. '
        "Hosting. Halyard hosts the site.\n",
        [("HALYARD CLOUD WORKS, INC.", "Halyard"), ("OSTLER GRAIN, INC.", "Buyer")],
        id="alias_given_after_the_form_fields",
    ),
    pytest.param(
        "ENGAGEMENT LETTER\n\nSeptember 14, 2020\n\nCalder Minerals Corp.\n9 Basalt Avenue\n"
        'Reno, Nevada 89501\n\nLadies and Gentlemen:\n\nPinnacle Rook Advisors LLC (the "Adviser") '
        'confirms that Calder Minerals Corp. (the "Client") has asked it to advise on a merger.'
        "\n\n1. Scope. The Adviser advises the Client.\n",
        [("Pinnacle Rook Advisors LLC", "Adviser"), ("Calder Minerals Corp.", "Client")],
        id="addressee_alias_given_in_the_letter",
    ),
    pytest.param(
        "REFERRAL AGREEMENT\n\nThis Referral Agreement, effective June 3, 2018, is between "
        'Tinder Peak Wireless Ltd. ("Tinder Peak"), with offices in Halifax, Nova Scotia, and '
        "Osprey Outfitters Corporation, whose office is in Boise, Idaho.\n\n1. Referrals. "
        "Osprey Outfitters Corporation shall refer to Tinder Peak the shoppers who sign up "
        'through Osprey Outfitters Corporation ("Referred Shoppers").\n',
        [("Tinder Peak Wireless Ltd.", "Tinder Peak"), ("Osprey Outfitters Corporation", "")],
        id="no_alias_from_clause_one",
    ),
    pytest.param(
        "This Deed is dated 12 October 2017.\n\nParties:\n\n(1) Kauri Valve Works Limited "
        "(NZBN 9429000000001), 14 Totara Street, Hamilton\n\n(2) Fenwick Pumps, LLC of 22 Cedar "
        "Row, Unit 5, Tulsa, OK 74103.\n\nIntroduction\n\nFenwick wishes to resell the valves."
        "\n\n1. Interpretation\n",
        [("Kauri Valve Works Limited", ""), ("Fenwick Pumps, LLC", "")],
        id="numbered_parties_without_and",
    ),
    pytest.param(
        "THIS DEED OF COOPERATION is dated 9 July 2014 PARTIES (1) MARAMA TIDAL LTD, registered "
        'in New Zealand with its office at 3 Quay Street, Auckland ("Marama") (2) BRAEBURN '
        "TURBINES PLC, registered in Scotland with its office at 6 Forth Wynd, Leith "
        '("Braeburn"), together the "Parties". BACKGROUND (A) Marama builds tidal plants.\n',
        [("MARAMA TIDAL LTD", "Marama"), ("BRAEBURN TURBINES PLC", "Braeburn")],
        id="numbered_party_mid_line",
    ),
    pytest.param(
        "This Technical Collaboration Agreement is executed on 11 March 2009 BETWEEN Corvane "
        "Pumps Inc., a Michigan corporation with its head office at 40 Lake Drive, Flint, "
        "Michigan 48502 (hereinafter referred to as 'Corvane', an expression that includes its "
        "successors and assigns), AND VARUNA HYDRAULICS PRIVATE LIMITED, a company registered in "
        "India with its office at 12 Marine Lines, Mumbai (hereinafter referred to as 'VHPL', an "
        "expression that includes its successors).\n\nWHEREAS Corvane makes pumps.\n",
        [("Corvane Pumps Inc.", "Corvane"), ("VARUNA HYDRAULICS PRIVATE LIMITED", "VHPL")],
        id="single_quoted_hereinafter_alias",
    ),
    pytest.param(
        "RESELLER AGREEMENT\n\nThis Reseller Agreement (the 'Agreement') is made between "
        "Tamarind Acoustics Inc., an Ohio corporation with offices at 5 Bell Street, Dayton OH "
        "45402 and Greyfriars Audio Ltd. ('Reseller'). In return for the mutual promises below "
        "the parties agree: 1. Appointment. Tamarind appoints the Reseller.\n",
        [("Tamarind Acoustics Inc.", ""), ("Greyfriars Audio Ltd.", "Reseller")],
        id="single_quoted_bracket_alias",
    ),
    pytest.param(
        "This Agreement is made between Brook's Farm Supplies Inc. ('Brook's') and Tamsin Seeds "
        "Ltd ('Tamsin').\n\nWHEREAS the parties wish to cooperate.\n",
        [("Brook's Farm Supplies Inc.", "Brook's"), ("Tamsin Seeds Ltd", "Tamsin")],
        id="single_quoted_alias_with_apostrophe",
    ),
    pytest.param(
        'SUPPORT UNDERTAKING\n\nThis Support Undertaking (this "Undertaking") is made on June '
        '30, 2019 by QUARRY HILL PARTNERS II, L.P. (the "Sponsor"), in favor of NORTHGATE TRUST '
        'BANK, as collateral agent for the noteholders (in that capacity, the "Collateral '
        'Agent").\n\nRECITALS\n\nA. The noteholders have bought notes.\n',
        [
            ("QUARRY HILL PARTNERS II, L.P.", "Sponsor"),
            ("NORTHGATE TRUST BANK", "Collateral Agent"),
        ],
        id="made_by_in_favor_of",
    ),
    pytest.param(
        'This Deed of Guarantee is made by Ashby Holdings Limited ("Ashby") in favour of Cole '
        'Bank plc (the "Bank").\n\nWHEREAS the Bank has made loans.\n',
        [("Ashby Holdings Limited", "Ashby"), ("Cole Bank plc", "Bank")],
        id="made_by_in_favour_of",
    ),
    pytest.param(
        "This Area Representative Agreement is entered into between Saffron Taqueria Systems "
        'LLC, a Nevada limited liability company ("Company"), and ______________an individual '
        'residing at ______________ ("Representative").\n\nWHEREAS Company licenses a '
        "restaurant system.\n",
        [("Saffron Taqueria Systems LLC", "Company"), ("", "Representative")],
        id="blank_then_an_individual",
    ),
    pytest.param(
        "THIS FRANCHISE AGREEMENT is made by and between Tallow Lane Franchising LLC, a Texas "
        'limited liability company ("Franchisor"), and _______________ a _______________ '
        'corporation ("Franchisee").\n\nWHEREAS Franchisor licenses marks.\n',
        [("Tallow Lane Franchising LLC", "Franchisor"), ("", "Franchisee")],
        id="blank_then_a_corporation",
    ),
    pytest.param(
        'This Research License is made by and between Corran University (the "University"), an '
        "Oregon public body with offices at 88 Fennel Court, Eugene, Oregon 97401 and Pikestaff "
        'Imaging, Inc. (the "Licensee"), an Idaho corporation whose office is at 17 Quarry Hill '
        "Road; Suite 12; Boise, ID 83702. In consideration of the promises below, the parties "
        "agree: 1. Grant. The University grants a license.\n",
        [("Corran University", "University"), ("Pikestaff Imaging, Inc.", "Licensee")],
        id="address_parts_after_semicolons",
    ),
    pytest.param(
        'This Supply Agreement is entered into by Harrow Pine Systems, Inc. ("Harrow") with '
        'Bellwether Logistics Ltd. ("Bellwether").\n\n1. Supply. Bellwether supplies goods.\n',
        [("Harrow Pine Systems, Inc.", "Harrow"), ("Bellwether Logistics Ltd.", "Bellwether")],
        id="with_after_an_alias",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_invented_preamble(text: str, expected: list[tuple[str, str]]) -> None:
    assert parties_of(text) == [Party(name, alias) for name, alias in expected]


@pytest.mark.parametrize(
    "name",
    [
        "BE HALCYON, INC.",
        "BE Halcyon Labs, Inc.",
        "STRAIGHT TO YOU LLC",
        "IS PROCESSING LTD",
        "GADGETS ARE US INC.",
    ],
)
def test_a_shouted_clause_word_in_a_company_name(name: str) -> None:
    """A company whose name holds a word of a shouted clause ("TO", "IS", "BE") is a party."""
    text = (
        f"This Purchase Agreement is made by and between {name}, a Delaware corporation "
        '("Buyer"), and WINGTIP PARTS LLC, a Texas company ("Wingtip").' + W
    )
    assert parties_of(text) == [Party(name, "Buyer"), Party("WINGTIP PARTS LLC", "Wingtip")]


@pytest.mark.parametrize("beneficiary", ["the Lenders", "Zephyr Trust Company"])
def test_in_favour_of_after_two_makers_names_no_party(beneficiary: str) -> None:
    """After two parties "in favour of" says for whom they act, not a third party."""
    text = (
        'THIS AGREEMENT is made by Ashby Holdings Limited ("Ashby") and Cole Bank plc ("Bank"), '
        f"acting in favour of {beneficiary}." + W
    )
    assert parties_of(text) == [
        Party("Ashby Holdings Limited", "Ashby"),
        Party("Cole Bank plc", "Bank"),
    ]


def test_in_favour_of_a_plural_role_names_no_party() -> None:
    """A guaranty in favour of "the Holders" has its maker alone for a party."""
    text = (
        'This Deed Poll is made by Ashby Holdings Limited (the "Issuer") in favour of the '
        "Holders." + W
    )
    assert parties_of(text) == [Party("Ashby Holdings Limited", "Issuer")]


def test_no_alias_from_a_recital() -> None:
    """A recital's bracket names the party in another dealing, not in this agreement."""
    text = (
        'This Assignment is made by and between Alpha Forge Corp. ("Alpha") and Beta Tools LLC, '
        'a Utah company.\n\nWHEREAS, Beta Tools LLC (the "Original Lender") and Gamma Bank made '
        "a loan.\n\nNOW, THEREFORE, the parties agree as follows.\n"
    )
    assert parties_of(text) == [Party("Alpha Forge Corp.", "Alpha"), Party("Beta Tools LLC", "")]
