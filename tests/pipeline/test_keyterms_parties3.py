"""Parties and their aliases: several aliases for one party, and preambles that name a party
without the usual "between".

Every text here is invented; each case is a wording a lawyer would recognize.
"""

from __future__ import annotations

from keyterms_support import parties_of

from pipeline.terms import Party


def test_two_aliases_joined_by_a_slash() -> None:
    text = (
        "Supply Agreement between Orla Biotech GmbH, Ringstrasse 4, 8001 Zurich, Switzerland "
        '"Supplier" / "Orla" and Palmer Health S.A., Rua Nova 12, Lisbon, Portugal "Buyer" / '
        '"Palmer" regarding the supply of reagents.\n\nWHEREAS Orla makes reagents.\n'
    )
    assert parties_of(text) == [
        Party("Orla Biotech GmbH", "Supplier"),
        Party("Orla Biotech GmbH", "Orla"),
        Party("Palmer Health S.A.", "Buyer"),
        Party("Palmer Health S.A.", "Palmer"),
    ]


def test_a_slash_between_a_name_and_a_quoted_word_joins_no_aliases() -> None:
    text = (
        "LICENSE AGREEMENT\n\nThis License Agreement is made by and between Tamsin Labs, Inc. "
        '("Tamsin") and Quill Media LLC ("Quill"). Tamsin grants a license to the "Quill/Tamsin '
        'Platform" / "Platform" described below.\n\nWHEREAS Tamsin owns software.\n'
    )
    assert parties_of(text) == [
        Party("Tamsin Labs, Inc.", "Tamsin"),
        Party("Quill Media LLC", "Quill"),
    ]


def test_a_form_party_known_only_by_its_kind_and_alias() -> None:
    text = (
        "DEALER AGREEMENT\n\nThis Dealer Agreement is made as of the date on the signature page "
        "by and between Brightwater Boats, LLC, a Maine limited liability company with offices "
        'at 12 Harbor Road, Bath, Maine ("we" or "us"); and a [corporation] [limited '
        'partnership] organized in the state of and having offices at ("you" or the "Dealer").'
        "\n\nWHEREAS we build boats.\n"
    )
    assert parties_of(text) == [
        Party("Brightwater Boats, LLC", "we"),
        Party("Brightwater Boats, LLC", "us"),
        Party("", "you"),
        Party("", "Dealer"),
    ]


def test_a_description_after_and_before_the_alias_is_the_same_party() -> None:
    text = (
        "SERVICES AGREEMENT\n\nThis Services Agreement is made by and between Corran Freight "
        "LLC, a Delaware limited liability company and a wholly owned subsidiary of Corran "
        'Group plc ("Corran"), and Ashby Logistics Inc., a Texas corporation ("Ashby").\n\n'
        "WHEREAS Corran ships goods.\n"
    )
    assert parties_of(text) == [
        Party("Corran Freight LLC", "Corran"),
        Party("Ashby Logistics Inc.", "Ashby"),
    ]


def test_a_letter_that_engages_a_party_named_on_the_signature_page() -> None:
    text = (
        "SELLING AGENT AGREEMENT\n\nLadies and Gentlemen:\n\nHollis Savings Corporation, a "
        'Vermont corporation (the "Company"), proposes to engage the selling agent named on '
        'the signature page of this Agreement (the "Selling Agent" or "you") to assist the '
        "Company in the sale of its shares.\n\n1. The Offering. The Company is offering shares.\n"
    )
    assert parties_of(text) == [
        Party("Hollis Savings Corporation", "Company"),
        Party("", "Selling Agent"),
        Party("", "you"),
    ]


def test_rights_a_party_retains_are_no_party() -> None:
    text = (
        'LICENSE LETTER\n\nDear Ms. Roe:\n\nFenwick Audio, Inc. (the "Licensor") retains the '
        'rights set forth in Schedule A (the "Retained Rights") and grants Galloway Sound LLC '
        '(the "Licensee") a license to the patents listed in Schedule B.\n\n1. Term. The '
        "license runs for five years.\n"
    )
    assert Party("", "Retained Rights") not in parties_of(text)


def test_a_power_of_attorney_names_its_maker_and_its_attorney() -> None:
    text = (
        "POWER OF ATTORNEY\n\nKNOW ALL MEN BY THESE PRESENTS, dated as of March 1, 2019, that "
        "ALDER PARK CAPITAL TRUST, a statutory trust organized under the laws of the State of "
        'Delaware (the "Trust"), does hereby constitute and appoint MERRIVALE FUND SERVICES '
        'COMPANY, a Delaware statutory trust ("Merrivale"), to act as the attorney-in-fact of the '
        "Trust.\n\nThe Trust ratifies all that Merrivale may lawfully do by virtue hereof.\n"
    )
    assert parties_of(text) == [
        Party("ALDER PARK CAPITAL TRUST", "Trust"),
        Party("MERRIVALE FUND SERVICES COMPANY", "Merrivale"),
    ]


def test_an_undersigned_maker_of_a_power_of_attorney_is_no_named_party() -> None:
    text = (
        "POWER OF ATTORNEY\n\nKnow all persons by these presents, that the undersigned hereby "
        "constitutes and appoints each of Dana Roe and Ellis Poe, signing singly, as the "
        "undersigned's true and lawful attorney-in-fact to sign any Form 4.\n\n"
        "This Power of Attorney remains in force until revoked.\n"
    )
    names = [p.name for p in parties_of(text)]
    assert "Know" not in " ".join(names)
    assert "undersigned" not in " ".join(names)


def test_an_unquoted_alias_before_a_capitalized_description() -> None:
    text = (
        "ALLIANCE AGREEMENT\n\nTHIS AGREEMENT is made this 2nd day of May, 2012 by and between "
        'Vellum Health, Inc., a Nevada corporation ("Vellum") and Prairie Care Network (USA PCN) '
        "A Texas Corporation whose address is 10 Elm Road, Austin Texas.\n\nWITNESSETH: WHEREAS "
        "Vellum runs a portal.\n"
    )
    assert parties_of(text) == [
        Party("Vellum Health, Inc.", "Vellum"),
        Party("Prairie Care Network", "USA PCN"),
    ]


def test_a_bracketed_place_stays_in_the_name_and_is_no_alias() -> None:
    text = (
        "SUPPLY AGREEMENT\n\nTHIS AGREEMENT is made on 2 May 2012 between Kestrel Marine "
        "(Bermuda) Limited, a Bermuda company, and Osprey Feeds Inc. (Texas), a Texas "
        "corporation.\n\nWHEREAS Kestrel farms fish.\n"
    )
    assert parties_of(text) == [
        Party("Kestrel Marine (Bermuda) Limited"),
        Party("Osprey Feeds Inc."),
    ]


def test_a_lower_case_name_with_a_number() -> None:
    text = (
        "FRANCHISE AGREEMENT\n\nThis Franchise Agreement is made this ____ day of ______, 2001, "
        "by and between kx-7 GRILL SYSTEMS, INC. an Iowa corporation with its principal place of "
        'business at 40 Main Street, Ames, Iowa ("we" or "us"), and ____________________ '
        '("you").\n\nBACKGROUND:\n\nA. We franchise grills.\n'
    )
    assert parties_of(text) == [
        Party("kx-7 GRILL SYSTEMS, INC.", "we"),
        Party("kx-7 GRILL SYSTEMS, INC.", "us"),
        Party("", "you"),
    ]


def test_a_lower_case_unit_number_in_an_address_is_no_party() -> None:
    text = (
        "SERVICES AGREEMENT\n\nThis Services Agreement is made by and between Larkin Tools LLC, "
        'with offices at unit 4b, 9 Quay Road, Leeds ("Larkin"), and Moss Bikes Ltd, with '
        'offices at bay 12, 3 Mill Lane, York ("Moss").\n\nWHEREAS Larkin makes tools.\n'
    )
    assert parties_of(text) == [
        Party("Larkin Tools LLC", "Larkin"),
        Party("Moss Bikes Ltd", "Moss"),
    ]


def test_a_party_introduced_as_the_subsidiary_of_the_one_before() -> None:
    text = (
        "ALLIANCE AGREEMENT\n\nThis Alliance Agreement is entered into as of May 2, 2013 by and "
        'among Hokuto Trust Bank ("Hokuto"), a Japanese bank with its head office at 2-1 '
        "Otemachi, Tokyo, Japan and its wholly-owned subsidiary Hokuto Capital Inc. "
        '("Capital"), a Japanese corporation, on the one hand, and Wren Advisors LP ("Wren"), a '
        "Delaware limited partnership, on the other hand.\n\nWHEREAS Hokuto is a bank.\n"
    )
    assert parties_of(text) == [
        Party("Hokuto Trust Bank", "Hokuto"),
        Party("Hokuto Capital Inc.", "Capital"),
        Party("Wren Advisors LP", "Wren"),
    ]


def test_a_partys_own_affiliates_are_no_party() -> None:
    text = (
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is made by and between Pell Foods Inc. "
        '("Pell"), on behalf of itself and its affiliates, and Rook Farms LLC ("Rook").\n\n'
        "WHEREAS Rook grows grain.\n"
    )
    assert parties_of(text) == [
        Party("Pell Foods Inc.", "Pell"),
        Party("Rook Farms LLC", "Rook"),
    ]


def test_a_mutual_holding_company_in_a_list_of_described_companies() -> None:
    text = (
        'AGENCY AGREEMENT\n\nLadies and Gentlemen:\n\nOak Vale Bancorp, Inc. (the "Company"), a '
        "Maryland corporation, Oak Vale Bancorp, MHC, a federally chartered mutual holding "
        'company (the "MHC"), and Oak Vale Bank, a savings bank (the "Bank"), confirm their '
        'agreement with Fenn & Co., Inc. (the "Agent") as follows:\n\nSection 1. The Offering. '
        "The Company is offering shares.\n"
    )
    assert parties_of(text)[:3] == [
        Party("Oak Vale Bancorp, Inc.", "Company"),
        Party("Oak Vale Bancorp, MHC", "MHC"),
        Party("Oak Vale Bank", "Bank"),
    ]


def test_mhc_inside_a_description_ends_no_name() -> None:
    text = (
        "SERVICES AGREEMENT\n\nThis Services Agreement is made by and between Tallis Bank, a "
        'savings bank owned by an MHC structure ("Tallis"), and Vane Data LLC ("Vane").\n\n'
        "WHEREAS Tallis is a bank.\n"
    )
    assert parties_of(text) == [
        Party("Tallis Bank", "Tallis"),
        Party("Vane Data LLC", "Vane"),
    ]
