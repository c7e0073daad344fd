"""Parties and their aliases: lists of parties that run over addresses, other agreements and
blanks.

Every text here is invented; each case is a wording a lawyer would recognize.
"""

from __future__ import annotations

from keyterms_support import parties_of

from pipeline.terms import Party


def test_the_parties_of_an_amended_agreement_are_not_this_agreements() -> None:
    text = (
        'AMENDMENT NO. 2\n\nThis AMENDMENT NO. 2 (this "Amendment") is made as of June 4, 2021 '
        'by and among Halvard Optics AB, a Swedish company ("Halvard"), and Merrow Lens Co., '
        'Ltd., a Japanese corporation ("Merrow"), as an amendment to that certain Supply '
        'Agreement dated May 1, 2016 by and among Pellam Glass, Inc. ("Pellam"), Pellam '
        'Holding AB ("Pellam Holding") and Merrow Lens Co., Ltd.\n\nRECITALS\n\n'
        "(A) The parties wish to amend the Supply Agreement.\n"
    )
    assert parties_of(text) == [
        Party("Halvard Optics AB", "Halvard"),
        Party("Merrow Lens Co., Ltd.", "Merrow"),
    ]


def test_a_party_after_an_address_with_no_and() -> None:
    text = (
        "JOINT VENTURE AGREEMENT\n\nTHIS JOINT VENTURE AGREEMENT is made as of May 3, 2021 by "
        'and among Kestrel Ceramics Limited ("KCL"), a company incorporated in Japan, with an '
        'address at 4-2 Minato, Kobe, Hyogo, Japan, Osprey Kilns Limited ("OKL"), a company '
        "incorporated in Japan, with an address at 7 Sakura Dori, Nagoya, Japan, as the sole "
        'shareholder of KCL, and Tern Materials, Inc. ("Tern"), a Delaware corporation.\n\n'
        "WHEREAS KCL makes ceramic parts.\n"
    )
    assert parties_of(text) == [
        Party("Kestrel Ceramics Limited", "KCL"),
        Party("Osprey Kilns Limited", "OKL"),
        Party("Tern Materials, Inc.", "Tern"),
    ]


def test_a_party_right_after_the_alias_of_the_one_before() -> None:
    text = (
        'AMENDMENT NO. 1\n\nThis Amendment No. 1 (the "Amendment"), entered into by and '
        'between Dunmore Dairy, LLC ("Dunmore") Ferris Nutrition Corporation ("Ferris") is '
        "effective as of June 1, 2021 and amends that certain Supply Agreement between Dunmore "
        'and Ferris dated May 1, 2019 ("Agreement").\n\nWHEREAS the Parties wish to amend the '
        "Agreement.\n"
    )
    assert parties_of(text) == [
        Party("Dunmore Dairy, LLC", "Dunmore"),
        Party("Ferris Nutrition Corporation", "Ferris"),
    ]


def test_a_party_address_before_its_alias_is_no_party() -> None:
    text = (
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is made by and between Brackley Foods, LLC, "
        "a Delaware limited liability company, 12 Orchard Way, Emeryville, CA 94608 "
        '("Buyer"), and Tolland Dairy Inc., a Delaware corporation, 9 Lake Street, Chicago, '
        'Illinois 60631 ("Supplier").\n\n1. Supply. Supplier shall supply the Products.\n'
    )
    assert parties_of(text) == [
        Party("Brackley Foods, LLC", "Buyer"),
        Party("Tolland Dairy Inc.", "Supplier"),
    ]


def test_a_party_left_as_a_form_placeholder_keeps_its_alias() -> None:
    text = (
        "REMARKETING AGREEMENT\n\nThis REMARKETING AGREEMENT, dated as of [\u25cf] (this "
        '"Agreement"), by and among Brightwater Municipal Income Fund, a Massachusetts business '
        'trust (the "Fund"), Brightwater Advisors, LLC, a registered investment adviser (the '
        '"Adviser"), and [\u25cf] (the "Remarketing Agent").\n\nWITNESSETH:\n\n'
        "WHEREAS, the Fund is issuing preferred shares.\n"
    )
    assert parties_of(text) == [
        Party("Brightwater Municipal Income Fund", "Fund"),
        Party("Brightwater Advisors, LLC", "Adviser"),
        Party("", "Remarketing Agent"),
    ]


def test_an_alias_in_a_second_bracket_after_the_first() -> None:
    text = (
        "PLACEMENT AGREEMENT\n\nThis Placement Agreement is dated as of May 3, 2021, among "
        'Corvid Holdings, Inc., a Delaware corporation (the "Company"), and Keel Securities LLC '
        '("Keel") (the "Placement Agent," which expression includes any successor), and Rook '
        "Trust Company, not individually but solely as trustee.\n\n1. Placement. The Placement "
        "Agent shall place the notes.\n"
    )
    assert parties_of(text)[:4] == [
        Party("Corvid Holdings, Inc.", "Company"),
        Party("Keel Securities LLC", "Keel"),
        Party("Keel Securities LLC", "Placement Agent"),
        Party("Rook Trust Company", ""),
    ]


def test_an_alias_defined_together_with_the_partys_affiliates() -> None:
    text = (
        "COOPERATION AGREEMENT\n\nThis Cooperation Agreement, dated as of 2 June 2021, between "
        "Larnax Investments Limited, a company incorporated in Cyprus, whose registered office "
        'is at 4 Harbour Road, Larnaca, Cyprus ("LIL" and together with its Affiliates, '
        '"Larnax") and Pavo plc, a public company incorporated in Cyprus ("Pavo", and, '
        'together with its Affiliates, "Pavo Group").\n\nRECITALS\n\n(A) LIL holds shares.\n'
    )
    assert parties_of(text) == [
        Party("Larnax Investments Limited", "LIL"),
        Party("Larnax Investments Limited", "Larnax"),
        Party("Pavo plc", "Pavo"),
        Party("Pavo plc", "Pavo Group"),
    ]


def test_an_and_label_after_the_full_stop_of_an_address() -> None:
    text = (
        'LICENSE ADDENDUM\n\nThis Addendum (the "Addendum") is made and effective May 7, 2021, '
        'BETWEEN:\n\nRiver Valley Growers Association ("RVGA"), a nonprofit corporation having '
        "its principal office at 8 Mill Drive, Mount Laurel, NJ. 08054. AND: Tallow Farms, "
        'Inc., a California corporation (the "Company").\n\nRECITALS\n\nRVGA licenses marks.\n'
    )
    assert parties_of(text) == [
        Party("River Valley Growers Association", "RVGA"),
        Party("Tallow Farms, Inc.", "Company"),
    ]


def test_a_street_number_with_a_letter_is_no_party() -> None:
    text = (
        "ALLIANCE AGREEMENT\n\nThis Alliance Agreement is made this 9th day of May 2021, by and "
        'between Corbel Corporation ("CBL"), 20 South Pine Street, Tampa, Florida 33602, a '
        'Delaware corporation, and Dovetail Solutions, ("DVS"), 3900A 31st Street North, '
        "St. Petersburg, Florida, a Florida corporation.\n\nWITNESSETH:\n\nWHEREAS DVS wishes "
        "to engage CBL.\n"
    )
    assert parties_of(text) == [
        Party("Corbel Corporation", "CBL"),
        Party("Dovetail Solutions", "DVS"),
    ]


def test_a_letter_whose_sender_retains_the_other_party() -> None:
    text = (
        "CONSULTING AGREEMENT\n\nMay 3, 2021\n\nDana Roe\n\nDear Dana:\n\nPellar Therapeutics, "
        'Inc., a Delaware corporation (the "Company"), is pleased to offer this Consulting '
        'Agreement (this "Agreement") to retain Dana Roe ("Consultant") to perform the '
        "consulting services described below on the following terms:\n\n1. Services. "
        "Consultant shall advise the Company on such matters as are agreed from time to time "
        'by and between Consultant and Company (collectively, "Services").\n'
    )
    assert parties_of(text) == [
        Party("Pellar Therapeutics, Inc.", "Company"),
        Party("Dana Roe", "Consultant"),
    ]


def test_a_party_named_by_the_alias_an_earlier_sentence_gave_it() -> None:
    text = (
        "SPONSORSHIP AGREEMENT for a Regatta on May 22, 2021\n\nHarbour Events Media, Inc. "
        '("HEM"), a Delaware company with offices at 4 Quay Road, Boston, is the producer of a '
        'regatta (the "Event"). This Sponsorship Agreement is made by and between Vantor '
        'Trading Ltd ("Vantor"), a Hong Kong company (the "Sponsor") and HEM.\n\n'
        "1) The Sponsor wishes to sponsor the Event.\n"
    )
    assert parties_of(text) == [
        Party("Vantor Trading Ltd", "Vantor"),
        Party("Harbour Events Media, Inc.", "HEM"),
    ]


def test_a_shouted_earlier_name_is_read_back_without_delay() -> None:
    # A shouted name must not make the backward name search try every split of its words.
    text = (
        'SERVICES AGREEMENT\n\nTHE ORLAND ADVISORY SERVICES COMPANY OF AMERICA ("OASC"), a '
        "Delaware statutory trust, provides research. This Services Agreement is made between "
        'LINDELL GLOBAL FUND ("Fund") and OASC.\n\n1. Services. OASC shall provide research.\n'
    )
    assert parties_of(text) == [
        Party("LINDELL GLOBAL FUND", "Fund"),
        Party("THE ORLAND ADVISORY SERVICES COMPANY OF AMERICA", "OASC"),
    ]
